//! What a report covers (one project, a range of days) and the SQL fragments every
//! section shares, so that "the publication day of a post" or "the interactions of a
//! post" mean exactly the same thing in each query.

use anyhow::bail;
use chrono::{DateTime, Days, NaiveDate, Utc};
use keel_store::projects::Project;
use keel_store::{Backend, Store};

use crate::Period;

/// The report's project and period, with the bounds in the forms the queries bind.
///
/// Open ends are replaced by far-away sentinel days rather than by `$n IS NULL OR …`
/// predicates: a plain range keeps the queries simple and lets the planners use the
/// `(project_id, published_at)` / `(…, date)` indexes for a bounded period.
#[derive(Debug, Clone)]
pub(crate) struct Scope {
    pub project_id: i64,
    pub backend: Backend,
    /// The period as asked for (reported back in the JSON).
    pub period: Period,
    /// The project's start date: the baseline reference when there is no `from`.
    pub started_on: NaiveDate,
    /// First and last day of the period, inclusive (sentinels when open).
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
}

/// Stand-ins for open ends. 9999-12-30 (not …31) so that the exclusive end instant,
/// the next midnight, still has a four-digit year: SQLite compares timestamps as text.
const OPEN_START: NaiveDate = NaiveDate::from_ymd_opt(1, 1, 1).expect("valid date");
const OPEN_END: NaiveDate = NaiveDate::from_ymd_opt(9999, 12, 30).expect("valid date");

impl Scope {
    /// The scope of a report of `project` over `from ..= to`.
    pub fn new(
        store: &Store,
        project: &Project,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> anyhow::Result<Scope> {
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            bail!("the report period is empty: --from {f} is after --to {t}");
        }
        Ok(Scope {
            project_id: project.id,
            backend: store.backend(),
            period: Period { from, to },
            started_on: project.started_on,
            first_day: from.unwrap_or(OPEN_START),
            last_day: to.unwrap_or(OPEN_END).min(OPEN_END),
        })
    }

    pub fn period(&self) -> Period {
        self.period
    }

    /// The first instant of the period (midnight UTC of its first day).
    pub fn start(&self) -> DateTime<Utc> {
        midnight(self.first_day)
    }

    /// The first instant after the period (midnight UTC after its last day): timestamps
    /// are compared `>= start AND < end`, which keeps a post at 23:59:59.5 inside.
    pub fn end(&self) -> DateTime<Utc> {
        midnight(self.last_day + Days::new(1))
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

    /// The UTC publication day of post `p` as an SQL expression comparable with
    /// `daily_stats.date`. SQLite keeps `DateTime<Utc>` as RFC 3339 text in UTC, so the
    /// day is its first ten characters; PostgreSQL converts the instant to a UTC date.
    pub fn post_day(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "substr(p.published_at, 1, 10)",
            Backend::Postgres => "CAST((p.published_at AT TIME ZONE 'UTC') AS DATE)",
        }
    }
}

/// `column` for a condition that must not pick the index. SQLite's planner (3.46)
/// prefers the covering report indexes of migration 0003 for any range on `date` or
/// `published_at`, even where the primary-key order would spare it sorting a million
/// rows for a GROUP BY or ORDER BY on (platform, account, …); a unary `+` keeps the
/// condition out of index selection. PostgreSQL plans by statistics and has no unary
/// `+` on dates and timestamps.
pub(crate) fn unindexed(backend: Backend, column: &str) -> String {
    match backend {
        Backend::Sqlite => format!("+{column}"),
        Backend::Postgres => column.to_owned(),
    }
}

/// Midnight UTC at the start of `day`.
pub(crate) fn midnight(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(chrono::NaiveTime::MIN).and_utc()
}

/// `I = likes + comments + shares + saves` of post `p`, a missing count being 0.
pub(crate) const INTERACTIONS: &str = "(COALESCE(p.likes, 0) + COALESCE(p.comments, 0) \
     + COALESCE(p.shares, 0) + COALESCE(p.saves, 0))";

/// Joins each post `p` to its account's daily row `d` of its publication day, if any;
/// the daily primary key `(project_id, platform, account, date)` serves the lookup.
pub(crate) fn join_post_day(scope: &Scope) -> String {
    format!(
        "LEFT JOIN daily_stats d ON d.project_id = p.project_id AND d.platform = p.platform \
         AND d.account = p.account AND d.date = {}",
        scope.post_day()
    )
}
