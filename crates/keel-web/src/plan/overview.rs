//! The workflow card on the project overview (whose existing warning covers more than two
//! approvers): designated approvers, the urgent SLA setting and
//! the workflow's health figures.

use crate::auth::ProjectCtx;
use crate::auth::csrf::CsrfForm;
use crate::{AppState, WebError};
use axum::Extension;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use keel_domain::{Action, Decision, decide};
use keel_store::plan::settings::WorkflowSettings;
use serde::Deserialize;

pub struct WorkflowCard {
    pub approvers: Vec<String>,
    pub sla_minutes: u32,
    pub auto_approve: bool,
    pub urgent_at_once: bool,
    pub can_manage: bool,
    /// Formatted figures, "—" when undefined.
    pub median: String,
    pub first_time: String,
    pub rounds: String,
    pub sla_hit: String,
}

fn fmt(value: Option<f64>, digits: usize, unit: &str) -> String {
    value
        .map(|v| format!("{v:.digits$}{unit}"))
        .unwrap_or_else(|| "—".into())
}

/// The overview's workflow card from the project's approvers, settings and health.
pub fn card_of(
    ctx: &ProjectCtx,
    approvers: Vec<String>,
    settings: WorkflowSettings,
    health: keel_domain::workflow::health::WorkflowHealth,
) -> WorkflowCard {
    WorkflowCard {
        approvers,
        sla_minutes: settings.urgent_sla_minutes,
        auto_approve: settings.auto_approve,
        urgent_at_once: settings.publish_urgent_at_once,
        can_manage: decide(ctx.access, Action::ManageWorkflow) == Decision::Allow,
        median: fmt(health.median_minutes_to_approve, 0, ""),
        first_time: fmt(health.first_time_approval_pct, 0, " %"),
        rounds: fmt(health.average_rounds, 1, ""),
        sla_hit: fmt(health.sla_hit_pct, 0, " %"),
    }
}

#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    urgent_sla_minutes: String,
    #[serde(default)]
    auto_approve: Option<String>,
    #[serde(default)]
    urgent_at_once: Option<String>,
}

pub async fn save(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    CsrfForm(form): CsrfForm<SettingsForm>,
) -> Result<Response, WebError> {
    let minutes = form
        .urgent_sla_minutes
        .trim()
        .parse::<i64>()
        .map_err(|_| {
            WebError::invalid(
                format!("urgent SLA: `{}` is not a number of minutes", form.urgent_sla_minutes),
                format!("SLA срочных постов: `{}` — не число минут", form.urgent_sla_minutes),
            )
        })
        .and_then(|m| {
            keel_domain::workflow::sla::validate_sla_minutes(m)
                .map_err(|e| WebError::invalid(e, "SLA срочных постов: от 1 минуты до 7 дней (10 080 минут)"))
        })?;
    let settings = WorkflowSettings {
        urgent_sla_minutes: minutes,
        auto_approve: form.auto_approve.is_some(),
        publish_urgent_at_once: form.urgent_at_once.is_some(),
    };
    state
        .store
        .set_workflow_settings(ctx.project.org(), ctx.project.id(), Some(ctx.user.id()), settings)
        .await?;
    Ok(Redirect::to(&format!("/projects/{}", ctx.project.slug)).into_response())
}
