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
        require_object(&bytes)?;
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

/// Every JSON body of the API is an object: serde would read a struct from an array too
/// (`[null, null]`), which the document does not allow.
pub fn require_object(bytes: &[u8]) -> Result<(), WebError> {
    match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => Ok(()),
        _ => Err(WebError::Malformed(
            "invalid JSON body: expected a JSON object `{…}`".into(),
        )),
    }
}

/// An optional whole number that JSON may write as `30` or `30.0` (JSON Schema's `integer`
/// admits both): a fraction is refused.
pub fn optional_integer<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    use serde::Deserialize;
    let Some(n) = Option::<serde_json::Number>::deserialize(d)? else {
        return Ok(None);
    };
    if let Some(i) = n.as_i64() {
        return Ok(Some(i));
    }
    match n.as_f64() {
        Some(f) if f.fract() == 0.0 && f.abs() < 9.0e18 => Ok(Some(f as i64)),
        _ => Err(serde::de::Error::custom(format!("expected a whole number, not {n}"))),
    }
}

/// An optional day as `YYYY-MM-DD`; an empty string is no day (as a form's empty field).
pub fn optional_date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<chrono::NaiveDate>, D::Error> {
    use serde::Deserialize;
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(s) if s.trim().is_empty() => Ok(None),
        Some(s) => chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .map(Some)
            .map_err(|_| serde::de::Error::custom(format!("expected a date as YYYY-MM-DD, not `{s}`"))),
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
        if bytes.iter().all(u8::is_ascii_whitespace) || bytes.trim_ascii() == b"null" {
            return Ok(OptionalJson(T::default()));
        }
        let req = Request::from_parts(parts, axum::body::Body::from(bytes));
        ApiJson::<T>::from_request(req, state)
            .await
            .map(|ApiJson(v)| OptionalJson(v))
    }
}
