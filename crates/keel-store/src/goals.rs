//! Goals (core rule 1): stored as entered; progress and feasibility are computed from the
//! data by `keel-report`. Every change is appended to the audit trail in its transaction, and
//! agreeing a goal may move the project from `setup` to `active` in the same transaction.

use crate::audit::NewAuditEvent;
use crate::{Store, StoreError, StoreResult, append_audit, now, on_pool};
use chrono::{DateTime, NaiveDate, Utc};
use keel_domain::goals::{Metric, Target};
use keel_domain::{GoalId, OrgId, ProjectId, UserId};
use serde_json::json;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Goal {
    #[sqlx(try_from = "i64")]
    pub id: GoalId,
    pub project_id: i64,
    pub metric: String,
    pub target_kind: String,
    pub target_value: f64,
    pub start_on: NaiveDate,
    pub deadline: NaiveDate,
    pub zone: String,
    pub baseline_entered: Option<f64>,
    pub agreed_client_at: Option<DateTime<Utc>>,
    pub agreed_client_name: Option<String>,
    pub agreed_agency_at: Option<DateTime<Utc>>,
    pub agreed_agency_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Set when the goal was archived: it no longer counts anywhere, and keeps its history.
    pub archived_at: Option<DateTime<Utc>>,
}

impl Goal {
    /// The catalog metric (rows are written only with catalog names).
    pub fn metric(&self) -> Option<Metric> {
        self.metric.parse().ok()
    }

    pub fn target(&self) -> Target {
        match self.target_kind.as_str() {
            "relative_pct" => Target::RelativePct(self.target_value),
            _ => Target::Absolute(self.target_value),
        }
    }

    pub fn agreed_by_both(&self) -> bool {
        self.agreed_client_at.is_some() && self.agreed_agency_at.is_some()
    }
}

/// A goal as set (or changed) by a person; validated by the caller.
#[derive(Debug, Clone)]
pub struct GoalInput {
    pub metric: Metric,
    pub target: Target,
    pub start_on: NaiveDate,
    pub deadline: NaiveDate,
    pub zone: &'static str,
    pub baseline_entered: Option<f64>,
}

impl GoalInput {
    fn target_parts(&self) -> (&'static str, f64) {
        match self.target {
            Target::Absolute(v) => ("absolute", v),
            Target::RelativePct(p) => ("relative_pct", p),
        }
    }

    fn detail(&self) -> serde_json::Value {
        let (kind, value) = self.target_parts();
        json!({
            "metric": self.metric.as_str(), "target": { kind: value }, "start": self.start_on.to_string(),
            "deadline": self.deadline.to_string(), "zone": self.zone, "baseline_entered": self.baseline_entered,
        })
    }
}

/// Which side a person agrees for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgreeSide {
    Client,
    Agency,
}

const GOAL_SELECT: &str = "SELECT g.id, g.project_id, g.metric, g.target_kind, g.target_value, g.start_on, g.deadline,
        g.zone, g.baseline_entered, g.agreed_client_at, uc.display_name AS agreed_client_name,
        g.agreed_agency_at, ua.display_name AS agreed_agency_name, g.created_at, g.updated_at, g.archived_at
 FROM goals g LEFT JOIN users uc ON uc.id = g.agreed_client_by LEFT JOIN users ua ON ua.id = g.agreed_agency_by";

