//! `/settings/organization` (organization admins): the organization's name, its admins, its
//! people with their projects and last login, and deactivating a person. Deactivation ends
//! their sessions and tokens at once and keeps their history on the audit trail.

use crate::auth::CurrentUser;
use crate::auth::csrf::CsrfForm;
use crate::layout::{Chrome, role_key};
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Json};
use keel_domain::UserId;
use keel_store::users::User;
use serde::Deserialize;

pub struct PersonRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub admin: bool,
    pub active: bool,
    pub last_login: String,
    /// "Project (role), …" in the reader's language.
    pub projects: Vec<(String, &'static str)>,
    pub is_self: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "organization.html")]
pub struct OrganizationPage {
    chrome: Chrome,
    org_name: String,
    people: Vec<PersonRow>,
}

impl OrganizationPage {
    fn admins(&self) -> Vec<&PersonRow> {
        self.people.iter().filter(|p| p.admin && p.active).collect()
    }
}

pub async fn page(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(CurrentUser(user)): Extension<CurrentUser>,
) -> Result<OrganizationPage, WebError> {
    let org = state.store.org_by_id(user.org()).await?;
    let memberships = state.store.memberships_in_org(user.org()).await?;
    let people = state
        .store
        .people_of(user.org())
        .await?
        .into_iter()
        .map(|p| PersonRow {
            projects: memberships
                .iter()
                .filter(|m| m.user_id == p.id)
                .map(|m| (m.project.clone(), role_key(&m.role)))
                .collect(),
            is_self: p.id == user.id,
            id: p.id,
            name: p.display_name,
            email: p.email,
            admin: p.is_org_admin,
            active: p.deactivated_at.is_none(),
            last_login: p
                .last_login_at
                .map(|a| a.format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_default(),
        })
        .collect();
    Ok(OrganizationPage {
        chrome,
        org_name: org.name,
        people,
    })
}

#[derive(Deserialize)]
pub struct RenameForm {
    #[serde(default)]
    name: String,
}

/// Renames the organization (the name shows on pages and reports).
pub async fn rename(
    State(state): State<AppState>,
    Extension(CurrentUser(user)): Extension<CurrentUser>,
    CsrfForm(form): CsrfForm<RenameForm>,
) -> Result<Response, WebError> {
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        return Err(WebError::invalid(
            "the organization's name must be between 1 and 120 characters",
            "название организации должно быть от 1 до 120 символов",
        ));
    }
    state.store.rename_org(user.org(), name).await?;
    tracing::info!(org = user.org_id, by = user.id, "organization renamed");
    Ok(Redirect::to("/settings/organization").into_response())
}

async fn deactivate(state: &AppState, admin: &User, target: i64) -> Result<(), WebError> {
    if target == admin.id {
        return Err(WebError::invalid(
            "you cannot deactivate yourself: ask another admin of the organization",
            "нельзя отключить самого себя: попросите другого администратора организации",
        ));
    }
    // A person of another organization is "not found", like one that does not exist.
    if !state
        .store
        .deactivate_user(admin.org(), UserId(target), admin.id())
        .await?
    {
        return Err(WebError::NotFound);
    }
    tracing::info!(user = target, by = admin.id, "person deactivated");
    Ok(())
}

#[derive(Deserialize)]
pub struct DeactivateForm {
    user_id: i64,
}

pub async fn deactivate_form(
    State(state): State<AppState>,
    Extension(CurrentUser(user)): Extension<CurrentUser>,
    CsrfForm(form): CsrfForm<DeactivateForm>,
) -> Result<Response, WebError> {
    deactivate(&state, &user, form.user_id).await?;
    Ok(Redirect::to("/settings/organization").into_response())
}

/// The answer of a deactivation.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Deactivated {
    /// The person's user id.
    pub id: i64,
    #[schema(value_type = String, examples("deactivated"))]
    pub status: &'static str,
}

/// `POST /api/v1/users/{user_id}/deactivate`.
#[utoipa::path(post, path = "/api/v1/users/{user_id}/deactivate", params(("user_id" = i64, Path, description = "the person's user id")),
    responses((status = 200, body = Deactivated), (status = 404, description = "no such person in the organization", body = crate::openapi::ErrorJson), (status = 409, description = "not possible (the caller themself, or the last admin)", body = crate::openapi::ErrorJson)))]
pub async fn deactivate_api(
    State(state): State<AppState>,
    Extension(CurrentUser(user)): Extension<CurrentUser>,
    Path(target): Path<i64>,
) -> Result<Json<Deactivated>, WebError> {
    deactivate(&state, &user, target).await?;
    Ok(Json(Deactivated {
        id: target,
        status: "deactivated",
    }))
}
