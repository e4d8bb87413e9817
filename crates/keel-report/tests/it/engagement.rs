//! The engagement fixture shared by the `accounts`, `posts` and `output` tests.

use keel_store::Store;
use keel_store::projects::Project;

use crate::fixtures::{Post, day, insert_daily, insert_post, project};

/// Four accounts, started 2026-01-01:
///
/// - instagram/alpha, daily followers 01-01 1000, 01-02 1010, 01-03 1020, 01-04 1040;
///   - a1 2026-01-01T10:00Z: 40+5+3+2 = I 50, views 1000, reach 500, own followers 990
///     (ignored: the day has 1000) → ER 50/1000 = 5.0, ERR 50/500 = 10.0, ERV 5.0
///   - a2 2026-01-02T23:30Z (still day 01-02): 18 likes + 2 shares = I 20, reach 400 →
///     ER 20/1010 = 1.9801980198019802, ERR 5.0, ERV null (no views)
///   - a3 2026-01-05T08:00Z (no daily row that day): I 30, reach 0, views 600, own
///     followers 1200 → ER 2.5, ERR null (reach 0), ERV 5.0
/// - vk/beta, daily 01-01 500, 01-02 present but followers NULL, 01-03 550;
///   - b1 2026-01-01T10:00Z: 10+10+5 = I 25, reach 250, views 0 → ER 5.0, ERR 10.0, ERV null
///   - b2 2026-01-02T12:00Z: I 5, no followers anywhere (daily NULL, own NULL) → all null
///   - b3 2026-01-03T12:00Z: I 11, reach 110, views 220, own 9999 (daily 550 wins) →
///     ER 2.0, ERR 10.0, ERV 5.0
/// - telegram/gamma: one daily row, 01-02 with 0 followers, no posts
/// - vk/delta: one post d1 2026-01-04T05:00Z, 7 likes, nothing else known
pub async fn engagement_fixture(store: &Store) -> anyhow::Result<Project> {
    let pr = project(store, "2026-01-01").await?;
    for (d, f) in [
        ("2026-01-01", 1000),
        ("2026-01-02", 1010),
        ("2026-01-03", 1020),
        ("2026-01-04", 1040),
    ] {
        insert_daily(store, &pr, ("instagram", "alpha"), day(d), Some(f)).await?;
    }
    for (d, f) in [
        ("2026-01-01", Some(500)),
        ("2026-01-02", None),
        ("2026-01-03", Some(550)),
    ] {
        insert_daily(store, &pr, ("vk", "beta"), day(d), f).await?;
    }
    insert_daily(store, &pr, ("telegram", "gamma"), day("2026-01-02"), Some(0)).await?;
    let alpha = Post {
        platform: "instagram",
        account: "alpha",
        ..Post::default()
    };
    let beta = Post {
        platform: "vk",
        account: "beta",
        ..Post::default()
    };
    let posts = [
        Post {
            id: "a1".into(),
            at: "2026-01-01T10:00:00Z",
            likes: Some(40),
            comments: Some(5),
            shares: Some(3),
            saves: Some(2),
            views: Some(1000),
            reach: Some(500),
            followers: Some(990),
            ..alpha.clone()
        },
        Post {
            id: "a2".into(),
            at: "2026-01-02T23:30:00Z",
            likes: Some(18),
            shares: Some(2),
            reach: Some(400),
            ..alpha.clone()
        },
        Post {
            id: "a3".into(),
            at: "2026-01-05T08:00:00Z",
            likes: Some(30),
            comments: Some(0),
            shares: Some(0),
            saves: Some(0),
            reach: Some(0),
            views: Some(600),
            followers: Some(1200),
            ..alpha
        },
        Post {
            id: "b1".into(),
            at: "2026-01-01T10:00:00Z",
            likes: Some(10),
            comments: Some(10),
            saves: Some(5),
            reach: Some(250),
            views: Some(0),
            ..beta.clone()
        },
        Post {
            id: "b2".into(),
            at: "2026-01-02T12:00:00Z",
            likes: Some(5),
            ..beta.clone()
        },
        Post {
            id: "b3".into(),
            at: "2026-01-03T12:00:00Z",
            likes: Some(11),
            reach: Some(110),
            views: Some(220),
            followers: Some(9999),
            ..beta
        },
        Post {
            platform: "vk",
            account: "delta",
            id: "d1".into(),
            at: "2026-01-04T05:00:00Z",
            likes: Some(7),
            ..Post::default()
        },
    ];
    for p in &posts {
        insert_post(store, &pr, p).await?;
    }
    Ok(pr)
}
