//! Keel's storage: one [`Store`] over SQLite (the embedded default) and PostgreSQL (for teams
//! and for several `keel` instances behind a load balancer).
//!
//! The SQL is written once where it is portable (both engines accept `$1` placeholders,
//! `RETURNING`, `ON CONFLICT` and `TRUE`/`FALSE`) and run through [`on_pool!`], which expands a
//! block once per backend so each copy is type-checked against its own driver. Schemas live in
//! one migrations folder per backend because their column types differ.

#![forbid(unsafe_code)]

pub mod audit;
pub mod backup;
pub mod brief;
pub mod caller;
pub mod connections;
pub mod credentials;
pub mod data;
mod error;
pub mod goals;
mod guest_links;
pub mod import_log;
pub mod invitations;
pub mod review_links;
// Background jobs stored in the database, shared by every instance.
pub mod jobs;
pub mod login_limit;
pub mod meetings;
pub mod members;
pub mod orgs;
pub mod password_resets;
pub mod people;
// The content plan and its approvals.
pub mod plan;
pub mod project_list;
pub mod projects;
pub mod report;
// Platform credentials sealed at rest.
pub mod reports;
pub mod sealing;
pub mod sessions;
pub mod syncs;
pub mod tokens;
pub mod users;
// Notification preferences, Telegram links and calendar feed secrets.
pub mod ical_feeds;
pub mod notify_prefs;
pub mod telegram;

pub use error::{StoreError, StoreResult};

use chrono::{DateTime, SubsecRound, Utc};
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::time::Duration;

/// Runs `$body` with `$p` bound to the concrete pool of whichever backend `$store` uses.
#[macro_export]
macro_rules! on_pool {
    ($pool:expr, $p:ident => $body:expr) => {
        match $pool {
            $crate::Pool::Sqlite($p) => $body,
            $crate::Pool::Postgres($p) => $body,
        }
    };
}

/// The connection pool of one backend.
#[derive(Clone, Debug)]
pub enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Which engine a store runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A handle to Keel's database; cheap to clone. Its pool is private: every statement Keel
/// runs is a method of the store.
#[derive(Clone, Debug)]
pub struct Store {
    pub(crate) pool: Pool,
}

/// Connections a SQLite store opens at most (one writer at a time; readers share the WAL).
pub const SQLITE_MAX_CONNECTIONS: u32 = 8;
/// Connections a PostgreSQL store opens at most, per `keel` instance.
pub const POSTGRES_MAX_CONNECTIONS: u32 = 16;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Store {
    /// Connects to `url` (`sqlite://PATH` or `postgres://…`), creating a missing SQLite file,
    /// and brings the schema up to date. Refuses a database migrated by a newer `keel`.
    pub async fn open(url: &str) -> StoreResult<Store> {
        let store = Store::connect(url).await?;
        store.migrate().await?;
        store.fill_missing_post_days().await?;
        Ok(store)
    }

    async fn connect(url: &str) -> StoreResult<Store> {
        if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)
                .map_err(|e| StoreError::Config(format!("bad SQLite URL: {e}")))?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            let pool = SqlitePoolOptions::new()
                .max_connections(SQLITE_MAX_CONNECTIONS)
                // See the PostgreSQL pool below; a SQLite connection is a local file handle.
                .test_before_acquire(false)
                .connect_with(options)
                .await
                .map_err(|e| StoreError::Connect(format!("{}: {e}", redact_url(url))))?;
            Ok(Store {
                pool: Pool::Sqlite(pool),
            })
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = PgPoolOptions::new()
                .max_connections(POSTGRES_MAX_CONNECTIONS)
                // sqlx pings a connection when it goes back to the pool (closing it if the
                // ping fails) and, by default, again when it is taken out: a round trip
                // before every statement on top of the one after it. The ping on return
                // stays; the one on taking is dropped (a connection that died while idle
                // fails the one statement that finds it, and is closed).
                .test_before_acquire(false)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await
                .map_err(|e| StoreError::Connect(format!("{}: {e}", redact_url(url))))?;
            Ok(Store {
                pool: Pool::Postgres(pool),
            })
        } else {
            Err(StoreError::Config(format!(
                "database URL `{}` must start with sqlite:// or postgres://",
                redact_url(url)
            )))
        }
    }

    async fn migrate(&self) -> StoreResult<()> {
        let result = match &self.pool {
            Pool::Sqlite(p) => SQLITE_MIGRATIONS.run(p).await,
            Pool::Postgres(p) => POSTGRES_MIGRATIONS.run(p).await,
        };
        result.map_err(|e| match e {
            sqlx::migrate::MigrateError::VersionMissing(v) => StoreError::SchemaTooNew {
                found: v,
                known: self.latest_known_migration(),
            },
            other => StoreError::Migrate(other.to_string()),
        })
    }

    fn latest_known_migration(&self) -> i64 {
        let migrator = match self.backend() {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.iter().map(|m| m.version).max().unwrap_or(0)
    }

    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// The most connections this store's pool opens (web layer sizes its bounds on it).
    pub fn max_connections(&self) -> u32 {
        match self.backend() {
            Backend::Sqlite => SQLITE_MAX_CONNECTIONS,
            Backend::Postgres => POSTGRES_MAX_CONNECTIONS,
        }
    }

    /// Answers whether the database is reachable (for `/healthz`).
    pub async fn ping(&self) -> StoreResult<()> {
        on_pool!(&self.pool, p => sqlx::query("SELECT 1").execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    pub async fn close(&self) {
        on_pool!(&self.pool, p => p.close().await)
    }

    /// The connection pool, for tests that set up or inspect rows no store method reaches
    /// (fixtures in plain SQL, tampering with the audit trail, schema checks). Only with
    /// the `test-support` feature, which only dev-dependencies enable.
    #[cfg(feature = "test-support")]
    #[doc(hidden)]
    pub fn raw_pool_for_tests(&self) -> &Pool {
        &self.pool
    }
}

/// The current time, truncated to whole seconds so that timestamps stored as text in SQLite
/// compare correctly as strings.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(0)
}

/// A database URL with any password replaced, safe to print or log.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_appear_in_a_printed_url() {
        let shown = redact_url("postgres://keel:s3cret@db.example:5432/keel");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("db.example"));
    }
}
