//! Data files arriving over HTTP (the API's raw body, the data page's form) go through the
//! same importer as `keel import`. The upload is spooled to a temporary file as it arrives, so
//! memory does not grow with the file, and the importer reads it from there.

use crate::WebError;
use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use keel_import::{Format, ImportError, ImportOptions, ImportSummary, Problem};
use keel_store::Store;
use keel_store::projects::Project;
use std::io::Write;

/// Writes a stream of chunks to a new temporary file, refusing more than `limit` bytes.
pub async fn spool<E: std::fmt::Display>(
    mut chunks: impl Stream<Item = Result<Bytes, E>> + Unpin,
    limit: usize,
) -> Result<tempfile::NamedTempFile, WebError> {
    let mut file = tempfile::NamedTempFile::new().map_err(|e| WebError::Internal(e.into()))?;
    let mut written = 0usize;
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.map_err(|e| {
            let text = e.to_string();
            if text.contains("length limit") {
                too_large(limit)
            } else {
                WebError::invalid(
                    format!("the upload was interrupted: {text}"),
                    format!("загрузка прервалась: {text}"),
                )
            }
        })?;
        written += chunk.len();
        if written > limit {
            return Err(too_large(limit));
        }
        // Chunks are small (tens of KiB): writing them in place costs less than a thread hop.
        file.write_all(&chunk).map_err(|e| WebError::Internal(e.into()))?;
    }
    if written == 0 {
        return Err(WebError::invalid(
            "the upload is empty: send the file as the request body",
            "файл пустой: выберите файл с данными",
        ));
    }
    file.flush().map_err(|e| WebError::Internal(e.into()))?;
    Ok(file)
}

fn too_large(limit: usize) -> WebError {
    WebError::PayloadTooLarge(format!(
        "the file is larger than this server accepts ({} MiB); split it, or raise max_upload_mb (KEEL_MAX_UPLOAD_MB)",
        limit / (1024 * 1024)
    ))
}

/// Parses a format name, listing the valid ones when it is not one.
pub fn format(name: Option<&str>) -> Result<Format, WebError> {
    let name = name.ok_or_else(|| {
        WebError::BadRequest(format!(
            "say which format the file is in: ?format= one of {}",
            Format::ALL.map(Format::as_str).join(", ")
        ))
    })?;
    name.parse().map_err(|e: keel_import::UnknownFormat| {
        WebError::invalid(e.to_string(), format!("неизвестный формат файла: {e}"))
    })
}

/// Imports a spooled file. A file with problems is a 422 listing each with line and column.
pub async fn import(
    store: &Store,
    project: &Project,
    format: Format,
    file: &tempfile::NamedTempFile,
    source: &str,
    actor: &str,
    options: ImportOptions,
) -> Result<ImportSummary, WebError> {
    import_or_problems(store, project, format, file, source, actor, options)
        .await?
        .map_err(|problems| rejected(&problems))
}

/// Imports a spooled file; a file with problems gives its problems (the page words them in
/// the reader's language), anything else that fails is an error.
pub async fn import_or_problems(
    store: &Store,
    project: &Project,
    format: Format,
    file: &tempfile::NamedTempFile,
    source: &str,
    actor: &str,
    options: ImportOptions,
) -> Result<Result<ImportSummary, Vec<Problem>>, WebError> {
    let reader = file.reopen().map_err(|e| WebError::Internal(e.into()))?;
    let result = keel_import::import_with(store, project, format, reader, source, actor, options, &|_| {}).await;
    match result {
        Ok(summary) => Ok(Ok(summary)),
        Err(ImportError::Invalid(problems)) => Ok(Err(problems)),
        Err(ImportError::Io(e)) => Err(WebError::invalid(
            format!("cannot read the upload: {e}"),
            format!("не удалось прочитать загрузку: {e}"),
        )),
        Err(other) => Err(WebError::Internal(other.into())),
    }
}

/// A file with problems: a 422 whose details list each problem with line and column.
fn rejected(problems: &[Problem]) -> WebError {
    WebError::Rejected {
        message: format!(
            "the file was rejected and nothing of it was stored: {} problem(s), first: {}",
            problems.len(),
            problems[0]
        ),
        details: serde_json::to_value(problems).unwrap_or_default(),
        ru: Some(format!(
            "файл отклонён, ничего из него не сохранено: проблем — {}, первая: {}",
            problems.len(),
            problems[0].to_russian()
        )),
    }
}
