//! The real UCI "Facebook metrics" export imports as 500 dated posts.

use crate::support::{Env, counts, dump, import, scalar};
use chrono::{DateTime, TimeZone, Utc};
use keel_import::{Format, ImportError};
use keel_store::data::PostRow;
use std::io::Write;
use std::path::PathBuf;

on_both!(real_export_imports_500_posts, bad_month_is_named);

/// The shared data folder: `KEEL_SHARED_DATA`, else `../../../shared/data` from this crate.
fn dataset() -> Option<PathBuf> {
    let base = std::env::var_os("KEEL_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    let file = base.join("facebook-metrics/dataset_Facebook.csv");
    file.is_file().then_some(file)
}

async fn published(env: &Env, post_id: &str) -> DateTime<Utc> {
    keel_store::on_pool!(env.store.raw_pool_for_tests(), p => {
        sqlx::query_scalar("SELECT published_at FROM posts WHERE project_id = $1 AND post_id = $2")
            .bind(env.project.id)
            .bind(post_id)
            .fetch_one(p)
            .await
    })
    .unwrap()
}

async fn real_export_imports_500_posts(env: Env) {
    let Some(path) = dataset() else {
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED facebook::real_export_imports_500_posts: dataset_Facebook.csv not found \
             (set KEEL_SHARED_DATA)"
        );
        return;
    };
    let file = std::fs::File::open(&path).unwrap();
    let summary = keel_import::import(
        &env.store,
        &env.project,
        Format::FacebookMetrics,
        file,
        "dataset_Facebook.csv",
        "tester",
        &|_| {},
    )
    .await
    .unwrap();
    assert_eq!((summary.rows_read, summary.stored), (500, 500));
    let q = "SELECT COUNT(*) FROM posts WHERE project_id = $1 AND platform = 'facebook' AND account = 'page'";
    assert_eq!(scalar(&env, q).await, Some(500));

    // Row 1: 139441 page likes, Photo, month 12, weekday 4 (Wednesday), hour 3;
    // reach 2752, impressions 5091, comment 4, like 79, share 17.
    let q = "SELECT likes * 1000000 + comments * 1000 + shares FROM posts WHERE project_id = $1 AND post_id = 'fb-1'";
    assert_eq!(scalar(&env, q).await, Some(79_004_017));
    let q = "SELECT reach * 100000 + impressions FROM posts WHERE project_id = $1 AND post_id = 'fb-1'";
    assert_eq!(scalar(&env, q).await, Some(2752_05091));
    let q = "SELECT followers FROM posts WHERE project_id = $1 AND post_id = 'fb-1'";
    assert_eq!(scalar(&env, q).await, Some(139_441));
    assert_eq!(
        published(&env, "fb-1").await,
        Utc.with_ymd_and_hms(2014, 12, 31, 3, 0, 0).unwrap()
    );
    // Data row 112 (line 113) has blank `like` and `share` cells: they are 0.
    let q = "SELECT likes + shares + comments FROM posts WHERE project_id = $1 AND post_id = 'fb-112'";
    assert_eq!(scalar(&env, q).await, Some(0));
    let q =
        "SELECT COUNT(*) FROM posts WHERE project_id = $1 AND (likes IS NULL OR shares IS NULL OR saves IS NOT NULL)";
    assert_eq!(scalar(&env, q).await, Some(0));
    // Every post lies in 2014, on the weekday the export gives (checked in the walk), and
    // newest-first order holds: fb-500 (January) is the oldest.
    let oldest = published(&env, "fb-500").await;
    assert_eq!(oldest.format("%Y-%m").to_string(), "2014-01");

    let before = dump::<PostRow>(&env).await;
    let again = keel_import::import(
        &env.store,
        &env.project,
        Format::FacebookMetrics,
        std::fs::File::open(&path).unwrap(),
        "dataset_Facebook.csv",
        "tester",
        &|_| {},
    )
    .await
    .unwrap();
    assert_eq!((again.stored, again.replaced, again.unchanged), (0, 0, 500));
    assert_eq!(dump::<PostRow>(&env).await, before);
}

const HEADER: &str = "Page total likes;Type;Category;Post Month;Post Weekday;Post Hour;Paid;Lifetime Post Total Reach;Lifetime Post Total Impressions;Lifetime Engaged Users;Lifetime Post Consumers;Lifetime Post Consumptions;Lifetime Post Impressions by people who have liked your Page;Lifetime Post reach by people who like your Page;Lifetime People who have liked your Page and engaged with your post;comment;like;share;Total Interactions";

async fn bad_month_is_named(env: Env) {
    let file = format!("{HEADER}\n100;Photo;2;13;4;3;0;1;1;1;1;1;1;1;1;0;1;1;2\n");
    match import(&env, Format::FacebookMetrics, &file).await {
        Err(ImportError::Invalid(p)) => {
            assert_eq!(p.len(), 1, "{p:?}");
            assert_eq!((p[0].line, p[0].column.as_str()), (2, "Post Month"));
            assert_eq!(p[0].reason, "\"13\" is out of range (expected 1 to 12)");
        }
        other => panic!("{other:?}"),
    }
    // Two posts on the same weekday: the newer (first) one at the later hour shares the
    // day; a later hour on the older row pushes it a week back.
    let file = format!(
        "{HEADER}\n100;Photo;2;3;2;10;0;1;1;1;1;1;1;1;1;0;;;2\n100;Photo;2;3;2;9;0;1;1;1;1;1;1;1;1;0;1;1;2\n100;Link;2;3;2;11;0;1;1;1;1;1;1;1;1;0;1;1;2\n"
    );
    assert_eq!(counts(&env, Format::FacebookMetrics, &file).await, (3, 3, 0, 0));
    let env = &env;
    let day = |id| async move { published(env, id).await.format("%F %a %H").to_string() };
    assert_eq!(day("fb-1").await, "2014-03-31 Mon 10");
    assert_eq!(day("fb-2").await, "2014-03-31 Mon 09");
    assert_eq!(day("fb-3").await, "2014-03-24 Mon 11");
}
