//! The browser-hardening headers every response carries: a Content-Security-Policy that allows
//! only Keel's own scripts, styles and images and forbids framing, `nosniff`, a same-origin
//! referrer and `X-Frame-Options` for browsers that predate `frame-ancestors`.
//!
//! Scripts are never inline (page scripts are static files under `/static/`). Styles allow
//! `'unsafe-inline'` because two places need it: a goal's progress bar is sized by a `style`
//! attribute, and the downloadable HTML report embeds its stylesheet so that it reads offline.
//! Inline styles cannot run code, and every value in them is escaped by the templates.

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// The policy: Keel's own origin only, no plugins, no framing, forms post back to Keel.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
style-src 'self' 'unsafe-inline'; img-src 'self'; object-src 'none'; base-uri 'self'; \
form-action 'self'; frame-ancestors 'none'";

/// The headers, in the order they are set.
fn headers() -> [(HeaderName, HeaderValue); 4] {
    [
        (
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ),
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        (header::REFERRER_POLICY, HeaderValue::from_static("same-origin")),
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
    ]
}

/// Middleware: sets the headers on whatever the inner service answered (pages, the API,
/// static files, images and rendered errors alike).
pub async fn set(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let out = response.headers_mut();
    for (name, value) in headers() {
        out.insert(name, value);
    }
    response
}
