//! What is on the record: the project's audit trail page.

use crate::auth::ProjectCtx;
use crate::layout::Chrome;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::State;

/// One audit entry as the pages show it.
pub struct EventLine {
    pub at: String,
    pub actor: Option<String>,
    pub action_key: &'static str,
    pub subject: Option<(String, i64)>,
    pub detail: String,
}

pub fn action_key(action: &str) -> &'static str {
    match action {
        "created" => "audit.created",
        "edited" => "audit.edited",
        "submitted" => "audit.submitted",
        "approved" => "audit.approved",
        "changes_requested" => "audit.changes_requested",
        "commented" => "audit.commented",
        "suggestion_accepted" => "audit.suggestion_accepted",
        "suggestion_declined" => "audit.suggestion_declined",
        "image_added" => "audit.image_added",
        "scheduled" => "audit.scheduled",
        "published" => "audit.published",
        "failed" => "audit.failed",
        "back_to_draft" => "audit.back_to_draft",
        "sla_missed" => "audit.sla_missed",
        "auto_approved" => "audit.auto_approved",
        "workflow_settings_changed" => "audit.workflow_settings_changed",
        _ => "audit.other",
    }
}

/// The particulars worth a line: a comment, a reason, a round.
fn detail_text(detail: &serde_json::Value) -> String {
    let mut parts = vec![];
    for key in ["comment", "reason"] {
        if let Some(text) = detail.get(key).and_then(|v| v.as_str()) {
            parts.push(format!("«{text}»"));
        }
    }
    if let Some(round) = detail.get("round").and_then(|v| v.as_i64()) {
        parts.push(format!("#{round}"));
    }
    parts.join(" ")
}

pub fn event_line(e: &keel_store::audit::AuditEvent, slug: &str) -> EventLine {
    EventLine {
        at: e.at.format("%Y-%m-%d %H:%M UTC").to_string(),
        actor: e.actor_name.clone(),
        action_key: action_key(&e.action),
        subject: (e.subject_kind == "post").then(|| (format!("/projects/{slug}/posts/{}", e.subject_id), e.subject_id)),
        detail: detail_text(&e.detail_json()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "audit.html")]
pub struct AuditPage {
    chrome: Chrome,
    slug: String,
    name: String,
    tab: &'static str,
    events: Vec<EventLine>,
}

pub async fn audit(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(ctx): Extension<ProjectCtx>,
) -> Result<AuditPage, WebError> {
    let events = state.store.audit_of_project(ctx.project.id(), 500).await?;
    Ok(AuditPage {
        chrome,
        slug: ctx.project.slug.clone(),
        name: ctx.project.name.clone(),
        tab: "audit",
        events: events.iter().map(|e| event_line(e, &ctx.project.slug)).collect(),
    })
}
