//! The posts of the analytics series on PostgreSQL: summed per account and day, and ranked
//! by ER, in the database.
//!
//! - Sums: the period's days are a `generate_series`, and each day's posts are summed per
//!   account in a `LATERAL` subquery over the `posts_report_by_time` index (an index-only
//!   range scan per day, a few hundred rows to hash). About 1 s for a million posts. The
//!   shape is forced on purpose: grouped by an expression of `published_at`, the planner
//!   expects a million groups and sorts them on disk (2.3 s); as a plain join with the
//!   series, it sometimes loops over the posts and rescans the series for each (50 s).
//!   JIT is off for it: its cost estimate is high enough to trigger JIT, whose compiling
//!   alone took 1 to 3 s, for a query that runs once. A long period is cut into up to
//!   [`SLICES`] runs of days summed concurrently, each on its own connection (so on its own
//!   server process and core), and each post's interactions are computed once per row in
//!   a fenced subquery (`OFFSET 0`) rather than once per aggregate (another 20 %).
//! - Ranking: `ORDER BY ER LIMIT n` over the whole period joins every post to its daily row
//!   (about 1 s each for best and worst). The day sums already hold each day's highest and
//!   lowest ER (the day's extreme interactions over its follower count, or the extreme of
//!   the posts' own ER on a day without one), and the `n`-th best day-maximum is a floor
//!   for the `n`-th best post: each of those `n` days holds a post at least that good. So
//!   only days whose maximum reaches the floor can hold a top post; among days that only
//!   tie with it, the earliest win (ties rank in report order, which is time first). Each
//!   such day — at most about `2n` — is ranked on its own with `ORDER BY … LIMIT n` (a few
//!   hundred rows), and the results merged.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use crate::posts::JoinedPost;
use anyhow::bail;
use chrono::{DateTime, Days, NaiveDate, Utc};
use futures_util::{StreamExt, TryStreamExt};
use keel_domain::metrics::engagement::post_er;
use keel_domain::metrics::{pct, ratio};
use keel_store::{Pool, Store};
use sqlx::PgPool;

use crate::posts::PostRow;
use crate::scope::{INTERACTIONS, Scope, join_post_day, midnight};
use crate::series::{Accounts, Rank, Rates};

/// Concurrent slices of a long period's days, and the fewest days worth a slice of their own.
const SLICES: i64 = 4;
const SLICE_DAYS: i64 = 60;

/// Adds the period's posts to `accounts` (per-day counts and period rates) and returns the
/// `n` best and worst posts by ER.
pub(crate) async fn add_posts(
    store: &Store,
    scope: &Scope,
    n: usize,
    accounts: &mut Accounts,
) -> anyhow::Result<(Vec<PostRow>, Vec<PostRow>)> {
    let Pool::Postgres(pool) = &store.pool else {
        bail!("the SQL series are written for PostgreSQL");
    };
    let Some((first, last)) = post_days(pool, scope).await? else {
        return Ok((Vec::new(), Vec::new()));
    };
    let totals = sliced_day_totals(pool, first, last, scope.project_id).await?;

    let mut sums: BTreeMap<(&str, &str), Sums> = BTreeMap::new();
    let mut extremes = Vec::with_capacity(totals.len());
    for t in &totals {
        let day = accounts.get(&t.platform, &t.account).day(t.day);
        day.posts = t.posts;
        day.interactions = t.interactions;
        day.post_reach = t.post_reach;
        let followers = day.followers;
        sums.entry((&t.platform, &t.account)).or_default().add(t, followers);
        extremes.push(t.extremes(followers));
    }
    for ((platform, account), s) in sums {
        accounts.get(platform, account).rates = s.rates();
    }

    let mut ranked = Vec::with_capacity(2);
    for rank in [Rank::Best, Rank::Worst] {
        let ends: Vec<(Option<f64>, NaiveDate)> = totals
            .iter()
            .zip(&extremes)
            .map(|(t, (hi, lo))| (if rank == Rank::Best { *hi } else { *lo }, t.day))
            .collect();
        let runs = candidate_days(&ends, rank, n).into_iter().map(|i| {
            let t = &totals[i];
            let day = (midnight(t.day), midnight(t.day + Days::new(1)));
            ranked_posts(pool, scope, day, (&t.platform, &t.account), rank, n)
        });
        let found: Vec<Vec<PostRow>> = futures_util::stream::iter(runs).buffered(4).try_collect().await?;
        ranked.push(top(found.into_iter().flatten().collect(), rank, n));
    }
    let worst = ranked.pop().unwrap_or_default();
    let best = ranked.pop().unwrap_or_default();
    Ok((best, worst))
}

