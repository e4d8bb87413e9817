//! PostgreSQL: `COPY` into a staging table, then set-based statements.
//!
//! Rows stream through `COPY … FROM STDIN` into a temporary table (dropped at the end of the
//! transaction), numbered in file order. At commit, when no key repeats within the file
//! (tracked while streaming, see `keys.rs`), one `UPDATE … FROM` changes the stored rows
//! whose values differ (its count is *replaced*) and one `INSERT … SELECT … WHERE NOT
//! EXISTS` adds the new keys (its count is *stored*). That is markedly cheaper than
//! `INSERT … ON CONFLICT`, whose speculative insertion doubled the cost per row.
//!
//! When a key repeats, the `UPDATE` could not tell which line wins, so the slower exact path
//! runs instead: replacements are counted line by line with window functions (matching
//! SQLite's row-by-row meaning) and only the last line of each key is upserted.
//!
//! Bulk loads get more help (`pg_bulk.rs`): per-row foreign-key checks are skipped where
//! the role may, and secondary indexes are rebuilt instead of updated row by row.

use super::encode::CopyRow;
use super::keys::KeyTracker;
use super::pg_bulk;
use super::pg_sql::{insert_sql, replaced_sql, update_sql, upsert_last_sql};
use super::post_days::Collector;
use super::stage::{Target, log_import};
use super::{DataRow, ImportMeta, ImportSummary, RowSource, TableSpec, post_days};
use crate::StoreResult;
use sqlx::postgres::{PgConnection, PgPool};
use sqlx::{Postgres, Transaction};

/// Bytes of `COPY` text gathered before a send: large enough that the per-message cost
/// vanishes, small enough to keep memory flat.
const SEND_AT: usize = 1 << 20;

/// First key of the advisory lock that queues imports into one project (ASCII "keel").
pub(super) const LOCK_NAMESPACE: i32 = 0x6b65_656c;

pub(super) const STAGING: &str = "keel_import_rows";

pub(super) struct Staged {
    pub tx: Transaction<'static, Postgres>,
    target: Target,
    spec: &'static TableSpec,
    keys: KeyTracker,
    /// The touched accounts and their days, for `post_days`.
    days: Collector,
    pub fed: u64,
}

pub(super) async fn stage<R: DataRow>(
    pool: &PgPool,
    target: Target,
    source: &mut impl RowSource<R>,
) -> StoreResult<Staged> {
    let spec = R::SPEC;
    let mut tx = pool.begin().await?;
    // Imports into one project queue: two imports upserting the same keys cannot
    // interleave (or deadlock), and the counts of each stay exact.
    sqlx::query("SELECT pg_advisory_xact_lock($1, $2)")
        .bind(LOCK_NAMESPACE)
        .bind(target.project as i32)
        .execute(&mut *tx)
        .await?;
    let columns: Vec<String> = spec.columns.iter().map(|(c, t)| format!("{c} {t}")).collect();
    sqlx::query(&format!(
        "CREATE TEMP TABLE {STAGING} (seq BIGINT NOT NULL, {}) ON COMMIT DROP",
        columns.join(", ")
    ))
    .execute(&mut *tx)
    .await?;

    let mut keys = KeyTracker::new();
    let mut days = Collector::default();
    let mut copy = tx.copy_in_raw(&format!("COPY {STAGING} FROM STDIN")).await?;
    let mut buf = Vec::with_capacity(SEND_AT + (64 << 10));
    let mut fed = 0u64;
    while let Some(batch) = source.next_batch().await {
        for row in &batch {
            fed += 1;
            keys.add(row);
            if let Some(post) = row.as_post() {
                days.add(post);
            }
            let mut line = CopyRow::start(&mut buf, fed);
            row.write_copy(&mut line);
            line.end();
        }
        if buf.len() >= SEND_AT {
            copy.send(buf.as_slice()).await?;
            buf.clear();
        }
    }
    if !buf.is_empty() {
        copy.send(buf.as_slice()).await?;
    }
    copy.finish().await?;
    Ok(Staged {
        tx,
        target,
        spec,
        keys,
        days,
        fed,
    })
}

impl Staged {
    pub(super) async fn commit(mut self, meta: &ImportMeta<'_>) -> StoreResult<ImportSummary> {
        let (spec, target, conn) = (self.spec, self.target, &mut *self.tx);
        let repeats = match self.keys.repeats() {
            Some(known) => known,
            None => pg_bulk::keys_repeat(conn, spec).await?,
        };
        pg_bulk::skip_row_checks(conn, target).await?;
        let rebuild = pg_bulk::drop_indexes(conn, spec, self.fed).await?;
        let (stored, replaced) = if repeats {
            last_line_wins(conn, spec, target).await?
        } else {
            update_then_insert(conn, spec, target).await?
        };
        post_days::update_postgres(conn, target.project, self.days, stored == self.fed).await?;
        for create in &rebuild {
            sqlx::query(create).execute(&mut *conn).await?;
        }
        let summary = ImportSummary {
            rows_read: self.fed,
            stored,
            replaced,
            unchanged: self.fed.saturating_sub(stored + replaced),
        };
        log_import!(&mut *self.tx, target, meta, summary)?;
        self.tx.commit().await?;
        Ok(summary)
    }
}

/// The fast path (no key repeats): `(stored, replaced)`.
async fn update_then_insert(conn: &mut PgConnection, spec: &TableSpec, target: Target) -> StoreResult<(u64, u64)> {
    let held: bool = sqlx::query_scalar(&format!(
        "SELECT EXISTS (SELECT 1 FROM {} WHERE project_id = $1)",
        spec.table
    ))
    .bind(target.project)
    .fetch_one(&mut *conn)
    .await?;
    // A project's first import has nothing to compare with: skip both joins.
    let replaced = if held {
        let sql = update_sql(spec, target);
        sqlx::query(&sql).execute(&mut *conn).await?.rows_affected()
    } else {
        0
    };
    let sql = insert_sql(spec, target, held);
    let stored = sqlx::query(&sql).execute(&mut *conn).await?.rows_affected();
    Ok((stored, replaced))
}

/// The exact path when keys repeat: `(stored, replaced)`.
async fn last_line_wins(conn: &mut PgConnection, spec: &TableSpec, target: Target) -> StoreResult<(u64, u64)> {
    let before = count(conn, spec, target).await?;
    let replaced: i64 = sqlx::query_scalar(&replaced_sql(spec, target))
        .fetch_one(&mut *conn)
        .await?;
    sqlx::query(&upsert_last_sql(spec, target)).execute(&mut *conn).await?;
    let after = count(conn, spec, target).await?;
    Ok(((after - before).max(0) as u64, replaced.max(0) as u64))
}

async fn count(conn: &mut PgConnection, spec: &TableSpec, target: Target) -> StoreResult<i64> {
    let sql = format!("SELECT COUNT(*) FROM {} WHERE project_id = $1", spec.table);
    Ok(sqlx::query_scalar::<_, i64>(&sql)
        .bind(target.project)
        .fetch_one(conn)
        .await?)
}
