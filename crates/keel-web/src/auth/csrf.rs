//! CSRF protection for every form: a random token in a `SameSite=Strict` cookie that each form
//! echoes in a hidden `_csrf` field ("double submit"). A cross-site page can make the browser
//! send the cookie but cannot read it, so it cannot fill in the field.

use super::cookies;
use crate::{AppState, WebError};
use axum::extract::{FromRequest, Request};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use subtle::ConstantTimeEq;

pub const CSRF_COOKIE: &str = "keel_csrf";

/// The token to put in this page's forms.
#[derive(Clone, Debug)]
pub struct CsrfToken(pub String);

/// Makes sure every page has a CSRF token for its forms, issuing the cookie with the first
/// HTML response that lacks one (API and static responses never set it).
pub async fn issue(
    axum::extract::State(state): axum::extract::State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let existing = cookies::get(request.headers(), CSRF_COOKIE).filter(|t| t.len() == 64);
    let secure = cookies::is_secure(request.headers(), state.config.secure_cookies);
    let token = existing
        .clone()
        .unwrap_or_else(|| keel_store::credentials::random_secret(""));
    request.extensions_mut().insert(CsrfToken(token.clone()));
    let mut response = next.run(request).await;
    let is_page = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if existing.is_none() && is_page {
        let cookie = cookies::set(CSRF_COOKIE, &token, None, "Strict", secure);
        response.headers_mut().append(axum::http::header::SET_COOKIE, cookie);
    }
    response
}

#[derive(Deserialize)]
struct CsrfField {
    #[serde(rename = "_csrf", default)]
    csrf: String,
}

/// A URL-encoded form whose `_csrf` field matches the cookie; anything else is a 400 that
/// says what to do. Malformed fields are a 400 naming the problem.
pub struct CsrfForm<T>(pub T);

fn check(headers: &HeaderMap, body: &[u8]) -> Result<(), WebError> {
    let field: CsrfField = serde_urlencoded::from_bytes(body)
        .map_err(|e| WebError::invalid(format!("malformed form: {e}"), format!("форма повреждена: {e}")))?;
    let cookie = cookies::get(headers, CSRF_COOKIE).unwrap_or_default();
    let matches = !cookie.is_empty() && bool::from(cookie.as_bytes().ct_eq(field.csrf.as_bytes()));
    if matches {
        Ok(())
    } else {
        Err(WebError::invalid(
            "the form's security token is missing or stale: reload the page and submit it again",
            "защитный токен формы отсутствует или устарел: обновите страницу и отправьте форму ещё раз",
        ))
    }
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for CsrfForm<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let headers = req.headers().clone();
        let body = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|e| WebError::BadRequest(e.body_text()))?;
        check(&headers, &body)?;
        crate::text_guard::check_form(&body)?;
        let value = serde_urlencoded::from_bytes(&body)
            .map_err(|e| WebError::invalid(format!("malformed form: {e}"), format!("форма повреждена: {e}")))?;
        Ok(CsrfForm(value))
    }
}
