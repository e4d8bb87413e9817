//! Switching the interface language: remembered in a cookie for a year.

use crate::AppState;
use crate::auth::cookies;
use crate::auth::guard::safe_next;
use crate::i18n::{LANG_COOKIE, Lang};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Next {
    next: Option<String>,
}

/// Remembers the chosen language for a year and goes back to where the user was.
pub async fn switch_language(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<Next>,
    headers: HeaderMap,
) -> Response {
    let lang = Lang::parse(&code).unwrap_or_default();
    let secure = cookies::is_secure(&headers, state.config.secure_cookies);
    let cookie = cookies::set(LANG_COOKIE, lang.code(), Some(365 * 24 * 3600), "Lax", secure);
    (
        [(header::SET_COOKIE, cookie)],
        Redirect::to(&safe_next(q.next.as_deref())),
    )
        .into_response()
}
