//! `POST /api/v1/projects/{slug}/imports`: a data file imported into the project, all-or-nothing.

use super::upload;
use crate::auth::ProjectCtx;
use crate::{AppState, WebError};
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use keel_import::FacebookOptions;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct ImportQuery {
    format: Option<String>,
    /// facebook-metrics: the year its posts were published.
    year: Option<i32>,
    /// facebook-metrics: the page's account name.
    account: Option<String>,
    /// A name for the import log (default `api`).
    source: Option<String>,
}

/// Imports the request body as one file, all-or-nothing.
pub async fn import(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    Query(q): Query<ImportQuery>,
    body: Body,
) -> Result<Response, WebError> {
    let format = upload::format(q.format.as_deref())?;
    let file = upload::spool(body.into_data_stream(), state.config.max_body_bytes).await?;
    let mut facebook = FacebookOptions::default();
    if let Some(y) = q.year {
        facebook.year = y;
    }
    if let Some(a) = q.account {
        facebook.account = a;
    }
    let source = q.source.unwrap_or_else(|| "api".into());
    let summary = upload::import(
        &state.store,
        &ctx.project,
        format,
        &file,
        &source,
        &ctx.user.email,
        facebook,
    )
    .await?;
    let body = serde_json::json!({
        "format": format.as_str(),
        "rows_read": summary.rows_read,
        "stored": summary.stored,
        "replaced": summary.replaced,
        "unchanged": summary.unchanged,
    });
    Ok((StatusCode::OK, Json(body)).into_response())
}
