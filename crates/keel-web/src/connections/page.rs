//! The Connections tab: the project's accounts on the platforms and their status (agency side
//! and client owner), connecting and removing them (agency lead).

use crate::auth::ProjectCtx;
use crate::auth::csrf::CsrfForm;
use crate::layout::Chrome;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use keel_app::publishing::{self, ConnectInput};
use keel_domain::{Action, Decision, decide};
use keel_store::connections::Connection;
use keel_store::syncs::SyncRecord;
use serde::Deserialize;

/// A connection with its syncs, as the page shows it.
pub struct ConnectionRow {
    pub c: Connection,
    /// The last 20 syncs, newest first.
    pub syncs: Vec<SyncRecord>,
    /// When the schedule syncs it next (UTC, minutes).
    pub next: Option<String>,
    /// Whether the platform has a pull in this version.
    pub pulls: bool,
}

impl ConnectionRow {
    pub fn last(&self) -> Option<&SyncRecord> {
        self.syncs.first()
    }
}

/// A time as the page shows it: `2026-12-04 08:15 UTC`.
pub fn when(at: &chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

#[derive(Template, WebTemplate)]
#[template(path = "connections.html")]
pub struct ConnectionsPage {
    chrome: Chrome,
    slug: String,
    name: String,
    tab: &'static str,
    connections: Vec<ConnectionRow>,
    can_manage: bool,
    /// Why the last attempt to connect failed, in the reader's language.
    problem: Option<String>,
    /// What the person typed (not the token), to try again.
    platform: String,
    account: String,
    notice_key: Option<&'static str>,
}

impl ConnectionsPage {
    fn when(at: &chrono::DateTime<chrono::Utc>) -> String {
        when(at)
    }

    fn sync_state_key(s: &SyncRecord) -> &'static str {
        match s.state.as_str() {
            "done" => "connections.sync.done",
            "running" => "connections.sync.running",
            _ => "connections.sync.failed",
        }
    }

    fn kind_key(s: &SyncRecord) -> &'static str {
        match s.kind.as_str() {
            "backfill" => "connections.sync.kind.backfill",
            "recent" => "connections.sync.kind.recent",
            "daily" => "connections.sync.kind.daily",
            _ => "connections.sync.kind.manual",
        }
    }

    fn status_key(c: &Connection) -> &'static str {
        match c.status.as_str() {
            "ok" => "connections.status.ok",
            "needs_reconnecting" => "connections.status.needs_reconnecting",
            _ => "connections.status.error",
        }
    }

    fn platform_label(c: &Connection) -> &'static str {
        c.platform().map(|p| p.label()).unwrap_or("?")
    }
}

#[derive(Deserialize)]
pub struct Notice {
    done: Option<String>,
}

async fn render(
    state: &AppState,
    chrome: Chrome,
    ctx: &ProjectCtx,
    problem: Option<String>,
    typed: (String, String),
    notice_key: Option<&'static str>,
) -> Result<ConnectionsPage, WebError> {
    Ok(ConnectionsPage {
        chrome,
        slug: ctx.project.slug.clone(),
        name: ctx.project.name.clone(),
        tab: "connections",
        connections: rows(state, publishing::connections(&state.store, ctx).await?).await?,
        can_manage: decide(ctx.access, Action::ManageConnections) == Decision::Allow,
        problem,
        platform: typed.0,
        account: typed.1,
        notice_key,
    })
}

async fn rows(state: &AppState, connections: Vec<Connection>) -> Result<Vec<ConnectionRow>, WebError> {
    use keel_domain::connection::ConnectionPlatform::*;
    let mut rows = Vec::with_capacity(connections.len());
    for c in connections {
        let syncs = state.store.syncs_of(c.id, 20).await?;
        let pulls = matches!(c.platform(), Some(Vk | Telegram | YandexDirect | Amocrm));
        let next = match (pulls, c.status.as_str()) {
            (false, _) | (_, "needs_reconnecting") => None,
            _ => Some(c.next_sync_at.map(|n| when(&n)).unwrap_or_default()),
        };
        rows.push(ConnectionRow { c, syncs, next, pulls });
    }
    Ok(rows)
}

pub async fn page(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(ctx): Extension<ProjectCtx>,
    Query(notice): Query<Notice>,
) -> Result<ConnectionsPage, WebError> {
    let notice_key = match notice.done.as_deref() {
        Some("connected") => Some("connections.done.connected"),
        Some("removed") => Some("connections.done.removed"),
        Some("sync") => Some("connections.done.sync"),
        _ => None,
    };
    render(&state, chrome, &ctx, None, ("vk".into(), String::new()), notice_key).await
}

