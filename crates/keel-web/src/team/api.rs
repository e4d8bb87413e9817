//! `/api/v1/projects/{slug}/members`: the project's team as data, and adding a person to it
//! (who may assign which role: `keel_domain::may_assign`).

use crate::auth::ProjectCtx;
use crate::json::ApiJson;
use crate::{AppState, WebError};
use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use keel_domain::{Email, Role, may_assign};
use serde::{Deserialize, Serialize};

#[derive(Serialize, utoipa::ToSchema)]
pub struct MemberJson {
    pub email: String,
    pub name: String,
    #[schema(value_type = crate::openapi::RoleName)]
    pub role: String,
    pub speciality: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/projects/{slug}/members", params(crate::openapi::Slug), responses((status = 200, body = Vec<MemberJson>)))]
pub async fn members(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
) -> Result<Json<Vec<MemberJson>>, WebError> {
    let members = state.store.members_of(ctx.project.id()).await?;
    Ok(Json(
        members
            .into_iter()
            .map(|m| MemberJson {
                email: m.email,
                name: m.display_name,
                role: m.role,
                speciality: m.speciality,
            })
            .collect(),
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewMember {
    /// The e-mail of a user of the project's organization.
    #[schema(format = Email)]
    pub email: String,
    #[schema(value_type = crate::openapi::RoleName)]
    pub role: String,
    #[serde(default)]
    pub speciality: Option<String>,
}

/// Adds a person (who already has an account in the organization) to the project.
#[utoipa::path(post, path = "/api/v1/projects/{slug}/members", params(crate::openapi::Slug), request_body = NewMember, responses((status = 201, body = MemberJson)))]
pub async fn add_member(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    ApiJson(body): ApiJson<NewMember>,
) -> Result<(StatusCode, Json<MemberJson>), WebError> {
    let email = Email::parse(&body.email).map_err(|e| WebError::BadRequest(format!("field `email`: {e}")))?;
    let role: Role = body
        .role
        .parse()
        .map_err(|e| WebError::BadRequest(format!("field `role`: {e}")))?;
    if !may_assign(ctx.access, role) {
        return Err(WebError::Forbidden);
    }
    let user = state
        .store
        .user_by_email(&email)
        .await?
        .filter(|u| u.org_id == ctx.project.org_id)
        .ok_or_else(|| {
            WebError::BadRequest(format!(
                "field `email`: no user {email} in this organization; create one with `keel user create`"
            ))
        })?;
    let speciality = body.speciality.as_deref().map(str::trim).filter(|s| !s.is_empty());
    state
        .store
        .add_member(ctx.project.org(), ctx.project.id(), user.id(), role, speciality)
        .await?;
    let json = MemberJson {
        email: user.email,
        name: user.display_name,
        role: role.as_str().into(),
        speciality: speciality.map(Into::into),
    };
    Ok((StatusCode::CREATED, Json(json)))
}
