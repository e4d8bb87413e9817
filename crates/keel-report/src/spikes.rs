//! The `bot_spikes` section: follower spikes reported as suspected purchased followers
//! (`PRODUCT.md` § "Suspected purchased followers", `keel_domain::metrics::bots`).
//!
//! Each account's daily series is read in one ordered stream: the follower count of every
//! day with a known count, with the interactions and number of the posts published that
//! day. The series is judged one account at a time, so memory holds one account's days.
//!
//! Which days are read: a spike is tested against the 28 gains before it, which may lie
//! before `from`, so the series starts at the account's first day. It ends 14 days after
//! `to`: the ER of the 14 days *after* a spike is part of its test, so a spike in the last
//! days of the period is judged on the days that follow it when they have been recorded.
//! Only spikes dated inside the period are reported.

use chrono::{Days, NaiveDate};
use futures_util::TryStreamExt;
use keel_domain::metrics::bots::{DayPoint, ER_WINDOW_DAYS, detect_spikes};
use keel_store::{Store, on_pool};
use serde::Serialize;

use crate::scope::{INTERACTIONS, Scope};

/// One suspected purchase: the account, and the domain's `BotSpike` figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
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

/// One day of one account as read.
#[derive(Debug, sqlx::FromRow)]
struct RawDay {
    platform: String,
    account: String,
    date: NaiveDate,
    followers: i64,
    interactions: i64,
    posts: i64,
}

/// The `bot_spikes` section, ordered by platform, account and date.
pub(crate) async fn bot_spikes(store: &Store, scope: &Scope) -> anyhow::Result<Vec<SpikeRow>> {
    let mut found = Vec::new();
    let mut current: Option<(String, String)> = None;
    let mut days: Vec<DayPoint> = Vec::new();
    for_each_day(store, scope, |raw| {
        let same = current
            .as_ref()
            .is_some_and(|(pl, acc)| *pl == raw.platform && *acc == raw.account);
        if !same {
            if let Some((platform, account)) = current.take() {
                judge(scope, &platform, &account, &days, &mut found);
            }
            days.clear();
            current = Some((raw.platform, raw.account));
        }
        days.push(DayPoint {
            date: raw.date,
            followers: raw.followers,
            interactions: raw.interactions,
            posts: raw.posts,
        });
    })
    .await?;
    if let Some((platform, account)) = current {
        judge(scope, &platform, &account, &days, &mut found);
    }
    Ok(found)
}

/// Runs the domain's detector over one account's series and keeps the spikes dated in
/// the period.
fn judge(scope: &Scope, platform: &str, account: &str, days: &[DayPoint], out: &mut Vec<SpikeRow>) {
    for spike in detect_spikes(days) {
        if scope.contains(spike.date) {
            out.push(SpikeRow {
                platform: platform.to_owned(),
                account: account.to_owned(),
                date: spike.date,
                gain: spike.gain,
                excess: spike.excess,
                er_before: spike.er_before,
                er_after: spike.er_after,
            });
        }
    }
}

/// Streams every account's days with a known follower count up to 14 days after the
/// period, ordered by platform, account and date, with that day's post totals.
///
/// The posts are grouped by (account, UTC publication day) in the database and joined to
/// the daily rows; days with posts but no follower count have no daily ER and are left out.
async fn for_each_day(store: &Store, scope: &Scope, mut each: impl FnMut(RawDay)) -> anyhow::Result<()> {
    let last = scope.extended_last_day(Days::new(ER_WINDOW_DAYS));
    let end = crate::scope::midnight(last + Days::new(1));
    let day = scope.post_day();
    let sql = format!(
        "SELECT d.platform, d.account, d.date, d.followers,
                COALESCE(x.interactions, 0) AS interactions, COALESCE(x.posts, 0) AS posts
         FROM daily_stats d
         LEFT JOIN (SELECT p.platform, p.account, {day} AS day,
                           CAST(SUM({INTERACTIONS}) AS BIGINT) AS interactions,
                           COUNT(*) AS posts
                    FROM posts p
                    WHERE p.project_id = $1 AND p.published_at < $3
                    GROUP BY p.platform, p.account, {day}) x
           ON x.platform = d.platform AND x.account = d.account AND x.day = d.date
         WHERE d.project_id = $1 AND d.date <= $2 AND d.followers IS NOT NULL
         ORDER BY d.platform, d.account, d.date"
    );
    on_pool!(&store.pool, p => {
        let mut rows = sqlx::query_as::<_, RawDay>(&sql)
            .bind(scope.project_id)
            .bind(last)
            .bind(end)
            .fetch(p);
        while let Some(raw) = rows.try_next().await? {
            each(raw);
        }
    });
    Ok(())
}
