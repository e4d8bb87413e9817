//! A project's data page: what it holds, the import history, and an upload form that runs the
//! same importer as `keel import` and the API.

use super::upload;
use crate::auth::ProjectCtx;
use crate::i18n::Lang;
use crate::layout::Chrome;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use keel_domain::{Action, Decision, decide};
use keel_import::ImportOptions;
use keel_store::data::DataCounts;
use keel_store::import_log::ImportRecord;

/// The outcome of an upload, shown above the form.
pub enum Outcome {
    None,
    Imported {
        file: String,
        rows_read: u64,
        stored: u64,
        replaced: u64,
        unchanged: u64,
    },
    Rejected {
        file: String,
        problems: Vec<String>,
    },
}

#[derive(Template, WebTemplate)]
#[template(path = "data.html")]
pub struct DataPage {
    chrome: Chrome,
    slug: String,
    name: String,
    tab: &'static str,
    counts: DataCounts,
    imports: Vec<ImportRecord>,
    can_import: bool,
    outcome: Outcome,
    max_mb: usize,
}

async fn render(state: &AppState, chrome: Chrome, ctx: &ProjectCtx, outcome: Outcome) -> Result<DataPage, WebError> {
    Ok(DataPage {
        chrome,
        slug: ctx.project.slug.clone(),
        name: ctx.project.name.clone(),
        tab: "data",
        counts: state.store.data_counts(&ctx.project).await?,
        imports: state.store.recent_imports(&ctx.project, 20).await?,
        can_import: decide(ctx.access, Action::ImportData) == Decision::Allow,
        outcome,
        max_mb: state.config.max_body_bytes / (1024 * 1024),
    })
}

pub async fn page(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(ctx): Extension<ProjectCtx>,
) -> Result<DataPage, WebError> {
    render(&state, chrome, &ctx, Outcome::None).await
}

/// The upload form: `_csrf` first, then `format` and the native formats' options (`account`,
/// `currency`, `micros`), then the `file` (browsers send fields in
/// document order, so the token is checked before the file is read).
pub async fn upload(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(ctx): Extension<ProjectCtx>,
    headers: axum::http::HeaderMap,
    mut form: Multipart,
) -> Result<Response, WebError> {
    let cookie = crate::auth::cookies::get(&headers, crate::auth::csrf::CSRF_COOKIE).unwrap_or_default();
    let mut csrf_ok = false;
    let mut format = None;
    let mut options = ImportOptions::default();
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| WebError::invalid(format!("malformed upload: {e}"), format!("загрузка повреждена: {e}")))?
    {
        match field.name().unwrap_or("") {
            "_csrf" => csrf_ok = !cookie.is_empty() && field.text().await.unwrap_or_default() == cookie,
            "format" => format = Some(field.text().await.unwrap_or_default()),
            "account" => {
                options.account = Some(field.text().await.unwrap_or_default()).filter(|a| !a.trim().is_empty())
            }
            "currency" => {
                options.currency = Some(field.text().await.unwrap_or_default()).filter(|c| !c.trim().is_empty());
            }
            "micros" => options.money_in_micros = !field.text().await.unwrap_or_default().is_empty(),
            "file" => {
                if !csrf_ok {
                    return Err(WebError::invalid(
                        "the form's security token is missing or stale: reload the page and submit it again",
                        "защитный токен формы отсутствует или устарел: обновите страницу и отправьте форму ещё раз",
                    ));
                }
                let format = upload::format(format.as_deref())?;
                let file_name = field
                    .file_name()
                    .filter(|n| !n.is_empty())
                    .unwrap_or("upload")
                    .to_owned();
                let file = upload::spool(field, state.config.max_body_bytes).await?;
                let result = upload::import_or_problems(
                    &state.store,
                    &ctx.project,
                    format,
                    &file,
                    &file_name,
                    &ctx.user.email,
                    options.clone(),
                )
                .await?;
                let (status, outcome) = match result {
                    Ok(s) => (
                        StatusCode::OK,
                        Outcome::Imported {
                            file: file_name,
                            rows_read: s.rows_read,
                            stored: s.stored,
                            replaced: s.replaced,
                            unchanged: s.unchanged,
                        },
                    ),
                    Err(problems) => {
                        let lang = chrome.t.0;
                        let problems = problems
                            .iter()
                            .map(|p| match lang {
                                Lang::Ru => p.to_russian(),
                                Lang::En => p.to_string(),
                            })
                            .collect();
                        (
                            StatusCode::UNPROCESSABLE_ENTITY,
                            Outcome::Rejected {
                                file: file_name,
                                problems,
                            },
                        )
                    }
                };
                return Ok((status, render(&state, chrome, &ctx, outcome).await?).into_response());
            }
            _ => {}
        }
    }
    Err(WebError::invalid(
        "choose a file to upload",
        "выберите файл для загрузки",
    ))
}

/// `GET /projects/{slug}/data/sample/{format}`: a small file of that format that imports as it
/// is, to look at and fill in.
pub async fn sample(
    axum::extract::Path((_, format)): axum::extract::Path<(String, String)>,
) -> Result<axum::response::Response, WebError> {
    use axum::response::IntoResponse;
    let name = [".csv", ".tsv", ".json"]
        .iter()
        .find_map(|ext| format.strip_suffix(ext))
        .unwrap_or(&format);
    let format: keel_import::Format = name.parse().map_err(|_| WebError::NotFound)?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, format.content_type().to_owned()),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"keel-sample-{}\"", format.sample_file_name()),
            ),
        ],
        format.sample(),
    )
        .into_response())
}
