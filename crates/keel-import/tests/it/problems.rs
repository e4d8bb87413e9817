//! Malformed files are rejected whole, each problem named by line, column and reason.

use crate::support::{Env, counts, dump, import, posts_csv, scalar};
use keel_import::{Format, ImportError, Problem};
use keel_store::data::PostRow;

on_both!(
    bad_cells_after_written_batches_store_nothing,
    missing_columns_are_named,
    at_most_twenty_problems,
    bad_values_of_every_kind,
    post_texts_and_addresses_are_checked,
);

fn problems(result: Result<keel_import::ImportSummary, ImportError>) -> Vec<Problem> {
    match result {
        Err(ImportError::Invalid(p)) => p,
        other => panic!("expected a rejected file, got {other:?}"),
    }
}

fn p(line: u64, column: &str, reason: &str) -> Problem {
    Problem {
        line,
        column: column.into(),
        reason: reason.into(),
        // Not compared: the Russian wording follows the English one (see `Problem`'s `eq`).
        reason_ru: String::new(),
        at_path: false,
    }
}

/// 6000 good rows come first: more than the reader may queue, so several batches were
/// certainly written into the transaction before the first bad cell was read.
async fn bad_cells_after_written_batches_store_nothing(env: Env) {
    let header =
        "platform,account,post_id,published_at,type,likes,comments,shares,saves,views,reach,impressions,followers\n";
    assert_eq!(
        counts(
            &env,
            Format::Posts,
            &format!("{header}vk,brand,old,2024-01-01,,1,,,,,,,\n")
        )
        .await,
        (1, 1, 0, 0)
    );
    let before = dump::<PostRow>(&env).await;

    let mut csv = posts_csv(0..6000, |n| n.to_string());
    csv.push_str("vk,brand,x1,2024-03-01,photo,12a,2,1,,,500,900,1000\n");
    csv.push_str("vk,brand,x2,yesterday,photo,1,-1,1,,,500,900,1000\n");
    csv.push_str("vk,brand,old,2024-01-01,,1,,,,,,,\n");
    let found = problems(import(&env, Format::Posts, &csv).await);
    assert_eq!(
        found,
        [
            p(6002, "likes", "\"12a\" is not a whole number"),
            p(
                6003,
                "published_at",
                "\"yesterday\" is not a timestamp (expected YYYY-MM-DD, YYYY-MM-DD HH:MM:SS or \
                 YYYY-MM-DDTHH:MM:SS with an optional Z or ±HH:MM)"
            ),
            p(6003, "comments", "\"-1\" is negative; counts cannot be"),
        ]
    );
    assert_eq!(
        found[0].to_string(),
        "line 6002, column \"likes\": \"12a\" is not a whole number"
    );
    assert_eq!(dump::<PostRow>(&env).await, before);
    assert_eq!(env.store.recent_imports(&env.project, 10).await.unwrap().len(), 1);
    // The store is usable afterwards (the transaction and its locks are gone).
    assert_eq!(
        counts(&env, Format::Posts, &posts_csv(0..10, |_| "1".into())).await,
        (10, 10, 0, 0)
    );
}

async fn missing_columns_are_named(env: Env) {
    let csv = "platform,account,published_at,likes\nvk,b,2024-01-01,1\n";
    let found = problems(import(&env, Format::Posts, csv).await);
    assert_eq!(found, [p(1, "post_id", "this required column is missing")]);
    let found = problems(import(&env, Format::Leads, "lead_id;created_at;status\n").await);
    let missing: Vec<&str> = found.iter().map(|p| p.column.as_str()).collect();
    assert_eq!(
        missing,
        ["lead_id", "created_at", "status"],
        "`;` is not a separator here"
    );
    let found = problems(import(&env, Format::Ads, "").await);
    assert_eq!(found.len(), 5, "an empty file lacks every required column: {found:?}");
    let q = "SELECT COUNT(*) FROM posts WHERE project_id = $1";
    assert_eq!(scalar(&env, q).await, Some(0));
}

async fn at_most_twenty_problems(env: Env) {
    let csv = posts_csv(0..50, |_| "many".into());
    let found = problems(import(&env, Format::Posts, &csv).await);
    assert_eq!(found.len(), keel_import::MAX_PROBLEMS);
    assert_eq!((found[0].line, found[19].line), (2, 21));
    let message = ImportError::Invalid(found).to_string();
    assert!(message.contains("the first 20 problems"), "{message}");
}

async fn bad_values_of_every_kind(env: Env) {
    let csv = "lead_id,created_at,status,amount,closed_at,repeat\n\
        L1,2024-02-30,won,1,,\n\
        ,2024-01-01,closed,1,5 March,maybe\n\
        L3,2024-01-01,new,\"1,5\",,\n";
    let found = problems(import(&env, Format::Leads, csv).await);
    let at: Vec<(u64, &str)> = found.iter().map(|p| (p.line, p.column.as_str())).collect();
    assert_eq!(
        at,
        [
            (2, "created_at"),
            (3, "lead_id"),
            (3, "status"),
            (3, "closed_at"),
            (3, "repeat"),
            (4, "amount"),
        ]
    );
    assert_eq!(found[1].reason, "is empty; a value is required");
    // Every problem is worded in Russian too, for pages read in Russian.
    for problem in &found {
        assert!(
            problem.reason_ru.chars().any(|c| ('а'..='я').contains(&c)),
            "{problem:?}"
        );
    }
    assert_eq!(
        found[1].to_russian(),
        "строка 3, столбец «lead_id»: пусто, а значение обязательно"
    );
    let csv = "platform,account,date,followers\nvk,b,2024-01-01,1\nvk,b,2024-01-02\n";
    let found = problems(import(&env, Format::Daily, csv).await);
    assert_eq!(
        found,
        [p(3, "followers", "the row ends after 3 cells, before this column")]
    );
    let q = "SELECT COUNT(*) FROM daily_stats WHERE project_id = $1";
    assert_eq!(scalar(&env, q).await, Some(0));
}

/// A post's address becomes a link on the analytics page: only http(s) is taken, and a text
/// too long to keep is refused rather than silently cut.
async fn post_texts_and_addresses_are_checked(env: Env) {
    let long = "я".repeat(501);
    let csv = format!(
        "platform,account,post_id,published_at,text,url\n\
         vk,b,1,2024-01-01,ok,javascript:alert(1)\n\
         vk,b,2,2024-01-01,ok,https://\n\
         vk,b,3,2024-01-01,{long},http://example.com/a b\n\
         vk,b,4,2024-01-01,ok,HTTPS://VK.COM/wall-1_4\n"
    );
    let found = problems(import(&env, Format::Posts, &csv).await);
    let at: Vec<(u64, &str)> = found.iter().map(|p| (p.line, p.column.as_str())).collect();
    assert_eq!(at, [(2, "url"), (3, "url"), (4, "text"), (4, "url")]);
    assert_eq!(
        found[0].reason,
        "\"javascript:alert(1)\" is not a web address (expected one starting with https:// or http://)"
    );
    assert!(found[2].reason.contains("501 characters"), "{}", found[2].reason);
    let q = "SELECT COUNT(*) FROM posts WHERE project_id = $1";
    assert_eq!(scalar(&env, q).await, Some(0));
}
