//! `GET /media/{token}`: one image of a post going to Instagram, for Meta to download (Instagram
//! takes an `image_url`, not an upload). The token is the credential: 256 random bits made for
//! one image of one post, stored hashed, expiring after a day; any other token — unknown,
//! expired, guessed — is 404, and nothing else is reachable through this route. The image is
//! served as a JPEG (Instagram's only image format), with `nosniff`, kept out of caches and
//! search engines.

use crate::{AppState, WebError};
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

pub async fn image(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response, WebError> {
    // Tokens are 64 hex digits; anything else is not looked up.
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(WebError::NotFound);
    }
    let bytes = state
        .store
        .media_link_jpeg(&token, keel_store::now())
        .await?
        .ok_or(WebError::NotFound)?;
    let mut response = ([(header::CONTENT_TYPE, "image/jpeg")], bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    headers.insert("x-robots-tag", HeaderValue::from_static("noindex, nofollow"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    Ok(response)
}
