//! The content plan's pages: the calendar (month, week) and the list, with undated drafts
//! beside them; creating a post; the project's audit trail; the inbox.

use super::calendar::{View, days, neighbours};
use crate::auth::csrf::CsrfForm;
use crate::auth::{CurrentUser, ProjectCtx};
use crate::pages::layout::Chrome;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{NaiveDate, NaiveDateTime, TimeZone, Utc};
use keel_domain::workflow::{Platform, PostState};
use keel_domain::{Action, Decision, decide};
use keel_store::plan::posts::{PlanPost, PostDraft};
use serde::Deserialize;

/// One post as a calendar cell or list row shows it.
pub struct PlanItem {
    pub id: i64,
    pub state: String,
    pub state_key: &'static str,
    pub platforms: Vec<&'static str>,
    pub excerpt: String,
    pub time: String,
    pub date: String,
    pub urgent: bool,
    pub flagged: bool,
    pub sla_missed: bool,
}

pub fn state_key(state: &str) -> &'static str {
    match PostState::parse(state).unwrap_or(PostState::Draft) {
        PostState::Draft => "state.draft",
        PostState::InReview => "state.in_review",
        PostState::ChangesRequested => "state.changes_requested",
        PostState::Approved => "state.approved",
        PostState::Scheduled => "state.scheduled",
        PostState::Published => "state.published",
        PostState::Failed => "state.failed",
    }
}

fn item(p: &PlanPost) -> PlanItem {
    PlanItem {
        id: p.id,
        state: p.state.clone(),
        state_key: state_key(&p.state),
        platforms: p.platforms().iter().map(|p| p.label()).collect(),
        excerpt: p.excerpt(80),
        time: p
            .scheduled_at
            .map(|t| t.format("%H:%M").to_string())
            .unwrap_or_default(),
        date: p
            .scheduled_at
            .map(|t| t.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        urgent: p.urgent,
        flagged: p.flagged(),
        sla_missed: p.sla_missed,
    }
}

pub struct DayCell {
    pub num: u32,
    pub in_month: bool,
    pub today: bool,
    pub items: Vec<PlanItem>,
}

#[derive(Deserialize, Default)]
pub struct PlanQuery {
    pub view: Option<String>,
    pub date: Option<String>,
    pub state: Option<String>,
    pub platform: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "plan.html")]
pub struct PlanPage {
    chrome: Chrome,
    slug: String,
    name: String,
    tab: &'static str,
    view: &'static str,
    anchor: String,
    title: String,
    prev: String,
    next: String,
    cells: Vec<DayCell>,
    list: Vec<PlanItem>,
    drafts: Vec<PlanItem>,
    can_write: bool,
    state_filter: String,
    platform_filter: String,
    states: Vec<(&'static str, &'static str)>,
    platforms: Vec<(&'static str, &'static str)>,
    total: usize,
    error: Option<String>,
}

const WEEKDAYS: [&str; 7] = [
    "plan.day.mon",
    "plan.day.tue",
    "plan.day.wed",
    "plan.day.thu",
    "plan.day.fri",
    "plan.day.sat",
    "plan.day.sun",
];

impl PlanPage {
    fn weekdays(&self) -> [&'static str; 7] {
        WEEKDAYS
    }
}

pub async fn plan(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(ctx): Extension<ProjectCtx>,
    Query(query): Query<PlanQuery>,
) -> Result<PlanPage, WebError> {
    render(&state, chrome, &ctx, &query, None).await
}

async fn render(
    state: &AppState,
    chrome: Chrome,
    ctx: &ProjectCtx,
    query: &PlanQuery,
    error: Option<String>,
) -> Result<PlanPage, WebError> {
    let view = View::parse(query.view.as_deref());
    let today = Utc::now().date_naive();
    let anchor = query
        .date
        .as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .unwrap_or(today);
    let state_filter = query
        .state
        .clone()
        .filter(|s| PostState::parse(s).is_some())
        .unwrap_or_default();
    let platform = query.platform.as_deref().and_then(Platform::parse);
    let posts: Vec<PlanPost> = state
        .store
        .plan_posts_of(ctx.project.id())
        .await?
        .into_iter()
        .filter(|p| state_filter.is_empty() || p.state == state_filter)
        .filter(|p| platform.is_none_or(|pl| p.platforms().contains(&pl)))
        .collect();
    let grid = days(view, anchor);
    let cells = grid
        .iter()
        .map(|day| DayCell {
            num: chrono::Datelike::day(day),
            in_month: view == View::Week || chrono::Datelike::month(day) == chrono::Datelike::month(&anchor),
            today: *day == today,
            items: posts
                .iter()
                .filter(|p| p.scheduled_at.map(|t| t.date_naive()) == Some(*day))
                .map(item)
                .collect(),
        })
        .collect();
    let (prev, next) = neighbours(view, anchor);
    let title = match view {
        View::Week => format!("{} – {}", grid[0].format("%Y-%m-%d"), grid[6].format("%Y-%m-%d")),
        _ => anchor.format("%Y-%m").to_string(),
    };
    let can_write = decide(ctx.access, Action::WritePosts) == Decision::Allow;
    Ok(PlanPage {
        chrome,
        slug: ctx.project.slug.clone(),
        name: ctx.project.name.clone(),
        tab: "plan",
        view: view.as_str(),
        anchor: anchor.to_string(),
        title,
        prev: prev.to_string(),
        next: next.to_string(),
        cells,
        list: posts.iter().filter(|p| p.scheduled_at.is_some()).map(item).collect(),
        drafts: posts.iter().filter(|p| p.scheduled_at.is_none()).map(item).collect(),
        can_write,
        states: PostState::ALL
            .iter()
            .map(|s| (s.as_str(), state_key(s.as_str())))
            .collect(),
        platforms: Platform::ALL.iter().map(|p| (p.as_str(), p.label())).collect(),
        platform_filter: platform.map(|p| p.as_str().to_owned()).unwrap_or_default(),
        state_filter,
        total: posts.len(),
        error,
    })
}

