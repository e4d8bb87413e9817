//! The posts of the analytics series, on either engine: summed per account and day, and
//! ranked by ER.
//!
//! - Sums: read from `post_days`, the per-account-day sums every import keeps (keel-store
//!   `data/post_days.rs`): one packed row per account. Summing a million posts per page
//!   view instead took 2 to 3 s.
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

use chrono::NaiveDate;
use keel_domain::metrics::engagement::post_er;
use keel_domain::metrics::{pct, ratio};
use keel_store::data::post_days::DaySums;
use keel_store::report::{ErOrder, ReportReader};

use crate::posts::{PostRow, raw};
use crate::scope::Scope;
use crate::series::{Accounts, Rank, Rates};

/// Adds the period's posts to `accounts` (per-day counts and period rates) and returns the
/// `n` best and worst posts by ER.
pub(crate) async fn add_posts(
    reader: &mut ReportReader,
    scope: &Scope,
    n: usize,
    accounts: &mut Accounts,
) -> anyhow::Result<(Vec<PostRow>, Vec<PostRow>)> {
    let stored = reader
        .post_days(scope.project_id, scope.first_day, scope.last_day)
        .await?;
    // Every account-day with posts, with its account's names.
    let mut totals: Vec<(&str, &str, &DaySums)> = Vec::new();
    let mut extremes_of = Vec::new();
    for a in &stored {
        let mut sums = Sums::default();
        for t in &a.days {
            let day = accounts.get(&a.platform, &a.account).day(t.day);
            day.posts = t.posts;
            day.interactions = t.interactions;
            day.post_reach = t.post_reach;
            let followers = day.followers;
            sums.add(t, followers);
            extremes_of.push(extremes(t, followers));
            totals.push((&a.platform, &a.account, t));
        }
        if !a.days.is_empty() {
            accounts.get(&a.platform, &a.account).rates = sums.rates();
        }
    }

    let mut ranked = Vec::with_capacity(2);
    for rank in [Rank::Best, Rank::Worst] {
        let ends: Vec<(Option<f64>, NaiveDate)> = totals
            .iter()
            .zip(&extremes_of)
            .map(|((_, _, t), (hi, lo))| (if rank == Rank::Best { *hi } else { *lo }, t.day))
            .collect();
        // One day at a time on the reader's connection (a few hundred rows each).
        let mut found = Vec::new();
        for i in candidate_days(&ends, rank, n) {
            let (platform, account, t) = totals[i];
            let day = (scope.zone.start_of(t.day), scope.zone.end_of(t.day));
            let order = match rank {
                Rank::Best => ErOrder::Highest,
                Rank::Worst => ErOrder::Lowest,
            };
            let rows = reader
                .ranked_posts(scope.project_id, day, (platform, account), order, n)
                .await?;
            found.extend(rows.into_iter().map(|r| PostRow::from(raw(r))));
        }
        ranked.push(top(found, rank, n));
    }
    let worst = ranked.pop().unwrap_or_default();
    let best = ranked.pop().unwrap_or_default();
    Ok((best, worst))
}

/// The highest and lowest post ER of a day: against the day's follower count when it has
/// one (one denominator for all its posts), else the posts' own.
fn extremes(t: &DaySums, day_followers: Option<i64>) -> (Option<f64>, Option<f64>) {
    match day_followers {
        Some(_) => (
            post_er(t.max_interactions, day_followers),
            post_er(t.min_interactions, day_followers),
        ),
        None => (t.own_er_max, t.own_er_min),
    }
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
    fn add(&mut self, t: &DaySums, day_followers: Option<i64>) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Days;

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
