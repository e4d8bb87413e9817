//! Backups of a whole Keel database, and restoring one into an empty database.
//!
//! SQLite is copied with `VACUUM INTO`, one read transaction, so the copy is a consistent
//! snapshot even while `keel serve` writes (WAL readers do not block the writer). PostgreSQL
//! is dumped by `pg_dump --format=custom` (one repeatable-read snapshot) and loaded by
//! `pg_restore`; both must be on `PATH` and match the server's major version.
//!
//! A restore refuses a database that holds any row (it would mix two histories) and a backup
//! whose schema is newer than this binary's migrations.

use crate::{Backend, Pool, Store, StoreError, StoreResult, on_pool, redact_url};
use sha2::{Digest, Sha256};
use sqlx::Row;
use std::path::Path;
use std::process::Command;

/// One table of a database: its name and how many rows it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCount {
    pub table: String,
    pub rows: i64,
}

/// One table's content: its row count and a SHA-256 over its rows (each row as text, sorted,
/// so the order the engine returns them in does not matter).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableDigest {
    pub table: String,
    pub rows: i64,
    pub sha256: String,
}

/// What a backup or a restore did.
#[derive(Debug, Clone)]
pub struct BackupSummary {
    /// The highest migration applied in the backed-up (or restored) database.
    pub schema_version: i64,
    pub tables: Vec<TableCount>,
    /// The size of the backup file.
    pub bytes: u64,
}

impl BackupSummary {
    pub fn total_rows(&self) -> i64 {
        self.tables.iter().map(|t| t.rows).sum()
    }
}

/// SQL string literal: `'…'` with quotes doubled.
fn sql_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// SQL identifier: `"…"` with quotes doubled.
fn sql_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The migration bookkeeping table, which is copied but not counted as content.
const MIGRATIONS_TABLE: &str = "_sqlx_migrations";

impl Store {
    /// Opens `url` without migrating it: for backing up (a backup copies what is there) and
    /// for checking a restore target.
    pub async fn open_unmigrated(url: &str) -> StoreResult<Store> {
        Store::connect(url).await
    }

    /// Every table of the database (Keel's and the migration bookkeeping), sorted by name.
    pub async fn table_names(&self) -> StoreResult<Vec<String>> {
        let names: Vec<String> =
            match &self.pool {
                Pool::Sqlite(p) => sqlx::query_scalar(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
                )
                .fetch_all(p)
                .await?,
                Pool::Postgres(p) => {
                    sqlx::query_scalar(
                        "SELECT table_name::text FROM information_schema.tables
                     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
                    )
                    .fetch_all(p)
                    .await?
                }
            };
        Ok(names)
    }

    /// Row counts of every table but the migration bookkeeping.
    pub async fn table_counts(&self) -> StoreResult<Vec<TableCount>> {
        let mut counts = Vec::new();
        for table in self.table_names().await? {
            if table == MIGRATIONS_TABLE {
                continue;
            }
            let sql = format!("SELECT COUNT(*) FROM {}", sql_ident(&table));
            let rows: i64 = on_pool!(&self.pool, p => sqlx::query_scalar(&sql).fetch_one(p).await)?;
            counts.push(TableCount { table, rows });
        }
        Ok(counts)
    }

    /// Row counts and content digests of every table (the migration bookkeeping included), to
    /// compare a restored database with its source. Reads every row: for checks, not for
    /// routine use on large databases.
    pub async fn table_digests(&self) -> StoreResult<Vec<TableDigest>> {
        let mut digests = Vec::new();
        for table in self.table_names().await? {
            let mut rows: Vec<String> = match &self.pool {
                Pool::Sqlite(p) => {
                    let columns: Vec<String> =
                        sqlx::query_scalar("SELECT name FROM pragma_table_info($1) ORDER BY cid")
                            .bind(&table)
                            .fetch_all(p)
                            .await?;
                    let row = columns
                        .iter()
                        .map(|c| format!("quote({})", sql_ident(c)))
                        .collect::<Vec<_>>()
                        .join(" || ',' || ");
                    let sql = format!("SELECT {row} FROM {}", sql_ident(&table));
                    sqlx::query_scalar(&sql).fetch_all(p).await?
                }
                Pool::Postgres(p) => {
                    let sql = format!("SELECT t::text FROM {} AS t", sql_ident(&table));
                    sqlx::query_scalar(&sql).fetch_all(p).await?
                }
            };
            rows.sort_unstable();
            let mut hash = Sha256::new();
            for row in &rows {
                hash.update(row.as_bytes());
                hash.update(b"\n");
            }
            digests.push(TableDigest {
                table,
                rows: rows.len() as i64,
                sha256: hex::encode(hash.finalize()),
            });
        }
        Ok(digests)
    }

    /// The highest migration version applied to this database (0 when it has none).
    pub async fn applied_schema_version(&self) -> StoreResult<i64> {
        if !self.table_names().await?.iter().any(|t| t == MIGRATIONS_TABLE) {
            return Ok(0);
        }
        let version: Option<i64> = on_pool!(&self.pool, p => {
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success = TRUE").fetch_one(p).await
        })?;
        Ok(version.unwrap_or(0))
    }