/// The first and last UTC day with posts in the period.
async fn post_days(pool: &PgPool, scope: &Scope) -> anyhow::Result<Option<(NaiveDate, NaiveDate)>> {
    let (first, last): (Option<DateTime<Utc>>, Option<DateTime<Utc>>) = sqlx::query_as(
        "SELECT MIN(published_at), MAX(published_at) FROM posts
         WHERE project_id = $1 AND published_at >= $2 AND published_at < $3",
    )
    .bind(scope.project_id)
    .bind(scope.start())
    .bind(scope.end())
    .fetch_one(pool)
    .await?;
    Ok(first.zip(last).map(|(f, l)| (f.date_naive(), l.date_naive())))
}

/// The posts of one account and UTC day, summed.
#[derive(Debug, sqlx::FromRow)]
struct DayTotals {
    platform: String,
    account: String,
    day: NaiveDate,
    posts: i64,
    interactions: i64,
    /// Highest and lowest `I` of the day's posts.
    max_interactions: i64,
    min_interactions: i64,
    /// Over posts whose own `followers` is > 0: Σ, highest and lowest of `I / own × 100`,
    /// and their number (the ER of a day without a daily follower count).
    own_er_sum: Option<f64>,
    own_er_max: Option<f64>,
    own_er_min: Option<f64>,
    own_er_posts: i64,
    /// ΣI and Σreach over posts with reach > 0; the same over views.
    reach_interactions: i64,
    reach: i64,
    views_interactions: i64,
    views: i64,
    /// Σreach of all posts (missing = 0).
    post_reach: i64,
}

impl DayTotals {
    /// The highest and lowest post ER of the day: against the day's follower count when
    /// it has one (one denominator for all its posts), else the posts' own.
    fn extremes(&self, day_followers: Option<i64>) -> (Option<f64>, Option<f64>) {
        match day_followers {
            Some(_) => (
                post_er(self.max_interactions, day_followers),
                post_er(self.min_interactions, day_followers),
            ),
            None => (self.own_er_max, self.own_er_min),
        }
    }
}

/// [`day_totals`] of `first ..= last`, cut into runs of days summed concurrently.
async fn sliced_day_totals(
    pool: &PgPool,
    first: NaiveDate,
    last: NaiveDate,
    project: i64,
) -> anyhow::Result<Vec<DayTotals>> {
    let days = (last - first).num_days() + 1;
    let slices = (days / SLICE_DAYS).clamp(1, SLICES);
    let per_slice = (days + slices - 1) / slices;
    let runs = (0..slices).filter_map(|k| {
        let start = first.checked_add_days(Days::new((k * per_slice) as u64))?;
        let end = start.checked_add_days(Days::new((per_slice - 1) as u64))?.min(last);
        (start <= last).then(|| day_totals(pool, start, end, project))
    });
    Ok(futures_util::future::try_join_all(runs)
        .await?
        .into_iter()
        .flatten()
        .collect())
}

