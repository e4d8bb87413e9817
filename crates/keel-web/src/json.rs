//! JSON request bodies of the API under `/api/v1/` (authenticated with bearer tokens only, see
//! `auth::guard`).

use crate::WebError;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

/// `axum::Json` whose rejections come back in Keel's error format, saying what is wrong
/// (`expected value at line 1 column 9`, `missing field \`role\``…).
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let bytes = axum::body::Bytes::from_request(Request::from_parts(parts.clone(), body), state)
            .await
            .map_err(|e| WebError::Malformed(format!("reading the body: {}", e.body_text())))?;
        crate::text_guard::check_json(&bytes)?;
        let req = Request::from_parts(parts, axum::body::Body::from(bytes));
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(WebError::Malformed(format!(
                "invalid JSON body: {}",
                rejection.body_text()
            ))),
        }
    }
}

/// An optional JSON body: an empty body is `T::default()`, anything else is read as
/// [`ApiJson`] reads it (for actions whose fields are all optional, like a reason).
pub struct OptionalJson<T>(pub T);

impl<T: DeserializeOwned + Default, S: Send + Sync> FromRequest<S> for OptionalJson<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let bytes = axum::body::Bytes::from_request(Request::from_parts(parts.clone(), body), state)
            .await
            .map_err(|e| WebError::Malformed(format!("reading the body: {}", e.body_text())))?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(OptionalJson(T::default()));
        }
        let req = Request::from_parts(parts, axum::body::Body::from(bytes));
        ApiJson::<T>::from_request(req, state)
            .await
            .map(|ApiJson(v)| OptionalJson(v))
    }
}
