//! The signed-in user's inbox: their in-app notifications, newest first, and marking them read.

use crate::auth::CurrentUser;
use crate::auth::csrf::CsrfForm;
use crate::form::Empty;
use crate::layout::Chrome;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

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

pub async fn mark_read(
    State(state): State<AppState>,
    Extension(CurrentUser(user)): Extension<CurrentUser>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    state.store.mark_inbox_read(user.id()).await?;
    Ok(Redirect::to("/inbox").into_response())
}
