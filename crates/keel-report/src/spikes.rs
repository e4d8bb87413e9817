//! The `bot_spikes` section: follower spikes reported as suspected purchased followers
//! (`PRODUCT.md` § "Suspected purchased followers", `keel_domain::metrics::bots`).
//!
//! Which days are read: a spike is tested against the 28 gains before it, which may lie
//! before `from`, so each account's series starts at its first recorded day. It ends 14
//! days after `to`: the ER of the 14 days *after* a spike is part of its test, so a spike
//! in the last days of the period is judged on the days that follow it when they have
//! been recorded. Only spikes dated inside the period are reported.
//!
//! Two passes, so that the posts are read only where a spike needs them:
//! 1. [`crate::daily`] reads every account's follower series once and keeps the accounts
//!    with spike *candidates* (gain conditions only) in the period;
//! 2. here, each such account's series is read again with the interactions and number of
//!    posts of each day around its candidates, and the domain's `detect_spikes` applies
//!    the ER test. Days with posts but no follower count have no daily ER and are not
//!    part of the series.

use chrono::{Days, NaiveDate};
use keel_domain::metrics::bots::{DayPoint, ER_WINDOW_DAYS, detect_spikes};
use keel_store::report::ReportReader;
use serde::Serialize;

use crate::daily::Suspect;
use crate::scope::Scope;

/// One suspected purchase: the account, and the domain's `BotSpike` figures.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct SpikeRow {
    pub platform: String,
    pub account: String,
    /// The day `d` of the spike.
    pub date: NaiveDate,
    /// `g_d = F_d − F_{d−1}`.
    pub gain: i64,
    /// `g_d − m`: the estimated number of bought followers.
    pub excess: f64,
    /// Mean daily ER in percent over `d−14 … d−1`.
    pub er_before: Option<f64>,
    /// Mean daily ER in percent over `d+1 … d+14`.
    pub er_after: Option<f64>,
}

/// The `bot_spikes` section on its own: both passes.
pub(crate) async fn bot_spikes(reader: &mut ReportReader, scope: &Scope) -> anyhow::Result<Vec<SpikeRow>> {
    let found = crate::daily::daily_pass(reader, scope).await?;
    test_suspects(reader, scope, found.suspects).await
}

/// The `bot_spikes` section, ordered by platform, account and date: the ER test of the
/// suspects found by [`crate::daily`].
pub(crate) async fn test_suspects(
    reader: &mut ReportReader,
    scope: &Scope,
    suspects: Vec<Suspect>,
) -> anyhow::Result<Vec<SpikeRow>> {
    let last = scope.extended_last_day(Days::new(ER_WINDOW_DAYS));
    let mut found = Vec::new();
    for s in suspects {
        let days = series_with_posts(reader, scope, &s, last).await?;
        for spike in detect_spikes(&days) {
            // Spikes outside the period were judged without their posts: dropped here.
            if scope.contains(spike.date) {
                found.push(SpikeRow {
                    platform: s.platform.clone(),
                    account: s.account.clone(),
                    date: spike.date,
                    gain: spike.gain,
                    excess: spike.excess,
                    er_before: spike.er_before,
                    er_after: spike.er_after,
                });
            }
        }
    }
    Ok(found)
}

/// One suspect account's series up to `last`, with each day's post totals filled in for
/// the days `posts_from ..= posts_to` (grouped by UTC publication day in the database).
async fn series_with_posts(
    reader: &mut ReportReader,
    scope: &Scope,
    s: &Suspect,
    last: NaiveDate,
) -> anyhow::Result<Vec<DayPoint>> {
    let rows = reader
        .account_days_with_posts(
            scope.project_id,
            (&s.platform, &s.account),
            (s.posts_from, s.posts_to),
            last,
        )
        .await?;
    Ok(rows
        .into_iter()
        .map(|d| DayPoint {
            date: d.date,
            followers: d.followers,
            interactions: d.interactions,
            posts: d.posts,
        })
        .collect())
}
