//! `GET /api/v1/projects/{slug}/report`: the project's report over a period, the JSON of
//! `keel report`, streamed.

use crate::analytics::cache::{Cached, Key, Kind, Tee};
use crate::auth::ProjectCtx;
use crate::{AppState, WebError, streaming};
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{AppendHeaders, IntoResponse, Response};
use chrono::NaiveDate;
use keel_store::projects::Project;
use serde::Deserialize;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    /// First day, inclusive (default: all data).
    #[param(value_type = Option<chrono::NaiveDate>)]
    from: Option<String>,
    /// Last day, inclusive (default: all data); not before `from`.
    #[param(value_type = Option<chrono::NaiveDate>)]
    to: Option<String>,
}

/// Parses `from`/`to` query values, naming the bad one.
pub fn period(q: &PeriodQuery) -> Result<(Option<NaiveDate>, Option<NaiveDate>), WebError> {
    let day = |name: &str, v: &Option<String>| -> Result<Option<NaiveDate>, WebError> {
        match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| WebError::Malformed(format!("`{name}` must be a date as YYYY-MM-DD (got `{s}`)"))),
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
#[utoipa::path(get, path = "/api/v1/projects/{slug}/report", params(crate::openapi::Slug, PeriodQuery),
    responses((status = 200, body = keel_report::Report),
        (status = 503, description = "busy with reports: try again after `Retry-After` seconds", body = crate::openapi::ErrorJson)))]
pub async fn report(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, WebError> {
    // The document says a date; the pages' empty field ("all data") is not one.
    for (name, value) in [("from", &q.from), ("to", &q.to)] {
        if value.as_deref().is_some_and(|v| v.trim().is_empty()) {
            return Err(WebError::Malformed(format!(
                "`{name}` must be a date as YYYY-MM-DD (got an empty value)"
            )));
        }
    }
    let (from, to) = period(&q)?;
    report_json(&state, &ctx.project, from, to, None).await
}

/// The report JSON of `project` over `from ..= to`: from the cache when computed at the
/// project's current data version; else streamed as it is computed (holding a heavy-request
/// permit until the last byte is written) and, when short enough, kept for the next request.
/// `attachment` is a `Content-Disposition` value for downloads.
pub(crate) async fn report_json(
    state: &AppState,
    project: &Project,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    attachment: Option<String>,
) -> Result<Response, WebError> {
    let key = Key::new(Kind::ReportJson, project, from, to);
    let mut headers = vec![(header::CONTENT_TYPE, "application/json".to_owned())];
    headers.extend(attachment.map(|a| (header::CONTENT_DISPOSITION, a)));
    let cached = || {
        state.figures.json(&key).map(|bytes| {
            // Set, not appended: the bytes' own `application/octet-stream` must not stay.
            let mut response = bytes.into_response();
            for (name, value) in &headers {
                if let Ok(value) = header::HeaderValue::from_str(value) {
                    response.headers_mut().insert(name.clone(), value);
                }
            }
            response
        })
    };
    if let Some(hit) = cached() {
        return Ok(hit);
    }
    let permit = state.heavy.enter().await?;
    // Computed by another request while this one waited for its turn?
    if let Some(hit) = cached() {
        return Ok(hit);
    }
    let (mut writer, body) = streaming::channel();
    let (store, project, figures) = (state.store.clone(), project.clone(), state.figures.clone());
    tokio::spawn(async move {
        let _permit = permit;
        let mut tee = Tee::new(&mut writer);
        let result = keel_report::write_report_json(&store, &project, from, to, &mut tee).await;
        if let (Ok(()), Some(copy)) = (&result, tee.into_copy()) {
            figures.insert(key, Cached::Json(Bytes::from(copy)));
        }
        writer.finish(result, &project.slug).await;
    });
    body.respond(AppendHeaders(headers)).await
}