#[derive(Deserialize)]
pub struct ConnectForm {
    platform: String,
    account: String,
    #[serde(default)]
    token: String,
    /// amoCRM with an integration: the refresh token and the integration's id and secret.
    #[serde(default)]
    refresh_token: String,
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    client_secret: String,
}

/// Checks and saves; on a failed check the page comes back with the reason (the token is not
/// echoed back).
pub async fn connect(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(ctx): Extension<ProjectCtx>,
    CsrfForm(form): CsrfForm<ConnectForm>,
) -> Result<Response, WebError> {
    let field = match form.platform.as_str() {
        "telegram" => "bot_token",
        "bitrix24" => "webhook_url",
        _ => "access_token",
    };
    let token = form.token.trim();
    let mut secret = if token.is_empty() {
        serde_json::json!({})
    } else {
        serde_json::json!({ field: token })
    };
    for (name, value) in [
        ("refresh_token", &form.refresh_token),
        ("client_id", &form.client_id),
        ("client_secret", &form.client_secret),
    ] {
        if form.platform == "amocrm" && !value.trim().is_empty() {
            secret[name] = serde_json::Value::String(value.trim().to_owned());
        }
    }
    let input = ConnectInput {
        platform: form.platform.clone(),
        account: form.account.clone(),
        secret,
    };
    let lang = chrome.t.0;
    match publishing::connect(&state.store, &state.config.platforms, &ctx, &input).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/projects/{}/connections?done=connected", ctx.project.slug)).into_response())
        }
        Err(keel_app::AppError::Refused(refusal)) if refusal.kind() == keel_app::RefusalKind::Invalid => {
            let problem = refusal.text(lang);
            Ok(
                render(&state, chrome, &ctx, Some(problem), (form.platform, form.account), None)
                    .await?
                    .into_response(),
            )
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct RemoveForm {}

pub async fn remove(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    Path((_, id)): Path<(String, i64)>,
    CsrfForm(_form): CsrfForm<RemoveForm>,
) -> Result<Response, WebError> {
    publishing::remove(&state.store, &ctx, id).await?;
    Ok(Redirect::to(&format!("/projects/{}/connections?done=removed", ctx.project.slug)).into_response())
}

#[derive(Deserialize)]
pub struct SyncForm {}

/// "Sync now": the sync is enqueued and runs within seconds; the page says so.
pub async fn sync_now(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    Path((_, id)): Path<(String, i64)>,
    CsrfForm(_form): CsrfForm<SyncForm>,
) -> Result<Response, WebError> {
    let connection = state
        .store
        .connection(id)
        .await?
        .filter(|c| c.project_id == ctx.project.id().0)
        .ok_or(WebError::NotFound)?;
    keel_app::pulls::request_sync(&state.store, &ctx, &connection, None, None).await?;
    Ok(Redirect::to(&format!("/projects/{}/connections?done=sync", ctx.project.slug)).into_response())
}

#[derive(Deserialize)]
pub struct PublicationForm {
    /// `again` (send it again) or `published` (found on the platform at `url`).
    action: String,
    #[serde(default)]
    url: String,
}

/// A person resolves a failed or unknown publication from the post's page.
pub async fn resolve_publication(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    Extension(crate::plan::guard::PostCtx(post)): Extension<crate::plan::guard::PostCtx>,
    Path((_, _, platform)): Path<(String, i64, String)>,
    CsrfForm(form): CsrfForm<PublicationForm>,
) -> Result<Response, WebError> {
    let platform = keel_domain::workflow::Platform::parse(&platform).ok_or(WebError::NotFound)?;
    let url = form.url.trim();
    let url = (form.action == "published").then_some(url);
    if let Some(url) = url
        && !(url.starts_with("https://") || url.starts_with("http://"))
    {
        return Err(WebError::BadRequest(
            "field `url`: the post's address, starting with https://".into(),
        ));
    }
    if !state.store.resolve_publication(post.id, platform, url).await? {
        return Err(keel_app::AppError::from(keel_app::Refusal::WrongState).into());
    }
    if url.is_some() {
        state.store.settle_post(&post, keel_store::now()).await?;
    } else {
        state.store.retry_publishing(&post, ctx.user.id()).await?;
    }
    Ok(Redirect::to(&format!("/projects/{}/posts/{}", ctx.project.slug, post.id)).into_response())
}
