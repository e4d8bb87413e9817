//! The SQL fragments every report query shares, so that "the publication day of a post" or
//! "the interactions of a post" mean exactly the same thing in each query.

use chrono::{DateTime, TimeZone, Utc};
use keel_domain::local_days::LocalZone;

use crate::Backend;

/// The local day (in `zone`) of the instant `column` as an SQL expression comparable with
/// `daily_stats.date`, for instants in `from .. to`.
///
/// SQLite keeps `DateTime<Utc>` as RFC 3339 text in UTC: in UTC the day is its first ten
/// characters; elsewhere SQLite knows no time zones, so the zone's offsets over the range
/// are spelled out, latest first (recent rows match the first branch), each shifting the
/// instant by its offset before `date()` cuts the day. PostgreSQL converts with its own
/// time zone database.
pub(crate) fn local_day(
    backend: Backend,
    column: &str,
    zone: LocalZone,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
) -> String {
    match backend {
        Backend::Sqlite if zone.is_utc() => format!("substr({column}, 1, 10)"),
        Backend::Sqlite => {
            let spans = zone.offset_spans(clamp(from), clamp(to));
            let shifted = |offset: i32| format!("date({column}, '{offset:+} seconds')");
            if let [only] = spans.as_slice() {
                return shifted(only.offset_seconds);
            }
            let mut sql = String::from("(CASE");
            for span in spans.iter().skip(1).rev() {
                let at = span.from.format("%Y-%m-%dT%H:%M:%S+00:00");
                sql += &format!(" WHEN {column} >= '{at}' THEN {}", shifted(span.offset_seconds));
            }
            sql += &format!(" ELSE {} END)", shifted(spans[0].offset_seconds));
            sql
        }
        // Zone names are IANA names checked when set: letters, digits, `/`, `_`, `+`, `-`.
        Backend::Postgres => format!("CAST(({column} AT TIME ZONE '{}') AS DATE)", zone.name()),
    }
}

/// Keeps offset lookups within 1970 .. 2100: a report's open ends are the years 1 and 9999,
/// and no post of a social network lies outside (an instant beyond takes the nearest
/// stretch's offset).
fn clamp(at: DateTime<Utc>) -> DateTime<Utc> {
    let lo = Utc.with_ymd_and_hms(1970, 1, 1, 0, 0, 0).single().unwrap_or(at);
    let hi = Utc.with_ymd_and_hms(2100, 1, 1, 0, 0, 0).single().unwrap_or(at);
    at.clamp(lo, hi)
}

/// The local publication day of post `p` in `zone` (see [`local_day`]).
pub(crate) fn post_day(backend: Backend, zone: LocalZone, range: (DateTime<Utc>, DateTime<Utc>)) -> String {
    local_day(backend, "p.published_at", zone, range)
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

/// `I = likes + comments + shares + saves` of post `p`, a missing count being 0.
pub(crate) const INTERACTIONS: &str = "(COALESCE(p.likes, 0) + COALESCE(p.comments, 0) \
     + COALESCE(p.shares, 0) + COALESCE(p.saves, 0))";

/// Joins each post `p` (published in `range`) to its account's daily row `d` of its local
/// publication day, if any; the daily primary key `(project_id, platform, account, date)`
/// serves the lookup.
pub(crate) fn join_post_day(backend: Backend, zone: LocalZone, range: (DateTime<Utc>, DateTime<Utc>)) -> String {
    format!(
        "LEFT JOIN daily_stats d ON d.project_id = p.project_id AND d.platform = p.platform \
         AND d.account = p.account AND d.date = {}",
        post_day(backend, zone, range)
    )
}
