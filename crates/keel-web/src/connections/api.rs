//! `GET|POST /api/v1/projects/{slug}/connections`, remove and reconnect; retrying and resolving
//! publications of a post. Credentials go in as `secret` and never come out: a connection shows
//! only the last four characters of its token.

use crate::auth::ProjectCtx;
use crate::json::ApiJson;
use crate::plan::guard::PostCtx;
use crate::plan::input::ApiBody;
use crate::plan::view::{PostJson, PostView};
use crate::{AppState, WebError};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use chrono::{DateTime, Utc};
use keel_app::publishing::{self, ConnectInput};
use keel_store::connections::Connection;
use serde::{Deserialize, Serialize};

/// A connection (PRODUCT.md: `id`, `platform`, `account`, `status`, `last_sync_at`,
/// `last_error`), with the account's name and the token's last four characters.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ConnectionJson {
    pub id: i64,
    #[schema(value_type = crate::openapi::PlatformName)]
    pub platform: String,
    pub account: String,
    pub account_name: String,
    /// `ok`, `needs_reconnecting` or `error`.
    pub status: String,
    pub last_sync_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    /// The last four characters of the credential (`····` when too short to show any).
    pub secret_hint: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub fn connection_json(c: &Connection) -> ConnectionJson {
    ConnectionJson {
        id: c.id,
        platform: c.platform.clone(),
        account: c.account.clone(),
        account_name: c.account_name.clone(),
        status: c.status.clone(),
        last_sync_at: c.last_sync_at,
        last_error: c.last_error.clone(),
        secret_hint: c.secret_hint.clone(),
        created_at: c.created_at,
        updated_at: c.updated_at,
    }
}

/// An account to connect.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewConnectionJson {
    #[schema(value_type = crate::openapi::PlatformName)]
    pub platform: String,
    pub account: String,
    /// The credential: a token string, or the platform's object of them.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub secret: serde_json::Value,
}

#[utoipa::path(get, path = "/api/v1/projects/{slug}/connections", params(crate::openapi::Slug), responses((status = 200, body = Vec<ConnectionJson>)))]
pub async fn list(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
) -> Result<Json<Vec<ConnectionJson>>, WebError> {
    let connections = publishing::connections(&state.store, &ctx).await?;
    Ok(Json(connections.iter().map(connection_json).collect()))
}

/// Checks the account with its platform, then stores it (201), or says what is wrong (422).
#[utoipa::path(post, path = "/api/v1/projects/{slug}/connections", params(crate::openapi::Slug), request_body = NewConnectionJson, responses((status = 201, body = ConnectionJson), (status = 409, description = "the account is already connected", body = crate::openapi::ErrorJson)))]
pub async fn create(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    ApiJson(body): ApiJson<NewConnectionJson>,
) -> Result<(StatusCode, Json<ConnectionJson>), WebError> {
    let input = ConnectInput {
        platform: body.platform,
        account: body.account,
        secret: body.secret,
    };
    let connection = publishing::connect(&state.store, &state.config.platforms, &ctx, &input).await?;
    Ok((StatusCode::CREATED, Json(connection_json(&connection))))
}

/// New credentials for a connection.
#[derive(Deserialize, Default, utoipa::ToSchema)]
pub struct ReconnectJson {
    /// Another account of the same platform (else the connection's own).
    pub account: Option<String>,
    /// The credential: a token string, or the platform's object of them.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub secret: serde_json::Value,
}

async fn own_connection(state: &AppState, ctx: &ProjectCtx, id: i64) -> Result<Connection, WebError> {
    state
        .store
        .connection(id)
        .await?
        .filter(|c| c.project_id == ctx.project.id().0)
        .ok_or(WebError::NotFound)
}

/// New credentials for a connection, checked like a new one; the status is `ok` again.
#[utoipa::path(post, path = "/api/v1/projects/{slug}/connections/{connection}/reconnect", params(crate::openapi::Slug, ("connection" = i64, Path, description = "the connection's id")), request_body(content = Option<ReconnectJson>), responses((status = 200, body = ConnectionJson)))]
pub async fn reconnect(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    Path((_, id)): Path<(String, i64)>,
    ApiBody(body): ApiBody<ReconnectJson>,
) -> Result<Json<ConnectionJson>, WebError> {
    let existing = own_connection(&state, &ctx, id).await?;
    let input = ConnectInput {
        platform: existing.platform.clone(),
        account: body.account.unwrap_or(existing.account),
        secret: body.secret,
    };
    let connection = publishing::connect(&state.store, &state.config.platforms, &ctx, &input).await?;
    Ok(Json(connection_json(&connection)))
}

