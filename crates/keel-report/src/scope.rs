//! What a report covers: one project, a range of days.

use anyhow::bail;
use chrono::{Days, NaiveDate};
use keel_domain::local_days::LocalZone;
use keel_store::projects::Project;
use keel_store::report::ReportDays;

use crate::Period;

/// The report's project and period, with the bounds in the forms the queries bind.
///
/// Open ends are replaced by far-away sentinel days rather than by `$n IS NULL OR …`
/// predicates: a plain range keeps the queries simple and lets the planners use the
/// `(project_id, published_at)` / `(…, date)` indexes for a bounded period.
#[derive(Debug, Clone)]
pub(crate) struct Scope {
    pub project_id: i64,
    /// The period as asked for (reported back in the JSON).
    pub period: Period,
    /// The project's start date: the baseline reference when there is no `from`.
    pub started_on: NaiveDate,
    /// First and last day of the period, inclusive (sentinels when open).
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    /// The project's time zone: its local days are the report's days.
    pub zone: LocalZone,
}

/// Stand-ins for open ends. 9999-12-30 (not …31) so that the exclusive end instant,
/// the next midnight, still has a four-digit year: SQLite compares timestamps as text.
const OPEN_START: NaiveDate = NaiveDate::from_ymd_opt(1, 1, 1).expect("valid date");
const OPEN_END: NaiveDate = NaiveDate::from_ymd_opt(9999, 12, 30).expect("valid date");

impl Scope {
    /// The scope of a report of `project` over `from ..= to`.
    pub fn new(project: &Project, from: Option<NaiveDate>, to: Option<NaiveDate>) -> anyhow::Result<Scope> {
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            bail!("the report period is empty: --from {f} is after --to {t}");
        }
        Ok(Scope {
            project_id: project.id,
            period: Period { from, to },
            started_on: project.started_on,
            first_day: from.unwrap_or(OPEN_START),
            last_day: to.unwrap_or(OPEN_END).min(OPEN_END),
            zone: zone_of(project),
        })
    }

    /// The project and days, as the store's report reads take them.
    pub fn days(&self) -> ReportDays {
        ReportDays {
            project: self.project_id,
            first_day: self.first_day,
            last_day: self.last_day,
            zone: self.zone,
        }
    }

    pub fn period(&self) -> Period {
        self.period
    }

    /// The day a baseline window ends before: `from`, else the project's start date.
    pub fn reference_start(&self) -> NaiveDate {
        self.period.from.unwrap_or(self.started_on)
    }

    /// The period's last day moved `days` later, kept at or before the open-end sentinel
    /// (a five-digit year would break SQLite's text comparison of timestamps).
    pub fn extended_last_day(&self, days: Days) -> NaiveDate {
        self.last_day
            .checked_add_days(days)
            .map_or(OPEN_END, |d| d.min(OPEN_END))
    }

    /// `true` when `day` lies in the period.
    pub fn contains(&self, day: NaiveDate) -> bool {
        (self.first_day..=self.last_day).contains(&day)
    }
}

/// The project's time zone (UTC for a name the tz database lacks).
pub fn zone_of(project: &Project) -> LocalZone {
    LocalZone::or_utc(&project.time_zone)
}
