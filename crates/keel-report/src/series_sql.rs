//! The posts of the analytics series on PostgreSQL: summed per account and day, and ranked
//! by ER, in the database.
//!
//! - Sums: the period's days are a `generate_series`, each joined to its posts through the
//!   `posts_report_by_time` index (an index-only range scan per day). Grouping by the
//!   series' day rather than by an expression of `published_at` lets the planner see a few
//!   thousand groups and hash them (about 0.9 s for a million posts); grouped by the
//!   expression it expects a million groups and sorts them on disk (about 2.3 s).
//! - Ranking: `ORDER BY ER LIMIT n` over the whole period joins every post to its daily row
//!   (about 1 s each for best and worst). The day sums already hold each day's highest and
//!   lowest ER (the day's extreme interactions over its follower count, or the extreme of
//!   the posts' own ER on a day without one), and the `n`-th best day-maximum is a floor
//!   for the `n`-th best post: each of those `n` days holds a post at least that good. So
//!   only days whose maximum reaches that floor can hold a top post, and each is ranked on
//!   its own with `ORDER BY … LIMIT n` (a few hundred rows). When ties make the candidate
//!   days many, the period is ranked whole instead.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use anyhow::bail;
use chrono::{DateTime, Days, NaiveDate, Utc};
use keel_domain::metrics::engagement::{Interactions, followers_on, post_er, post_err, post_erv};
use keel_domain::metrics::{pct, ratio};
use keel_store::{Pool, Store};
use sqlx::PgPool;

use crate::posts::PostRow;
use crate::scope::{INTERACTIONS, Scope, join_post_day, midnight};
use crate::series::{Accounts, Rank, Rates};

/// Candidate days beyond `CANDIDATES_PER_POST × n` (many tied days) rank the whole period.
const CANDIDATES_PER_POST: usize = 4;

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
    let totals = day_totals(pool, first, last, scope.project_id).await?;

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
        let ends: Vec<Option<f64>> = extremes
            .iter()
            .map(|(hi, lo)| if rank == Rank::Best { *hi } else { *lo })
            .collect();
        let posts = match candidate_days(&ends, rank, n) {
            Some(days) => {
                let mut found = Vec::new();
                for i in days {
                    let t = &totals[i];
                    let (start, end) = (midnight(t.day), midnight(t.day + Days::new(1)));
                    found.extend(
                        ranked_posts(pool, scope, (start, end), Some((&t.platform, &t.account)), rank, n).await?,
                    );
                }
                top(found, rank, n)
            }
            None => ranked_posts(pool, scope, (scope.start(), scope.end()), None, rank, n).await?,
        };
        ranked.push(posts);
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

