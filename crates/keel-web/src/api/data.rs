//! `POST /api/v1/projects/{slug}/imports` and `GET /api/v1/projects/{slug}/report`.

use crate::auth::ProjectCtx;
use crate::{AppState, WebError, streaming, uploads};
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use chrono::NaiveDate;
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
    let format = uploads::format(q.format.as_deref())?;
    let file = uploads::spool(body.into_data_stream(), state.config.max_body_bytes).await?;
    let mut facebook = FacebookOptions::default();
    if let Some(y) = q.year {
        facebook.year = y;
    }
    if let Some(a) = q.account {
        facebook.account = a;
    }
    let source = q.source.unwrap_or_else(|| "api".into());
    let summary = uploads::import(
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

#[derive(Deserialize)]
pub struct PeriodQuery {
    from: Option<String>,
    to: Option<String>,
}

/// Parses `from`/`to` query values, naming the bad one.
pub fn period(q: &PeriodQuery) -> Result<(Option<NaiveDate>, Option<NaiveDate>), WebError> {
    let day = |name: &str, v: &Option<String>| -> Result<Option<NaiveDate>, WebError> {
        match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| WebError::BadRequest(format!("`{name}` must be a date as YYYY-MM-DD (got `{s}`)"))),
        }
    };
    let (from, to) = (day("from", &q.from)?, day("to", &q.to)?);
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        return Err(WebError::BadRequest(format!("`from` ({f}) is after `to` ({t})")));
    }
    Ok((from, to))
}

/// The report JSON of `keel report`, streamed.
pub async fn report(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, WebError> {
    let (from, to) = period(&q)?;
    let (mut writer, body) = streaming::channel();
    let (store, project) = (state.store.clone(), ctx.project.clone());
    tokio::spawn(async move {
        let result = keel_report::write_report_json(&store, &project, from, to, &mut writer).await;
        writer.finish(result, &project.slug).await;
    });
    body.respond([(header::CONTENT_TYPE, "application/json")]).await
}
