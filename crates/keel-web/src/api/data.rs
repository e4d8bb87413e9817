//! `POST /api/v1/projects/{slug}/imports` and `GET /api/v1/projects/{slug}/report`.

use crate::auth::ProjectCtx;
use crate::{uploads, AppState, WebError};
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use chrono::NaiveDate;
use keel_import::FacebookOptions;
use serde::Deserialize;
use std::io::Write;

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
    let summary = uploads::import(&state.store, &ctx.project, format, &file, &source, &ctx.user.email, facebook).await?;
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
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(WebError::BadRequest(format!("`from` ({f}) is after `to` ({t})")));
        }
    }
    Ok((from, to))
}

/// A `Write` that hands 64 KiB chunks to the response body as they are produced, so a
/// million-post report streams instead of being built in memory.
struct ChannelWriter {
    buffer: Vec<u8>,
    tx: tokio::sync::mpsc::Sender<Result<Bytes, std::io::Error>>,
}

impl ChannelWriter {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::take(&mut self.buffer));
        // The report is written from async code through a blocking `Write`: wait for the
        // client in place, which the multi-threaded runtime allows.
        tokio::task::block_in_place(|| self.tx.blocking_send(Ok(chunk)))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client went away"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(data);
        if self.buffer.len() >= 64 * 1024 {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

/// The report JSON of `keel report`, streamed.
pub async fn report(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, WebError> {
    let (from, to) = period(&q)?;
    let (tx, mut rx) = tokio::sync::mpsc::channel(8);
    let project = ctx.project.clone();
    let store = state.store.clone();
    let errors = tx.clone();
    tokio::spawn(async move {
        let mut writer = ChannelWriter { buffer: Vec::with_capacity(64 * 1024), tx };
        let result = keel_report::write_report_json(&store, &project, from, to, &mut writer).await;
        let result = result.and_then(|()| writer.flush().map_err(Into::into));
        if let Err(e) = result {
            tracing::error!(error = ?e, project = project.slug, "report failed while streaming");
            let _ = errors.send(Err(std::io::Error::other("report failed"))).await;
        }
    });
    // Wait for the first chunk so that an error before any output is still a proper 500.
    let first = match rx.recv().await {
        Some(Ok(chunk)) => chunk,
        _ => return Err(WebError::Internal(anyhow::anyhow!("the report could not be computed"))),
    };
    let rest = futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|item| (item, rx)) });
    let stream = futures_util::stream::once(async move { Ok(first) }).chain(rest);
    use futures_util::StreamExt;
    Ok(([(header::CONTENT_TYPE, "application/json")], Body::from_stream(stream)).into_response())
}
