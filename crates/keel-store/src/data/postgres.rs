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

use super::encode::{CopyRow, copy_header, copy_trailer};
use super::keys::KeyTracker;
use super::pg_bulk;
use super::pg_sql::{insert_sql, replaced_sql, update_sql, upsert_last_sql};
use super::post_days::{Change, Collector};
use super::stage::{Target, insert_columns, log_import};
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
    /// Whether the copy started straight into the table (see [`stage`]), and how many rows
    /// went there; the others are staged.
    straight: bool,
    direct: u64,
    /// Index definitions dropped before a straight copy, to build at commit.
    rebuild: Vec<String>,
    pub fed: u64,
}

/// Where the `COPY` goes.
fn copy_sql(spec: &TableSpec, direct: bool, freeze: bool) -> String {
    if direct {
        let freeze = if freeze { ", FREEZE" } else { "" };
        format!(
            "COPY {} ({}) FROM STDIN WITH (FORMAT binary{freeze})",
            spec.table,
            insert_columns(spec)
        )
    } else {
        format!("COPY {STAGING} FROM STDIN WITH (FORMAT binary)")
    }
}

async fn create_staging(conn: &mut PgConnection, spec: &TableSpec) -> StoreResult<()> {
    let columns: Vec<String> = spec.columns.iter().map(|(c, t)| format!("{c} {t}")).collect();
    sqlx::query(&format!(
        "CREATE TEMP TABLE {STAGING} (seq BIGINT NOT NULL, {}) ON COMMIT DROP",
        columns.join(", ")
    ))
    .execute(conn)
    .await?;
    Ok(())
}

/// Streams the rows into the transaction.
///
/// Into an empty table (the first load of a new installation, the largest there is), the
/// rows are copied straight in — every one is new, so there is nothing to compare, and
/// staging them first would copy a million rows twice — with the table locked, its
/// secondary indexes dropped (nobody can be reading what is not there) and built at commit,
/// and the rows written frozen (`pg_bulk::truncate_for_freeze`). This holds
/// only while no key has repeated, which the [`KeyTracker`] vouches for row by row: at the
/// first row it cannot vouch for (a repeat, or more keys than it remembers), the copy into
/// the table ends and that row and the rest go to the staging table, to be merged at commit
/// the exact way. Anywhere else, every row is staged.
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
    let straight = pg_bulk::claim_empty_table(&mut tx, spec).await?;
    let mut into_table = straight;
    let (mut rebuild, mut freeze) = (Vec::new(), false);
    if into_table {
        pg_bulk::skip_row_checks(&mut tx, target).await?;
        rebuild = pg_bulk::drop_indexes_now(&mut tx, spec).await?;
        // Last, with no savepoint after it: FREEZE needs the truncation in the current
        // subtransaction.
        freeze = pg_bulk::truncate_for_freeze(&mut tx, spec).await?;
    } else {
        create_staging(&mut tx, spec).await?;
    }

    let mut keys = KeyTracker::new();
    // The project's time zone decides the local days of the posts' day sums.
    let zone: String = sqlx::query_scalar("SELECT time_zone FROM projects WHERE id = $1")
        .bind(target.project)
        .fetch_optional(&mut *tx)
        .await?
        .unwrap_or_default();
    let mut days = Collector::in_zone(&zone);
    let mut copy = tx.copy_in_raw(&copy_sql(spec, into_table, freeze)).await?;
    let mut buf = Vec::with_capacity(SEND_AT + (64 << 10));
    copy_header(&mut buf);
    let (mut fed, mut direct) = (0u64, 0u64);
    let width = spec.columns.len();
    while let Some(batch) = source.next_batch().await {
        for row in &batch {
            fed += 1;
            keys.add(row);
            if let Some(post) = row.as_post() {
                days.add(post);
            }
            if into_table && !keys.vouches() {
                // From here on, staged: end the straight copy.
                copy_trailer(&mut buf);
                copy.send(buf.as_slice()).await?;
                buf.clear();
                copy.finish().await?;
                into_table = false;
                create_staging(&mut tx, spec).await?;
                copy = tx.copy_in_raw(&copy_sql(spec, false, false)).await?;
                copy_header(&mut buf);
            }
            if into_table {
                direct += 1;
                let mut line = CopyRow::start(&mut buf, width + 2, target.org);
                line.int(Some(target.project));
                row.write_copy(&mut line);
                line.end();
            } else {
                let mut line = CopyRow::start(&mut buf, width + 1, fed as i64);
                row.write_copy(&mut line);
                line.end();
            }
        }
        if buf.len() >= SEND_AT {
            copy.send(buf.as_slice()).await?;
            buf.clear();
        }
    }
    copy_trailer(&mut buf);
    copy.send(buf.as_slice()).await?;
    copy.finish().await?;
    Ok(Staged {
        tx,
        target,
        spec,
        keys,
        days,
        straight,
        direct,
        rebuild,
        fed,
    })
}

impl Staged {
    pub(super) async fn commit(mut self, meta: &ImportMeta<'_>) -> StoreResult<ImportSummary> {
        let (spec, target, conn) = (self.spec, self.target, &mut *self.tx);
        let (stored, replaced, rebuild) = if self.straight {
            // Copied straight in, every one new; the rest (if any) merged line by line.
            let (stored, replaced) = if self.direct < self.fed {
                last_line_wins(conn, spec, target).await?
            } else {
                (0, 0)
            };
            (self.direct + stored, replaced, std::mem::take(&mut self.rebuild))
        } else {
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
            (stored, replaced, rebuild)
        };
        for create in &rebuild {
            sqlx::query(create).execute(&mut *conn).await?;
        }
        let summary = ImportSummary {
            rows_read: self.fed,
            stored,
            replaced,
            unchanged: self.fed.saturating_sub(stored + replaced),
        };
        post_days::update_postgres(&mut self.tx, target.project, self.days, Change::of(&summary)).await?;
        log_import!(&mut *self.tx, target, meta, summary)?;
        // What the analytics and the report read changed: in this transaction.
        crate::bump_data_version!(&mut *self.tx, target.project)?;
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
