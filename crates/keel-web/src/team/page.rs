//! A project's team: who holds which role, and (for organization admins and the client owner)
//! adding and removing people.

use crate::auth::ProjectCtx;
use crate::auth::csrf::CsrfForm;
use crate::layout::{Chrome, role_key};
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use keel_domain::{Action, Decision, Email, Role, UserId, decide, may_assign};
use serde::Deserialize;

pub struct MemberRow {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub role: String,
    pub role_key: &'static str,
    pub speciality: String,
    pub removable: bool,
}

pub struct RoleOption {
    pub value: &'static str,
    pub key: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "members.html")]
pub struct MembersPage {
    chrome: Chrome,
    slug: String,
    name: String,
    rows: Vec<MemberRow>,
    can_manage: bool,
    role_options: Vec<RoleOption>,
    too_many_approvers: bool,
    notice_key: Option<&'static str>,
    error: Option<String>,
    tab: &'static str,
}

#[derive(Deserialize)]
pub struct Notice {
    done: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(ctx): Extension<ProjectCtx>,
    Query(n): Query<Notice>,
) -> Result<MembersPage, WebError> {
    let notice_key = match n.done.as_deref() {
        Some("added") => Some("members.added"),
        Some("removed") => Some("members.removed"),
        _ => None,
    };
    page(&state, chrome, &ctx, notice_key, None).await
}

async fn page(
    state: &AppState,
    chrome: Chrome,
    ctx: &ProjectCtx,
    notice_key: Option<&'static str>,
    error: Option<String>,
) -> Result<MembersPage, WebError> {
    let members = state.store.members_of(ctx.project.id()).await?;
    let can_manage = decide(ctx.access, Action::ManageMembers) == Decision::Allow;
    let approvers = members
        .iter()
        .filter(|m| m.role() == Some(Role::ClientApprover))
        .count();
    let rows = members
        .into_iter()
        .map(|m| MemberRow {
            removable: can_manage && m.role().is_some_and(|r| may_assign(ctx.access, r)),
            user_id: m.user_id,
            role_key: role_key(&m.role),
            name: m.display_name,
            email: m.email,
            role: m.role,
            speciality: m.speciality.unwrap_or_default(),
        })
        .collect();
    let role_options = Role::ALL
        .into_iter()
        .filter(|r| may_assign(ctx.access, *r))
        .map(|r| RoleOption {
            value: r.as_str(),
            key: role_key(r.as_str()),
        })
        .collect();
    Ok(MembersPage {
        chrome,
        slug: ctx.project.slug.clone(),
        name: ctx.project.name.clone(),
        rows,
        can_manage,
        role_options,
        too_many_approvers: approvers > 2,
        notice_key,
        error,
        tab: "members",
    })
}

#[derive(Deserialize)]
pub struct AddForm {
    email: String,
    role: String,
    #[serde(default)]
    speciality: String,
}

pub async fn add(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(ctx): Extension<ProjectCtx>,
    CsrfForm(form): CsrfForm<AddForm>,
) -> Result<Response, WebError> {
    match try_add(&state, &ctx, &form).await? {
        Ok(()) => Ok(Redirect::to(&format!("/projects/{}/members?done=added", ctx.project.slug)).into_response()),
        Err(message) => Ok((
            StatusCode::BAD_REQUEST,
            page(&state, chrome, &ctx, None, Some(message)).await?,
        )
            .into_response()),
    }
}

/// Outer error: a failure to report as a 4xx/5xx; inner error: a message for the form.
async fn try_add(state: &AppState, ctx: &ProjectCtx, form: &AddForm) -> Result<Result<(), String>, WebError> {
    let email = match Email::parse(&form.email) {
        Ok(e) => e,
        Err(e) => return Ok(Err(e.to_string())),
    };
    let role: Role = match form.role.parse() {
        Ok(r) => r,
        Err(e) => return Ok(Err(format!("{e}"))),
    };
    if !may_assign(ctx.access, role) {
        return Err(WebError::Forbidden);
    }
    let Some(user) = state
        .store
        .user_by_email(&email)
        .await?
        .filter(|u| u.org_id == ctx.project.org_id)
    else {
        return Ok(Err(format!(
            "{email}: no such user in this organization. Create the account first: keel user create {email} --password-stdin"
        )));
    };
    let speciality = Some(form.speciality.trim()).filter(|s| !s.is_empty());
    state
        .store
        .add_member(ctx.project.org(), ctx.project.id(), user.id(), role, speciality)
        .await?;
    Ok(Ok(()))
}

#[derive(Deserialize)]
pub struct RemoveForm {
    user_id: i64,
    role: String,
}

pub async fn remove(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    CsrfForm(form): CsrfForm<RemoveForm>,
) -> Result<Response, WebError> {
    let role: Role = form
        .role
        .parse()
        .map_err(|e: keel_domain::role::UnknownRole| WebError::BadRequest(e.to_string()))?;
    if !may_assign(ctx.access, role) {
        return Err(WebError::Forbidden);
    }
    state
        .store
        .remove_member(ctx.project.id(), UserId(form.user_id), role)
        .await?;
    Ok(Redirect::to(&format!("/projects/{}/members?done=removed", ctx.project.slug)).into_response())
}