/// The new-post form (also the edit form's fields, see `post_page`).
#[derive(Deserialize, Default)]
pub struct PostForm {
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub rubric: String,
    #[serde(default)]
    pub vk: Option<String>,
    #[serde(default)]
    pub telegram: Option<String>,
    #[serde(default)]
    pub instagram: Option<String>,
    #[serde(default)]
    pub facebook: Option<String>,
    /// `YYYY-MM-DDTHH:MM` from a datetime-local input, read as UTC; empty for no date.
    #[serde(default)]
    pub scheduled_at: String,
    #[serde(default)]
    pub urgent: Option<String>,
    #[serde(default)]
    pub variant_vk: String,
    #[serde(default)]
    pub variant_telegram: String,
    #[serde(default)]
    pub variant_instagram: String,
    #[serde(default)]
    pub variant_facebook: String,
}

impl PostForm {
    pub fn draft(&self) -> Result<PostDraft, String> {
        let chosen = [
            (Platform::Vk, &self.vk, &self.variant_vk),
            (Platform::Telegram, &self.telegram, &self.variant_telegram),
            (Platform::Instagram, &self.instagram, &self.variant_instagram),
            (Platform::Facebook, &self.facebook, &self.variant_facebook),
        ];
        let platforms: Vec<Platform> = chosen
            .iter()
            .filter(|(_, on, _)| on.is_some())
            .map(|(p, _, _)| *p)
            .collect();
        let variants = chosen
            .iter()
            .filter(|(_, on, text)| on.is_some() && !text.trim().is_empty())
            .map(|(p, _, text)| (*p, (*text).clone()))
            .collect();
        let scheduled_at = match self.scheduled_at.trim() {
            "" => None,
            text => {
                let parsed = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
                    .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
                    .map_err(|_| format!("publication time `{text}`: expected YYYY-MM-DDTHH:MM"))?;
                Some(Utc.from_utc_datetime(&parsed))
            }
        };
        Ok(PostDraft {
            text: self.text.replace("\r\n", "\n"),
            rubric: self.rubric.clone(),
            platforms,
            scheduled_at,
            urgent: self.urgent.is_some(),
            variants,
        })
    }
}

pub async fn create(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(ctx): Extension<ProjectCtx>,
    CsrfForm(form): CsrfForm<PostForm>,
) -> Result<Response, WebError> {
    let outcome = match form.draft() {
        Ok(draft) => state
            .store
            .create_plan_post(ctx.project.org(), ctx.project.id(), ctx.user.id(), &draft)
            .await
            .map_err(|e| e.to_string()),
        Err(e) => Err(e),
    };
    match outcome {
        Ok(post) => Ok(Redirect::to(&format!("/projects/{}/posts/{}", ctx.project.slug, post.id)).into_response()),
        Err(message) => {
            let page = render(&state, chrome, &ctx, &PlanQuery::default(), Some(message)).await?;
            Ok((axum::http::StatusCode::BAD_REQUEST, page).into_response())
        }
    }
}

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

pub struct InboxLine {
    pub kind_key: &'static str,
    pub excerpt: String,
    pub body: String,
    pub link: String,
    pub at: String,
    pub unread: bool,
}

/// The page's wording of a notification kind (the stored title is for other channels).
fn kind_key(kind: &str) -> &'static str {
    use keel_domain::notification::NotificationKind::*;
    match keel_domain::notification::NotificationKind::parse(kind) {
        Some(PostSubmitted) => "notify.post_submitted",
        Some(UrgentPostSubmitted) => "notify.urgent_post_submitted",
        Some(SlaHalfway) => "notify.sla_halfway",
        Some(SlaMissed) => "notify.sla_missed",
        Some(ChangesRequested) => "notify.changes_requested",
        Some(PostApproved) => "notify.post_approved",
        Some(CommentAdded) | None => "notify.comment_added",
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "inbox.html")]
pub struct InboxPage {
    chrome: Chrome,
    items: Vec<InboxLine>,
    unread: usize,
}

pub async fn inbox(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(CurrentUser(user)): Extension<CurrentUser>,
) -> Result<InboxPage, WebError> {
    let items: Vec<InboxLine> = state
        .store
        .inbox(user.id(), 200)
        .await?
        .into_iter()
        .map(|n| InboxLine {
            kind_key: kind_key(&n.kind),
            excerpt: n
                .post_text
                .as_deref()
                .and_then(|t| t.lines().find(|l| !l.trim().is_empty()))
                .map(|l| l.chars().take(80).collect())
                .unwrap_or_default(),
            body: n.body,
            link: n.link_path,
            at: n.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            unread: n.read_at.is_none(),
        })
        .collect();
    let unread = items.iter().filter(|i| i.unread).count();
    Ok(InboxPage { chrome, items, unread })
}

#[derive(Deserialize)]
pub struct Empty {}

pub async fn mark_read(
    State(state): State<AppState>,
    Extension(CurrentUser(user)): Extension<CurrentUser>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    state.store.mark_inbox_read(user.id()).await?;
    Ok(Redirect::to("/inbox").into_response())
}
