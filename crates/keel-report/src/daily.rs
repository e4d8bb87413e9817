//! One pass over every account's daily rows, account by account in primary-key order,
//! feeding two sections at once (the rows are read once per report):
//!
//! - `accounts`: followers on the first and last day of the period whose daily row has a
//!   follower count, and which accounts have daily rows in the period at all;
//! - `bot_spikes`: the spike *candidates* of each account's follower series (the gain
//!   conditions of `keel_domain::metrics::bots`), whose ER test [`crate::spikes`] runs.
//!
//! The series starts at the account's first day (a spike is tested against the 28 gains
//! before it, which may lie before `from`) and ends 14 days after `to` (the ER of the 14
//! days after a spike is part of its test). One account is in memory at a time. The rows
//! come from the store's scan (`ReportReader::scan_daily_followers`).

use chrono::{Days, NaiveDate};
use keel_domain::metrics::bots::{BASELINE_GAINS, DayPoint, ER_WINDOW_DAYS, spike_candidates};
use keel_store::report::ReportReader;

use crate::scope::Scope;

/// Followers of an account on the first and last day of the period with a known count
/// (`None` when its daily rows in the period have none).
#[derive(Debug, Clone)]
pub(crate) struct FollowerSpan {
    pub platform: String,
    pub account: String,
    pub followers_start: Option<i64>,
    pub followers_end: Option<i64>,
}

/// An account with spike candidates in the period, and the days whose posts their ER
/// test needs (the candidates' 14-day windows).
#[derive(Debug, Clone)]
pub(crate) struct Suspect {
    pub platform: String,
    pub account: String,
    pub posts_from: NaiveDate,
    pub posts_to: NaiveDate,
}

/// What the pass found: every account with daily rows in the period, and the suspects.
#[derive(Debug, Default)]
pub(crate) struct DailyFindings {
    pub spans: Vec<FollowerSpan>,
    pub suspects: Vec<Suspect>,
}

/// Reads every account's daily rows up to 14 days after the period.
pub(crate) async fn daily_pass(reader: &mut ReportReader, scope: &Scope) -> anyhow::Result<DailyFindings> {
    let last = scope.extended_last_day(Days::new(ER_WINDOW_DAYS));
    let pass = reader
        .scan_daily_followers(scope.project_id, last, Pass::new(scope.clone()), Pass::push)
        .await?;
    Ok(pass.finish())
}

/// The pass's state: the account being read and what was found so far.
struct Pass {
    scope: Scope,
    key: Option<(String, String)>,
    /// The account's days with a known follower count.
    days: Vec<DayPoint>,
    /// Whether the account has a daily row in the period (even without a count).
    in_period: bool,
    found: DailyFindings,
}

impl Pass {
    fn new(scope: Scope) -> Pass {
        Pass {
            scope,
            key: None,
            days: Vec::new(),
            in_period: false,
            found: DailyFindings::default(),
        }
    }

    /// Adds a row; a row of another account first closes the current one. The names are
    /// borrowed so that only a new account costs an allocation.
    fn push(&mut self, platform: &str, account: &str, date: NaiveDate, followers: Option<i64>) {
        let same = self
            .key
            .as_ref()
            .is_some_and(|(pl, acc)| pl == platform && acc == account);
        if !same {
            self.close_account();
            self.key = Some((platform.to_owned(), account.to_owned()));
        }
        self.in_period |= self.scope.contains(date);
        if let Some(followers) = followers {
            self.days.push(DayPoint {
                date,
                followers,
                interactions: 0,
                posts: 0,
            });
        }
    }

    fn finish(mut self) -> DailyFindings {
        self.close_account();
        self.found
    }

    /// Records the finished account's span and, if it has any, its suspect window.
    fn close_account(&mut self) {
        let Some((platform, account)) = self.key.take() else {
            return;
        };
        let days = std::mem::take(&mut self.days);
        let mut known = days.iter().filter(|d| self.scope.contains(d.date));
        let (first, last) = (known.next(), known.next_back());
        if std::mem::take(&mut self.in_period) {
            self.found.spans.push(FollowerSpan {
                platform: platform.clone(),
                account: account.clone(),
                followers_start: first.map(|d| d.followers),
                followers_end: last.or(first).map(|d| d.followers),
            });
        }
        if let Some((from, to)) = candidate_window(&self.scope, &days) {
            self.found.suspects.push(Suspect {
                platform,
                account,
                posts_from: from,
                posts_to: to,
            });
        }
        self.days = days;
        self.days.clear();
    }
}

/// The days of posts needed to test the account's candidates dated in the period:
/// `earliest − 14 ..= latest + 14`; `None` without such a candidate.
fn candidate_window(scope: &Scope, days: &[DayPoint]) -> Option<(NaiveDate, NaiveDate)> {
    if !could_spike(scope, days) {
        return None;
    }
    let dates: Vec<NaiveDate> = spike_candidates(days)
        .into_iter()
        .map(|(date, _, _)| date)
        .filter(|&d| scope.contains(d))
        .collect();
    let (earliest, latest) = (*dates.first()?, *dates.last()?);
    let window = Days::new(ER_WINDOW_DAYS);
    Some((
        earliest.checked_sub_days(window).unwrap_or(earliest),
        latest.checked_add_days(window).unwrap_or(latest),
    ))
}

/// A cheap screen before the domain's robust test, which sorts 28 gains twice for every
/// day: a spike needs `g_d > 0.005 × F_{d−1}` (`PRODUCT.md`, the second condition) and
/// `BASELINE_GAINS` earlier gains, so an account whose days in the period never gain that
/// much cannot have one. Steady accounts (nearly all) skip the sorting; the verdict is
/// always the domain's. A test checks the screen never hides a candidate.
pub(crate) fn could_spike(scope: &Scope, days: &[DayPoint]) -> bool {
    days.windows(2).enumerate().any(|(k, w)| {
        let gain = w[1].followers - w[0].followers;
        k >= BASELINE_GAINS && scope.contains(w[1].date) && 200 * i128::from(gain) > i128::from(w[0].followers)
    })
}

#[cfg(test)]
mod tests;
