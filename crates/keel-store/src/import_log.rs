//! The record of finished imports, for the project's data page.

use crate::projects::Project;
use crate::{Store, StoreResult, on_pool};
use chrono::{DateTime, Utc};

/// One committed import, as logged in `imports`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ImportRecord {
    pub format: String,
    pub source: String,
    pub rows_read: i64,
    pub stored: i64,
    pub replaced: i64,
    pub unchanged: i64,
    pub actor: String,
    pub at: DateTime<Utc>,
}

impl Store {
    /// The project's latest `limit` imports, newest first.
    pub async fn recent_imports(&self, project: &Project, limit: i64) -> StoreResult<Vec<ImportRecord>> {
        Ok(on_pool!(&self.pool, p => {
            sqlx::query_as::<_, ImportRecord>(
                "SELECT format, source, rows_read, stored, replaced, unchanged, actor, at
                 FROM imports WHERE project_id = $1 ORDER BY id DESC LIMIT $2",
            )
            .bind(project.id)
            .bind(limit)
            .fetch_all(p)
            .await
        })?)
    }
}
