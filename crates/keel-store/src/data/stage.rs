//! The engine-neutral face of an import transaction.

use super::{DataRow, ImportMeta, ImportSummary, RowSource, postgres, sqlite};
use crate::projects::Project;
use crate::{Pool, Store, StoreResult};

/// The project rows are imported into; `org_id` is copied from it onto every row.
#[derive(Debug, Clone, Copy)]
pub(super) struct Target {
    pub org: i64,
    pub project: i64,
}

/// An import whose rows are written but not committed. Dropping it rolls everything back.
#[must_use = "dropping a staged import rolls it back"]
pub struct StagedImport {
    inner: Inner,
}

enum Inner {
    Sqlite(sqlite::Staged),
    Postgres(postgres::Staged),
}

impl Store {
    /// Opens an import transaction for `project` and writes every row `source` yields into
    /// it. Nothing is visible to anyone else until [`StagedImport::commit`].
    ///
    /// On SQLite this holds the database's write lock until commit or rollback; on
    /// PostgreSQL imports into the same project queue behind each other.
    pub async fn stage_rows<R: DataRow>(
        &self,
        project: &Project,
        source: &mut impl RowSource<R>,
    ) -> StoreResult<StagedImport> {
        let target = Target {
            org: project.org_id,
            project: project.id,
        };
        let inner = match &self.pool {
            Pool::Sqlite(p) => Inner::Sqlite(sqlite::stage::<R>(p, target, source).await?),
            Pool::Postgres(p) => Inner::Postgres(postgres::stage::<R>(p, target, source).await?),
        };
        Ok(StagedImport { inner })
    }
}

impl StagedImport {
    /// How many rows were handed to the store so far.
    pub fn rows_written(&self) -> u64 {
        match &self.inner {
            Inner::Sqlite(s) => s.fed,
            Inner::Postgres(s) => s.fed,
        }
    }

    /// Makes the import permanent, logs it in `imports`, and says what it changed.
    pub async fn commit(self, meta: &ImportMeta<'_>) -> StoreResult<ImportSummary> {
        match self.inner {
            Inner::Sqlite(s) => s.commit(meta).await,
            Inner::Postgres(s) => s.commit(meta).await,
        }
    }

    /// Discards every row written; the store is as it was before [`Store::stage_rows`].
    pub async fn rollback(self) -> StoreResult<()> {
        match self.inner {
            Inner::Sqlite(s) => s.rollback().await?,
            Inner::Postgres(s) => s.tx.rollback().await?,
        }
        Ok(())
    }
}

/// Imports smaller than this never rebuild indexes: updating them row by row is cheap.
pub(super) const BULK_MIN_ROWS: u64 = 10_000;

/// Whether `spec`'s table (all projects) holds fewer than `n` rows. Counts at most `n`, so
/// the cost is bounded by the import's own size, never by the table's.
macro_rules! smaller_than {
    ($conn:expr, $spec:expr, $n:expr) => {{
        let sql = format!("SELECT COUNT(*) FROM (SELECT 1 FROM {} LIMIT $1) AS t", $spec.table);
        let held: i64 = sqlx::query_scalar(&sql).bind($n as i64).fetch_one($conn).await?;
        (held as u64) < $n
    }};
}
pub(super) use smaller_than;

/// Writes the `imports` log row; the SQL is the same on both engines.
macro_rules! log_import {
    ($conn:expr, $target:expr, $meta:expr, $s:expr) => {
        sqlx::query(
            "INSERT INTO imports (org_id, project_id, format, source, rows_read, stored,
                                  replaced, unchanged, actor, at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind($target.org)
        .bind($target.project)
        .bind($meta.format)
        .bind($meta.source)
        .bind($s.rows_read as i64)
        .bind($s.stored as i64)
        .bind($s.replaced as i64)
        .bind($s.unchanged as i64)
        .bind($meta.actor)
        .bind($crate::now())
        .execute($conn)
        .await
    };
}
pub(super) use log_import;

/// `col = excluded.col, …` for every non-key column (the `SET` of an upsert).
pub(super) fn set_list(spec: &super::TableSpec, excluded: &str) -> String {
    non_key(spec)
        .map(|c| format!("{c} = {excluded}.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The columns an upsert may change: all but the natural key.
pub(super) fn non_key(spec: &super::TableSpec) -> impl Iterator<Item = &'static str> + '_ {
    spec.columns.iter().map(|(c, _)| *c).filter(|c| !spec.key.contains(c))
}

/// The column list `org_id, project_id, c1, c2, …` of an insert.
pub(super) fn insert_columns(spec: &super::TableSpec) -> String {
    let mut cols = String::from("org_id, project_id");
    for (c, _) in spec.columns {
        cols.push_str(", ");
        cols.push_str(c);
    }
    cols
}
