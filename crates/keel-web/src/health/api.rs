//! `GET /api/v1/projects/{slug}/health`: the project's health check, findings with evidence.

use crate::auth::ProjectCtx;
use crate::{AppState, WebError};
use axum::extract::State;
use axum::{Extension, Json};
use serde::Serialize;

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = HealthCheck)]
pub struct HealthJson {
    /// The worst status of the findings.
    status: keel_domain::health::Status,
    findings: Vec<keel_domain::health::Finding>,
}

/// The project's health check.
#[utoipa::path(get, path = "/api/v1/projects/{slug}/health", params(crate::openapi::Slug), responses((status = 200, body = HealthJson)))]
pub async fn health(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
) -> Result<Json<HealthJson>, WebError> {
    let facts = crate::health::facts::gather_cached(
        &state.figures,
        &state.store,
        &ctx.project,
        keel_report::scope::zone_of(&ctx.project).today(),
    )
    .await
    .map_err(WebError::Internal)?;
    let findings = facts.findings();
    Ok(Json(HealthJson {
        status: keel_domain::health::overall(&findings),
        findings,
    }))
}
