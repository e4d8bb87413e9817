//! One error type for every handler, rendered once: as JSON under `/api/`, as a page elsewhere.
//!
//! Handlers return [`WebError`]; its `IntoResponse` only sets the status and stashes the
//! message in the response's extensions. The [`render_errors`] middleware then writes the body
//! in the caller's format and language, and also dresses axum's own 404/405/413 responses, so
//! no error ever reaches a client as bare text or with internal detail.

use crate::auth::CurrentUser;
use crate::i18n::{Lang, LangExt};
use crate::layout::ErrorPage;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("not found")]
    NotFound,
    #[error("your role in this project does not allow this")]
    Forbidden,
    #[error(
        "authentication required: send `Authorization: Bearer <token>` (make one with `keel token create --user EMAIL`)"
    )]
    Unauthorized,
    /// 403 with the reason (a workflow rule: nobody approves their own post, …).
    #[error("{0}")]
    Refused(String),
    /// A use case's refusal: its status from its kind, its words in the reader's language on
    /// pages (English in the API).
    #[error("{0}")]
    Refusal(keel_app::Refusal),
    /// A request that does not match the API's document (malformed JSON, a wrong type, an
    /// unknown enum value, a missing field): 400 everywhere.
    #[error("{0}")]
    Malformed(String),
    /// A well-formed request a rule refuses: 400 on pages, 422 on the API (see
    /// `render_errors`).
    #[error("{0}")]
    BadRequest(String),
    /// 400 with the reason in both languages: pages show the reader's, the API English.
    #[error("{en}")]
    Invalid { en: String, ru: String },
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    TooManyRequests(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    /// 503: the server is busy with work of this kind; try again after `retry_after` seconds.
    #[error("{message}")]
    Busy { message: String, retry_after: u32 },
    /// Well-formed request, unacceptable content (a data file with bad cells): the message
    /// plus machine-readable details (e.g. every problem with its line and column).
    #[error("{message}")]
    Rejected {
        message: String,
        details: serde_json::Value,
        /// The message in Russian, for pages.
        ru: Option<String>,
    },
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<keel_store::StoreError> for WebError {
    fn from(e: keel_store::StoreError) -> Self {
        match e {
            keel_store::StoreError::NotFound => WebError::NotFound,
            keel_store::StoreError::Conflict(m) => WebError::Conflict(m),
            keel_store::StoreError::Invalid(m) => WebError::BadRequest(m),
            keel_store::StoreError::Unacceptable { en, ru } => WebError::Invalid { en, ru },
            keel_store::StoreError::Forbidden(m) => WebError::Refused(m),
            keel_store::StoreError::Refused(r) => WebError::Refusal(r.into()),
            other => WebError::Internal(other.into()),
        }
    }
}

impl From<keel_app::AppError> for WebError {
    fn from(e: keel_app::AppError) -> Self {
        match e {
            keel_app::AppError::Refused(keel_app::Refusal::NotFound) => WebError::NotFound,
            keel_app::AppError::Refused(keel_app::Refusal::Forbidden) => WebError::Forbidden,
            keel_app::AppError::Refused(r) => WebError::Refusal(r),
            keel_app::AppError::Store(e) => e.into(),
            keel_app::AppError::Internal(e) => WebError::Internal(e),
        }
    }
}

/// The message to show for an error response, carried from handler to renderer.
#[derive(Clone, Debug)]
pub struct ErrorMessage(pub String);

/// A refusal behind an error response, worded in the page's language when it is rendered.
#[derive(Clone, Debug)]
pub struct ErrorRefusal(pub keel_app::Refusal);

/// Marks a 400 that a rule gave to a well-formed request: the API answers it 422, keeping 400
/// for requests that do not match its document (`openapi`).
#[derive(Clone, Copy, Debug)]
pub struct RuleRefusal;

/// Machine-readable details of a rejection, added to the JSON error as `problems`.
#[derive(Clone, Debug)]
pub struct ErrorDetails(pub serde_json::Value);

impl WebError {
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::Forbidden | WebError::Refused(_) => StatusCode::FORBIDDEN,
            WebError::Refusal(r) => match r.kind() {
                keel_app::RefusalKind::NotFound => StatusCode::NOT_FOUND,
                keel_app::RefusalKind::Forbidden => StatusCode::FORBIDDEN,
                keel_app::RefusalKind::Conflict => StatusCode::CONFLICT,
                keel_app::RefusalKind::Invalid => StatusCode::BAD_REQUEST,
            },
            WebError::Unauthorized => StatusCode::UNAUTHORIZED,
            WebError::Malformed(_) | WebError::BadRequest(_) | WebError::Invalid { .. } => StatusCode::BAD_REQUEST,
            WebError::Conflict(_) => StatusCode::CONFLICT,
            WebError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            WebError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            WebError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            WebError::Rejected { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// 400 with its reason in English and Russian.
    pub fn invalid(en: impl Into<String>, ru: impl Into<String>) -> WebError {
        WebError::Invalid {
            en: en.into(),
            ru: ru.into(),
        }
    }

    /// The message for a reader of `lang` (refusals and two-language reasons in their
    /// language; other messages as they are).
    pub fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (WebError::Refusal(r), _) => r.text(lang),
            (WebError::Invalid { ru, .. }, Lang::Ru) => ru.clone(),
            (WebError::Rejected { ru: Some(ru), .. }, Lang::Ru) => ru.clone(),
            (other, Lang::Ru) => russian(other).unwrap_or_else(|| other.to_string()),
            (other, Lang::En) => other.to_string(),
        }
    }
}

