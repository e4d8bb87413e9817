//! A metric of the catalog, day by day over a project's whole history: the daily points
//! (`keel_domain::goals::MetricDay`) its goal values are computed from. One small GROUP BY
//! per metric; every day is returned as text so both backends decode it the same way.

use chrono::NaiveDate;
use keel_domain::goals::{Metric, MetricDay, MetricSeries};
use keel_store::{Backend, Store, on_pool};
use std::collections::BTreeMap;

/// Every daily point of `metric` in `project`.
pub async fn metric_series(store: &Store, project: i64, metric: Metric) -> anyhow::Result<MetricSeries> {
    let backend = store.backend();
    let points = match metric {
        Metric::Followers => daily_column(store, project, "followers").await?,
        Metric::Reach => daily_column(store, project, "reach").await?,
        Metric::Mentions => daily_column(store, project, "mentions").await?,
        Metric::HashtagUses => daily_column(store, project, "hashtag_uses").await?,
        Metric::Interactions => post_days(store, project)
            .await?
            .into_iter()
            .map(|(d, p)| MetricDay::new(d, p.all_interactions, 0.0))
            .collect(),
        Metric::ErFollowers => post_days(store, project)
            .await?
            .into_iter()
            .filter(|(_, p)| p.followers > 0.0)
            .map(|(d, p)| MetricDay::new(d, p.interactions, p.followers))
            .collect(),
        Metric::ErrReach => post_days(store, project)
            .await?
            .into_iter()
            .map(|(d, p)| MetricDay::new(d, p.interactions_reached, p.reach))
            .collect(),
        Metric::Clicks => ads(store, project, "clicks", None).await?,
        Metric::Leads => ads(store, project, "leads", None).await?,
        Metric::Cpc => ads(store, project, "spend", Some("clicks")).await?,
        Metric::Cpl => ads(store, project, "spend", Some("leads")).await?,
        Metric::Cpv => ads(store, project, "spend", Some("video_views")).await?,
        Metric::RepeatRequests => leads(store, backend, project, "CASE WHEN repeat THEN 1 ELSE 0 END", None).await?,
        Metric::LeadToDeal => {
            leads(
                store,
                backend,
                project,
                "CASE WHEN status = 'won' THEN 1 ELSE 0 END",
                Some("1"),
            )
            .await?
        }
        Metric::Revenue => {
            leads(
                store,
                backend,
                project,
                "CASE WHEN status = 'won' THEN COALESCE(amount, 0) ELSE 0 END",
                None,
            )
            .await?
        }
    };
    Ok(MetricSeries::new(metric.info().aggregation, points))
}

fn day(text: &str) -> anyhow::Result<NaiveDate> {
    text.get(..10)
        .unwrap_or(text)
        .parse()
        .map_err(|e| anyhow::anyhow!("day `{text}`: {e}"))
}

type Rows = Vec<(String, Option<f64>, Option<f64>)>;

async fn fetch(store: &Store, sql: &str, project: i64) -> anyhow::Result<Vec<MetricDay>> {
    let rows: Rows = on_pool!(&store.pool, p => sqlx::query_as(sql).bind(project).fetch_all(p).await)?;
    rows.into_iter()
        .filter_map(|(d, num, den)| num.map(|n| (d, n, den.unwrap_or(0.0))))
        .map(|(d, n, den)| Ok(MetricDay::new(day(&d)?, n, den)))
        .collect()
}

/// A daily-figures column summed over the project's accounts per day (days where no
/// account reports it are left out: unknown is not zero).
async fn daily_column(store: &Store, project: i64, column: &str) -> anyhow::Result<Vec<MetricDay>> {
    let sql = format!(
        "SELECT CAST(date AS TEXT), CAST(SUM({column}) AS DOUBLE PRECISION), CAST(NULL AS DOUBLE PRECISION)
         FROM daily_stats WHERE project_id = $1 AND {column} IS NOT NULL GROUP BY date ORDER BY date"
    );
    fetch(store, &sql, project).await
}

