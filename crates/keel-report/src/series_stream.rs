//! The posts of the analytics series on SQLite: one pass over the report's post stream
//! ([`crate::posts::for_each_post`]), summed per account and day as they go by.
//!
//! Why not `GROUP BY`: SQLite groups by sorting, and sorting a million posts by account and
//! day takes about 2 s; the `ORDER BY ER LIMIT n` rankings cost another second each. The
//! stream reads the same rows once, in time order, from the covering index the report
//! uses (about 0.4 s for a million posts), with each post's follower count already
//! resolved the report's way — so the period ER here is the report's to the last bit.

use std::collections::BTreeMap;

use keel_domain::metrics::engagement::{PeriodEngagement, post_er};
use keel_store::Store;

use crate::posts::{self, PostRow};
use crate::scope::Scope;
use crate::series::{Accounts, Rank, Ranking, Rates};

/// Adds the period's posts to `accounts` (per-day counts and period rates) and returns the
/// `n` best and worst posts by ER.
pub(crate) async fn add_posts(
    store: &Store,
    scope: &Scope,
    n: usize,
    accounts: &mut Accounts,
) -> anyhow::Result<(Vec<PostRow>, Vec<PostRow>)> {
    let mut engagement: BTreeMap<(String, String), PeriodEngagement> = BTreeMap::new();
    // Posts come in time order, mostly several of one account in a row: the engagement of
    // the last account is kept at hand rather than looked up (and keyed) per post.
    let mut current: Option<((String, String), PeriodEngagement)> = None;
    let mut best = Ranking::new(Rank::Best, n);
    let mut worst = Ranking::new(Rank::Worst, n);
    posts::for_each_post(store, scope, |raw| {
        let same = current
            .as_ref()
            .is_some_and(|((p, a), _)| *p == raw.platform && *a == raw.account);
        if !same {
            if let Some((key, e)) = current.take() {
                engagement.insert(key, e);
            }
            let key = (raw.platform.clone(), raw.account.clone());
            let e = engagement.remove(&key).unwrap_or_default();
            current = Some((key, e));
        }
        if let Some((_, e)) = current.as_mut() {
            e.add_post(raw.interactions, raw.followers, raw.reach, raw.views);
        }

        let day = accounts
            .get(&raw.platform, &raw.account)
            .day(raw.published_at.date_naive());
        day.posts += 1;
        day.interactions += raw.interactions;
        day.post_reach += raw.reach.unwrap_or(0);

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
    engagement.extend(current);

    for ((platform, account), e) in engagement {
        accounts.get(&platform, &account).rates = Rates {
            posts: e.posts(),
            interactions: e.interactions(),
            er_followers: e.er_followers(),
            err_reach: e.err_reach(),
            er_views: e.er_views(),
        };
    }
    Ok((best.into_posts(), worst.into_posts()))
}
