//! What a project holds: row counts per table (overview page). The log of past imports is
//! `crate::import_log`.

use crate::projects::Project;
use crate::{Store, StoreResult, on_pool};

/// How many rows of each kind of platform data a project holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct DataCounts {
    pub posts: u64,
    pub daily: u64,
    pub ads: u64,
    pub leads: u64,
}

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

    /// The currencies `project`'s ad spend is in (the pages say which; more than one means
    /// the spend totals add unlike amounts).
    pub async fn ad_currencies(&self, project: &Project) -> StoreResult<Vec<String>> {
        Ok(on_pool!(&self.pool, p => {
            sqlx::query_scalar::<_, String>(
                "SELECT DISTINCT currency FROM ad_stats WHERE project_id = $1 ORDER BY currency",
            )
            .bind(project.id)
            .fetch_all(p)
            .await
        })?)
    }
}
