//! SQLite: rows are staged in a temporary table, then moved with one sorted upsert.
//!
//! Why not upsert straight away: SQLite must keep a statement journal for every multi-row
//! upsert into a `WITHOUT ROWID` table, holding a copy of each page the statement touches.
//! With keys in random order every row touches its own pages, and the copying made a
//! 1M-row import 4× slower than `sqlite3 .import`. Appending to a plain temporary table
//! needs no journal; the single `INSERT … SELECT … ORDER BY <key>` afterwards writes the
//! table in key order (SQLite's sorter spills to temporary files, so memory stays bounded)
//! and copies each existing page at most once.
//!
//! Ordering by key and then line keeps file order within a key, so a repeated key is
//! inserted by its first line and replaced by later, different ones — exactly the row-by-row
//! meaning of the summary. `changes()` counts inserted rows plus rows the `WHERE` let
//! through (an identical row is not counted), and the growth of the project's table
//! separates the two, so no row is looked up one at a time.
//!
//! The import runs on a connection taken out of the pool for it alone, with import-only
//! settings; closing it (also on drop, or when the process dies) discards anything not
//! committed.

use super::post_days::{self, Change, Collector};
use super::stage::{BULK_MIN_ROWS, Target, insert_columns, log_import, non_key, set_list, smaller_than};
use super::{DataRow, ImportMeta, ImportSummary, RowSource, TableSpec};
use crate::{StoreError, StoreResult};
use sqlx::sqlite::SqlitePool;
use sqlx::{Connection, SqliteConnection};

/// Rows per staging `INSERT`: 500 × 13 parameters stays far below SQLite's limit of
/// 32766, and larger statements measured no faster.
pub const CHUNK: usize = 500;

const STAGING: &str = "temp.keel_import_rows";

/// Settings of the import connection. Page cache: 64 MiB, so the table's upper B-tree
/// levels and the sorter stay in memory (the default 2 MiB made large imports I/O-bound),
/// while peak memory stays well under 256 MiB. Foreign keys: every row gets its
/// `org_id`/`project_id` from the project row, which cannot change while this transaction
/// holds the write lock, so checking them per row would only cost time.
const PRAGMAS: [&str; 2] = ["PRAGMA cache_size = -65536", "PRAGMA foreign_keys = OFF"];

pub(super) struct Staged {
    conn: SqliteConnection,
    target: Target,
    spec: &'static TableSpec,
    /// The touched accounts and their days, for `post_days`.
    days: Collector,
    pub fed: u64,
}

