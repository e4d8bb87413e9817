//! `POST /api/v1/projects/{slug}/imports`: a data file imported into the project, all-or-nothing.

use super::upload;
use crate::auth::ProjectCtx;
use crate::{AppState, WebError};
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use keel_import::ImportOptions;
use serde::{Deserialize, Serialize};

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// The file's format.
    #[param(required, value_type = keel_import::Format)]
    format: Option<String>,
    /// facebook-metrics: the year its posts were published.
    year: Option<i32>,
    /// The account the posts are stored under (facebook-metrics: default `page`; vk-wall,
    /// telegram-export, instagram-media: default the one the file names).
    account: Option<String>,
    /// yandex-direct, meta-ads: the money's currency (default RUB for yandex-direct; for
    /// meta-ads each row's `account_currency`, else USD).
    currency: Option<String>,
    /// yandex-direct: the report's money is in micros (default false: currency units).
    micros: Option<bool>,
    /// A name for the import log (default `api`).
    source: Option<String>,
}

/// What an import stored.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ImportSummaryJson {
    #[schema(value_type = keel_import::Format)]
    pub format: &'static str,
    /// Data rows in the file.
    pub rows_read: u64,
    /// Rows new to the project.
    pub stored: u64,
    /// Rows that replaced an older snapshot of the same key.
    pub replaced: u64,
    /// Rows identical to what was stored.
    pub unchanged: u64,
}

/// Imports the request body as one file, all-or-nothing.
#[utoipa::path(post, path = "/api/v1/projects/{slug}/imports", params(crate::openapi::Slug, ImportQuery),
    request_body(description = "the data file, as exported", content(
        (Vec<u8> = "text/csv"), (Vec<u8> = "text/tab-separated-values"), (Vec<u8> = "application/json"),
        (Vec<u8> = "application/octet-stream"))),
    responses((status = 200, body = ImportSummaryJson),
        (status = 422, description = "the file was rejected and nothing of it stored; `problems` lists each problem with its line and column (for JSON files, `column` is the JSON path of the offending value)", body = crate::openapi::ErrorJson)))]
pub async fn import(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    Query(q): Query<ImportQuery>,
    body: Body,
) -> Result<Response, WebError> {
    // An absent or unknown format does not match the document: 400.
    let format = upload::format(q.format.as_deref()).map_err(|e| WebError::Malformed(e.to_string()))?;
    let file = upload::spool(body.into_data_stream(), state.config.max_body_bytes).await?;
    let mut options = ImportOptions::default();
    if let Some(y) = q.year {
        options.year = y;
    }
    options.account = q.account;
    options.currency = q.currency;
    options.money_in_micros = q.micros.unwrap_or(false);
    let source = q.source.unwrap_or_else(|| "api".into());
    let summary = upload::import(
        &state.store,
        &ctx.project,
        format,
        &file,
        &source,
        &ctx.user.email,
        options,
    )
    .await?;
    let body = ImportSummaryJson {
        format: format.as_str(),
        rows_read: summary.rows_read as u64,
        stored: summary.stored as u64,
        replaced: summary.replaced as u64,
        unchanged: summary.unchanged as u64,
    };
    Ok((StatusCode::OK, Json(body)).into_response())
}
