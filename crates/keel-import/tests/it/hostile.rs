//! Files made to hurt: a cell of megabytes, a header with nothing under it, a quote never
//! closed. Each is refused with where and why, and nothing of it is stored.

use crate::support::{Env, counts, dump, import};
use keel_import::{Format, ImportError, MAX_TEXT_CHARS, Problem};
use keel_store::data::PostRow;

on_both!(
    a_five_megabyte_cell_is_refused_with_its_line_and_column,
    a_header_without_rows_is_refused,
    an_unclosed_quote_is_named_as_such,
);

const HEADER: &str =
    "platform,account,post_id,published_at,type,likes,comments,shares,saves,views,reach,impressions,followers\n";

fn problems(result: Result<keel_import::ImportSummary, ImportError>) -> Vec<Problem> {
    match result {
        Err(ImportError::Invalid(p)) => p,
        other => panic!("expected a rejected file, got {other:?}"),
    }
}

async fn a_five_megabyte_cell_is_refused_with_its_line_and_column(env: Env) {
    assert_eq!(
        counts(
            &env,
            Format::Posts,
            &format!("{HEADER}vk,brand,old,2024-01-01,,1,,,,,,,\n")
        )
        .await,
        (1, 1, 0, 0)
    );
    let before = dump::<PostRow>(&env).await;
    let huge = "a".repeat(5_000_000);
    let csv = format!("{HEADER}vk,brand,p1,2024-01-02,,1,,,,,,,\nvk,{huge},p2,2024-01-03,,1,,,,,,,\n");
    let found = problems(import(&env, Format::Posts, &csv).await);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].line, found[0].column.as_str()), (3, "account"));
    assert_eq!(
        found[0].reason,
        format!("is 5000000 characters long; at most {MAX_TEXT_CHARS} are allowed here")
    );
    // The row before it was valid and is not stored either.
    assert_eq!(dump::<PostRow>(&env).await, before);
    // At the limit, a cell is taken.
    let longest = "b".repeat(MAX_TEXT_CHARS);
    let csv = format!("{HEADER}vk,{longest},p3,2024-01-03,,1,,,,,,,\n");
    assert_eq!(counts(&env, Format::Posts, &csv).await, (1, 1, 0, 0));
}

async fn a_header_without_rows_is_refused(env: Env) {
    let found = problems(import(&env, Format::Posts, HEADER).await);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].line, 2);
    assert_eq!(found[0].reason, "the file has a header but no data rows under it");
    // Padding rows of empty cells are not data either.
    let found = problems(import(&env, Format::Posts, &format!("{HEADER},,,,,,,,,,,,\n")).await);
    assert_eq!(found[0].reason, "the file has a header but no data rows under it");
}

async fn an_unclosed_quote_is_named_as_such(env: Env) {
    let csv = format!("{HEADER}vk,\"brand,p1,2024-01-02,,1,,,,,,,\nvk,brand,p2,2024-01-03,,1,,,,,,,\n");
    let found = problems(import(&env, Format::Posts, &csv).await);
    assert!(
        found[0].reason.contains("never closed"),
        "the problem says what is wrong: {found:?}"
    );
    assert_eq!(found[0].line, 2);
}
