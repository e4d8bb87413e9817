//! `GET /api/v1/projects/{slug}/report`: the project's report over a period, the JSON of
//! `keel report`, streamed.

use crate::auth::ProjectCtx;
use crate::{AppState, WebError, streaming};
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::Response;
use chrono::NaiveDate;
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
    let (mut writer, body) = streaming::channel();
    let (store, project) = (state.store.clone(), ctx.project.clone());
    tokio::spawn(async move {
        let result = keel_report::write_report_json(&store, &project, from, to, &mut writer).await;
        writer.finish(result, &project.slug).await;
    });
    body.respond([(header::CONTENT_TYPE, "application/json")]).await
}
