//! Server-rendered pages. Templates are compiled in (askama) and escape everything they print.

pub mod analytics;
// Notifications and calendars (helper "notify").
pub mod brief;
pub mod calendar;
pub mod data;
pub mod definitions;
pub mod goals;
pub mod health;
pub mod layout;
pub mod login;
pub mod meetings;
pub mod members;
pub mod notifications;
pub mod projects;
pub mod report;

use crate::AppState;
use crate::auth::guard::safe_next;
use crate::auth::{CurrentUser, cookies};
use crate::i18n::{LANG_COOKIE, Lang};
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

pub async fn home(user: Option<Extension<CurrentUser>>) -> Redirect {
    match user {
        Some(_) => Redirect::to("/projects"),
        None => Redirect::to("/login"),
    }
}

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