/// Moves the project from `setup` to `active` once it has a brief and a goal agreed by both
/// sides (core rule 1), recording the move; evaluates to the driver's `Result<bool>`.
#[macro_export]
macro_rules! promote_if_ready {
    ($tx:expr, $org:expr, $project:expr, $actor:expr) => {{
        let moved = sqlx::query(
            "UPDATE projects SET status = 'active' WHERE id = $1 AND status = 'setup'
               AND EXISTS (SELECT 1 FROM brief_versions WHERE project_id = $1)
               AND EXISTS (SELECT 1 FROM goals WHERE project_id = $1
                           AND agreed_client_at IS NOT NULL AND agreed_agency_at IS NOT NULL)",
        )
        .bind($project.0)
        .execute(&mut *$tx)
        .await
        .map(|r| r.rows_affected() > 0);
        match moved {
            Ok(true) => $crate::append_audit!(
                &mut *$tx,
                $crate::audit::NewAuditEvent {
                    org: $org,
                    project: $project,
                    subject_kind: "project",
                    subject_id: $project.0,
                    actor: $actor,
                    action: "activated",
                    detail: serde_json::json!({"from": "setup", "to": "active",
                        "why": "a brief and a goal agreed by the client owner and the agency lead"}),
                    at: $crate::now(),
                }
            )
            .map(|_| true),
            other => other,
        }
    }};
}

impl Store {
    pub async fn goals_of(&self, project: ProjectId) -> StoreResult<Vec<Goal>> {
        let sql = format!("{GOAL_SELECT} WHERE g.project_id = $1 AND g.archived_at IS NULL ORDER BY g.id");
        Ok(on_pool!(&self.pool, p => sqlx::query_as::<_, Goal>(&sql).bind(project.0).fetch_all(p).await)?)
    }

    /// The project's archived goals, the latest archived first.
    pub async fn archived_goals_of(&self, project: ProjectId) -> StoreResult<Vec<Goal>> {
        let sql = format!(
            "{GOAL_SELECT} WHERE g.project_id = $1 AND g.archived_at IS NOT NULL ORDER BY g.archived_at DESC, g.id"
        );
        Ok(on_pool!(&self.pool, p => sqlx::query_as::<_, Goal>(&sql).bind(project.0).fetch_all(p).await)?)
    }

    /// Archives goal `id` with the reason given, on the record; archiving twice changes
    /// nothing the second time.
    pub async fn archive_goal(
        &self,
        org: OrgId,
        project: ProjectId,
        id: GoalId,
        reason: &str,
        actor: UserId,
    ) -> StoreResult<Goal> {
        let goal = self.goal(project, id).await?;
        let at = now();
        on_pool!(&self.pool, p => {
            let mut tx = p.begin().await?;
            let done = sqlx::query(
                "UPDATE goals SET archived_at = $3, archived_by = $4, updated_at = $3
                 WHERE project_id = $1 AND id = $2 AND archived_at IS NULL",
            )
            .bind(project.0).bind(id.0).bind(at).bind(actor.0)
            .execute(&mut *tx).await?
            .rows_affected();
            if done == 1 {
                append_audit!(&mut *tx, NewAuditEvent {
                    org, project, subject_kind: "goal", subject_id: id.0, actor: Some(actor),
                    action: "archived", detail: json!({ "metric": goal.metric, "reason": reason }), at,
                })?;
            }
            crate::bump_data_version!(&mut *tx, project.0)?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(())
        })?;
        self.goal(project, id).await
    }

    /// One goal of `project` (a goal of another project is not found).
    pub async fn goal(&self, project: ProjectId, id: GoalId) -> StoreResult<Goal> {
        let sql = format!("{GOAL_SELECT} WHERE g.project_id = $1 AND g.id = $2");
        on_pool!(&self.pool, p => sqlx::query_as::<_, Goal>(&sql).bind(project.0).bind(id.0).fetch_optional(p).await)?
            .ok_or(StoreError::NotFound)
    }

    /// Sets a new goal, on the record.
    #[tracing::instrument(skip(self))]
    pub async fn create_goal(
        &self,
        org: OrgId,
        project: ProjectId,
        input: &GoalInput,
        actor: UserId,
    ) -> StoreResult<Goal> {
        let (kind, value) = input.target_parts();
        let at = now();
        let id = on_pool!(&self.pool, p => {
            let mut tx = p.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO goals (org_id, project_id, metric, target_kind, target_value, start_on, deadline, zone,
                                    baseline_entered, created_by, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
            )
            .bind(org.0).bind(project.0).bind(input.metric.as_str()).bind(kind).bind(value)
            .bind(input.start_on).bind(input.deadline).bind(input.zone).bind(input.baseline_entered)
            .bind(actor.0).bind(at)
            .fetch_one(&mut *tx).await?;
            append_audit!(&mut *tx, NewAuditEvent {
                org, project, subject_kind: "goal", subject_id: id, actor: Some(actor),
                action: "created", detail: input.detail(), at,
            })?;
            crate::bump_data_version!(&mut *tx, project.0)?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(id)
        })?;
        self.goal(project, GoalId(id)).await
    }