    /// Writes a consistent copy of the database at `url` (this store's) to `to`, which must not
    /// exist yet.
    pub async fn backup_to(&self, url: &str, to: &Path) -> StoreResult<BackupSummary> {
        if to.exists() {
            return Err(StoreError::Invalid(format!(
                "{} already exists; a backup never overwrites a file",
                to.display()
            )));
        }
        let (schema_version, tables) = match &self.pool {
            Pool::Sqlite(p) => {
                let target = to.to_str().ok_or_else(|| {
                    StoreError::Invalid(format!("{}: the backup path must be valid UTF-8", to.display()))
                })?;
                sqlx::query(&format!("VACUUM INTO {}", sql_literal(target)))
                    .execute(p)
                    .await?;
                // The figures of the snapshot itself, not of the live database, which kept
                // changing.
                let copy = Store::open_sqlite_read_only(to).await?;
                let figures = (copy.applied_schema_version().await?, copy.table_counts().await?);
                copy.close().await;
                figures
            }
            Pool::Postgres(_) => {
                run_tool(
                    "pg_dump",
                    &[
                        "--format=custom".as_ref(),
                        "--no-owner".as_ref(),
                        "--file".as_ref(),
                        to.as_os_str(),
                        "--dbname".as_ref(),
                        url.as_ref(),
                    ],
                    url,
                )?;
                let version = dump_schema_version(to, url)?;
                (version, self.table_counts().await?)
            }
        };
        let bytes = std::fs::metadata(to).map(|m| m.len()).unwrap_or(0);
        Ok(BackupSummary {
            schema_version,
            tables,
            bytes,
        })
    }

    /// A read-only connection to a SQLite file (a backup), which is left exactly as it is.
    pub async fn open_sqlite_read_only(path: &Path) -> StoreResult<Store> {
        use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
        let options = SqliteConnectOptions::new().filename(path).read_only(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Connect(format!("{}: {e}", path.display())))?;
        Ok(Store {
            pool: Pool::Sqlite(pool),
        })
    }
}

/// The newest migration this binary knows on `backend`.
pub fn known_schema_version(backend: Backend) -> i64 {
    let migrator = match backend {
        Backend::Sqlite => &crate::SQLITE_MIGRATIONS,
        Backend::Postgres => &crate::POSTGRES_MIGRATIONS,
    };
    migrator.iter().map(|m| m.version).max().unwrap_or(0)
}

/// Restores the backup `from` into the empty database at `url` and brings it up to this
/// binary's schema. Refuses a database that holds rows, and a backup from a newer schema.
pub async fn restore(url: &str, from: &Path) -> StoreResult<BackupSummary> {
    if !from.is_file() {
        return Err(StoreError::Invalid(format!("{}: no such backup file", from.display())));
    }
    let target = Store::open_unmigrated(url).await?;
    let backend = target.backend();
    let known = known_schema_version(backend);
    let result = restore_into(&target, url, from, backend, known).await;
    target.close().await;
    result?;
    // Migrations newer than the backup run now; the figures are the restored database's.
    let restored = Store::open(url).await?;
    let summary = BackupSummary {
        schema_version: restored.applied_schema_version().await?,
        tables: restored.table_counts().await?,
        bytes: std::fs::metadata(from).map(|m| m.len()).unwrap_or(0),
    };
    restored.close().await;
    Ok(summary)
}

async fn restore_into(target: &Store, url: &str, from: &Path, backend: Backend, known: i64) -> StoreResult<()> {
    let found = match backend {
        Backend::Sqlite => {
            let backup = Store::open_sqlite_read_only(from)
                .await
                .map_err(|_| StoreError::Invalid(format!("{} is not a SQLite backup of Keel", from.display())))?;
            let version = backup.applied_schema_version().await;
            backup.close().await;
            version
                .map_err(|e| StoreError::Invalid(format!("{} is not a SQLite backup of Keel: {e}", from.display())))?
        }
        Backend::Postgres => dump_schema_version(from, url)?,
    };
    if found > known {
        return Err(StoreError::SchemaTooNew { found, known });
    }
    let holding: Vec<TableCount> = target
        .table_counts()
        .await?
        .into_iter()
        .filter(|t| t.rows > 0)
        .collect();
    if let Some(first) = holding.first() {
        return Err(StoreError::Invalid(format!(
            "the database {} is not empty ({} of its tables hold rows, e.g. {} with {}); \
             restore only into a new, empty database",
            redact_url(url),
            holding.len(),
            first.table,
            first.rows
        )));
    }
    // An empty schema (a `keel serve` that started but stored nothing) is replaced by the
    // backup's.
    let tables = target.table_names().await?;
    match &target.pool {
        Pool::Sqlite(p) => {
            let source = from
                .to_str()
                .ok_or_else(|| StoreError::Invalid(format!("{}: the path must be valid UTF-8", from.display())))?;
            let mut conn = p.acquire().await?;
            // Tables are created and filled in the backup's order, not their references'.
            sqlx::query("PRAGMA foreign_keys = OFF").execute(&mut *conn).await?;
            sqlx::query(&format!("ATTACH DATABASE {} AS backup", sql_literal(source)))
                .execute(&mut *conn)
                .await?;
            let copied = copy_attached(&mut conn, &tables).await;
            sqlx::query("DETACH DATABASE backup").execute(&mut *conn).await?;
            sqlx::query("PRAGMA foreign_keys = ON").execute(&mut *conn).await?;
            copied?;
        }
        Pool::Postgres(_) => {
            // `--clean --if-exists` drops the backup's objects first (tables, the audit
            // trigger's function) where an empty schema already has them.
            run_tool(
                "pg_restore",
                &[
                    "--no-owner".as_ref(),
                    "--clean".as_ref(),
                    "--if-exists".as_ref(),
                    "--exit-on-error".as_ref(),
                    "--single-transaction".as_ref(),
                    "--dbname".as_ref(),
                    url.as_ref(),
                    from.as_os_str(),
                ],
                url,
            )?;
        }
    }
    Ok(())
}

