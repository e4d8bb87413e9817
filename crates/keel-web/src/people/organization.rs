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
    /// The brand on reports: `#rrggbb` and whether a logo is set.
    brand_accent: String,
    has_logo: bool,
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
    let brand = state.store.org_brand(user.org()).await?;
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
        brand_accent: brand.accent,
        has_logo: brand.logo.is_some(),
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

/// Largest logo accepted.
const MAX_LOGO_BYTES: usize = 1024 * 1024;

/// `POST /settings/organization/brand` (multipart: `_csrf` first, `accent`, then an optional
/// `logo`, PNG or JPEG only, and `remove_logo`): the brand on reports, share pages and report
/// e-mails.
pub async fn brand(
    State(state): State<AppState>,
    Extension(CurrentUser(user)): Extension<CurrentUser>,
    headers: axum::http::HeaderMap,
    mut form: axum::extract::Multipart,
) -> Result<Response, WebError> {
    let cookie = crate::auth::cookies::get(&headers, crate::auth::csrf::CSRF_COOKIE).unwrap_or_default();
    let malformed = |e: String| WebError::invalid(format!("malformed form: {e}"), format!("форма повреждена: {e}"));
    let (mut csrf_ok, mut accent, mut logo) = (false, None, None);
    while let Some(field) = form.next_field().await.map_err(|e| malformed(e.to_string()))? {
        let name = field.name().unwrap_or("").to_owned();
        if name == "_csrf" {
            csrf_ok = !cookie.is_empty() && field.text().await.unwrap_or_default() == cookie;
            continue;
        }
        if !csrf_ok {
            return Err(WebError::invalid(
                "the form's security token is missing or stale: reload the page and submit it again",
                "защитный токен формы отсутствует или устарел: обновите страницу и отправьте форму ещё раз",
            ));
        }
        match name.as_str() {
            "accent" => accent = Some(field.text().await.unwrap_or_default()),
            "remove_logo" => logo = Some((Vec::new(), String::new())),
            "logo" => {
                let bytes = field.bytes().await.map_err(|e| malformed(e.to_string()))?;
                if bytes.is_empty() {
                    continue;
                }
                let sniffed = (bytes.len() <= MAX_LOGO_BYTES)
                    .then(|| keel_docs::Logo::sniff(bytes.to_vec()))
                    .flatten()
                    .ok_or_else(|| {
                        WebError::invalid(
                            "the logo must be a PNG or JPEG file of at most 1 MB",
                            "логотип должен быть файлом PNG или JPEG размером до 1 МБ",
                        )
                    })?;
                logo = Some((sniffed.bytes.clone(), sniffed.content_type().to_owned()));
            }
            _ => {}
        }
    }
    if !csrf_ok {
        return Err(WebError::invalid(
            "the form's security token is missing or stale: reload the page and submit it again",
            "защитный токен формы отсутствует или устарел: обновите страницу и отправьте форму ещё раз",
        ));
    }
    let accent = accent.unwrap_or_default();
    let accent = accent.trim().to_lowercase();
    if crate::reports::document::parse_accent(&accent).is_none() {
        return Err(WebError::invalid(
            "the accent colour must be written as #rrggbb",
            "фирменный цвет записывается как #rrggbb",
        ));
    }
    state.store.set_org_brand(user.org(), &accent, logo).await?;
    tracing::info!(org = user.org_id, by = user.id, "brand changed");
    Ok(Redirect::to("/settings/organization#brand").into_response())
}

/// `GET /settings/organization/logo`: the organization's logo, for its own people's pages
/// (204 without one).
pub async fn logo(
    State(state): State<AppState>,
    Extension(CurrentUser(user)): Extension<CurrentUser>,
) -> Result<Response, WebError> {
    let brand = state.store.org_brand(user.org()).await?;
    match (brand.logo, brand.logo_type) {
        (Some(bytes), Some(kind)) if kind == "image/png" || kind == "image/jpeg" => Ok((
            [
                (axum::http::header::CONTENT_TYPE, kind),
                (axum::http::header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            ],
            bytes,
        )
            .into_response()),
        _ => Ok(axum::http::StatusCode::NO_CONTENT.into_response()),
    }
}