/// Per account and day from `first` to `last`, the sums of its posts.
async fn day_totals(pool: &PgPool, first: NaiveDate, last: NaiveDate, project: i64) -> anyhow::Result<Vec<DayTotals>> {
    let i = INTERACTIONS;
    let own_er = format!("CASE WHEN p.followers > 0 THEN CAST({i} AS DOUBLE PRECISION) / p.followers * 100 END");
    let sql = format!(
        "SELECT p.platform, p.account, CAST((g.day AT TIME ZONE 'UTC') AS DATE) AS day,
                COUNT(*) AS posts, CAST(SUM({i}) AS BIGINT) AS interactions,
                MAX({i}) AS max_interactions, MIN({i}) AS min_interactions,
                SUM({own_er}) AS own_er_sum, MAX({own_er}) AS own_er_max, MIN({own_er}) AS own_er_min,
                COUNT({own_er}) AS own_er_posts,
                CAST(COALESCE(SUM(CASE WHEN p.reach > 0 THEN {i} END), 0) AS BIGINT) AS reach_interactions,
                CAST(COALESCE(SUM(CASE WHEN p.reach > 0 THEN p.reach END), 0) AS BIGINT) AS reach,
                CAST(COALESCE(SUM(CASE WHEN p.views > 0 THEN {i} END), 0) AS BIGINT) AS views_interactions,
                CAST(COALESCE(SUM(CASE WHEN p.views > 0 THEN p.views END), 0) AS BIGINT) AS views,
                CAST(COALESCE(SUM(p.reach), 0) AS BIGINT) AS post_reach
         FROM generate_series($2, $3, INTERVAL '24 hours') AS g(day)
         JOIN posts p ON p.project_id = $1 AND p.published_at >= g.day
                     AND p.published_at < g.day + INTERVAL '24 hours'
         GROUP BY 1, 2, 3"
    );
    Ok(sqlx::query_as::<_, DayTotals>(&sql)
        .bind(project)
        .bind(midnight(first))
        .bind(midnight(last))
        .fetch_all(pool)
        .await?)
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

/// The indexes of the days that may hold one of the `n` best (or worst) posts, given each
/// day's best (or worst) post ER; `None` when ties make them more than
/// `CANDIDATES_PER_POST × n`.
fn candidate_days(ends: &[Option<f64>], rank: Rank, n: usize) -> Option<Vec<usize>> {
    if n == 0 {
        return Some(Vec::new());
    }
    let mut order: Vec<(usize, f64)> = ends.iter().enumerate().filter_map(|(i, e)| e.map(|e| (i, e))).collect();
    order.sort_by(|a, b| by_rank(a.1, b.1, rank));
    let Some(&(_, floor)) = order.get(n - 1) else {
        return Some(order.into_iter().map(|(i, _)| i).collect());
    };
    let days: Vec<usize> = order
        .into_iter()
        .take_while(|(_, e)| by_rank(*e, floor, rank) != Ordering::Greater)
        .map(|(i, _)| i)
        .collect();
    (days.len() <= CANDIDATES_PER_POST * n).then_some(days)
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

/// A post with the inputs of its rates, as the ranking query returns it.
#[derive(Debug, sqlx::FromRow)]
struct RankedRow {
    platform: String,
    account: String,
    post_id: String,
    published_at: DateTime<Utc>,
    likes: Option<i64>,
    comments: Option<i64>,
    shares: Option<i64>,
    saves: Option<i64>,
    views: Option<i64>,
    reach: Option<i64>,
    own_followers: Option<i64>,
    day_followers: Option<i64>,
}

/// The `n` posts published in `start .. end` (of one account, if given) with the highest
/// (or lowest) ER, ties in report order. Posts whose ER is undefined are not ranked.
async fn ranked_posts(
    pool: &PgPool,
    scope: &Scope,
    (start, end): (DateTime<Utc>, DateTime<Utc>),
    account: Option<(&str, &str)>,
    rank: Rank,
    n: usize,
) -> anyhow::Result<Vec<PostRow>> {
    let direction = match rank {
        Rank::Best => "DESC",
        Rank::Worst => "ASC",
    };
    let of_account = if account.is_some() {
        "AND p.platform = $5 AND p.account = $6"
    } else {
        ""
    };
    // `COALESCE(d.followers, p.followers)` is `followers_on`: the day's count when the
    // daily row has one (even 0), else the post's own; the ER expression is `post_er`'s.
    let sql = format!(
        "SELECT p.platform, p.account, p.post_id, p.published_at, p.likes, p.comments,
                p.shares, p.saves, p.views, p.reach, p.followers AS own_followers,
                d.followers AS day_followers
         FROM posts p {join}
         WHERE p.project_id = $1 AND p.published_at >= $2 AND p.published_at < $3 {of_account}
           AND COALESCE(d.followers, p.followers) > 0
         ORDER BY CAST({i} AS DOUBLE PRECISION) / COALESCE(d.followers, p.followers) * 100 {direction},
                  p.published_at, p.platform, p.account, p.post_id
         LIMIT $4",
        join = join_post_day(scope),
        i = INTERACTIONS,
    );
    let mut query = sqlx::query_as::<_, RankedRow>(&sql)
        .bind(scope.project_id)
        .bind(start)
        .bind(end)
        .bind(n as i64);
    if let Some((platform, account)) = account {
        query = query.bind(platform).bind(account);
    }
    let rows = query.fetch_all(pool).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let interactions = Interactions {
                likes: r.likes.unwrap_or(0),
                comments: r.comments.unwrap_or(0),
                shares: r.shares.unwrap_or(0),
                saves: r.saves.unwrap_or(0),
            }
            .total();
            PostRow {
                platform: r.platform,
                account: r.account,
                post_id: r.post_id,
                published_at: r.published_at,
                interactions,
                er: post_er(interactions, followers_on(r.day_followers, r.own_followers)),
                err: post_err(interactions, r.reach),
                erv: post_erv(interactions, r.views),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidate_days_are_those_reaching_the_nth_best_day() {
        let ends = [Some(1.0), Some(5.0), None, Some(3.0), Some(4.0), Some(3.0)];
        assert_eq!(candidate_days(&ends, Rank::Best, 2), Some(vec![1, 4]));
        // The 3rd best day-maximum is 3.0, reached by two days: both may hold a top post.
        assert_eq!(candidate_days(&ends, Rank::Best, 3), Some(vec![1, 4, 3, 5]));
        assert_eq!(candidate_days(&ends, Rank::Worst, 1), Some(vec![0]));
        // Fewer days than n: every day with a defined ER.
        assert_eq!(candidate_days(&ends, Rank::Best, 9), Some(vec![1, 4, 3, 5, 0]));
        assert_eq!(candidate_days(&ends, Rank::Best, 0), Some(vec![]));
    }

    #[test]
    fn many_tied_days_rank_the_whole_period() {
        let ends = vec![Some(2.0); 50];
        assert_eq!(candidate_days(&ends, Rank::Best, 3), None);
    }
}
