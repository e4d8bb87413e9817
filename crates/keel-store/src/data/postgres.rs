//! PostgreSQL: `COPY` into a staging table, then one set-based upsert.
//!
//! Rows stream through `COPY … FROM STDIN` into a temporary table (dropped at the end of the
//! transaction), numbered in file order. At commit one `INSERT … SELECT … ON CONFLICT … DO
//! UPDATE … WHERE … IS DISTINCT FROM …` moves them over; its row count is inserted rows
//! plus rows that really changed, and the growth of the project's table separates the two.
//!
//! PostgreSQL refuses to let one statement upsert the same key twice. Files rarely repeat a
//! key, so the plain upsert is tried first under a savepoint; when it hits a repeated key
//! (SQLSTATE 21000) it is undone and the slower path runs: count replacements line by line
//! with window functions (so the summary matches SQLite's row-by-row meaning), then upsert
//! only the last line of each key.

use super::encode::CopyRow;
use super::stage::{Target, insert_columns, log_import, non_key, set_list, summarize};
use super::{DataRow, ImportMeta, ImportSummary, RowSource, TableSpec};
use crate::StoreResult;
use sqlx::postgres::{PgConnection, PgPool};
use sqlx::{Postgres, Transaction};

/// Bytes of `COPY` text gathered before a send: large enough that the per-message cost
/// vanishes, small enough to keep memory flat.
const SEND_AT: usize = 1 << 20;

/// First key of the advisory lock that queues imports into one project (ASCII "keel").
const LOCK_NAMESPACE: i32 = 0x6b65_656c;

const STAGING: &str = "keel_import_rows";

pub(super) struct Staged {
    pub tx: Transaction<'static, Postgres>,
    target: Target,
    spec: &'static TableSpec,
    pub fed: u64,
}

pub(super) async fn stage<R: DataRow>(
    pool: &PgPool,
    target: Target,
    source: &mut impl RowSource<R>,
) -> StoreResult<Staged> {
    let spec = R::SPEC;
    let mut tx = pool.begin().await?;
    // Imports into one project queue: that keeps the before/after counts exact, and two
    // imports upserting the same keys in different orders cannot deadlock.
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

    let mut copy = tx.copy_in_raw(&format!("COPY {STAGING} FROM STDIN")).await?;
    let mut buf = Vec::with_capacity(SEND_AT + (64 << 10));
    let mut fed = 0u64;
    while let Some(batch) = source.next_batch().await {
        for row in &batch {
            fed += 1;
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
    Ok(Staged { tx, target, spec, fed })
}

impl Staged {
    pub(super) async fn commit(mut self, meta: &ImportMeta<'_>) -> StoreResult<ImportSummary> {
        let (spec, target) = (self.spec, self.target);
        let before = count(&mut self.tx, spec, target).await?;
        sqlx::query("SAVEPOINT keel_upsert").execute(&mut *self.tx).await?;
        let (affected, replaced) = match sqlx::query(&upsert_sql(spec, target, false))
            .execute(&mut *self.tx)
            .await
        {
            Ok(done) => (done.rows_affected(), None),
            Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("21000") => {
                sqlx::query("ROLLBACK TO SAVEPOINT keel_upsert")
                    .execute(&mut *self.tx)
                    .await?;
                let replaced: i64 = sqlx::query_scalar(&replaced_sql(spec, target))
                    .fetch_one(&mut *self.tx)
                    .await?;
                let done = sqlx::query(&upsert_sql(spec, target, true))
                    .execute(&mut *self.tx)
                    .await?;
                (done.rows_affected(), Some(replaced as u64))
            }
            Err(e) => return Err(e.into()),
        };
        let after = count(&mut self.tx, spec, target).await?;
        let summary = summarize(self.fed, after - before, affected, replaced);
        log_import!(&mut *self.tx, target, meta, summary)?;
        self.tx.commit().await?;
        Ok(summary)
    }
}

async fn count(conn: &mut PgConnection, spec: &TableSpec, target: Target) -> StoreResult<i64> {
    let sql = format!("SELECT COUNT(*) FROM {} WHERE project_id = $1", spec.table);
    Ok(sqlx::query_scalar::<_, i64>(&sql)
        .bind(target.project)
        .fetch_one(conn)
        .await?)
}

fn data_columns(spec: &TableSpec, prefix: &str) -> String {
    spec.columns
        .iter()
        .map(|(c, _)| format!("{prefix}{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn row_of(cols: impl Iterator<Item = &'static str>, prefix: &str) -> String {
    let cols: Vec<String> = cols.map(|c| format!("{prefix}{c}")).collect();
    format!("ROW({})", cols.join(", "))
}

/// The staging-to-table upsert; `last_per_key` keeps only the last line of each key.
fn upsert_sql(spec: &TableSpec, target: Target, last_per_key: bool) -> String {
    let key = spec.key.join(", ");
    let select = if last_per_key {
        format!(
            "SELECT DISTINCT ON ({key}) {org}, {project}, {cols} FROM {STAGING}
             ORDER BY {key}, seq DESC",
            org = target.org,
            project = target.project,
            cols = data_columns(spec, ""),
        )
    } else {
        format!(
            "SELECT {}, {}, {} FROM {STAGING}",
            target.org,
            target.project,
            data_columns(spec, "")
        )
    };
    format!(
        "INSERT INTO {table} ({cols}) {select}
         ON CONFLICT (project_id, {key}) DO UPDATE SET {set}
         WHERE {old} IS DISTINCT FROM {new}",
        table = spec.table,
        cols = insert_columns(spec),
        set = set_list(spec, "EXCLUDED"),
        old = row_of(non_key(spec), &format!("{}.", spec.table)),
        new = row_of(non_key(spec), "EXCLUDED."),
    )
}

/// Lines that change their key's values: a first line that differs from the stored row, or
/// a later line that differs from the line before it with the same key.
fn replaced_sql(spec: &TableSpec, target: Target) -> String {
    let key = spec.key.join(", ");
    let joined = spec
        .key
        .iter()
        .map(|k| format!("t.{k} = s.{k}"))
        .collect::<Vec<_>>()
        .join(" AND ");
    let vals = row_of(non_key(spec), "");
    format!(
        "WITH s AS (
             SELECT {key}, {vals} AS v,
                    LAG({vals}) OVER w AS prev,
                    ROW_NUMBER() OVER w AS n
             FROM {STAGING} WINDOW w AS (PARTITION BY {key} ORDER BY seq))
         SELECT COUNT(*) FROM s
         LEFT JOIN {table} t ON t.project_id = {project} AND {joined}
         WHERE (s.n > 1 AND s.v IS DISTINCT FROM s.prev)
            OR (s.n = 1 AND t.project_id IS NOT NULL AND {old} IS DISTINCT FROM s.v)",
        table = spec.table,
        project = target.project,
        old = row_of(non_key(spec), "t."),
    )
}
