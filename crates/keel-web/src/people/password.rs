//! Passwords: changing one's own (the current password required; other sessions end; the
//! person is told by e-mail) and resetting a forgotten one by e-mail (a one-time link for an
//! hour; every session ends after the reset).
//!
//! The reset form answers the same for known and unknown addresses, and for throttled ones:
//! the e-mail goes out in the background, so not even the time taken tells them apart.

use crate::auth::csrf::CsrfForm;
use crate::auth::{CurrentUser, SESSION_COOKIE, cookies};
use crate::layout::Chrome;
use crate::{AppState, Lang, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use keel_domain::Email;
use keel_store::login_limit::LoginAttempt;
use serde::Deserialize;
use std::net::SocketAddr;

#[derive(Template, WebTemplate)]
#[template(path = "password_forgot.html")]
pub struct ForgotPage {
    chrome: Chrome,
    sent: bool,
}

pub async fn forgot_page(chrome: Chrome) -> ForgotPage {
    ForgotPage { chrome, sent: false }
}

#[derive(Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    email: String,
}

pub async fn forgot(
    State(state): State<AppState>,
    chrome: Chrome,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    CsrfForm(form): CsrfForm<ForgotForm>,
) -> Result<ForgotPage, WebError> {
    let address = peer
        .map(|Extension(ConnectInfo(a))| a.ip().to_string())
        .unwrap_or_else(|| "unknown".into());
    // Reset requests count in the login limiter under their own keys, so a flood from one
    // address or at one e-mail stops without touching anyone's logins.
    let allowed = matches!(
        state
            .store
            .reserve_login_attempt(&format!("reset:{}", form.email.trim()), &format!("reset:{address}"))
            .await?,
        LoginAttempt::Check { .. }
    );
    let user = match Email::parse(&form.email) {
        Ok(email) if allowed => state.store.user_by_email(&email).await?,
        _ => None,
    };
    // A deactivated person gets no link: it could not be used anyway.
    let user = match user {
        Some(u) if !state.store.is_deactivated(u.id()).await? => Some(u),
        _ => None,
    };
    if let Some(user) = user {
        let token = state.store.create_password_reset(user.id()).await?;
        match (token, state.mail.clone(), state.config.public_url.clone()) {
            (Some(token), Some(mail), Some(base)) => {
                // The link is built from the configured address only: a forged `Host` header
                // must never put an attacker's site into someone's reset e-mail.
                let link = format!("{}/password/reset/{token}", base.trim_end_matches('/'));
                let lang = chrome.t.0;
                let to = user.email.clone();
                tokio::spawn(async move {
                    if let Err(e) = mail.password_reset(&to, lang, &link).await {
                        tracing::warn!(error = %e, "mailing a password reset link failed");
                    }
                });
            }
            (Some(_), _, _) => {
                tracing::warn!("a password reset was asked for, but e-mail (smtp_url, public_url) is not configured")
            }
            (None, _, _) => tracing::info!(user = user.id, "password reset not sent: too many in the last hour"),
        }
    }
    Ok(ForgotPage { chrome, sent: true })
}

#[derive(Template, WebTemplate)]
#[template(path = "password_reset.html")]
pub struct ResetPage {
    chrome: Chrome,
    token: String,
    error: Option<String>,
}

pub async fn reset_page(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(token): Path<String>,
) -> Result<ResetPage, WebError> {
    if state.store.password_reset_user(&token).await?.is_none() {
        return Err(WebError::Refusal(keel_app::Refusal::LinkGone));
    }
    Ok(ResetPage {
        chrome,
        token,
        error: None,
    })
}

#[derive(Deserialize)]
pub struct NewPasswordForm {
    #[serde(default)]
    password: String,
}

pub async fn reset(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(token): Path<String>,
    CsrfForm(form): CsrfForm<NewPasswordForm>,
) -> Result<Response, WebError> {
    match keel_app::people::reset_password(&state.store, &token, &form.password).await {
        Ok(_) => Ok(Redirect::to("/login?next=%2Fprojects&reset=done").into_response()),
        Err(keel_app::AppError::Refused(r)) if r.kind() == keel_app::RefusalKind::Invalid => {
            let error = Some(r.text(chrome.t.0));
            Ok((StatusCode::BAD_REQUEST, ResetPage { chrome, token, error }).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "password_change.html")]
pub struct ChangePage {
    chrome: Chrome,
    done: bool,
    error: Option<String>,
}

pub async fn change_page(chrome: Chrome) -> ChangePage {
    ChangePage {
        chrome,
        done: false,
        error: None,
    }
}

#[derive(Deserialize)]
pub struct ChangeForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

pub async fn change(
    State(state): State<AppState>,
    chrome: Chrome,
    headers: HeaderMap,
    Extension(CurrentUser(user)): Extension<CurrentUser>,
    CsrfForm(form): CsrfForm<ChangeForm>,
) -> Result<Response, WebError> {
    let lang: Lang = chrome.t.0;
    match keel_app::people::change_password(&state.store, &user, &form.current_password, &form.new_password).await {
        Ok(()) => {
            let current = cookies::get(&headers, SESSION_COOKIE).unwrap_or_default();
            state.store.end_other_sessions(user.id(), &current).await?;
            if let Some(mail) = state.mail.clone() {
                let to = user.email.clone();
                tokio::spawn(async move {
                    if let Err(e) = mail.password_changed(&to, lang).await {
                        tracing::warn!(error = %e, "mailing the password change notice failed");
                    }
                });
            }
            Ok(ChangePage {
                chrome,
                done: true,
                error: None,
            }
            .into_response())
        }
        Err(keel_app::AppError::Refused(r)) if r.kind() == keel_app::RefusalKind::Invalid => {
            let error = Some(r.text(lang));
            Ok((
                StatusCode::BAD_REQUEST,
                ChangePage {
                    chrome,
                    done: false,
                    error,
                },
            )
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}
