//! What is on the record: the project's audit trail page — each entry names its object (the
//! post by its text, the goal by its metric, the meeting by its title) and the change, and the
//! page filters by kind of object and by person.

use crate::auth::ProjectCtx;
use crate::layout::Chrome;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::{Query, State};
use serde::Deserialize;
use std::collections::HashMap;

/// One entry of a post's own trail, as its page shows it.
pub struct EventLine {
    pub at: String,
    pub actor: Option<String>,
    pub action_key: &'static str,
    pub detail: String,
    /// How the action arrived when not from a signed-in page (`audit.via.review_link`).
    pub via_key: Option<&'static str>,
}

/// The dictionary key of an audit detail's `via`, if any.
fn via_key(detail: &serde_json::Value) -> Option<&'static str> {
    match detail.get("via").and_then(|v| v.as_str()) {
        Some("review_link") => Some("audit.via.review_link"),
        _ => None,
    }
}

pub fn action_key(action: &str) -> &'static str {
    subject_action_key("post", action)
}

/// The words for `action` on a subject of `kind`: the same verb means different things on a
/// post and on a meeting's schedule.
pub fn subject_action_key(kind: &str, action: &str) -> &'static str {
    match (kind, action) {
        ("goal", "created") => "audit.goal.created",
        ("goal", "changed") => "audit.goal.changed",
        ("goal", "agreed") => "audit.goal.agreed",
        ("goal", "archived") => "audit.goal.archived",
        ("project", "activated") => "audit.project.activated",
        ("brief", "version_saved") => "audit.brief.version_saved",
        ("brief", "acknowledged") => "audit.brief.acknowledged",
        ("team", "area_assigned") => "audit.team.area_assigned",
        ("meeting_schedule", "scheduled") => "audit.meeting.scheduled",
        ("meeting", "recorded") => "audit.meeting.recorded",
        ("meeting", "decision") => "audit.meeting.decision",
        ("meeting", "action_item_added") => "audit.meeting.action_item_added",
        ("meeting", "action_item_done") => "audit.meeting.action_item_done",
        ("review_link", "created") => "audit.review_link.created",
        ("review_link", "revoked") => "audit.review_link.revoked",
        (_, action) => post_action_key(action),
    }
}

fn post_action_key(action: &str) -> &'static str {
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
        "invited" => "audit.invited",
        "accepted" => "audit.accepted",
        "revoked" => "audit.revoked",
        "deactivated" => "audit.deactivated",
        _ => "audit.other",
    }
}

/// The particulars worth a line: a comment, a reason, a round, the person (and role) an
/// invitation or deactivation is about.
fn detail_text(detail: &serde_json::Value) -> String {
    let mut parts = vec![];
    for key in ["email", "role", "slug"] {
        if let Some(text) = detail.get(key).and_then(|v| v.as_str()) {
            parts.push(text.to_owned());
        }
    }
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

pub fn event_line(e: &keel_store::audit::AuditEvent) -> EventLine {
    EventLine {
        at: e.at.format("%Y-%m-%d %H:%M UTC").to_string(),
        actor: e.actor_name.clone(),
        action_key: action_key(&e.action),
        detail: detail_text(&e.detail_json()),
        via_key: via_key(&e.detail_json()),
    }
}

/// What the page can narrow the trail to: (filter value, subject kinds, label key).
pub const FILTERS: [(&str, &[&str], &str); 6] = [
    ("posts", &["post"], "audit.filter.posts"),
    ("goals", &["goal"], "audit.filter.goals"),
    ("brief", &["brief"], "audit.filter.brief"),
    (
        "meetings",
        &["meeting", "meeting_schedule", "team"],
        "audit.filter.meetings",
    ),
    ("project", &["project"], "audit.filter.project"),
    (
        "people",
        &["member", "invitation", "user", "review_link"],
        "audit.filter.people",
    ),
];

/// One entry of the project's trail: who, what, on which object, and the particulars.
pub struct ProjectLine {
    pub at: String,
    pub actor: Option<String>,
    pub action_key: &'static str,
    /// The object's kind (translation key), its name, and where it is seen.
    pub object_key: &'static str,
    pub object: String,
    pub link: Option<String>,
    pub detail: String,
    pub via_key: Option<&'static str>,
}

/// What the trail's entries refer to, looked up once per page.
struct Names {
    posts: HashMap<i64, String>,
    goals: HashMap<i64, String>,
    meetings: HashMap<i64, String>,
    people: HashMap<i64, String>,
}

fn object_key(kind: &str) -> &'static str {
    match kind {
        "post" => "audit.object.post",
        "goal" => "audit.object.goal",
        "brief" => "audit.object.brief",
        "meeting" => "audit.object.meeting",
        "meeting_schedule" => "audit.object.schedule",
        "team" => "audit.object.team",
        "project" => "audit.object.project",
        "invitation" => "audit.object.invitation",
        "review_link" => "audit.object.review_link",
        "user" => "audit.object.person",
        _ => "audit.object.other",
    }
}

