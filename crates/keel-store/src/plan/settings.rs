//! A project's workflow settings: the urgent SLA, "silence means consent", and whether urgent
//! posts go out as soon as they are approved.

use crate::{Store, StoreError, StoreResult, append_audit, audit::NewAuditEvent, now, on_pool};
use keel_domain::workflow::sla::{DEFAULT_SLA_MINUTES, validate_sla_minutes};
use keel_domain::{OrgId, ProjectId, UserId};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkflowSettings {
    pub urgent_sla_minutes: u32,
    /// Approve an urgent post automatically when its SLA expires without a decision.
    pub auto_approve: bool,
    /// An urgent post approved inside its SLA with no date is scheduled for the moment of its
    /// approval, and so published at once (PRODUCT.md "Connections and publishing").
    pub publish_urgent_at_once: bool,
}

impl Default for WorkflowSettings {
    fn default() -> Self {
        WorkflowSettings {
            urgent_sla_minutes: DEFAULT_SLA_MINUTES,
            auto_approve: false,
            publish_urgent_at_once: false,
        }
    }
}

/// The settings' row of project `$1`, if someone changed them.
pub(crate) const SETTINGS_SQL: &str =
    "SELECT urgent_sla_minutes, auto_approve, publish_urgent_at_once FROM workflow_settings WHERE project_id = $1";

pub(crate) type SettingsRow = (i32, bool, bool);

/// The settings of a row of [`SETTINGS_SQL`] (the defaults without one).
pub(crate) fn settings_of(row: Option<SettingsRow>) -> WorkflowSettings {
    row.map(|(minutes, auto_approve, publish_urgent_at_once)| WorkflowSettings {
        urgent_sla_minutes: minutes.max(1) as u32,
        auto_approve,
        publish_urgent_at_once,
    })
    .unwrap_or_default()
}

impl Store {
    /// The project's settings (the defaults until someone changes them).
    pub async fn workflow_settings(&self, project: ProjectId) -> StoreResult<WorkflowSettings> {
        let row: Option<SettingsRow> = on_pool!(&self.pool, p => {
            sqlx::query_as(SETTINGS_SQL).bind(project.0).fetch_optional(p).await
        })?;
        Ok(settings_of(row))
    }

    /// Changes the settings, on the record. Already-running SLA clocks keep their deadline.
    pub async fn set_workflow_settings(
        &self,
        org: OrgId,
        project: ProjectId,
        actor: Option<UserId>,
        settings: WorkflowSettings,
    ) -> StoreResult<()> {
        let minutes = validate_sla_minutes(i64::from(settings.urgent_sla_minutes)).map_err(StoreError::Invalid)?;
        if self.workflow_settings(project).await? == settings {
            return Ok(());
        }
        let at = now();
        on_pool!(&self.pool, p => {
            let mut tx = p.begin().await?;
            sqlx::query(
                "INSERT INTO workflow_settings (project_id, urgent_sla_minutes, auto_approve, publish_urgent_at_once)
                 VALUES ($1, $2, $3, $4)
                 ON CONFLICT (project_id) DO UPDATE SET urgent_sla_minutes = $2, auto_approve = $3,
                    publish_urgent_at_once = $4",
            )
            .bind(project.0)
            .bind(minutes as i32)
            .bind(settings.auto_approve)
            .bind(settings.publish_urgent_at_once)
            .execute(&mut *tx)
            .await?;
            append_audit!(&mut *tx, NewAuditEvent {
                org,
                project,
                subject_kind: "project",
                subject_id: project.0,
                actor,
                action: "workflow_settings_changed",
                detail: serde_json::json!({
                    "urgent_sla_minutes": minutes, "auto_approve": settings.auto_approve,
                    "publish_urgent_at_once": settings.publish_urgent_at_once,
                }),
                at,
            })?;
            tx.commit().await?;
            Ok::<(), sqlx::Error>(())
        })?;
        Ok(())
    }
}
