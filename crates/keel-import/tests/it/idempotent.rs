//! Re-importing changes nothing; new values replace old ones; the later of two lines with
//! one key wins — with the same counts on both engines.

use crate::support::{Env, counts, dump, posts_csv, scalar};
use keel_import::Format;
use keel_store::data::{AdRow, DailyRow, LeadRow, PostRow};

on_both!(
    reimport_changes_nothing,
    changed_rows_replace,
    null_to_value_and_back_counts_as_change,
    later_line_of_a_key_wins,
);

const DAILY: &str = "platform,account,date,followers,reach\nvk,b,2024-01-01,10,\nvk,b,2024-01-02,12,5\n";
const ADS: &str =
    "platform,campaign,date,spend,currency,clicks\nvk,c,2024-01-01,10.1,EUR,3\nvk,c,2024-01-02,0.3,EUR,\n";
const LEADS: &str = "lead_id,created_at,status,amount,closed_at,repeat\nL1,2024-01-01T10:00:00+02:00,won,99.99,2024-01-02,yes\nL2,2024-01-01,new,,,\n";

async fn reimport_changes_nothing(env: Env) {
    let posts = posts_csv(0..1200, |n| n.to_string());
    assert_eq!(counts(&env, Format::Posts, &posts).await, (1200, 1200, 0, 0));
    let before = dump::<PostRow>(&env).await;
    assert_eq!(counts(&env, Format::Posts, &posts).await, (1200, 0, 0, 1200));
    assert_eq!(dump::<PostRow>(&env).await, before);

    for (format, text) in [(Format::Daily, DAILY), (Format::Ads, ADS), (Format::Leads, LEADS)] {
        assert_eq!(counts(&env, format, text).await, (2, 2, 0, 0), "{format}");
        let before = (
            dump::<DailyRow>(&env).await,
            dump::<AdRow>(&env).await,
            dump::<LeadRow>(&env).await,
        );
        assert_eq!(counts(&env, format, text).await, (2, 0, 0, 2), "{format}");
        let after = (
            dump::<DailyRow>(&env).await,
            dump::<AdRow>(&env).await,
            dump::<LeadRow>(&env).await,
        );
        assert_eq!(after, before, "{format}");
    }
    let log = env.store.recent_imports(&env.project, 100).await.unwrap();
    assert_eq!(log.len(), 8);
}

async fn changed_rows_replace(env: Env) {
    assert_eq!(
        counts(&env, Format::Posts, &posts_csv(0..3, |_| "5".into())).await,
        (3, 3, 0, 0)
    );
    // p1 gets more likes, p3 is new, p0 and p2 repeat.
    let second = posts_csv(0..4, |n| if n == 1 { "9".into() } else { "5".into() });
    assert_eq!(counts(&env, Format::Posts, &second).await, (4, 1, 1, 2));
    let q = "SELECT likes FROM posts WHERE project_id = $1 AND post_id = 'p1'";
    assert_eq!(scalar(&env, q).await, Some(9));
    assert_eq!(counts(&env, Format::Posts, &second).await, (4, 0, 0, 4));
}

async fn null_to_value_and_back_counts_as_change(env: Env) {
    assert_eq!(
        counts(&env, Format::Posts, &posts_csv(0..2, |_| "".into())).await,
        (2, 2, 0, 0)
    );
    let q = "SELECT likes FROM posts WHERE project_id = $1 AND post_id = 'p0'";
    assert_eq!(scalar(&env, q).await, None);
    assert_eq!(
        counts(&env, Format::Posts, &posts_csv(0..2, |_| "0".into())).await,
        (2, 0, 2, 0)
    );
    assert_eq!(scalar(&env, q).await, Some(0));
    assert_eq!(
        counts(&env, Format::Posts, &posts_csv(0..2, |_| "".into())).await,
        (2, 0, 2, 0)
    );
    assert_eq!(scalar(&env, q).await, None);
}

async fn later_line_of_a_key_wins(env: Env) {
    let header = "platform,account,post_id,published_at,likes\n";
    // A stored before; then the file: A again (same), A changed, B new, B again (same),
    // A changed back. Row by row: unchanged, replaced, stored, unchanged, replaced.
    assert_eq!(
        counts(&env, Format::Posts, &format!("{header}vk,b,A,2024-01-01,1\n")).await,
        (1, 1, 0, 0)
    );
    let file = format!(
        "{header}vk,b,A,2024-01-01,1\nvk,b,A,2024-01-01,2\nvk,b,B,2024-01-01,7\nvk,b,B,2024-01-01,7\nvk,b,A,2024-01-01,3\n"
    );
    assert_eq!(counts(&env, Format::Posts, &file).await, (5, 1, 2, 2));
    let q = "SELECT likes FROM posts WHERE project_id = $1 AND post_id = 'A'";
    assert_eq!(scalar(&env, q).await, Some(3));
    let q = "SELECT COUNT(*) FROM posts WHERE project_id = $1";
    assert_eq!(scalar(&env, q).await, Some(2));
    // The same file again: its first line now changes A (3 → 1), and so on down the file.
    assert_eq!(counts(&env, Format::Posts, &file).await, (5, 0, 3, 2));
    assert_eq!(
        scalar(&env, "SELECT likes FROM posts WHERE project_id = $1 AND post_id = 'A'").await,
        Some(3)
    );
}
