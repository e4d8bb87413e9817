//! The inputs of the workflow health figures, read from the posts of a project.

use crate::{Store, StoreResult, on_pool};
use chrono::{DateTime, Utc};
use keel_domain::ProjectId;
use keel_domain::workflow::health::{PostHistory, WorkflowHealth, workflow_health};

/// The posts' history the health figures read (`$1`: the project).
pub(crate) const HEALTH_ROWS_SQL: &str =
    "SELECT first_submitted_at, approved_at, revision_rounds, urgent, sla_deadline, first_decision_at
     FROM plan_posts WHERE project_id = $1 AND first_submitted_at IS NOT NULL";

pub(crate) type Row = (
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
    i32,
    bool,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
);

impl Store {
    /// The project's workflow health as of `as_of` (see `keel_domain::workflow::health`).
    pub async fn workflow_health(&self, project: ProjectId, as_of: DateTime<Utc>) -> StoreResult<WorkflowHealth> {
        let rows: Vec<Row> = on_pool!(&self.pool, p => {
            sqlx::query_as(HEALTH_ROWS_SQL)
            .bind(project.0)
            .fetch_all(p)
            .await
        })?;
        Ok(health_of(rows, as_of))
    }
}

/// The figures of the rows of [`HEALTH_ROWS_SQL`].
pub(crate) fn health_of(rows: Vec<Row>, as_of: DateTime<Utc>) -> WorkflowHealth {
    let posts: Vec<PostHistory> = rows
        .into_iter()
        .map(|(first, approved, rounds, urgent, deadline, decision)| PostHistory {
            first_submitted_at: first,
            approved_at: approved,
            revision_rounds: rounds.max(0) as u32,
            sla_deadline: deadline.filter(|_| urgent),
            first_decision_at: decision,
        })
        .collect();
    workflow_health(&posts, as_of)
}