    /// Changes a goal. Both sides' agreement is cleared: they agreed to the old terms.
    #[tracing::instrument(skip(self))]
    pub async fn update_goal(
        &self,
        org: OrgId,
        project: ProjectId,
        id: GoalId,
        input: &GoalInput,
        actor: UserId,
    ) -> StoreResult<Goal> {
        let old = self.goal(project, id).await?;
        let (kind, value) = input.target_parts();
        let at = now();
        let detail = json!({
            "before": { "metric": old.metric, "target": { old.target_kind.clone(): old.target_value },
                        "start": old.start_on.to_string(), "deadline": old.deadline.to_string(), "zone": old.zone,
                        "baseline_entered": old.baseline_entered },
            "after": input.detail(),
            "agreement_cleared": old.agreed_client_at.is_some() || old.agreed_agency_at.is_some(),
        });
        on_pool!(&self.pool, p => {
            let mut tx = p.begin().await?;
            sqlx::query(
                "UPDATE goals SET metric = $3, target_kind = $4, target_value = $5, start_on = $6, deadline = $7,
                        zone = $8, baseline_entered = $9, agreed_client_by = NULL, agreed_client_at = NULL,
                        agreed_agency_by = NULL, agreed_agency_at = NULL, updated_at = $10
                 WHERE project_id = $1 AND id = $2",
            )
            .bind(project.0).bind(id.0).bind(input.metric.as_str()).bind(kind).bind(value)
            .bind(input.start_on).bind(input.deadline).bind(input.zone).bind(input.baseline_entered).bind(at)
            .execute(&mut *tx).await?;
            append_audit!(&mut *tx, NewAuditEvent {
                org, project, subject_kind: "goal", subject_id: id.0, actor: Some(actor),
                action: "changed", detail, at,
            })?;
            crate::bump_data_version!(&mut *tx, project.0)?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(())
        })?;
        self.goal(project, id).await
    }

    /// Records `actor`'s agreement to a goal for each of `sides`; returns whether the project
    /// became active.
    #[tracing::instrument(skip(self))]
    pub async fn agree_goal(
        &self,
        org: OrgId,
        project: ProjectId,
        id: GoalId,
        sides: &[AgreeSide],
        actor: UserId,
    ) -> StoreResult<bool> {
        self.goal(project, id).await?;
        let at = now();
        let activated = on_pool!(&self.pool, p => {
            let mut tx = p.begin().await?;
            for side in sides {
                let (column, name) = match side {
                    AgreeSide::Client => ("agreed_client", "client"),
                    AgreeSide::Agency => ("agreed_agency", "agency"),
                };
                let sql = format!(
                    "UPDATE goals SET {column}_by = $3, {column}_at = $4 WHERE project_id = $1 AND id = $2 AND {column}_at IS NULL"
                );
                let changed = sqlx::query(&sql).bind(project.0).bind(id.0).bind(actor.0).bind(at)
                    .execute(&mut *tx).await?.rows_affected();
                if changed > 0 {
                    append_audit!(&mut *tx, NewAuditEvent {
                        org, project, subject_kind: "goal", subject_id: id.0, actor: Some(actor),
                        action: "agreed", detail: json!({ "side": name }), at,
                    })?;
                }
            }
            let activated = promote_if_ready!(tx, org, project, Some(actor))?;
            crate::bump_data_version!(&mut *tx, project.0)?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(activated)
        })?;
        Ok(activated)
    }
}
