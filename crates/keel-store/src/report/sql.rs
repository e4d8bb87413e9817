//! The SQL fragments every report query shares, so that "the publication day of a post" or
//! "the interactions of a post" mean exactly the same thing in each query.

use crate::Backend;

/// The UTC publication day of post `p` as an SQL expression comparable with
/// `daily_stats.date`. SQLite keeps `DateTime<Utc>` as RFC 3339 text in UTC, so the day is
/// its first ten characters; PostgreSQL converts the instant to a UTC date.
pub(crate) fn post_day(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "substr(p.published_at, 1, 10)",
        Backend::Postgres => "CAST((p.published_at AT TIME ZONE 'UTC') AS DATE)",
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

/// `I = likes + comments + shares + saves` of post `p`, a missing count being 0.
pub(crate) const INTERACTIONS: &str = "(COALESCE(p.likes, 0) + COALESCE(p.comments, 0) \
     + COALESCE(p.shares, 0) + COALESCE(p.saves, 0))";

/// Joins each post `p` to its account's daily row `d` of its publication day, if any;
/// the daily primary key `(project_id, platform, account, date)` serves the lookup.
pub(crate) fn join_post_day(backend: Backend) -> String {
    format!(
        "LEFT JOIN daily_stats d ON d.project_id = p.project_id AND d.platform = p.platform \
         AND d.account = p.account AND d.date = {}",
        post_day(backend)
    )
}
