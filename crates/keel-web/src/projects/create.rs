//! Making a project from the web: the form on the projects list and `POST /api/v1/projects`
//! (organization admins; the route's guard and `keel_app::people::create_project` both check).

use super::api::{ProjectJson, project_json};
use crate::auth::CurrentUser;
use crate::auth::csrf::CsrfForm;
use crate::json::ApiJson;
use crate::{AppState, WebError};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Json};
use keel_app::people::{ProjectInput, create_project};
use serde::Deserialize;

/// The project's fields, in the form and in the API body alike.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewProjectBody {
    /// The project's address: lowercase letters, digits and `-`.
    #[serde(default)]
    #[schema(required, pattern = "^[a-z0-9][a-z0-9-]{0,46}[a-z0-9]$")]
    pub slug: String,
    #[serde(default)]
    #[schema(required)]
    pub name: String,
    #[serde(default)]
    pub client: Option<String>,
    /// The first day of work (default: today).
    #[serde(default)]
    #[schema(format = Date)]
    pub started_on: Option<String>,
}

impl NewProjectBody {
    fn input(&self) -> ProjectInput<'_> {
        ProjectInput {
            slug: &self.slug,
            name: &self.name,
            client: self.client.as_deref(),
            started_on: self.started_on.as_deref(),
        }
    }
}

/// `POST /api/v1/projects`: 201 with the project; a taken slug is a 409.
#[utoipa::path(post, path = "/api/v1/projects", request_body = NewProjectBody,
    responses((status = 201, body = super::api::ProjectJson), (status = 409, description = "the slug is taken", body = crate::openapi::ErrorJson)))]
pub async fn api(
    State(state): State<AppState>,
    Extension(CurrentUser(user)): Extension<CurrentUser>,
    ApiJson(body): ApiJson<NewProjectBody>,
) -> Result<(StatusCode, Json<ProjectJson>), WebError> {
    let project = create_project(&state.store, &user, &body.input()).await?;
    Ok((StatusCode::CREATED, Json(project_json(&project, vec![]))))
}

/// `POST /projects`: the form on the projects list; on success, the new project's team page,
/// where people are invited next.
pub async fn form(
    State(state): State<AppState>,
    Extension(CurrentUser(user)): Extension<CurrentUser>,
    CsrfForm(body): CsrfForm<NewProjectBody>,
) -> Result<Response, WebError> {
    let project = create_project(&state.store, &user, &body.input()).await?;
    Ok(Redirect::to(&format!("/projects/{}/members", project.slug)).into_response())
}
