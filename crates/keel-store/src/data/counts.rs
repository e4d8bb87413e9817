//! What a project holds: row counts per table and the log of past imports (overview page).

use super::ImportSummary;
use crate::projects::Project;
use crate::{Store, StoreResult, on_pool};
use chrono::{DateTime, Utc};

/// How many rows of each kind of platform data a project holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct DataCounts {
    pub posts: u64,
    pub daily: u64,
    pub ads: u64,
    pub leads: u64,
}

/// One committed import, as logged in `imports`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ImportRecord {
    pub format: String,
    pub source: String,
    pub actor: String,
    pub at: DateTime<Utc>,
    #[serde(flatten)]
    pub summary: ImportSummary,
}

type ImportRow = (String, String, String, DateTime<Utc>, i64, i64, i64, i64);

impl Store {
    /// Rows of posts, daily figures, ad statistics and leads held for `project`.
    pub async fn data_counts(&self, project: &Project) -> StoreResult<DataCounts> {
        let (posts, daily, ads, leads) = on_pool!(&self.pool, p => {
            sqlx::query_as::<_, (i64, i64, i64, i64)>(
                "SELECT (SELECT COUNT(*) FROM posts WHERE project_id = $1),
                        (SELECT COUNT(*) FROM daily_stats WHERE project_id = $1),
                        (SELECT COUNT(*) FROM ad_stats WHERE project_id = $1),
                        (SELECT COUNT(*) FROM leads WHERE project_id = $1)",
            )
            .bind(project.id)
            .fetch_one(p)
            .await
        })?;
        Ok(DataCounts {
            posts: posts as u64,
            daily: daily as u64,
            ads: ads as u64,
            leads: leads as u64,
        })
    }

    /// The latest `limit` imports into `project`, newest first.
    pub async fn recent_imports(&self, project: &Project, limit: u32) -> StoreResult<Vec<ImportRecord>> {
        let rows = on_pool!(&self.pool, p => {
            sqlx::query_as::<_, ImportRow>(
                "SELECT format, source, actor, at, rows_read, stored, replaced, unchanged
                 FROM imports WHERE project_id = $1 ORDER BY id DESC LIMIT $2",
            )
            .bind(project.id)
            .bind(i64::from(limit))
            .fetch_all(p)
            .await
        })?;
        Ok(rows
            .into_iter()
            .map(
                |(format, source, actor, at, rows_read, stored, replaced, unchanged)| ImportRecord {
                    format,
                    source,
                    actor,
                    at,
                    summary: ImportSummary {
                        rows_read: rows_read as u64,
                        stored: stored as u64,
                        replaced: replaced as u64,
                        unchanged: unchanged as u64,
                    },
                },
            )
            .collect())
    }
}
