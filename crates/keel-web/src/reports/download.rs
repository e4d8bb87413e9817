//! The report downloads of a project (`report.json`, `report.csv`, `report.html`) over the
//! period picked on the analytics page (`from` / `to`, inclusive `YYYY-MM-DD`; without them,
//! all data). The JSON and CSV stream the full report; the HTML is the standalone report in
//! the reader's language, with the analytics page's sections and charts.

use crate::analytics::page::{PeriodParams, TOP_POSTS, download_period};
use crate::auth::ProjectCtx;
use crate::layout::Chrome;
use crate::{AppState, WebError, streaming};
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use keel_report::series::build_analytics;

/// `keel-client-a-report-2026-01-01-2026-03-31.json`.
fn file_name(slug: &str, (from, to): (Option<NaiveDate>, Option<NaiveDate>), ext: &str) -> String {
    let mut name = format!("keel-{slug}-report");
    for d in [from, to].into_iter().flatten() {
        name.push_str(&format!("-{d}"));
    }
    format!("{name}.{ext}")
}

fn attachment(name: &str) -> String {
    // Slugs and dates are `[a-z0-9-]`: nothing to quote.
    format!("attachment; filename=\"{name}\"")
}

/// `GET /projects/{slug}/report.json`: the JSON of `keel report`, streamed.
pub async fn report_json(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    Query(params): Query<PeriodParams>,
) -> Result<Response, WebError> {
    let period = download_period(&params)?;
    let name = attachment(&file_name(&ctx.project.slug, period, "json"));
    crate::reports::api::report_json(&state, &ctx.project, period.0, period.1, Some(name)).await
}

/// `GET /projects/{slug}/report.csv`: the CSV of `keel report`, streamed.
pub async fn report_csv(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    Query(params): Query<PeriodParams>,
) -> Result<Response, WebError> {
    stream_report(state, ctx, &params, "csv").await
}

async fn stream_report(
    state: AppState,
    ctx: ProjectCtx,
    params: &PeriodParams,
    ext: &'static str,
) -> Result<Response, WebError> {
    let period = download_period(params)?;
    let (from, to) = period;
    let (mut writer, body) = streaming::channel();
    let (store, project) = (state.store.clone(), ctx.project.clone());
    tokio::spawn(async move {
        let result = if ext == "json" {
            keel_report::write_report_json(&store, &project, from, to, &mut writer).await
        } else {
            keel_report::write_report_csv(&store, &project, from, to, &mut writer).await
        };
        writer.finish(result, &project.slug).await;
    });
    let content_type = if ext == "json" {
        "application/json"
    } else {
        "text/csv; charset=utf-8"
    };
    body.respond([
        (header::CONTENT_TYPE, content_type.to_owned()),
        (
            header::CONTENT_DISPOSITION,
            attachment(&file_name(&ctx.project.slug, period, ext)),
        ),
    ])
    .await
}

/// `GET /projects/{slug}/report.html`: the standalone HTML report in the reader's
/// language, with the analytics page's sections and charts.
pub async fn report_html(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(ctx): Extension<ProjectCtx>,
    Query(params): Query<PeriodParams>,
) -> Result<Response, WebError> {
    let period = download_period(&params)?;
    let a = build_analytics(&state.store, &ctx.project, period.0, period.1, TOP_POSTS).await?;
    let html = super::standalone::standalone_analytics(&ctx.project, &a, chrome.t.0);
    Ok((
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                attachment(&file_name(&ctx.project.slug, period, "html")),
            ),
        ],
        html,
    )
        .into_response())
}

/// `GET /projects/{slug}/report.pdf`: the report for the client as PDF, in the reader's
/// language (or `?lang=`).
pub async fn report_pdf(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(ctx): Extension<ProjectCtx>,
    Query(params): Query<PeriodParams>,
) -> Result<Response, WebError> {
    document_download(state, chrome, ctx, params, "pdf").await
}

/// `GET /projects/{slug}/report.xlsx`: the same as XLSX.
pub async fn report_xlsx(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(ctx): Extension<ProjectCtx>,
    Query(params): Query<PeriodParams>,
) -> Result<Response, WebError> {
    document_download(state, chrome, ctx, params, "xlsx").await
}

async fn document_download(
    state: AppState,
    chrome: Chrome,
    ctx: ProjectCtx,
    params: PeriodParams,
    ext: &'static str,
) -> Result<Response, WebError> {
    let period = download_period(&params)?;
    let lang = chrome.t.0;
    let (bytes, content_type) = if ext == "pdf" {
        (
            super::document::pdf(&state.store, &ctx.project, period.0, period.1, lang).await?,
            "application/pdf",
        )
    } else {
        (
            super::document::xlsx(&state.store, &ctx.project, period.0, period.1, lang).await?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                attachment(&file_name(&ctx.project.slug, period, ext)),
            ),
        ],
        bytes,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn download_names_carry_the_period() {
        let d = |s: &str| s.parse::<NaiveDate>().ok();
        assert_eq!(file_name("client-a", (None, None), "json"), "keel-client-a-report.json");
        assert_eq!(
            file_name("client-a", (d("2026-01-01"), d("2026-03-31")), "csv"),
            "keel-client-a-report-2026-01-01-2026-03-31.csv"
        );
    }
}
