//! The signed-in user's notification settings: which kinds reach them through which channel,
//! the language of their messages, and linking or unlinking Telegram.

use crate::auth::CurrentUser;
use crate::auth::csrf::CsrfForm;
use crate::layout::Chrome;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use keel_domain::notification::{Channel, NotificationKind};
use keel_store::notify_prefs::PreferenceGrid;
use keel_store::telegram::{LINK_CODE_MINUTES, TelegramLink};
use serde::Deserialize;
use std::collections::HashMap;

pub struct Cell {
    pub field: String,
    pub checked: bool,
    /// The channel is not set up on this installation: the box shows the stored choice but
    /// cannot be changed, and nothing is sent through it.
    pub off: bool,
}

pub struct KindRow {
    pub label_key: &'static str,
    pub cells: Vec<Cell>,
}

/// A link code just made, shown once.
pub struct FreshCode {
    pub code: String,
    pub link: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "notifications.html")]
pub struct NotificationsPage {
    chrome: Chrome,
    rows: Vec<KindRow>,
    channel_keys: Vec<&'static str>,
    language: String,
    telegram_configured: bool,
    email_configured: bool,
    telegram_link: Option<TelegramLink>,
    fresh_code: Option<FreshCode>,
    code_minutes: i64,
    notice_key: Option<&'static str>,
}

fn kind_key(kind: NotificationKind) -> &'static str {
    use NotificationKind::*;
    match kind {
        PostSubmitted => "notify.kind.post_submitted",
        UrgentPostSubmitted => "notify.kind.urgent_post_submitted",
        SlaHalfway => "notify.kind.sla_halfway",
        SlaMissed => "notify.kind.sla_missed",
        ChangesRequested => "notify.kind.changes_requested",
        PostApproved => "notify.kind.post_approved",
        CommentAdded => "notify.kind.comment_added",
        PublishFailed => "notify.kind.publish_failed",
    }
}

fn channel_key(channel: Channel) -> &'static str {
    match channel {
        Channel::InApp => "notify.channel.in_app",
        Channel::Email => "notify.channel.email",
        Channel::Telegram => "notify.channel.telegram",
    }
}

/// Whether Keel can send through `channel` at all (in-app always can).
fn channel_configured(state: &AppState, channel: Channel) -> bool {
    match channel {
        Channel::InApp => true,
        Channel::Email => state.config.smtp.is_some(),
        Channel::Telegram => state.config.telegram.is_some(),
    }
}

/// The checkbox name of one cell: `p.<kind>.<channel>`.
fn field(kind: NotificationKind, channel: Channel) -> String {
    format!("p.{}.{}", kind.as_str(), channel.as_str())
}

async fn render(
    state: &AppState,
    chrome: Chrome,
    user: &CurrentUser,
    fresh_code: Option<FreshCode>,
    notice_key: Option<&'static str>,
) -> Result<NotificationsPage, WebError> {
    let id = user.0.id();
    let grid = state.store.notification_preferences(id).await?;
    let off = |channel: Channel| !channel_configured(state, channel);
    let rows = NotificationKind::ALL
        .into_iter()
        .map(|kind| KindRow {
            label_key: kind_key(kind),
            cells: Channel::ALL
                .into_iter()
                .map(|channel| Cell {
                    field: field(kind, channel),
                    checked: grid.wants(kind, channel),
                    off: off(channel),
                })
                .collect(),
        })
        .collect();
    let language = state
        .store
        .recipient(id)
        .await?
        .notify_language
        .unwrap_or_else(|| chrome.t.lang().to_owned());
    Ok(NotificationsPage {
        rows,
        channel_keys: Channel::ALL.into_iter().map(channel_key).collect(),
        language,
        telegram_configured: state.config.telegram.is_some(),
        email_configured: state.config.smtp.is_some(),
        telegram_link: state.store.telegram_link_of(id).await?,
        fresh_code,
        code_minutes: LINK_CODE_MINUTES,
        notice_key,
        chrome,
    })
}

#[derive(Deserialize)]
pub struct Notice {
    done: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(user): Extension<CurrentUser>,
    Query(notice): Query<Notice>,
) -> Result<NotificationsPage, WebError> {
    let notice_key = match notice.done.as_deref() {
        Some("saved") => Some("notify.saved"),
        Some("unlinked") => Some("notify.telegram.unlinked"),
        _ => None,
    };
    render(&state, chrome, &user, None, notice_key).await
}

/// Saves the whole grid (an unticked box is absent from the form: that kind × channel is off)
/// and the language.
pub async fn save(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let language = match form.get("language").map(String::as_str) {
        Some(code @ ("en" | "ru")) => Some(code),
        None => None,
        Some(other) => {
            return Err(WebError::invalid(
                format!("language: `{other}` is not one of en, ru"),
                format!("язык: `{other}` — не en и не ru"),
            ));
        }
    };
    let id = user.0.id();
    // A channel that is not set up shows disabled boxes, which a form never sends: its stored
    // choices stay as they were instead of being switched off by the save.
    let stored = state.store.notification_preferences(id).await?;
    let on: Vec<(NotificationKind, Channel)> = NotificationKind::ALL
        .into_iter()
        .flat_map(|k| Channel::ALL.into_iter().map(move |c| (k, c)))
        .filter(|(k, c)| {
            if channel_configured(&state, *c) {
                form.contains_key(&field(*k, *c))
            } else {
                stored.wants(*k, *c)
            }
        })
        .collect();
    state
        .store
        .set_notification_preferences(id, &PreferenceGrid::only(&on))
        .await?;
    if language.is_some() {
        state.store.set_notify_language(id, language).await?;
    }
    Ok(Redirect::to("/settings/notifications?done=saved").into_response())
}

/// Makes a one-time link code and shows it (never in a URL: the page is rendered directly).
pub async fn telegram_code(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(user): Extension<CurrentUser>,
    CsrfForm(_): CsrfForm<HashMap<String, String>>,
) -> Result<NotificationsPage, WebError> {
    let Some(telegram) = &state.config.telegram else {
        return Err(WebError::invalid(
            "Telegram is not set up on this Keel installation (telegram_bot_token)",
            "Telegram не настроен в этой установке Keel (telegram_bot_token)",
        ));
    };
    let code = state.store.create_telegram_link_code(user.0.id()).await?;
    let link = telegram
        .bot_username
        .as_ref()
        .map(|bot| format!("https://t.me/{bot}?start={code}"));
    render(&state, chrome, &user, Some(FreshCode { code, link }), None).await
}

pub async fn telegram_unlink(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    CsrfForm(_): CsrfForm<HashMap<String, String>>,
) -> Result<Response, WebError> {
    state.store.unlink_telegram(user.0.id()).await?;
    Ok(Redirect::to("/settings/notifications?done=unlinked").into_response())
}
