//! `/signup`: a new organization and its first user, its admin — only where the installation
//! allows it (`allow_signup`); elsewhere the page does not exist (404).

use crate::auth::csrf::CsrfForm;
use crate::layout::Chrome;
use crate::session::page::start_session;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "signup.html")]
pub struct SignUpPage {
    chrome: Chrome,
    organization: String,
    name: String,
    email: String,
    error: Option<String>,
}

pub async fn page(State(state): State<AppState>, chrome: Chrome) -> Result<SignUpPage, WebError> {
    if !state.config.allow_signup {
        return Err(WebError::NotFound);
    }
    Ok(SignUpPage {
        chrome,
        organization: String::new(),
        name: String::new(),
        email: String::new(),
        error: None,
    })
}

#[derive(Deserialize)]
pub struct SignUpForm {
    #[serde(default)]
    organization: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

pub async fn submit(
    State(state): State<AppState>,
    chrome: Chrome,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<SignUpForm>,
) -> Result<Response, WebError> {
    if !state.config.allow_signup {
        return Err(WebError::NotFound);
    }
    let input = keel_app::people::SignUp {
        organization: &form.organization,
        name: &form.name,
        email: &form.email,
        password: &form.password,
    };
    match keel_app::people::sign_up(&state.store, &input).await {
        Ok(user) => {
            let cookie = start_session(&state, &headers, user.id()).await?;
            Ok(([(header::SET_COOKIE, cookie)], Redirect::to("/projects")).into_response())
        }
        Err(keel_app::AppError::Refused(r)) if r.kind() == keel_app::RefusalKind::Invalid => {
            let page = SignUpPage {
                error: Some(r.text(chrome.t.0)),
                chrome,
                organization: form.organization,
                name: form.name,
                email: form.email,
            };
            Ok((StatusCode::BAD_REQUEST, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
