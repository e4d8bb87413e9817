//! Times the report on a large synthetic project.
//!
//! ```text
//! cargo run --release -p keel-report --example report_bench -- URL [ACCOUNTS [POSTS]]
//! ```
//!
//! On an empty database (`sqlite:///tmp/bench.db` or `postgres://…/bench`) it first
//! generates project `bench`: ACCOUNTS accounts (default 1000) with POSTS posts each
//! (default 1000), one post and one daily row per account and day, in the database itself
//! (`WITH RECURSIVE` / `generate_series`). It then times `build_report` and
//! `write_report_json` (to /dev/null, posts streamed) over all data.

use std::time::Instant;

use anyhow::Context;
use keel_domain::{ProjectName, Slug};
use keel_report::{build_report, write_report_json};
use keel_store::projects::{NewProject, Project};
use keel_store::{Backend, Store, on_pool};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let url = args.first().context("usage: report_bench URL [ACCOUNTS [POSTS]]")?;
    let accounts: i64 = args.get(1).map_or(Ok(1000), |a| a.parse())?;
    let posts: i64 = args.get(2).map_or(Ok(1000), |a| a.parse())?;
    let store = Store::open(url).await?;
    let org = store.ensure_org("bench", "Bench").await?;
    let project = match store.project_by_slug(org.id(), "bench").await? {
        Some(p) => p,
        None => {
            let p = store
                .create_project(&NewProject {
                    org: org.id(),
                    slug: Slug::parse("bench")?,
                    name: ProjectName::parse("Bench")?,
                    started_on: "2023-01-01".parse()?,
                    client: None,
                })
                .await?;
            let t = Instant::now();
            generate(&store, &p, accounts, posts).await?;
            eprintln!("generated {accounts} × {posts} posts in {:?}", t.elapsed());
            p
        }
    };

    // REPORT_BENCH_ONLY=json times the streaming writer alone (what `keel report` runs).
    if std::env::var("REPORT_BENCH_ONLY").as_deref() != Ok("json") {
        let t = Instant::now();
        let report = build_report(&store, &project, None, None).await?;
        eprintln!(
            "build_report: {:?} ({} accounts, {} posts, {} spikes)",
            t.elapsed(),
            report.accounts.len(),
            report.posts.len(),
            report.bot_spikes.len()
        );
    }
    let t = Instant::now();
    let sink = std::fs::File::create("/dev/null")?;
    write_report_json(&store, &project, None, None, sink).await?;
    eprintln!("write_report_json: {:?}", t.elapsed());
    Ok(())
}

/// Fills the project's posts and daily rows: account `acc0000…`, day `j` from 2023-01-01;
/// followers grow by 5 a day with noise, one post a day at hour `account % 24`, half of
/// them with their own follower count. Random counts come from the database's `random()`.
async fn generate(store: &Store, p: &Project, accounts: i64, days: i64) -> anyhow::Result<()> {
    let (daily, posts) = match store.backend() {
        Backend::Sqlite => (
            "WITH RECURSIVE a(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM a WHERE i < $3 - 1),
                            d(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM d WHERE j < $4 - 1)
             INSERT INTO daily_stats (org_id, project_id, platform, account, date, followers)
             SELECT $1, $2, 'instagram', printf('acc%04d', i),
                    date('2023-01-01', '+' || j || ' days'),
                    10000 + i * 10 + j * 5 + abs(random()) % 7
             FROM a, d",
            "WITH RECURSIVE a(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM a WHERE i < $3 - 1),
                            d(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM d WHERE j < $4 - 1)
             INSERT INTO posts (org_id, project_id, platform, account, post_id, published_at,
                                likes, comments, shares, saves, views, reach, followers)
             SELECT $1, $2, 'instagram', printf('acc%04d', i), printf('p%05d', j),
                    strftime('%Y-%m-%dT%H:%M:%S+00:00', '2023-01-01', '+' || j || ' days',
                             '+' || (i % 24) || ' hours'),
                    abs(random()) % 500, abs(random()) % 50, abs(random()) % 20,
                    abs(random()) % 30, 1000 + abs(random()) % 9000, 500 + abs(random()) % 5000,
                    CASE WHEN j % 2 = 0 THEN 10000 + i * 10 + j * 5 END
             FROM a, d",
        ),
        Backend::Postgres => (
            "INSERT INTO daily_stats (org_id, project_id, platform, account, date, followers)
             SELECT $1, $2, 'instagram', 'acc' || lpad(i::text, 4, '0'),
                    DATE '2023-01-01' + j::int,
                    10000 + i * 10 + j * 5 + floor(random() * 7)::bigint
             FROM generate_series(0, $3 - 1) i, generate_series(0, $4 - 1) j",
            "INSERT INTO posts (org_id, project_id, platform, account, post_id, published_at,
                                likes, comments, shares, saves, views, reach, followers)
             SELECT $1, $2, 'instagram', 'acc' || lpad(i::text, 4, '0'),
                    'p' || lpad(j::text, 5, '0'),
                    TIMESTAMPTZ '2023-01-01 00:00:00+00' + j * INTERVAL '1 day'
                        + (i % 24) * INTERVAL '1 hour',
                    floor(random() * 500)::bigint, floor(random() * 50)::bigint,
                    floor(random() * 20)::bigint, floor(random() * 30)::bigint,
                    1000 + floor(random() * 9000)::bigint, 500 + floor(random() * 5000)::bigint,
                    CASE WHEN j % 2 = 0 THEN 10000 + i * 10 + j * 5 END
             FROM generate_series(0, $3 - 1) i, generate_series(0, $4 - 1) j",
        ),
    };
    // REPORT_BENCH_NO_DAILY=1: posts only, as bench/run.py imports them.
    let daily = (std::env::var("REPORT_BENCH_NO_DAILY").as_deref() != Ok("1")).then_some(daily);
    for sql in daily.into_iter().chain([posts]) {
        on_pool!(store.raw_pool_for_tests(), c => {
            sqlx::query(sql).bind(p.org_id).bind(p.id).bind(accounts).bind(days)
                .execute(c).await.map(|_| ())
        })?;
    }
    // Written directly, not imported: the per-day summary the analytics read is refreshed here.
    store.refresh_post_days(p.id).await?;
    if let Backend::Postgres = store.backend() {
        on_pool!(store.raw_pool_for_tests(), c => sqlx::query("ANALYZE").execute(c).await.map(|_| ()))?;
    }
    Ok(())
}