/// An ads column (and a denominator column) summed per day. For a ratio, only days that
/// report the denominator take part.
async fn ads(store: &Store, project: i64, num: &str, den: Option<&str>) -> anyhow::Result<Vec<MetricDay>> {
    let (den_sql, filter) = match den {
        Some(d) => (
            format!("CAST(SUM({d}) AS DOUBLE PRECISION)"),
            format!("AND {d} IS NOT NULL"),
        ),
        None => (
            "CAST(NULL AS DOUBLE PRECISION)".into(),
            format!("AND {num} IS NOT NULL"),
        ),
    };
    let sql = format!(
        "SELECT CAST(date AS TEXT), CAST(SUM({num}) AS DOUBLE PRECISION), {den_sql}
         FROM ad_stats WHERE project_id = $1 {filter} GROUP BY date ORDER BY date"
    );
    fetch(store, &sql, project).await
}

/// Leads by their UTC creation day: `SUM(num)` and, for a rate, `SUM(den)` (1 = every lead).
async fn leads(
    store: &Store,
    backend: Backend,
    project: i64,
    num: &str,
    den: Option<&str>,
) -> anyhow::Result<Vec<MetricDay>> {
    let day = match backend {
        Backend::Sqlite => "substr(created_at, 1, 10)",
        Backend::Postgres => "CAST(CAST((created_at AT TIME ZONE 'UTC') AS DATE) AS TEXT)",
    };
    let den = den
        .map(|d| format!("CAST(SUM({d}) AS DOUBLE PRECISION)"))
        .unwrap_or("CAST(NULL AS DOUBLE PRECISION)".into());
    let sql = format!(
        "SELECT {day}, CAST(SUM({num}) AS DOUBLE PRECISION), {den} FROM leads WHERE project_id = $1 GROUP BY 1 ORDER BY 1"
    );
    fetch(store, &sql, project).await
}

/// The posts of one day over all accounts.
#[derive(Debug, Default, Clone, Copy)]
struct PostDay {
    /// ΣI of every post that day.
    all_interactions: f64,
    /// ΣI of the posts whose account has a follower count that day.
    interactions: f64,
    /// Followers that day of the accounts that posted (daily ER's denominator).
    followers: f64,
    /// ΣI and Σreach of posts with a reach (ERR's numerator and denominator).
    interactions_reached: f64,
    reach: f64,
}

async fn post_days(store: &Store, project: i64) -> anyhow::Result<BTreeMap<NaiveDate, PostDay>> {
    let day = match store.backend() {
        Backend::Sqlite => "substr(p.published_at, 1, 10)",
        Backend::Postgres => "CAST((p.published_at AT TIME ZONE 'UTC') AS DATE)",
    };
    let i = "(COALESCE(p.likes, 0) + COALESCE(p.comments, 0) + COALESCE(p.shares, 0) + COALESCE(p.saves, 0))";
    // Per account and day, so each account's follower count of the day is counted once.
    let sql = format!(
        "SELECT CAST({day} AS TEXT), CAST(SUM({i}) AS DOUBLE PRECISION),
                CAST(MAX(d.followers) AS DOUBLE PRECISION),
                CAST(SUM(CASE WHEN p.reach > 0 THEN {i} ELSE 0 END) AS DOUBLE PRECISION),
                CAST(SUM(CASE WHEN p.reach > 0 THEN p.reach ELSE 0 END) AS DOUBLE PRECISION)
         FROM posts p LEFT JOIN daily_stats d ON d.project_id = p.project_id AND d.platform = p.platform
              AND d.account = p.account AND d.date = {day}
         WHERE p.project_id = $1 GROUP BY p.platform, p.account, {day}"
    );
    type PostRows = Vec<(String, Option<f64>, Option<f64>, Option<f64>, Option<f64>)>;
    let rows: PostRows = on_pool!(&store.pool, p => sqlx::query_as(&sql).bind(project).fetch_all(p).await)?;
    let mut days: BTreeMap<NaiveDate, PostDay> = BTreeMap::new();
    for (d, interactions, followers, reached, reach) in rows {
        let entry = days.entry(self::day(&d)?).or_default();
        // Daily ER needs the day's follower count: an account without one is left out of both sides.
        if let Some(f) = followers {
            entry.interactions += interactions.unwrap_or(0.0);
            entry.followers += f;
        }
        entry.all_interactions += interactions.unwrap_or(0.0);
        entry.interactions_reached += reached.unwrap_or(0.0);
        entry.reach += reach.unwrap_or(0.0);
    }
    Ok(days)
}
