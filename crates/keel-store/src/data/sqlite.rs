//! SQLite: multi-row upserts inside one `BEGIN IMMEDIATE` transaction.
//!
//! One `INSERT … VALUES (…), (…) … ON CONFLICT … DO UPDATE … WHERE <a column differs>` per
//! [`CHUNK`] rows, always the same SQL text so the connection's statement cache prepares it
//! once. SQLite applies the rows of a statement one after another, so a key repeated in a
//! file is inserted by its first line and replaced by later, different lines — exactly the
//! row-by-row meaning of the summary. `changes()` counts inserted rows plus rows the
//! `WHERE` let through (an identical row is not counted), and the growth of the project's
//! table separates the two, so no row is looked up one at a time.

use super::stage::{Target, insert_columns, log_import, non_key, set_list, summarize};
use super::{DataRow, ImportMeta, ImportSummary, RowSource, TableSpec};
use crate::StoreResult;
use sqlx::sqlite::SqlitePool;
use sqlx::{Sqlite, SqliteConnection, Transaction};

/// Rows per `INSERT`. Measured: 250–1000 are within a few percent of each other; fewer
/// pays per-statement overhead, more only grows the statement.
pub const CHUNK: usize = 500;

pub(super) struct Staged {
    pub tx: Transaction<'static, Sqlite>,
    target: Target,
    spec: &'static TableSpec,
    before: i64,
    affected: u64,
    pub fed: u64,
}

pub(super) async fn stage<R: DataRow>(
    pool: &SqlitePool,
    target: Target,
    source: &mut impl RowSource<R>,
) -> StoreResult<Staged> {
    let spec = R::SPEC;
    // IMMEDIATE takes the write lock now: a deferred transaction that later upgrades can
    // fail with SQLITE_BUSY halfway through a file when another writer got in between.
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    if let Ok(pragmas) = std::env::var("KEEL_BENCH_PRAGMAS") {
        for p in pragmas.split(';') {
            sqlx::query(&format!("PRAGMA {p}")).execute(&mut *tx).await?;
        }
    }
    let before = count(&mut tx, spec, target).await?;
    let full = upsert_sql(spec, target, CHUNK);
    let (mut affected, mut fed) = (0u64, 0u64);
    while let Some(batch) = source.next_batch().await {
        for chunk in batch.chunks(CHUNK) {
            let tail;
            let sql = if chunk.len() == CHUNK {
                full.as_str()
            } else {
                tail = upsert_sql(spec, target, chunk.len());
                tail.as_str()
            };
            // Odd-sized tails are run once; keep them out of the statement cache.
            let mut q = sqlx::query(sql).persistent(chunk.len() == CHUNK);
            for row in chunk {
                q = row.bind_sqlite(q);
            }
            affected += q.execute(&mut *tx).await?.rows_affected();
            fed += chunk.len() as u64;
        }
    }
    Ok(Staged {
        tx,
        target,
        spec,
        before,
        affected,
        fed,
    })
}

impl Staged {
    pub(super) async fn commit(mut self, meta: &ImportMeta<'_>) -> StoreResult<ImportSummary> {
        let after = count(&mut self.tx, self.spec, self.target).await?;
        let summary = summarize(self.fed, after - self.before, self.affected, None);
        log_import!(&mut *self.tx, self.target, meta, summary)?;
        self.tx.commit().await?;
        Ok(summary)
    }
}

async fn count(conn: &mut SqliteConnection, spec: &TableSpec, target: Target) -> StoreResult<i64> {
    let sql = format!("SELECT COUNT(*) FROM {} WHERE project_id = $1", spec.table);
    Ok(sqlx::query_scalar::<_, i64>(&sql)
        .bind(target.project)
        .fetch_one(conn)
        .await?)
}

/// The upsert of `rows` rows. The ids are written as literals (they are integers from the
/// database, not input) so every placeholder is a plain `?`: named ones cost sqlx a lookup
/// per parameter per execution, which at thousands of parameters per statement showed.
fn upsert_sql(spec: &TableSpec, target: Target, rows: usize) -> String {
    let one = format!(
        "({}, {}{})",
        target.org,
        target.project,
        ", ?".repeat(spec.columns.len())
    );
    let values = vec![one; rows].join(", ");
    let differs = non_key(spec)
        .map(|c| format!("{t}.{c} IS NOT excluded.{c}", t = spec.table))
        .collect::<Vec<_>>()
        .join(" OR ");
    format!(
        "INSERT INTO {table} ({cols}) VALUES {values}
         ON CONFLICT (project_id, {key}) DO UPDATE SET {set} WHERE {differs}",
        table = spec.table,
        cols = insert_columns(spec),
        key = spec.key.join(", "),
        set = set_list(spec, "excluded"),
    )
}
