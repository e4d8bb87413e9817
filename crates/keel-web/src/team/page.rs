//! A project's team: who holds which role, and (for organization admins and the client owner)
//! adding and removing people.

use crate::auth::ProjectCtx;
use crate::auth::csrf::CsrfForm;
use crate::layout::{Chrome, role_key};
use crate::team::invitations::add_or_invite;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use keel_domain::{Action, Decision, Role, UserId, decide, may_assign};
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
    /// Invitations not yet accepted (expired ones too, so they can be resent).
    invitations: Vec<InvitationRow>,
    /// The link of an invitation just made or resent: shown once, for when no e-mail goes out.
    pub(crate) new_link: Option<String>,
    /// Review links of the project (for those who manage people).
    pub(crate) review_links: Vec<crate::review::manage::LinkRow>,
    /// The project's approvers, for making a link: (user id, name).
    pub(crate) approver_options: Vec<(i64, String)>,
    /// A review link just made: shown once.
    pub(crate) new_review_link: Option<String>,
}

pub struct InvitationRow {
    pub id: i64,
    pub email: String,
    pub role_key: &'static str,
    pub expires_on: String,
    pub expired: bool,
    pub manageable: bool,
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
        Some("revoked") => Some("invitations.revoked"),
        Some("link_revoked") => Some("review.link.revoked_done"),
        _ => None,
    };
    page(&state, chrome, &ctx, notice_key, None).await
}

pub(crate) async fn page(
    state: &AppState,
    chrome: Chrome,
    ctx: &ProjectCtx,
    notice_key: Option<&'static str>,
    error: Option<String>,
) -> Result<MembersPage, WebError> {
    let members = state.store.members_of(ctx.project.id()).await?;
    let can_manage = decide(ctx.access, Action::ManageMembers) == Decision::Allow;
    let chrome_lang = chrome.t.0;
    let approver_options: Vec<(i64, String)> = members
        .iter()
        .filter(|m| m.role() == Some(Role::ClientApprover))
        .map(|m| (m.user_id, m.display_name.clone()))
        .collect();
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
        invitations: if can_manage {
            invitation_rows(state, ctx).await?
        } else {
            vec![]
        },
        new_link: None,
        review_links: if can_manage {
            crate::review::manage::rows(state, ctx, chrome_lang).await?
        } else {
            vec![]
        },
        approver_options: approver_options.clone(),
        new_review_link: None,
    })
}

async fn invitation_rows(state: &AppState, ctx: &ProjectCtx) -> Result<Vec<InvitationRow>, WebError> {
    let now = chrono::Utc::now();
    Ok(state
        .store
        .pending_invitations(ctx.project.id())
        .await?
        .into_iter()
        .map(|i| InvitationRow {
            manageable: i.role().is_some_and(|r| may_assign(ctx.access, r)),
            id: i.id,
            role_key: role_key(&i.role),
            expires_on: i.expires_at.date_naive().to_string(),
            expired: i.expires_at <= now,
            email: i.email,
        })
        .collect())
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
    headers: HeaderMap,
    Extension(ctx): Extension<ProjectCtx>,
    CsrfForm(form): CsrfForm<AddForm>,
) -> Result<Response, WebError> {
    let lang = chrome.t.0;
    let added = add_or_invite(&state, &headers, &ctx, &form.email, &form.role, lang).await;
    let result = match added {
        Ok(json) => json,
        Err(WebError::Refusal(r)) if r.kind() == keel_app::RefusalKind::Invalid => {
            let message = r.text(lang);
            let page = page(&state, chrome, &ctx, None, Some(message)).await?;
            return Ok((StatusCode::BAD_REQUEST, page).into_response());
        }
        Err(e) => return Err(e),
    };
    let speciality = Some(form.speciality.trim()).filter(|s| !s.is_empty());
    if result.status == "added" {
        if let (Some(speciality), Ok(role)) = (speciality, form.role.parse::<Role>()) {
            state
                .store
                .add_member(
                    ctx.project.org(),
                    ctx.project.id(),
                    UserId(result.id),
                    role,
                    Some(speciality),
                )
                .await?;
        }
        return Ok(Redirect::to(&format!("/projects/{}/members?done=added", ctx.project.slug)).into_response());
    }
    let mut page = page(&state, chrome, &ctx, Some("invitations.sent"), None).await?;
    page.new_link = result.url;
    Ok(page.into_response())
}

#[derive(Deserialize)]
pub struct InvitationForm {
    invitation_id: i64,
}

/// Resends an invitation: a new link (the old one dies) and seven more days.
pub async fn resend(
    State(state): State<AppState>,
    chrome: Chrome,
    headers: HeaderMap,
    Extension(ctx): Extension<ProjectCtx>,
    CsrfForm(form): CsrfForm<InvitationForm>,
) -> Result<Response, WebError> {
    let pending = state.store.pending_invitations(ctx.project.id()).await?;
    let invitation = pending
        .iter()
        .find(|i| i.id == form.invitation_id)
        .ok_or(WebError::NotFound)?;
    let role = invitation.role().ok_or(WebError::NotFound)?;
    if !may_assign(ctx.access, role) {
        return Err(WebError::Forbidden);
    }
    // Resending is inviting again: the new invitation replaces the pending one.
    let json = add_or_invite(&state, &headers, &ctx, &invitation.email, role.as_str(), chrome.t.0).await?;
    let mut page = page(&state, chrome, &ctx, Some("invitations.sent"), None).await?;
    page.new_link = json.url;
    Ok(page.into_response())
}

/// Revokes an invitation from the team page.
pub async fn revoke(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    CsrfForm(form): CsrfForm<InvitationForm>,
) -> Result<Response, WebError> {
    keel_app::people::revoke(&state.store, ctx.user.clone(), form.invitation_id).await?;
    Ok(Redirect::to(&format!("/projects/{}/members?done=revoked", ctx.project.slug)).into_response())
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
    let role: Role = form.role.parse().map_err(|e: keel_domain::role::UnknownRole| {
        WebError::invalid(e.to_string(), format!("неизвестная роль: {e}"))
    })?;
    keel_app::people::remove_member(&state.store, &ctx, UserId(form.user_id), role).await?;
    Ok(Redirect::to(&format!("/projects/{}/members?done=removed", ctx.project.slug)).into_response())
}