pub(super) async fn stage<R: DataRow>(
    pool: &SqlitePool,
    target: Target,
    source: &mut impl RowSource<R>,
) -> StoreResult<Staged> {
    let spec = R::SPEC;
    // Detached: its settings never leak back into the pool, and it is closed afterwards.
    let mut conn = pool.acquire().await?.detach();
    for pragma in PRAGMAS {
        sqlx::query(pragma).execute(&mut conn).await?;
    }
    // IMMEDIATE takes the write lock now: a deferred transaction that later upgrades can
    // fail with SQLITE_BUSY halfway through a file when another writer got in between.
    sqlx::query("BEGIN IMMEDIATE").execute(&mut conn).await?;
    // With foreign keys off, check once that the project is there (and, the write lock
    // being held, stays there until commit).
    // Its time zone decides the local days of the posts' day sums.
    let zone: String = sqlx::query_scalar("SELECT time_zone FROM projects WHERE id = $1 AND org_id = $2")
        .bind(target.project)
        .bind(target.org)
        .fetch_optional(&mut conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let columns: Vec<&str> = spec.columns.iter().map(|(c, _)| *c).collect();
    // No constraints and an implicit rowid: appends in file order, nothing to journal.
    sqlx::query(&format!(
        "CREATE TABLE {STAGING} (seq INTEGER PRIMARY KEY, {})",
        columns.join(", ")
    ))
    .execute(&mut conn)
    .await?;
    let full = stage_sql(spec, CHUNK);
    let mut fed = 0u64;
    let mut days = Collector::in_zone(&zone);
    while let Some(batch) = source.next_batch().await {
        for post in batch.iter().filter_map(DataRow::as_post) {
            days.add(post);
        }
        for chunk in batch.chunks(CHUNK) {
            let tail;
            let sql = if chunk.len() == CHUNK {
                full.as_str()
            } else {
                tail = stage_sql(spec, chunk.len());
                tail.as_str()
            };
            // Odd-sized tails are run once; keep them out of the statement cache.
            let mut q = sqlx::query(sql).persistent(chunk.len() == CHUNK);
            for row in chunk {
                q = row.bind_sqlite(q);
            }
            q.execute(&mut conn).await?;
            fed += chunk.len() as u64;
        }
    }
    Ok(Staged {
        conn,
        target,
        spec,
        days,
        fed,
    })
}

impl Staged {
    pub(super) async fn commit(mut self, meta: &ImportMeta<'_>) -> StoreResult<ImportSummary> {
        let (spec, target) = (self.spec, self.target);
        let before = count(&mut self.conn, spec, target).await?;
        let rebuild = self.drop_indexes().await?;
        let affected = sqlx::query(&upsert_sql(spec, target))
            .execute(&mut self.conn)
            .await?
            .rows_affected();
        for create in &rebuild {
            sqlx::query(create).execute(&mut self.conn).await?;
        }
        let after = count(&mut self.conn, spec, target).await?;
        let stored = (after - before).max(0) as u64;
        let replaced = affected.saturating_sub(stored);
        let summary = ImportSummary {
            rows_read: self.fed,
            stored,
            replaced,
            unchanged: self.fed.saturating_sub(stored + replaced),
        };
        let days = std::mem::take(&mut self.days);
        post_days::update_sqlite(&mut self.conn, target.project, days, Change::of(&summary)).await?;
        log_import!(&mut self.conn, target, meta, summary)?;
        // What the analytics and the report read changed: in this transaction.
        crate::bump_data_version!(&mut self.conn, target.project)?;
        sqlx::query("COMMIT").execute(&mut self.conn).await?;
        self.conn.close().await?;
        Ok(summary)
    }

    /// For a bulk load — at least [`BULK_MIN_ROWS`] rows, and more than the whole table
    /// holds — drops the table's secondary indexes (inside the transaction, so readers keep
    /// their snapshot and a failure restores them) and returns their definitions to run
    /// after the rows are in. Keyed by time, not by the table's key, they would otherwise
    /// take every row in random order, while building them sorts once.
    async fn drop_indexes(&mut self) -> StoreResult<Vec<String>> {
        let (conn, spec) = (&mut self.conn, self.spec);
        if self.fed < BULK_MIN_ROWS || !smaller_than!(&mut *conn, spec, self.fed) {
            return Ok(Vec::new());
        }
        let indexes: Vec<(String, String)> = sqlx::query_as(
            "SELECT name, sql FROM sqlite_schema
             WHERE type = 'index' AND tbl_name = $1 AND sql IS NOT NULL",
        )
        .bind(spec.table)
        .fetch_all(&mut *conn)
        .await?;
        for (name, _) in &indexes {
            sqlx::query(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))
                .execute(&mut *conn)
                .await?;
        }
        Ok(indexes.into_iter().map(|(_, create)| create).collect())
    }

    pub(super) async fn rollback(mut self) -> StoreResult<()> {
        sqlx::query("ROLLBACK").execute(&mut self.conn).await?;
        self.conn.close().await?;
        Ok(())
    }
}

async fn count(conn: &mut SqliteConnection, spec: &TableSpec, target: Target) -> StoreResult<i64> {
    let sql = format!("SELECT COUNT(*) FROM {} WHERE project_id = $1", spec.table);
    Ok(sqlx::query_scalar::<_, i64>(&sql)
        .bind(target.project)
        .fetch_one(conn)
        .await?)
}

/// The staging insert of `rows` rows, with plain `?` placeholders (named ones cost sqlx a
/// lookup per parameter per execution, which at thousands per statement showed).
fn stage_sql(spec: &TableSpec, rows: usize) -> String {
    let one = format!("(?{})", ", ?".repeat(spec.columns.len() - 1));
    let columns: Vec<&str> = spec.columns.iter().map(|(c, _)| *c).collect();
    format!(
        "INSERT INTO {STAGING} ({}) VALUES {}",
        columns.join(", "),
        vec![one; rows].join(", ")
    )
}

/// The staging-to-table upsert in key order. The ids are literals: integers from the
/// database, not input. (`WHERE true` is SQLite's required disambiguation of
/// `INSERT … SELECT … ON CONFLICT`.)
fn upsert_sql(spec: &TableSpec, target: Target) -> String {
    let key = spec.key.join(", ");
    let data: Vec<&str> = spec.columns.iter().map(|(c, _)| *c).collect();
    let differs = non_key(spec)
        .map(|c| format!("{t}.{c} IS NOT excluded.{c}", t = spec.table))
        .collect::<Vec<_>>()
        .join(" OR ");
    format!(
        "INSERT INTO {table} ({cols})
         SELECT {org}, {project}, {data} FROM {STAGING} WHERE true ORDER BY {key}, seq
         ON CONFLICT (project_id, {key}) DO UPDATE SET {set} WHERE {differs}",
        table = spec.table,
        cols = insert_columns(spec),
        org = target.org,
        project = target.project,
        data = data.join(", "),
        set = set_list(spec, "excluded"),
    )
}
