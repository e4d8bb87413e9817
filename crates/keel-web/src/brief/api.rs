//! `/api/v1/projects/{slug}/brief…`: the versioned brief, its versions compared and acknowledged.

use crate::auth::ProjectCtx;
use crate::json::ApiJson;
use crate::{AppState, WebError};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use keel_domain::brief::{BriefContent, FieldChange};
use keel_store::brief::BriefVersion;
use serde::{Deserialize, Serialize};

#[derive(Serialize, utoipa::ToSchema)]
pub struct VersionJson {
    version: i64,
    content: BriefContent,
    author: Option<String>,
    #[schema(format = DateTime)]
    saved_at: String,
    acknowledged_by: Option<String>,
    #[schema(format = DateTime)]
    acknowledged_at: Option<String>,
    /// The agency's pay depends on sales the client's team controls (core rule 6).
    pay_tied_to_sales_warning: bool,
}

fn json(v: BriefVersion) -> VersionJson {
    let content = v.content();
    VersionJson {
        version: v.version,
        pay_tied_to_sales_warning: content.pay_tied_to_sales(),
        content,
        author: v.author_name,
        saved_at: v.created_at.to_rfc3339(),
        acknowledged_by: v.acknowledged_name,
        acknowledged_at: v.acknowledged_at.map(|a| a.to_rfc3339()),
    }
}

/// Every version, newest first.
#[utoipa::path(get, path = "/api/v1/projects/{slug}/brief", params(crate::openapi::Slug), responses((status = 200, body = Vec<VersionJson>)))]
pub async fn list(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
) -> Result<Json<Vec<VersionJson>>, WebError> {
    let versions = state.store.brief_versions(ctx.project.id()).await?;
    Ok(Json(versions.into_iter().map(json).collect()))
}

#[utoipa::path(post, path = "/api/v1/projects/{slug}/brief", params(crate::openapi::Slug), request_body = BriefContent, responses((status = 201, body = VersionJson)))]
pub async fn save(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    ApiJson(content): ApiJson<BriefContent>,
) -> Result<(StatusCode, Json<VersionJson>), WebError> {
    let version = keel_app::brief::save(&state.store, &ctx, content).await?;
    Ok((StatusCode::CREATED, Json(json(version))))
}

#[utoipa::path(post, path = "/api/v1/projects/{slug}/brief/{version}/acknowledge", params(crate::openapi::Slug, ("version" = i64, Path, description = "the version number")), responses((status = 200, body = VersionJson), (status = 409, description = "already acknowledged", body = crate::openapi::ErrorJson)))]
pub async fn acknowledge(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    Path((_, version)): Path<(String, i64)>,
) -> Result<Json<VersionJson>, WebError> {
    let v = keel_app::brief::acknowledge(&state.store, &ctx, version).await?;
    Ok(Json(json(v)))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Pair {
    /// One version number.
    left: i64,
    /// The other version number.
    right: i64,
}

/// Two versions field by field.
#[utoipa::path(get, path = "/api/v1/projects/{slug}/brief/compare", params(crate::openapi::Slug, Pair), responses((status = 200, body = Vec<FieldChange>), (status = 404, description = "no such version", body = crate::openapi::ErrorJson)))]
pub async fn compare_versions(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    Query(pair): Query<Pair>,
) -> Result<Json<Vec<FieldChange>>, WebError> {
    let changes = keel_app::brief::compare_versions(&state.store, &ctx, pair.left, pair.right).await?;
    Ok(Json(changes))
}
