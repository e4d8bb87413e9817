//! `/api/v1/projects…`: the caller's projects (their teams: `team::api`).

use crate::auth::{CurrentUser, ProjectCtx};
use crate::{AppState, WebError};
use axum::extract::State;
use axum::{Extension, Json};
use keel_domain::Role;
use keel_store::projects::Project;
use serde::Serialize;

#[derive(Serialize)]
pub struct ProjectJson {
    pub slug: String,
    pub name: String,
    pub status: String,
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

pub async fn show(Extension(ctx): Extension<ProjectCtx>) -> Json<ProjectJson> {
    Json(project_json(&ctx.project, ctx.access.roles.iter().collect()))
}
