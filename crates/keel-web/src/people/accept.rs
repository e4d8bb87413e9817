//! `/invitations/{token}`: the invitee sets their name and password, is logged in and lands
//! on the project. A used, revoked, replaced or expired link answers 404.

use crate::auth::csrf::CsrfForm;
use crate::layout::{Chrome, role_key};
use crate::session::page::start_session;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "invitation.html")]
pub struct InvitationPage {
    chrome: Chrome,
    token: String,
    email: String,
    project: String,
    role_key: &'static str,
    name: String,
    error: Option<String>,
}

async fn render(
    state: &AppState,
    chrome: Chrome,
    token: String,
    name: String,
    error: Option<String>,
) -> Result<InvitationPage, WebError> {
    let invitation = state
        .store
        .invitation_by_token(&token)
        .await?
        .ok_or(WebError::Refusal(keel_app::Refusal::LinkGone))?;
    let project = state.store.project_by_id(invitation.project()).await?;
    Ok(InvitationPage {
        chrome,
        token,
        email: invitation.email,
        project: project.name,
        role_key: role_key(&invitation.role),
        name,
        error,
    })
}

pub async fn page(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(token): Path<String>,
) -> Result<InvitationPage, WebError> {
    render(&state, chrome, token, String::new(), None).await
}

#[derive(Deserialize)]
pub struct AcceptForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
}

pub async fn accept(
    State(state): State<AppState>,
    chrome: Chrome,
    headers: HeaderMap,
    Path(token): Path<String>,
    CsrfForm(form): CsrfForm<AcceptForm>,
) -> Result<Response, WebError> {
    match keel_app::people::accept(&state.store, &token, &form.name, &form.password).await {
        Ok((user, project)) => {
            let cookie = start_session(&state, &headers, user).await?;
            let target = format!("/projects/{}", project.slug);
            Ok(([(header::SET_COOKIE, cookie)], Redirect::to(&target)).into_response())
        }
        Err(keel_app::AppError::Refused(r)) if r.kind() == keel_app::RefusalKind::Invalid => {
            let message = r.text(chrome.t.0);
            let page = render(&state, chrome, token, form.name, Some(message)).await?;
            Ok((StatusCode::BAD_REQUEST, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
