//! The signed-in user's inbox: first the posts waiting for them — one line per post, urgent
//! ones first with the time left, decided posts gone — then the log of their in-app
//! notifications, newest first, and marking them read.

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
use chrono::{DateTime, Utc};

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
        Some(PublishFailed) => "notify.publish_failed",
        Some(CommentAdded) | None => "notify.comment_added",
    }
}

/// A post waiting for the reader.
pub struct WaitingLine {
    pub link: String,
    pub project: String,
    pub excerpt: String,
    /// `inbox.decide` (their decision) or `inbox.fix` (changes requested on their post).
    pub what_key: &'static str,
    pub urgent: bool,
    /// The urgent SLA's deadline (RFC 3339, for the live countdown) and the time left in words.
    pub deadline: Option<(String, String)>,
    pub since: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "inbox.html")]
pub struct InboxPage {
    chrome: Chrome,
    waiting: Vec<WaitingLine>,
    items: Vec<InboxLine>,
    unread: usize,
    countdown_js: &'static str,
}

/// The time left until `deadline` (or past it), as the countdown script words it.
pub fn time_left(lang: keel_domain::Lang, deadline: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let ms = (deadline - now).num_milliseconds();
    let minutes = (ms.abs() as f64 / 60_000.0).round() as i64;
    let (h, m) = (minutes / 60, minutes % 60);
    let ru = lang == keel_domain::Lang::Ru;
    let span = match (h > 0, ru) {
        (true, true) => format!("{h} ч {m} мин"),
        (true, false) => format!("{h} h {m} min"),
        (false, true) => format!("{m} мин"),
        (false, false) => format!("{m} min"),
    };
    match (ms < 0, ru) {
        (true, true) => format!("просрочено на {span}"),
        (true, false) => format!("overdue by {span}"),
        (false, true) => format!("осталось {span}"),
        (false, false) => format!("{span} left"),
    }
}

fn first_line(text: &str) -> String {
    text.lines()
        .find(|l| !l.trim().is_empty())
        .map(|l| l.chars().take(80).collect())
        .unwrap_or_default()
}

pub async fn inbox(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(CurrentUser(user)): Extension<CurrentUser>,
) -> Result<InboxPage, WebError> {
    let now = Utc::now();
    let lang = chrome.t.0;
    let waiting = state
        .store
        .waiting_for(user.id())
        .await?
        .into_iter()
        .map(|w| WaitingLine {
            link: format!("/projects/{}/posts/{}", w.project_slug, w.id),
            project: w.project_name,
            excerpt: first_line(&w.text),
            what_key: if w.state == "changes_requested" {
                "inbox.fix"
            } else {
                "inbox.decide"
            },
            urgent: w.urgent,
            deadline: w
                .sla_deadline
                .filter(|_| w.state == "in_review")
                .map(|d| (d.to_rfc3339(), time_left(lang, d, now))),
            since: w
                .submitted_at
                .map(|t| crate::charts::format::Fmt(lang).moment(t))
                .unwrap_or_default(),
        })
        .collect();
    let items: Vec<InboxLine> = state
        .store
        .inbox(user.id(), 200)
        .await?
        .into_iter()
        .map(|n| InboxLine {
            kind_key: kind_key(&n.kind),
            excerpt: n.post_text.as_deref().map(first_line).unwrap_or_default(),
            body: n.body,
            link: n.link_path,
            at: crate::charts::format::Fmt(lang).moment(n.created_at),
            unread: n.read_at.is_none(),
        })
        .collect();
    let unread = items.iter().filter(|i| i.unread).count();
    Ok(InboxPage {
        chrome,
        waiting,
        items,
        unread,
        countdown_js: crate::assets::countdown_js_url(),
    })
}

pub async fn mark_read(
    State(state): State<AppState>,
    Extension(CurrentUser(user)): Extension<CurrentUser>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    state.store.mark_inbox_read(user.id()).await?;
    Ok(Redirect::to("/inbox").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use keel_domain::Lang;

    #[test]
    fn the_time_left_is_said_in_the_readers_language() {
        let now: DateTime<Utc> = "2026-03-02T14:00:00Z".parse().unwrap();
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        assert_eq!(time_left(Lang::En, at("2026-03-02T14:23:10Z"), now), "23 min left");
        assert_eq!(
            time_left(Lang::Ru, at("2026-03-02T15:30:00Z"), now),
            "осталось 1 ч 30 мин"
        );
        assert_eq!(
            time_left(Lang::En, at("2026-03-02T13:50:00Z"), now),
            "overdue by 10 min"
        );
        assert_eq!(
            time_left(Lang::Ru, at("2026-03-02T13:50:00Z"), now),
            "просрочено на 10 мин"
        );
    }
}