/// A goal change as "field: before → after" for the fields that changed.
fn goal_change(detail: &serde_json::Value) -> String {
    let (before, after) = (&detail["before"], &detail["after"]);
    let mut changes = vec![];
    for key in ["metric", "target", "start", "deadline", "zone", "baseline_entered"] {
        if before[key] != after[key] {
            let show = |v: &serde_json::Value| match v {
                serde_json::Value::Object(m) => m.values().map(|x| x.to_string()).collect::<Vec<_>>().join(""),
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Null => "—".into(),
                other => other.to_string(),
            };
            changes.push(format!("{key}: {} → {}", show(&before[key]), show(&after[key])));
        }
    }
    changes.join("; ")
}

fn project_line(e: &keel_store::audit::AuditEvent, slug: &str, names: &Names, t: crate::i18n::Tr) -> ProjectLine {
    let d = e.detail_json();
    let text = |key: &str| d.get(key).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
    let base = format!("/projects/{slug}");
    let (object, link) = match e.subject_kind.as_str() {
        "post" => (
            names
                .posts
                .get(&e.subject_id)
                .map(|x| format!("«{x}»"))
                .unwrap_or_else(|| format!("#{}", e.subject_id)),
            Some(format!("{base}/posts/{}", e.subject_id)),
        ),
        "goal" => (
            names
                .goals
                .get(&e.subject_id)
                .cloned()
                .unwrap_or_else(|| format!("#{}", e.subject_id)),
            Some(format!("{base}/goals")),
        ),
        "brief" => (format!("v{}", e.subject_id), Some(format!("{base}/brief"))),
        "meeting" => (
            names.meetings.get(&e.subject_id).cloned().unwrap_or_default(),
            Some(format!("{base}/meetings")),
        ),
        "meeting_schedule" => (text("title"), Some(format!("{base}/meetings"))),
        "team" => (
            t.get_in("team", &text("area")).to_owned(),
            Some(format!("{base}/meetings")),
        ),
        _ => (String::new(), None),
    };
    let detail = match (e.subject_kind.as_str(), e.action.as_str()) {
        ("goal", "changed") => goal_change(&d),
        ("goal", "agreed") => t.get_in("audit.side", &text("side")).to_owned(),
        ("meeting", "decision") | ("meeting", "action_item_added") => format!("«{}»", text("text")),
        ("team", "area_assigned") => d
            .get("user_id")
            .and_then(|u| u.as_i64())
            .and_then(|u| names.people.get(&u).cloned())
            .unwrap_or_default(),
        _ => detail_text(&d),
    };
    ProjectLine {
        at: crate::charts::format::Fmt(t.0).moment(e.at),
        actor: e.actor_name.clone(),
        action_key: subject_action_key(&e.subject_kind, &e.action),
        object_key: object_key(&e.subject_kind),
        object,
        link,
        via_key: via_key(&d),
        detail,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "audit.html")]
pub struct AuditPage {
    chrome: Chrome,
    slug: String,
    name: String,
    tab: &'static str,
    events: Vec<ProjectLine>,
    /// The filters offered: (value, label key); the chosen kind and person.
    filters: Vec<(&'static str, &'static str)>,
    kind: String,
    people: Vec<(i64, String)>,
    person: i64,
}

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    person: String,
}

pub async fn audit(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(ctx): Extension<ProjectCtx>,
    Query(q): Query<AuditQuery>,
) -> Result<AuditPage, WebError> {
    let store = &state.store;
    let project = ctx.project.id();
    let kinds = FILTERS
        .iter()
        .find(|(v, _, _)| *v == q.kind)
        .map(|(_, kinds, _)| *kinds);
    let person = q.person.trim().parse::<i64>().ok().filter(|p| *p > 0);
    let events = store
        .audit_of_project_where(project, kinds, person.map(keel_domain::UserId), 500)
        .await?;
    let members = store.members_of(project).await?;
    let mut people: Vec<(i64, String)> = members.iter().map(|m| (m.user_id, m.display_name.clone())).collect();
    people.sort();
    people.dedup();
    let names = Names {
        posts: store
            .plan_posts_of(project)
            .await?
            .into_iter()
            .map(|p| (p.id.0, p.excerpt(60)))
            .collect(),
        goals: store
            .goals_of(project)
            .await?
            .into_iter()
            .map(|g| {
                let metric = chrome.t.get_in("metric", &g.metric).to_owned();
                (g.id.0, metric)
            })
            .collect(),
        meetings: store
            .meetings(project)
            .await?
            .into_iter()
            .map(|m| (m.id.0, format!("{} · {}", m.title, m.starts_at.format("%Y-%m-%d"))))
            .collect(),
        people: people.iter().cloned().collect(),
    };
    Ok(AuditPage {
        slug: ctx.project.slug.clone(),
        name: ctx.project.name.clone(),
        tab: "audit",
        events: events
            .iter()
            .map(|e| project_line(e, &ctx.project.slug, &names, chrome.t))
            .collect(),
        filters: FILTERS.iter().map(|(v, _, label)| (*v, *label)).collect(),
        kind: if kinds.is_some() { q.kind } else { String::new() },
        people,
        person: person.unwrap_or(0),
        chrome,
    })
}
