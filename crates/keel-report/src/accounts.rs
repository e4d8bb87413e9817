//! The `accounts` section: per account, followers at the start and end of the period,
//! follower growth, and the period's posts, interactions, ER, ERR and ER by views.
//!
//! Two aggregate queries, both grouped in the database: one over the period's posts joined
//! to their publication day's follower count, one over the period's daily rows. Accounts
//! are the union of the two (an account with daily rows but no posts is listed, and one
//! with posts but no daily rows too), sorted by platform, then account.

use std::collections::BTreeMap;

use keel_domain::metrics::growth::follower_growth_pct;
use keel_domain::metrics::{pct, ratio};
use keel_store::{Store, on_pool};
use serde::Serialize;

use crate::scope::{INTERACTIONS, POST_FOLLOWERS, Scope, join_post_day};

/// One account of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccountRow {
    pub platform: String,
    pub account: String,
    /// Followers on the first day of the period that has a daily row with a follower
    /// count (rows whose count is missing are passed over); `None` without such a row.
    pub followers_start: Option<i64>,
    /// Followers on the last such day.
    pub followers_end: Option<i64>,
    /// `(end − start) / start × 100`; `None` when either is unknown or start is 0.
    pub follower_growth_pct: Option<f64>,
    /// Posts published in the period.
    pub posts: i64,
    /// ΣI over those posts.
    pub interactions: i64,
    /// Period ER: the mean of the posts' ER by followers (posts with unknown or zero
    /// followers skipped).
    pub er_followers: Option<f64>,
    /// Period ERR: `ΣI / Σreach × 100` over posts with reach > 0.
    pub err_reach: Option<f64>,
    /// Period ER by views: `ΣI / Σviews × 100` over posts with views > 0.
    pub er_views: Option<f64>,
}

/// The period's post sums of one account: exactly what `PeriodEngagement` accumulates,
/// summed by the database instead of row by row.
#[derive(Debug, sqlx::FromRow)]
struct PostSums {
    platform: String,
    account: String,
    posts: i64,
    interactions: i64,
    /// Σ of per-post ER `I / F × 100` over posts with F > 0, and their number.
    er_sum: Option<f64>,
    er_posts: i64,
    reach_interactions: i64,
    reach: i64,
    views_interactions: i64,
    views: i64,
}

/// Followers on the first and last day of the period with a known count.
#[derive(Debug, sqlx::FromRow)]
struct FollowerSpan {
    platform: String,
    account: String,
    followers_start: Option<i64>,
    followers_end: Option<i64>,
}

/// The `accounts` section of the period.
pub(crate) async fn accounts(store: &Store, scope: &Scope) -> anyhow::Result<Vec<AccountRow>> {
    let mut rows: BTreeMap<(String, String), AccountRow> = BTreeMap::new();
    for span in follower_spans(store, scope).await? {
        let row = entry(&mut rows, span.platform, span.account);
        row.followers_start = span.followers_start;
        row.followers_end = span.followers_end;
        row.follower_growth_pct = span
            .followers_start
            .zip(span.followers_end)
            .and_then(|(start, end)| follower_growth_pct(start, end));
    }
    for sums in post_sums(store, scope).await? {
        let row = entry(&mut rows, sums.platform, sums.account);
        row.posts = sums.posts;
        row.interactions = sums.interactions;
        // The same ratios as `PeriodEngagement`: a mean of per-post ER, and ratios of
        // sums for reach and views. The SQL includes a post in a denominator only when
        // that denominator is > 0, so a zero sum here means "no such post": undefined.
        row.er_followers = sums.er_sum.and_then(|s| ratio(s, sums.er_posts as f64));
        row.err_reach = pct(sums.reach_interactions as f64, sums.reach as f64);
        row.er_views = pct(sums.views_interactions as f64, sums.views as f64);
    }
    Ok(rows.into_values().collect())
}

fn entry(rows: &mut BTreeMap<(String, String), AccountRow>, platform: String, account: String) -> &mut AccountRow {
    rows.entry((platform.clone(), account.clone()))
        .or_insert_with(|| AccountRow {
            platform,
            account,
            followers_start: None,
            followers_end: None,
            follower_growth_pct: None,
            posts: 0,
            interactions: 0,
            er_followers: None,
            err_reach: None,
            er_views: None,
        })
}

/// Per account, the post sums of the period, grouped in the database.
///
/// Per-post ER is `CAST(I AS DOUBLE) / F * 100`, the same operations in the same order as
/// `keel_domain::metrics::engagement::post_er`, so the mean matches it to the last bit
/// up to summation order. Every `SUM` is cast: PostgreSQL sums BIGINT into NUMERIC.
async fn post_sums(store: &Store, scope: &Scope) -> anyhow::Result<Vec<PostSums>> {
    let sql = format!(
        "SELECT platform, account, COUNT(*) AS posts,
                CAST(SUM(i) AS BIGINT) AS interactions,
                CAST(SUM(CASE WHEN f > 0 THEN CAST(i AS DOUBLE PRECISION) / f * 100 END)
                     AS DOUBLE PRECISION) AS er_sum,
                COUNT(CASE WHEN f > 0 THEN 1 END) AS er_posts,
                CAST(SUM(CASE WHEN reach > 0 THEN i ELSE 0 END) AS BIGINT) AS reach_interactions,
                CAST(SUM(CASE WHEN reach > 0 THEN reach ELSE 0 END) AS BIGINT) AS reach,
                CAST(SUM(CASE WHEN views > 0 THEN i ELSE 0 END) AS BIGINT) AS views_interactions,
                CAST(SUM(CASE WHEN views > 0 THEN views ELSE 0 END) AS BIGINT) AS views
         FROM (SELECT p.platform, p.account, {INTERACTIONS} AS i, {POST_FOLLOWERS} AS f,
                      p.reach, p.views
               FROM posts p {join}
               WHERE p.project_id = $1 AND p.published_at >= $2 AND p.published_at < $3) x
         GROUP BY platform, account",
        join = join_post_day(scope),
    );
    let rows = on_pool!(&store.pool, p => {
        sqlx::query_as::<_, PostSums>(&sql)
            .bind(scope.project_id)
            .bind(scope.start())
            .bind(scope.end())
            .fetch_all(p)
            .await
    })?;
    Ok(rows)
}

/// Per account with daily rows in the period, the follower counts of the first and last
/// of those days whose count is known (found again through the primary key).
async fn follower_spans(store: &Store, scope: &Scope) -> anyhow::Result<Vec<FollowerSpan>> {
    let sql = "SELECT s.platform, s.account, fs.followers AS followers_start,
                      fe.followers AS followers_end
               FROM (SELECT platform, account,
                            MIN(CASE WHEN followers IS NOT NULL THEN date END) AS first_day,
                            MAX(CASE WHEN followers IS NOT NULL THEN date END) AS last_day
                     FROM daily_stats
                     WHERE project_id = $1 AND date >= $2 AND date <= $3
                     GROUP BY platform, account) s
               LEFT JOIN daily_stats fs ON fs.project_id = $1 AND fs.platform = s.platform
                    AND fs.account = s.account AND fs.date = s.first_day
               LEFT JOIN daily_stats fe ON fe.project_id = $1 AND fe.platform = s.platform
                    AND fe.account = s.account AND fe.date = s.last_day";
    let rows = on_pool!(&store.pool, p => {
        sqlx::query_as::<_, FollowerSpan>(sql)
            .bind(scope.project_id)
            .bind(scope.first_day)
            .bind(scope.last_day)
            .fetch_all(p)
            .await
    })?;
    Ok(rows)
}
