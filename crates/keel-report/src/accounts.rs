//! The `accounts` section: per account, followers at the start and end of the period,
//! follower growth, and the period's posts, interactions, ER, ERR and ER by views.
//!
//! - Engagement (posts, interactions, ER, ERR, ER by views) is accumulated from the posts
//!   stream of [`crate::posts`], post by post, in the domain's `PeriodEngagement`: the
//!   per-post ER is exactly the one listed in `posts`, and the million posts of a large
//!   project are read once per report rather than once per section.
//! - Followers at the start and end come from the pass over the daily rows of
//!   [`crate::daily`], which also serves the spike detection.
//!
//! Accounts are the union of the two (an account with daily rows but no posts is listed,
//! and one with posts but no daily rows too), sorted by platform, then account.

use std::collections::{BTreeMap, HashMap};

use keel_domain::metrics::engagement::PeriodEngagement;
use keel_domain::metrics::growth::follower_growth_pct;
use serde::Serialize;

use crate::daily::FollowerSpan;
use crate::posts::RawPost;

/// One account of the report.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
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

/// The per-account engagement of the period's posts, fed one post at a time from the
/// posts stream (the domain's `PeriodEngagement` per account).
#[derive(Debug, Default)]
pub(crate) struct Engagement {
    // Hash maps: a lookup per post, and accounts often share long prefixes that make
    // ordered comparisons slow; the rows are sorted once at the end.
    by_account: HashMap<String, HashMap<String, PeriodEngagement>>,
}

impl Engagement {
    /// Adds one post to its account.
    pub fn add(&mut self, post: &RawPost) {
        let accounts = slot(&mut self.by_account, &post.platform);
        let period = slot(accounts, &post.account);
        period.add_post(post.interactions, post.followers, post.reach, post.views);
    }
}

/// The value under `key`, inserted empty if missing. Looked up by reference first: a
/// new String per post would cost a million allocations on a large project.
fn slot<'a, V: Default>(map: &'a mut HashMap<String, V>, key: &str) -> &'a mut V {
    if !map.contains_key(key) {
        map.insert(key.to_owned(), V::default());
    }
    map.get_mut(key).unwrap_or_else(|| unreachable!("inserted above"))
}

/// The `accounts` section: the union of the accounts with posts (`engagement`) and those
/// with daily rows in the period (their follower counts), by platform, then account.
pub(crate) fn accounts(engagement: Engagement, spans: Vec<FollowerSpan>) -> Vec<AccountRow> {
    let mut rows: BTreeMap<(String, String), AccountRow> = BTreeMap::new();
    for (platform, accounts) in engagement.by_account {
        for (account, e) in accounts {
            let row = entry(&mut rows, &platform, account);
            row.posts = e.posts();
            row.interactions = e.interactions();
            row.er_followers = e.er_followers();
            row.err_reach = e.err_reach();
            row.er_views = e.er_views();
        }
    }
    for span in spans {
        let row = entry(&mut rows, &span.platform, span.account);
        row.followers_start = span.followers_start;
        row.followers_end = span.followers_end;
        row.follower_growth_pct = span
            .followers_start
            .zip(span.followers_end)
            .and_then(|(start, end)| follower_growth_pct(start, end));
    }
    rows.into_values().collect()
}

fn entry<'a>(
    rows: &'a mut BTreeMap<(String, String), AccountRow>,
    platform: &str,
    account: String,
) -> &'a mut AccountRow {
    rows.entry((platform.to_owned(), account.clone()))
        .or_insert_with(|| AccountRow {
            platform: platform.to_owned(),
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
