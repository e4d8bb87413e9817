//! The reads behind the project report and the analytics page: every query the report's
//! sections run, returning plain rows; the figures themselves are computed by `keel-report`.
//!
//! Two kinds of read:
//!
//! - the per-post list, which may be a million rows long, is streamed
//!   ([`Store::for_each_report_post`]) off sqlx where it can: rusqlite on a SQLite file
//!   ([`sqlite_fast`]), binary `COPY` on PostgreSQL ([`pg_copy`]), each post joined to its
//!   publication day's follower count by merging two ordered scans ([`day_merge`]);
//! - everything else runs on one connection taken from the pool for the whole report,
//!   one query after another ([`ReportReader`]), so a report never holds more than that
//!   connection besides the posts stream's own.
//!
//! The SQL fragments every section shares (a post's local day, its interactions) are in
//! [`sql`], so that they mean the same thing in each query.

mod daily;
mod day_merge;
mod pg_copy;
mod pg_posts;
mod posts;
mod sections;
mod sql;
mod sqlite_fast;
mod sqlite_posts;

pub use posts::PostRecord;
pub use sections::{AccountDay, CampaignSums, DailyFigures, ErOrder, MetricDayRow, MetricRows, PostAccountDay};

use chrono::{DateTime, NaiveDate, Utc};
use keel_domain::local_days::LocalZone;
use sqlx::pool::PoolConnection;
use sqlx::{Postgres, Sqlite};

use crate::{Pool, Store, StoreResult};

/// The days a report reads: one project, `first_day ..= last_day` (both inclusive), local
/// days of the project's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportDays {
    pub project: i64,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub zone: LocalZone,
}

impl ReportDays {
    /// The first instant of the days (local midnight of the first).
    pub fn start(&self) -> DateTime<Utc> {
        self.zone.start_of(self.first_day)
    }

    /// The first instant after the days (local midnight after the last): instants are
    /// compared `>= start AND < end`, which keeps a post at 23:59:59.5 inside.
    pub fn end(&self) -> DateTime<Utc> {
        self.zone.end_of(self.last_day)
    }
}

/// One pooled connection of either backend.
pub(crate) enum Conn {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

/// Runs `$body` with `$c` bound to the `&mut` concrete connection of a [`Conn`].
macro_rules! on_conn {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            $crate::report::Conn::Sqlite(conn) => {
                let $c = &mut **conn;
                $body
            }
            $crate::report::Conn::Postgres(conn) => {
                let $c = &mut **conn;
                $body
            }
        }
    };
}
pub(crate) use on_conn;

/// One connection held for a report's queries, run one after another. Dropped, it goes
/// back to the pool (or is closed, after a `COPY`: see [`ReportReader::scan_daily_followers`]).
pub struct ReportReader {
    store: Store,
    conn: Conn,
    /// The project's time zone: whose local days the queries group by.
    zone: LocalZone,
}

impl Store {
    /// Takes one connection from the pool for the queries of a report of a project in
    /// `zone`.
    pub async fn report_reader(&self, zone: LocalZone) -> StoreResult<ReportReader> {
        let conn = match &self.pool {
            Pool::Sqlite(p) => Conn::Sqlite(p.acquire().await?),
            Pool::Postgres(p) => Conn::Postgres(p.acquire().await?),
        };
        Ok(ReportReader {
            store: self.clone(),
            conn,
            zone,
        })
    }
}

impl std::fmt::Debug for ReportReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReportReader")
            .field("backend", &self.store.backend())
            .finish_non_exhaustive()
    }
}