/// The Russian of the messages that do not depend on the request.
fn russian(error: &WebError) -> Option<String> {
    Some(match error {
        WebError::NotFound => "не найдено".into(),
        WebError::Forbidden => "ваша роль в этом проекте этого не позволяет".into(),
        WebError::Unauthorized => "нужно войти: для API передайте `Authorization: Bearer <token>`".into(),
        WebError::Internal(_) => "внутренняя ошибка: она записана в журнал сервера; попробуйте ещё раз".into(),
        _ => return None,
    })
}

/// Axum's and tower's own errors (no handler message) in Russian.
fn default_message_ru(status: StatusCode) -> String {
    match status {
        StatusCode::NOT_FOUND => "не найдено".into(),
        StatusCode::METHOD_NOT_ALLOWED => "этот адрес не принимает такой метод запроса".into(),
        StatusCode::PAYLOAD_TOO_LARGE => {
            "запрос больше, чем принимает этот сервер (администратор может поднять max_upload_mb / KEEL_MAX_UPLOAD_MB)"
                .into()
        }
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "неподдерживаемый тип содержимого".into(),
        StatusCode::TOO_MANY_REQUESTS => "слишком много запросов: подождите немного и попробуйте снова".into(),
        s if s.is_server_error() => "сервер не смог ответить: попробуйте ещё раз".into(),
        _ => "запрос не выполнен".into(),
    }
}

/// The Russian of an error response's message, carried to the renderer for pages.
#[derive(Clone, Debug)]
pub struct ErrorRussian(pub String);

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = match &self {
            WebError::Internal(cause) => {
                // The cause goes to the log, never to the client.
                tracing::error!(error = ?cause, "internal error");
                "internal error: the failure was logged; please try again".to_owned()
            }
            other => other.to_string(),
        };
        let mut response = status.into_response();
        if let WebError::Rejected { details, .. } = &self {
            response.extensions_mut().insert(ErrorDetails(details.clone()));
        }
        if let WebError::Refusal(r) = &self {
            response.extensions_mut().insert(ErrorRefusal(r.clone()));
        }
        if !matches!(self, WebError::Refusal(_)) {
            let ru = self.text(Lang::Ru);
            if ru != self.to_string() || matches!(self, WebError::Invalid { .. }) {
                response.extensions_mut().insert(ErrorRussian(ru));
            }
        }
        if status == StatusCode::BAD_REQUEST && !matches!(self, WebError::Malformed(_)) {
            response.extensions_mut().insert(RuleRefusal);
        }
        response.extensions_mut().insert(ErrorMessage(message));
        if let WebError::Busy { retry_after, .. } = &self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(*retry_after));
        }
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"keel\""),
            );
        }
        response
    }
}

/// Writes the body of every error response (4xx/5xx without one) as JSON or as a page.
pub async fn render_errors(request: Request, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let lang = Lang::from_headers(request.headers());
    let csrf = crate::auth::cookies::get(request.headers(), crate::auth::csrf::CSRF_COOKIE).unwrap_or_default();
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let explicit = response.extensions().get::<ErrorMessage>().cloned();
    // Our own JSON and pages pass; bare text from axum or tower layers (a 413 from the body
    // limit, a 405) is rewritten in Keel's format.
    let own_body = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json") || v.starts_with("text/html"));
    if explicit.is_none() && own_body {
        return response;
    }
    let refusal = response.extensions().get::<ErrorRefusal>().map(|r| r.0.clone());
    let russian = response.extensions().get::<ErrorRussian>().map(|r| r.0.clone());
    let message = match (refusal, is_api, lang) {
        (Some(r), false, _) => r.text(lang),
        (_, false, Lang::Ru) => russian.unwrap_or_else(|| match explicit {
            // A message with no Russian yet is shown as written rather than lost.
            Some(m) => m.0,
            None => default_message_ru(status),
        }),
        _ => explicit.map(|m| m.0).unwrap_or_else(|| default_message(status)),
    };
    let user_email = response.extensions().get::<CurrentUser>().map(|u| u.0.email.clone());
    let (mut parts, _) = response.into_parts();
    if is_api && status == StatusCode::BAD_REQUEST && parts.extensions.get::<RuleRefusal>().is_some() {
        parts.status = StatusCode::UNPROCESSABLE_ENTITY;
    }
    let status = parts.status;
    parts.headers.remove(header::CONTENT_LENGTH);
    let body = if is_api {
        let json = crate::openapi::ErrorJson {
            error: message,
            status: status.as_u16(),
            problems: parts.extensions.get::<ErrorDetails>().map(|d| d.0.clone()),
        };
        axum::Json(json).into_response()
    } else {
        ErrorPage::render(lang, status, message, user_email, csrf).into_response()
    };
    let (body_parts, body) = body.into_parts();
    for (name, value) in body_parts.headers.iter() {
        parts.headers.insert(name, value.clone());
    }
    Response::from_parts(parts, body)
}

fn default_message(status: StatusCode) -> String {
    match status {
        StatusCode::NOT_FOUND => "not found".into(),
        StatusCode::METHOD_NOT_ALLOWED => "this address does not accept that method".into(),
        StatusCode::PAYLOAD_TOO_LARGE => {
            "the request body is larger than this server accepts (raise max_upload_mb / KEEL_MAX_UPLOAD_MB)".into()
        }
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported content type".into(),
        s => s.canonical_reason().unwrap_or("error").to_lowercase(),
    }
}
