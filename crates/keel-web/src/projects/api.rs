//! `/api/v1/projects…`: the caller's projects (their teams: `team::api`).

use crate::auth::{CurrentUser, ProjectCtx};
use crate::{AppState, WebError};
use axum::extract::State;
use axum::{Extension, Json};
use keel_domain::Role;
use keel_store::projects::Project;
use serde::Serialize;
use utoipa::ToSchema;

/// A project, with the caller's roles in it.
#[derive(Serialize, ToSchema)]
pub struct ProjectJson {
    pub slug: String,
    pub name: String,
    #[schema(examples("setup", "active", "paused", "closed"))]
    pub status: String,
    #[schema(format = Date)]
    pub started_on: String,
    pub client: Option<String>,
    /// The caller's roles in the project.
    pub roles: Vec<String>,
}

pub(crate) fn project_json(p: &Project, roles: Vec<Role>) -> ProjectJson {
    ProjectJson {
        slug: p.slug.clone(),
        name: p.name.clone(),
        status: p.status.as_str().to_owned(),
        started_on: p.started_on.to_string(),
        client: p.client_name.clone(),
        roles: roles.into_iter().map(|r| r.as_str().to_owned()).collect(),
    }
}

#[utoipa::path(get, path = "/api/v1/projects", responses((status = 200, body = Vec<ProjectJson>)))]
pub async fn list(
    State(state): State<AppState>,
    Extension(CurrentUser(user)): Extension<CurrentUser>,
) -> Result<Json<Vec<ProjectJson>>, WebError> {
    let projects = state
        .store
        .projects_visible_to(user.org(), user.id(), user.is_org_admin)
        .await?;
    let mut out = Vec::with_capacity(projects.len());
    for p in &projects {
        out.push(project_json(p, state.store.roles_in(p.id(), user.id()).await?));
    }
    Ok(Json(out))
}

#[utoipa::path(get, path = "/api/v1/projects/{slug}", params(crate::openapi::Slug), responses((status = 200, body = ProjectJson)))]
pub async fn show(Extension(ctx): Extension<ProjectCtx>) -> Json<ProjectJson> {
    Json(project_json(&ctx.project, ctx.access.roles.iter().collect()))
}