#[utoipa::path(post, path = "/api/v1/projects/{slug}/connections/{connection}/remove", params(crate::openapi::Slug, ("connection" = i64, Path, description = "the connection's id")), responses((status = 204, description = "removed")))]
pub async fn remove(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    Path((_, id)): Path<(String, i64)>,
) -> Result<StatusCode, WebError> {
    own_connection(&state, &ctx, id).await?;
    publishing::remove(&state.store, &ctx, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The range to sync (both optional: a first sync backfills 90 days, a later one the last 30,
/// up to today).
#[derive(Deserialize, Default, utoipa::ToSchema)]
pub struct SyncRangeJson {
    /// First day, inclusive (`YYYY-MM-DD`).
    #[schema(format = Date)]
    pub from: Option<String>,
    /// Last day, inclusive (`YYYY-MM-DD`).
    #[schema(format = Date)]
    pub to: Option<String>,
}

/// A day of the range: `None` when absent, a refusal (422) naming the field when not a date.
fn sync_day(field: &str, value: Option<&str>) -> Result<Option<chrono::NaiveDate>, WebError> {
    match value {
        None => Ok(None),
        Some(text) => chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .map(Some)
            .map_err(|_| {
                WebError::invalid(
                    format!("field `{field}`: `{text}` is not a date as YYYY-MM-DD"),
                    format!("поле `{field}`: «{text}» — не дата в виде ГГГГ-ММ-ДД"),
                )
            }),
    }
}

/// A sync waiting for the job runner (it runs within seconds; its outcome shows on the
/// connection as `last_sync_at` or `last_error`, and on the Connections page).
#[derive(Serialize, utoipa::ToSchema)]
pub struct SyncQueuedJson {
    pub connection: ConnectionJson,
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    /// Always `queued`.
    pub state: &'static str,
}

/// Pulls the connection's platform statistics now (agency lead): enqueued, 202.
#[utoipa::path(post, path = "/api/v1/connections/{id}/sync", params(("id" = i64, Path, description = "the connection's id")), request_body(content = Option<SyncRangeJson>),
    responses((status = 202, body = SyncQueuedJson), (status = 403, description = "the caller may not manage this project's connections", body = crate::openapi::ErrorJson), (status = 404, description = "no such connection the caller may see", body = crate::openapi::ErrorJson)))]
pub async fn sync(
    State(state): State<AppState>,
    Extension(crate::auth::CurrentUser(user)): Extension<crate::auth::CurrentUser>,
    Path(id): Path<i64>,
    ApiBody(body): ApiBody<SyncRangeJson>,
) -> Result<(StatusCode, Json<SyncQueuedJson>), WebError> {
    let (from, to) = (
        sync_day("from", body.from.as_deref())?,
        sync_day("to", body.to.as_deref())?,
    );
    let (connection, from, to) = keel_app::pulls::request_sync_by_id(&state.store, user, id, from, to).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(SyncQueuedJson {
            connection: connection_json(&connection),
            from,
            to,
            state: "queued",
        }),
    ))
}

/// A person sends a failed post (or its unknown publications) again: they go back to pending
/// and the publishing job runs now.
#[utoipa::path(post, path = "/api/v1/posts/{id}/retry-publishing", params(crate::openapi::PostIdParam), responses((status = 200, body = PostJson)))]
pub async fn retry(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    Extension(PostCtx(post)): Extension<PostCtx>,
) -> Result<Json<PostJson>, WebError> {
    state.store.retry_publishing(&post, ctx.user.id()).await?;
    let post = state
        .store
        .plan_post(ctx.project.org(), post.id)
        .await?
        .ok_or(WebError::NotFound)?;
    Ok(Json(PostView::load(&state.store, post).await?.json(&ctx.project.slug)))
}

/// How an unknown publication is resolved.
#[derive(Deserialize, Default, utoipa::ToSchema)]
#[schema(as = PublicationResolution)]
pub struct ResolveJson {
    /// The post's address on the platform, when a person found it there.
    pub url: Option<String>,
}

/// A person resolves a publication that is `unknown` (or `failed`): found on the channel (`url`),
/// or not (no `url`: it is sent again).
#[utoipa::path(post, path = "/api/v1/posts/{id}/publications/{platform}/resolve", params(crate::openapi::PostIdParam, ("platform" = crate::openapi::PlatformName, Path, description = "the publication's platform")), request_body(content = Option<ResolveJson>), responses((status = 200, body = PostJson)))]
pub async fn resolve(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    Extension(PostCtx(post)): Extension<PostCtx>,
    Path((_, platform)): Path<(i64, String)>,
    ApiBody(body): ApiBody<ResolveJson>,
) -> Result<Json<PostJson>, WebError> {
    let platform = keel_domain::workflow::Platform::parse(&platform).ok_or(WebError::NotFound)?;
    let url = body.url.as_deref().map(str::trim).filter(|u| !u.is_empty());
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
    let post = state
        .store
        .plan_post(ctx.project.org(), post.id)
        .await?
        .ok_or(WebError::NotFound)?;
    Ok(Json(PostView::load(&state.store, post).await?.json(&ctx.project.slug)))
}