/// Per account and day from `first` to `last`, the sums of its posts.
async fn day_totals(pool: &PgPool, first: NaiveDate, last: NaiveDate, project: i64) -> anyhow::Result<Vec<DayTotals>> {
    let i = "p.i";
    let own_er = format!("CASE WHEN p.followers > 0 THEN CAST({i} AS DOUBLE PRECISION) / p.followers * 100 END");
    let sql = format!(
        "SELECT x.*, CAST((g.day AT TIME ZONE 'UTC') AS DATE) AS day
         FROM generate_series($2, $3, INTERVAL '24 hours') AS g(day)
         CROSS JOIN LATERAL (
             SELECT p.platform, p.account,
                    COUNT(*) AS posts, CAST(SUM({i}) AS BIGINT) AS interactions,
                    MAX({i}) AS max_interactions, MIN({i}) AS min_interactions,
                    SUM({own_er}) AS own_er_sum, MAX({own_er}) AS own_er_max, MIN({own_er}) AS own_er_min,
                    COUNT({own_er}) AS own_er_posts,
                    CAST(COALESCE(SUM(CASE WHEN p.reach > 0 THEN {i} END), 0) AS BIGINT) AS reach_interactions,
                    CAST(COALESCE(SUM(CASE WHEN p.reach > 0 THEN p.reach END), 0) AS BIGINT) AS reach,
                    CAST(COALESCE(SUM(CASE WHEN p.views > 0 THEN {i} END), 0) AS BIGINT) AS views_interactions,
                    CAST(COALESCE(SUM(CASE WHEN p.views > 0 THEN p.views END), 0) AS BIGINT) AS views,
                    CAST(COALESCE(SUM(p.reach), 0) AS BIGINT) AS post_reach
             FROM (SELECT p.platform, p.account, p.followers, p.reach, p.views, {interactions} AS i
                   FROM posts p
                   WHERE p.project_id = $1 AND p.published_at >= g.day
                     AND p.published_at < g.day + INTERVAL '24 hours'
                   OFFSET 0) p
             GROUP BY p.platform, p.account) x",
        interactions = INTERACTIONS,
    );
    let mut tx = pool.begin().await?;
    sqlx::query("SET LOCAL jit = off").execute(&mut *tx).await?;
    let rows = sqlx::query_as::<_, DayTotals>(&sql)
        .bind(project)
        .bind(midnight(first))
        .bind(midnight(last))
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(rows)
}

/// The sums behind an account's period ER, ERR and ERV — those of the domain's
/// `PeriodEngagement`, added a day at a time rather than a post at a time.
#[derive(Debug, Default)]
struct Sums {
    posts: i64,
    interactions: i64,
    er_sum: f64,
    er_posts: i64,
    reach_interactions: i64,
    reach: i64,
    views_interactions: i64,
    views: i64,
}

impl Sums {
    /// Adds a day's posts. Their ER is taken against the day's follower count when the day
    /// has one (all share it, so `Σ I / F = ΣI / F`; a count of 0 leaves their ER
    /// undefined), else against each post's own count.
    fn add(&mut self, t: &DayTotals, day_followers: Option<i64>) {
        self.posts += t.posts;
        self.interactions += t.interactions;
        match day_followers {
            Some(_) => {
                if let Some(er) = post_er(t.interactions, day_followers) {
                    self.er_sum += er;
                    self.er_posts += t.posts;
                }
            }
            None => {
                self.er_sum += t.own_er_sum.unwrap_or(0.0);
                self.er_posts += t.own_er_posts;
            }
        }
        self.reach_interactions += t.reach_interactions;
        self.reach += t.reach;
        self.views_interactions += t.views_interactions;
        self.views += t.views;
    }

    /// The period rates: ER a mean of post ERs, ERR and ERV ratios of sums.
    fn rates(&self) -> Rates {
        let share = |num: i64, den: i64| if den > 0 { pct(num as f64, den as f64) } else { None };
        Rates {
            posts: self.posts,
            interactions: self.interactions,
            er_followers: ratio(self.er_sum, self.er_posts as f64),
            err_reach: share(self.reach_interactions, self.reach),
            er_views: share(self.views_interactions, self.views),
        }
    }
}

/// The indexes of the account-days that may hold one of the `n` best (or worst) posts,
/// given each one's best (or worst) post ER and its date: those whose extreme ranks before
/// the `n`-th extreme, and, of those that tie with it, the earliest — every one up to the
/// date of the one that completes `n` (ties rank in report order, which is time first).
fn candidate_days(ends: &[(Option<f64>, NaiveDate)], rank: Rank, n: usize) -> Vec<usize> {
    let mut order: Vec<(usize, f64, NaiveDate)> = ends
        .iter()
        .enumerate()
        .filter_map(|(i, (e, d))| e.map(|e| (i, e, *d)))
        .collect();
    order.sort_by(|a, b| by_rank(a.1, b.1, rank).then(a.2.cmp(&b.2)));
    let Some(&(_, floor, last_date)) = order.get(n.saturating_sub(1)).filter(|_| n > 0) else {
        return if n == 0 {
            Vec::new()
        } else {
            order.into_iter().map(|(i, _, _)| i).collect()
        };
    };
    order
        .into_iter()
        .take_while(|(_, e, d)| match by_rank(*e, floor, rank) {
            Ordering::Less => true,
            Ordering::Equal => *d <= last_date,
            Ordering::Greater => false,
        })
        .map(|(i, _, _)| i)
        .collect()
}

