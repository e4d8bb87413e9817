//! Logging in and out, and the home page that sends a visitor to one or the other.
//!
//! An unknown e-mail and a wrong password get the same answer after the same work (a dummy
//! hash is verified for unknown users), and failures are rate limited per e-mail and per
//! client address in the database, so the limit holds across several keel instances.

use crate::auth::csrf::CsrfForm;
use crate::auth::guard::safe_next;
use crate::auth::{CurrentUser, SESSION_COOKIE, cookies};
use crate::layout::Chrome;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use keel_domain::Email;
use keel_store::credentials::{dummy_hash, verify_password_blocking};
use keel_store::login_limit::LoginAttempt;
use keel_store::sessions::SESSION_DAYS;
use serde::Deserialize;
use std::net::SocketAddr;

/// `GET /`: the projects list when signed in, else the login page.
pub async fn home(user: Option<Extension<CurrentUser>>) -> Redirect {
    match user {
        Some(_) => Redirect::to("/projects"),
        None => Redirect::to("/login"),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
pub struct LoginPage {
    chrome: Chrome,
    email: String,
    next: String,
    error_key: Option<&'static str>,
    notice_key: Option<&'static str>,
    /// Whether to offer signing up a new organization.
    signup: bool,
    /// Whether this database holds `keel demo`'s people: only then does the page say the demo
    /// password (a real installation never advertises one).
    demo: bool,
}

/// Whether `keel demo` filled this database (its agency lead exists).
async fn has_demo_people(state: &AppState) -> bool {
    let email = Email::parse("agency@demo.local").expect("a valid address");
    matches!(state.store.user_by_email(&email).await, Ok(Some(_)))
}

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    /// `done` after a password reset.
    reset: Option<String>,
}

pub async fn form(State(state): State<AppState>, chrome: Chrome, Query(q): Query<LoginQuery>) -> LoginPage {
    LoginPage {
        demo: has_demo_people(&state).await,
        chrome,
        email: String::new(),
        next: safe_next(q.next.as_deref()),
        error_key: None,
        notice_key: q.reset.is_some().then_some("login.reset_done"),
        signup: state.config.allow_signup,
    }
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    next: Option<String>,
}

pub async fn submit(
    State(state): State<AppState>,
    chrome: Chrome,
    headers: HeaderMap,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> Result<Response, WebError> {
    let address = peer
        .map(|Extension(ConnectInfo(a))| a.ip().to_string())
        .unwrap_or_else(|| "unknown".into());
    let next = safe_next(form.next.as_deref());
    let demo = has_demo_people(&state).await;
    let page = |status: StatusCode, key: &'static str| {
        let page = LoginPage {
            demo,
            chrome: chrome.clone(),
            email: form.email.clone(),
            next: next.clone(),
            error_key: Some(key),
            notice_key: None,
            signup: state.config.allow_signup,
        };
        Ok((status, page).into_response())
    };
    // The attempt is counted before the password is checked: parallel guesses cannot all
    // pass a check made before any of them was recorded.
    match state.store.reserve_login_attempt(&form.email, &address).await? {
        LoginAttempt::Refused => return page(StatusCode::TOO_MANY_REQUESTS, "login.throttled"),
        LoginAttempt::Check { delay } => tokio::time::sleep(delay).await,
    }
    let user = match Email::parse(&form.email) {
        Ok(email) => state.store.user_by_email(&email).await?,
        Err(_) => None,
    };
    let hash = match &user {
        Some(u) => state.store.password_hash(u.id()).await?,
        None => dummy_hash().to_owned(),
    };
    let verified = verify_password_blocking(form.password.clone(), hash).await;
    let Some(user) = user.filter(|_| verified) else {
        return page(StatusCode::UNAUTHORIZED, "login.failed");
    };
    // A deactivated person's password still verifies, but it opens nothing; they get the
    // same answer as a wrong password.
    if state.store.is_deactivated(user.id()).await? {
        return page(StatusCode::UNAUTHORIZED, "login.failed");
    }
    state.store.login_succeeded(&form.email, &address).await?;
    let cookie = start_session(&state, &headers, user.id()).await?;
    tracing::info!(user = %user.email, "logged in");
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to(&next)).into_response())
}

/// Starts a session for `user` and returns its `Set-Cookie` value (login, an accepted
/// invitation, a password reset).
pub(crate) async fn start_session(
    state: &AppState,
    headers: &HeaderMap,
    user: keel_domain::UserId,
) -> Result<axum::http::HeaderValue, WebError> {
    let token = state.store.create_session(user).await?;
    let secure = cookies::is_secure(headers, state.config.secure_cookies);
    Ok(cookies::set(
        SESSION_COOKIE,
        &token,
        Some(SESSION_DAYS * 24 * 3600),
        "Lax",
        secure,
    ))
}

#[derive(Deserialize)]
pub struct Empty {}

pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    if let Some(token) = cookies::get(&headers, SESSION_COOKIE) {
        state.store.delete_session(&token).await?;
    }
    let secure = cookies::is_secure(&headers, state.config.secure_cookies);
    let cookie = cookies::set(SESSION_COOKIE, "", Some(0), "Lax", secure);
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to("/login")).into_response())
}
