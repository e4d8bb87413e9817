//! Static files, compiled into the binary: installations are often offline, so nothing is
//! fetched from a CDN. The stylesheet's URL carries a hash of its content, so browsers may
//! cache it forever and still see a new version after an upgrade. Page scripts live here
//! rather than inline in the templates, so the Content-Security-Policy allows scripts from
//! Keel's own origin only.

use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use content_hash::short_hash;

const CSS: &str = include_str!("../static/keel.css");
const ICON: &str = include_str!("../static/icon.svg");
const POST_JS: &str = include_str!("../static/post.js");
const COUNTDOWN_JS: &str = include_str!("../static/countdown.js");

/// The stylesheet's URL, with its content hash.
pub fn css_url() -> &'static str {
    static URL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    URL.get_or_init(|| format!("/static/keel-{}.css", short_hash(CSS)))
}

/// The post page's script URL, with its content hash.
pub fn post_js_url() -> &'static str {
    static URL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    URL.get_or_init(|| format!("/static/post-{}.js", short_hash(POST_JS)))
}

/// The live countdown script's URL (urgent deadlines), with its content hash.
pub fn countdown_js_url() -> &'static str {
    static URL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    URL.get_or_init(|| format!("/static/countdown-{}.js", short_hash(COUNTDOWN_JS)))
}

pub async fn serve(Path(file): Path<String>) -> Response {
    let cache = (header::CACHE_CONTROL, "public, max-age=31536000, immutable");
    if file == css_url().trim_start_matches("/static/") {
        ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), cache], CSS).into_response()
    } else if file == post_js_url().trim_start_matches("/static/") {
        (
            [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), cache],
            POST_JS,
        )
            .into_response()
    } else if file == countdown_js_url().trim_start_matches("/static/") {
        (
            [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), cache],
            COUNTDOWN_JS,
        )
            .into_response()
    } else if file == "icon.svg" {
        (
            [
                (header::CONTENT_TYPE, "image/svg+xml"),
                (header::CACHE_CONTROL, "public, max-age=86400"),
            ],
            ICON,
        )
            .into_response()
    } else {
        crate::WebError::NotFound.into_response()
    }
}

/// A tiny content hash (FNV-1a) for cache busting; not for security.
mod content_hash {
    pub fn short_hash(text: &str) -> String {
        let hash = text
            .bytes()
            .fold(0xcbf29ce484222325u64, |h, b| (h ^ b as u64).wrapping_mul(0x100000001b3));
        format!("{:08x}", hash as u32)
    }
}