/// `a` before `b` in rank order: higher ER first for the best, lower for the worst.
fn by_rank(a: f64, b: f64, rank: Rank) -> Ordering {
    let o = a.partial_cmp(&b).unwrap_or(Ordering::Equal);
    match rank {
        Rank::Best => o.reverse(),
        Rank::Worst => o,
    }
}

/// The `n` first of `posts` by ER in rank order, ties in report order.
fn top(mut posts: Vec<PostRow>, rank: Rank, n: usize) -> Vec<PostRow> {
    posts.sort_by(|a, b| {
        by_rank(a.er.unwrap_or(0.0), b.er.unwrap_or(0.0), rank)
            .then(a.published_at.cmp(&b.published_at))
            .then_with(|| a.platform.cmp(&b.platform))
            .then_with(|| a.account.cmp(&b.account))
            .then_with(|| a.post_id.cmp(&b.post_id))
    });
    posts.truncate(n);
    posts
}

/// The `n` posts of one account published in `start .. end` with the highest
/// (or lowest) ER, ties in report order. Posts whose ER is undefined are not ranked.
async fn ranked_posts(
    pool: &PgPool,
    scope: &Scope,
    (start, end): (DateTime<Utc>, DateTime<Utc>),
    (platform, account): (&str, &str),
    rank: Rank,
    n: usize,
) -> anyhow::Result<Vec<PostRow>> {
    let direction = match rank {
        Rank::Best => "DESC",
        Rank::Worst => "ASC",
    };
    // `COALESCE(d.followers, p.followers)` is `followers_on`: the day's count when the
    // daily row has one (even 0), else the post's own; the ER expression is `post_er`'s.
    let sql = format!(
        "SELECT p.platform, p.account, p.post_id, p.published_at, p.likes, p.comments,
                p.shares, p.saves, p.views, p.reach, p.followers AS own_followers,
                d.followers AS day_followers
         FROM posts p {join}
         WHERE p.project_id = $1 AND p.published_at >= $2 AND p.published_at < $3
           AND p.platform = $5 AND p.account = $6
           AND COALESCE(d.followers, p.followers) > 0
         ORDER BY CAST({i} AS DOUBLE PRECISION) / COALESCE(d.followers, p.followers) * 100 {direction},
                  p.published_at, p.platform, p.account, p.post_id
         LIMIT $4",
        join = join_post_day(scope),
        i = INTERACTIONS,
    );
    let rows = sqlx::query_as::<_, JoinedPost>(&sql)
        .bind(scope.project_id)
        .bind(start)
        .bind(end)
        .bind(n as i64)
        .bind(platform)
        .bind(account)
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(|r| PostRow::from(r.into_raw())).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidate_days_are_those_reaching_the_nth_best_day() {
        let d = |k: u64| NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Days::new(k);
        let ends = [
            (Some(1.0), d(0)),
            (Some(5.0), d(1)),
            (None, d(2)),
            (Some(3.0), d(3)),
            (Some(4.0), d(4)),
            (Some(3.0), d(5)),
        ];
        assert_eq!(candidate_days(&ends, Rank::Best, 2), [1, 4]);
        // The 3rd best is 3.0, reached on two days: the earlier one wins the tie.
        assert_eq!(candidate_days(&ends, Rank::Best, 3), [1, 4, 3]);
        assert_eq!(candidate_days(&ends, Rank::Best, 4), [1, 4, 3, 5]);
        assert_eq!(candidate_days(&ends, Rank::Worst, 1), [0]);
        // Fewer days than n: every day with a defined ER.
        assert_eq!(candidate_days(&ends, Rank::Best, 9), [1, 4, 3, 5, 0]);
        assert!(candidate_days(&ends, Rank::Best, 0).is_empty());
    }

    #[test]
    fn many_tied_days_keep_only_the_earliest() {
        let day = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        // 50 days tied at 0 (posts nobody engaged with), two accounts on each of them.
        let ends: Vec<_> = (0..100u64).map(|k| (Some(0.0), day + Days::new(k / 2))).collect();
        // Three posts needed: days 0 and 1 hold four account-days, all kept (the third
        // post may be either account's on day 1).
        assert_eq!(candidate_days(&ends, Rank::Worst, 3), [0, 1, 2, 3]);
    }
}
