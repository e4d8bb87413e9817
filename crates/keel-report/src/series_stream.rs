//! The posts of the analytics series on SQLite: one pass over the report's post stream
//! ([`crate::posts::for_each_post`]), summed per account and day as they go by.
//!
//! Why not `GROUP BY`: SQLite groups by sorting, and sorting a million posts by account and
//! day takes about 2 s; the `ORDER BY ER LIMIT n` rankings cost another second each. The
//! stream reads the same rows once, in time order, from the covering index the report
//! uses (about 0.4 s for a million posts), with each post's follower count already
//! resolved the report's way — so the period ER here is the report's to the last bit.

use chrono::NaiveDate;
use keel_domain::metrics::engagement::{PeriodEngagement, post_er};
use keel_store::Store;

use crate::posts::{self, PostRow, RawPost};
use crate::scope::Scope;
use crate::series::{Accounts, Rank, Ranking, Rates};

/// One account's running sums: its period engagement, and its posts of the current day
/// (posts come in time order, so an account's days never go back).
#[derive(Default)]
struct Running {
    platform: String,
    account: String,
    engagement: PeriodEngagement,
    day: Option<NaiveDate>,
    posts: i64,
    interactions: i64,
    post_reach: i64,
    /// Finished days: (date, posts, interactions, post reach).
    days: Vec<(NaiveDate, i64, i64, i64)>,
}

impl Running {
    fn add(&mut self, post: &RawPost) {
        self.engagement
            .add_post(post.interactions, post.followers, post.reach, post.views);
        let day = post.published_at.date_naive();
        if self.day != Some(day) {
            self.close_day();
            self.day = Some(day);
        }
        self.posts += 1;
        self.interactions += post.interactions;
        self.post_reach += post.reach.unwrap_or(0);
    }

    fn close_day(&mut self) {
        if let Some(day) = self.day.take() {
            self.days.push((day, self.posts, self.interactions, self.post_reach));
        }
        (self.posts, self.interactions, self.post_reach) = (0, 0, 0);
    }
}

/// The running sums of every account, found by name without allocating or hashing: posts
/// of several accounts interleave, so the account changes from one post to the next, and a
/// project has a handful of accounts — comparing names is cheaper than hashing them.
#[derive(Default)]
struct Table {
    rows: Vec<Running>,
    last: usize,
}

impl Table {
    fn get(&mut self, platform: &str, account: &str) -> &mut Running {
        let is = |r: &Running| r.account == account && r.platform == platform;
        if !self.rows.get(self.last).is_some_and(is) {
            self.last = match self.rows.iter().position(is) {
                Some(i) => i,
                None => {
                    self.rows.push(Running {
                        platform: platform.to_owned(),
                        account: account.to_owned(),
                        ..Running::default()
                    });
                    self.rows.len() - 1
                }
            };
        }
        &mut self.rows[self.last]
    }
}

/// Adds the period's posts to `accounts` (per-day counts and period rates) and returns the
/// `n` best and worst posts by ER.
pub(crate) async fn add_posts(
    store: &Store,
    scope: &Scope,
    n: usize,
    accounts: &mut Accounts,
) -> anyhow::Result<(Vec<PostRow>, Vec<PostRow>)> {
    let mut table = Table::default();
    let mut best = Ranking::new(Rank::Best, n);
    let mut worst = Ranking::new(Rank::Worst, n);
    posts::for_each_post(store, scope, |raw| {
        table.get(&raw.platform, &raw.account).add(&raw);
        if let Some(er) = post_er(raw.interactions, raw.followers) {
            match (best.wants(er), worst.wants(er)) {
                (true, true) => {
                    let row = PostRow::from(raw);
                    best.offer(er, row.clone());
                    worst.offer(er, row);
                }
                (true, false) => best.offer(er, PostRow::from(raw)),
                (false, true) => worst.offer(er, PostRow::from(raw)),
                (false, false) => {}
            }
        }
        Ok(())
    })
    .await?;

    for mut r in table.rows {
        r.close_day();
        let account = accounts.get(&r.platform, &r.account);
        for (date, posts, interactions, post_reach) in r.days {
            let day = account.day(date);
            (day.posts, day.interactions, day.post_reach) = (posts, interactions, post_reach);
        }
        let e = &r.engagement;
        account.rates = Rates {
            posts: e.posts(),
            interactions: e.interactions(),
            er_followers: e.er_followers(),
            err_reach: e.err_reach(),
            er_views: e.er_views(),
        };
    }
    Ok((best.into_posts(), worst.into_posts()))
}