/// Replaces the main database's (empty) tables by the attached `backup` database's schema
/// and rows, in one transaction: tables (their `CREATE` statements as written), rows and
/// `AUTOINCREMENT` counters, then indexes, views and triggers.
async fn copy_attached(conn: &mut sqlx::SqliteConnection, existing: &[String]) -> StoreResult<()> {
    let objects: Vec<(String, String, String)> = sqlx::query(
        "SELECT type, name, sql FROM backup.sqlite_master
         WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'
         ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END, rowid",
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| (r.get(0), r.get(1), r.get(2)))
    .collect();
    let has_sequence: bool = sqlx::query_scalar(
        "SELECT COUNT(*) > 0 FROM backup.sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'",
    )
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await?;
    let copied = async {
        for table in existing {
            sqlx::query(&format!("DROP TABLE IF EXISTS main.{}", sql_ident(table)))
                .execute(&mut *conn)
                .await?;
        }
        let tables = || objects.iter().filter(|(kind, _, _)| kind == "table");
        for (_, _, sql) in tables() {
            sqlx::query(sql).execute(&mut *conn).await?;
        }
        for (_, name, _) in tables() {
            let name = sql_ident(name);
            sqlx::query(&format!("INSERT INTO main.{name} SELECT * FROM backup.{name}"))
                .execute(&mut *conn)
                .await?;
        }
        if has_sequence {
            sqlx::query("DELETE FROM main.sqlite_sequence")
                .execute(&mut *conn)
                .await?;
            sqlx::query("INSERT INTO main.sqlite_sequence SELECT * FROM backup.sqlite_sequence")
                .execute(&mut *conn)
                .await?;
        }
        for (_, _, sql) in objects.iter().filter(|(kind, _, _)| kind != "table") {
            sqlx::query(sql).execute(&mut *conn).await?;
        }
        Ok::<(), sqlx::Error>(())
    }
    .await;
    match copied {
        Ok(()) => {
            sqlx::query("COMMIT").execute(&mut *conn).await?;
            Ok(())
        }
        Err(e) => {
            let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
            Err(e.into())
        }
    }
}

/// Runs a PostgreSQL client tool, with a clear error when it is missing or fails.
fn run_tool(tool: &str, args: &[&std::ffi::OsStr], url: &str) -> StoreResult<std::process::Output> {
    let output = Command::new(tool).args(args).output().map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            StoreError::Config(format!(
                "`{tool}` is not on PATH; backups of PostgreSQL need the PostgreSQL client tools \
                 (pg_dump and pg_restore, the server's major version), e.g. `apt install postgresql-client`"
            ))
        } else {
            StoreError::Config(format!("cannot run `{tool}`: {e}"))
        }
    })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr).replace(url, &redact_url(url));
        return Err(StoreError::Config(format!(
            "`{tool}` failed ({}): {}",
            output.status,
            stderr.trim()
        )));
    }
    Ok(output)
}

/// The highest migration version recorded in a `pg_dump` custom-format file, read from its
/// `_sqlx_migrations` data by `pg_restore` (0 when the dump has none).
fn dump_schema_version(dump: &Path, url: &str) -> StoreResult<i64> {
    let output = run_tool(
        "pg_restore",
        &[
            "--data-only".as_ref(),
            "--table".as_ref(),
            MIGRATIONS_TABLE.as_ref(),
            "--file".as_ref(),
            "-".as_ref(),
            dump.as_os_str(),
        ],
        url,
    )?;
    let text = String::from_utf8_lossy(&output.stdout);
    let mut in_copy = false;
    let mut highest = 0;
    for line in text.lines() {
        if line.starts_with("COPY ") && line.contains(MIGRATIONS_TABLE) {
            in_copy = true;
        } else if line == "\\." {
            in_copy = false;
        } else if in_copy {
            let version = line
                .split('\t')
                .next()
                .and_then(|v| v.parse::<i64>().ok())
                .ok_or_else(|| {
                    StoreError::Invalid(format!("{}: an unreadable migration row {line:?}", dump.display()))
                })?;
            highest = highest.max(version);
        }
    }
    Ok(highest)
}
