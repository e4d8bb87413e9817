//! Bulk loads (more rows than the table holds) rebuild the table's indexes instead of
//! updating them row by row; the indexes must come back whatever happens.

use crate::support::{Env, counts, dump, import, posts_csv, scalar};
use keel_import::{Format, ImportError};
use keel_store::data::PostRow;
use keel_testkit::day_sums::rounded;

on_both!(
    bulk_load_keeps_indexes_and_counts,
    failed_bulk_load_keeps_indexes,
    a_key_repeated_midway_through_a_first_load
);

const N: u32 = 12_000;

async fn index_names(env: &Env) -> Vec<String> {
    let mut names: Vec<String> = keel_store::on_pool!(env.store.raw_pool_for_tests(), p => {
        match env.store.backend() {
            keel_store::Backend::Sqlite => sqlx::query_scalar(
                "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'posts' AND sql IS NOT NULL",
            )
            .fetch_all(p)
            .await,
            keel_store::Backend::Postgres => sqlx::query_scalar(
                "SELECT indexname::text FROM pg_indexes WHERE tablename = 'posts'",
            )
            .fetch_all(p)
            .await,
        }
    })
    .unwrap();
    names.sort();
    names
}

async fn bulk_load_keeps_indexes_and_counts(env: Env) {
    let indexes = index_names(&env).await;
    assert!(!indexes.is_empty());
    let csv = posts_csv(0..N, |n| n.to_string());
    assert_eq!(counts(&env, Format::Posts, &csv).await, (12_000, 12_000, 0, 0));
    assert_eq!(index_names(&env).await, indexes);
    assert_eq!(counts(&env, Format::Posts, &csv).await, (12_000, 0, 0, 12_000));

    // A second bulk load (larger than the table): odd posts change (6000 replaced), even
    // ones repeat (6000 unchanged), 12001 keys are new, and p5 comes twice (its second
    // line replaces its first) — the exact path for repeated keys, still rebuilding.
    let mut csv = posts_csv(0..2 * N + 1, |n| if n % 2 == 0 { n.to_string() } else { "0".into() });
    csv.push_str("vk,brand,p5,2024-03-06T10:00:00Z,photo,77,2,1,,,500,900,1000\n");
    assert_eq!(counts(&env, Format::Posts, &csv).await, (24_002, 12_001, 6_001, 6_000));
    assert_eq!(index_names(&env).await, indexes);
    let q = "SELECT likes FROM posts WHERE project_id = $1 AND post_id = 'p5'";
    assert_eq!(scalar(&env, q).await, Some(77));
    let q = "SELECT COUNT(*) FROM posts WHERE project_id = $1 AND published_at >= '2024-03-06' AND published_at < '2024-03-07'";
    assert!(scalar(&env, q).await.unwrap() > 0, "the time index answers");
}

async fn failed_bulk_load_keeps_indexes(env: Env) {
    let indexes = index_names(&env).await;
    let mut csv = posts_csv(0..N, |n| n.to_string());
    csv.push_str("vk,brand,bad,2024-03-01,photo,x,2,1,,,500,900,1000\n");
    assert!(matches!(
        import(&env, Format::Posts, &csv).await,
        Err(ImportError::Invalid(_))
    ));
    assert_eq!(index_names(&env).await, indexes);
    assert!(dump::<PostRow>(&env).await.is_empty());
}

/// A first load into an empty table (on PostgreSQL copied straight into it) whose file
/// repeats a key halfway: from that line on the rows are merged the exact way, so the
/// counts, the winning line and the day sums are those of any other load.
async fn a_key_repeated_midway_through_a_first_load(env: Env) {
    let indexes = index_names(&env).await;
    let mut csv = posts_csv(0..N / 2, |n| n.to_string());
    // p5 again with other likes (replaced), p6 again as it was (unchanged), then the rest.
    csv.push_str("vk,brand,p5,2024-03-06T10:00:00Z,photo,77,2,1,,,500,900,1000\n");
    csv.push_str("vk,brand,p6,2024-03-07T10:00:00Z,photo,6,2,1,,,500,900,1000\n");
    csv.push_str(&posts_csv(N / 2..N, |n| n.to_string())[csv.find('\n').unwrap() + 1..]);
    assert_eq!(counts(&env, Format::Posts, &csv).await, (N as u64 + 2, N as u64, 1, 1));
    assert_eq!(index_names(&env).await, indexes);
    let q = "SELECT likes FROM posts WHERE project_id = $1 AND post_id = 'p5'";
    assert_eq!(scalar(&env, q).await, Some(77));
    let q = "SELECT COUNT(*) FROM posts WHERE project_id = $1";
    assert_eq!(scalar(&env, q).await, Some(N as i64));
    let (first, last) = (chrono::NaiveDate::MIN, chrono::NaiveDate::MAX);
    let kept = env.store.post_days(env.project.id, first, last).await.unwrap();
    env.store.refresh_post_days(env.project.id).await.unwrap();
    let recounted = env.store.post_days(env.project.id, first, last).await.unwrap();
    assert_eq!(rounded(&recounted), rounded(&kept));
    let posts: i64 = kept.iter().flat_map(|a| &a.days).map(|d| d.posts).sum();
    assert_eq!(posts, N as i64);
}
