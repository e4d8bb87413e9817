//! Suspected purchased followers, per `PRODUCT.md` § "Suspected purchased followers".
//!
//! A *spike* is a daily follower gain far outside the account's recent rhythm, judged
//! robustly (median and MAD of the 28 gains before it, so one earlier spike cannot hide
//! the next). Bought followers do not interact, so a spike is reported as *suspected
//! bots* only when the mean daily ER of the 14 days after it is more than 20 % below that
//! of the 14 days before it; a viral day brings real followers and keeps ER up.
//!
//! Medians here are the usual ones: the middle value of an odd count, the mean of the two
//! middle values of an even count (28 gains is even, so `m` can end in .5).

use chrono::{Days, NaiveDate};
use serde::Serialize;

use super::count_pct;

/// Number of earlier gains a day's gain is compared with; days with fewer are not tested.
pub const BASELINE_GAINS: usize = 28;
/// Calendar days on each side of a spike whose daily ER is averaged.
pub const ER_WINDOW_DAYS: u64 = 14;
/// Scales a MAD to a standard deviation of normally distributed gains.
const MAD_TO_SIGMA: f64 = 1.4826;
/// How many (scaled) MADs above the median a gain must be.
const SPIKE_MADS: f64 = 6.0;
/// Floor of the scaled MAD, so a perfectly steady account (MAD 0) does not flag +1.
const MIN_SIGMA: f64 = 1.0;
/// A spike is reported when ER after falls below this share of ER before (> 20 % drop).
const ER_KEPT_SHARE: f64 = 0.8;

/// One day of one account: the follower count, and the summed interactions and number
/// of the posts published that day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayPoint {
    /// The day.
    pub date: NaiveDate,
    /// Followers that day (`F_d`).
    pub followers: i64,
    /// ΣI of the posts published that day (or interactions recorded for the day).
    pub interactions: i64,
    /// Posts published that day.
    pub posts: i64,
}

/// A follower spike reported as suspected purchased followers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BotSpike {
    /// The day `d` of the spike (serialized `YYYY-MM-DD`).
    pub date: NaiveDate,
    /// The net gain `g_d = F_d − F_{d−1}`.
    pub gain: i64,
    /// `g_d − m`, the gain above the usual median: the estimated number of bots.
    pub excess: f64,
    /// Mean daily ER in percent over `d−14 … d−1`.
    pub er_before: Option<f64>,
    /// Mean daily ER in percent over `d+1 … d+14`.
    pub er_after: Option<f64>,
}

/// A spike before the ER test: its index in the series, gain and excess.
struct Candidate {
    index: usize,
    gain: i64,
    excess: f64,
}

/// Every follower spike of a date-sorted daily series, before the ER test:
/// `(date, gain, excess)`. For explanation pages ("this jump was tested and…").
pub fn spike_candidates(days: &[DayPoint]) -> Vec<(NaiveDate, i64, f64)> {
    candidates(days)
        .into_iter()
        .map(|c| (days[c.index].date, c.gain, c.excess))
        .collect()
}

/// The spikes of a date-sorted daily series (one entry per recorded date) reported as
/// suspected purchased followers, oldest first.
///
/// Gains are taken between consecutive entries (see [`super::growth::net_gains`]); the
/// ER windows are calendar days by date, so entries missing from the series simply do
/// not contribute. A spike whose ER before or after is undefined is not reported: an
/// ER drop that cannot be measured is not evidence.
pub fn detect_spikes(days: &[DayPoint]) -> Vec<BotSpike> {
    candidates(days)
        .into_iter()
        .filter_map(|c| {
            let date = days[c.index].date;
            let before = date
                .checked_sub_days(Days::new(ER_WINDOW_DAYS))
                .zip(date.pred_opt())
                .and_then(|(from, to)| window_er(days, from, to));
            let after = date
                .succ_opt()
                .zip(date.checked_add_days(Days::new(ER_WINDOW_DAYS)))
                .and_then(|(from, to)| window_er(days, from, to));
            er_dropped(before, after).then_some(BotSpike {
                date,
                gain: c.gain,
                excess: c.excess,
                er_before: before,
                er_after: after,
            })
        })
        .collect()
}

/// Days whose gain passes both spike conditions.
fn candidates(days: &[DayPoint]) -> Vec<Candidate> {
    // gains[k] is the gain of days[k + 1].
    let gains: Vec<i64> = days.windows(2).map(|w| w[1].followers - w[0].followers).collect();
    let mut out = Vec::new();
    for k in BASELINE_GAINS..gains.len() {
        let earlier: Vec<f64> = gains[k - BASELINE_GAINS..k].iter().map(|&g| g as f64).collect();
        let Some(m) = median(earlier.clone()) else {
            continue;
        };
        let Some(mad) = median(earlier.iter().map(|g| (g - m).abs()).collect()) else {
            continue;
        };
        let (gain, prev_followers) = (gains[k], days[k].followers);
        let excess = gain as f64 - m;
        let unusual = excess > SPIKE_MADS * (mad * MAD_TO_SIGMA).max(MIN_SIGMA);
        // g > 0.005 × F_{d−1}, evaluated exactly in integers as 200 g > F_{d−1}. A very
        // steady large account can make a small jump "unusual" (+40 on 100 000 followers);
        // under half a percent of the audience it is not worth flagging as a purchase.
        let sizeable = 200 * i128::from(gain) > i128::from(prev_followers);
        if unusual && sizeable {
            out.push(Candidate {
                index: k + 1,
                gain,
                excess,
            });
        }
    }
    out
}

/// "More than 20 % below": `after < 0.8 × before`, both known.
fn er_dropped(before: Option<f64>, after: Option<f64>) -> bool {
    matches!((before, after), (Some(b), Some(a)) if a < ER_KEPT_SHARE * b)
}

/// Mean daily ER over the entries dated `from ..= to` of a date-sorted series.
///
/// Days with posts count, each with `ΣI / F × 100`. When no day of the window has posts
/// (with a known follower count), interactions per follower stand in: the same formula
/// over the days with interactions > 0. `None` when neither yields a value.
fn window_er(days: &[DayPoint], from: NaiveDate, to: NaiveDate) -> Option<f64> {
    let start = days.partition_point(|p| p.date < from);
    let end = days.partition_point(|p| p.date <= to);
    let window = days.get(start..end).unwrap_or(&[]);
    let per_day = |keep: fn(&DayPoint) -> bool| -> Option<f64> {
        let ers: Vec<f64> = window
            .iter()
            .filter(|p| keep(p))
            .filter_map(|p| count_pct(p.interactions, Some(p.followers)))
            .collect();
        super::ratio(ers.iter().sum(), ers.len() as f64)
    };
    per_day(|p| p.posts > 0).or_else(|| per_day(|p| p.interactions > 0))
}

/// Median of `values`; the mean of the two middle values for an even count.
fn median(mut values: Vec<f64>) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2.0),
    }
}

#[cfg(test)]
mod tests;
