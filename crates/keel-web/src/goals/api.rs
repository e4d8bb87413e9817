//! `/api/v1/projects/{slug}/goals…`: SMART goals with baseline, progress and feasibility
//! filled from the project's data; only the client owner and the agency lead set, change and
//! agree them (the route table's `ManageGoals`).

use crate::auth::ProjectCtx;
use crate::json::{ApiJson, OptionalJson};
use crate::{AppState, WebError};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};

use keel_app::goals::RawGoal;
use keel_domain::GoalId;
use keel_domain::goals::Target;
use keel_report::goals::{GoalRow, evaluate_goals};
use serde::{Deserialize, Serialize};

/// A goal as set or changed.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GoalBody {
    /// A metric of the catalog (`GET /api/v1/goal-catalog`).
    #[schema(value_type = keel_domain::goals::Metric)]
    metric: String,
    target: Option<Target>,
    /// First day of the goal (default: today); the baseline is measured on it.
    #[serde(default)]
    #[schema(value_type = Option<chrono::NaiveDate>)]
    start: Option<String>,
    /// The last day of the goal.
    #[schema(value_type = chrono::NaiveDate)]
    deadline: String,
    /// Who answers for it (default: the metric's zone).
    #[serde(default)]
    #[schema(value_type = Option<keel_domain::metrics::funnel::Zone>)]
    zone: Option<String>,
    /// An entered baseline instead of the measured one.
    #[serde(default)]
    baseline: Option<f64>,
}

impl GoalBody {
    fn raw(self) -> RawGoal {
        RawGoal {
            metric: self.metric,
            target: self.target,
            start: self.start,
            deadline: self.deadline,
            zone: self.zone,
            baseline: self.baseline,
        }
    }
}

/// Today in the project's time zone.
fn today(ctx: &ProjectCtx) -> chrono::NaiveDate {
    keel_report::scope::zone_of(&ctx.project).today()
}

async fn row(state: &AppState, ctx: &ProjectCtx, id: i64) -> Result<GoalRow, WebError> {
    evaluate_goals(&state.store, &ctx.project, today(ctx))
        .await
        .map_err(WebError::Internal)?
        .into_iter()
        .map(|e| e.row)
        .find(|r| r.id == id)
        .ok_or(WebError::NotFound)
}

#[utoipa::path(get, path = "/api/v1/projects/{slug}/goals", params(crate::openapi::Slug), responses((status = 200, body = Vec<GoalRow>)))]
pub async fn list(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
) -> Result<Json<Vec<GoalRow>>, WebError> {
    let rows = evaluate_goals(&state.store, &ctx.project, today(&ctx))
        .await
        .map_err(WebError::Internal)?;
    Ok(Json(rows.into_iter().map(|e| e.row).collect()))
}

#[utoipa::path(post, path = "/api/v1/projects/{slug}/goals", params(crate::openapi::Slug), request_body = GoalBody, responses((status = 201, body = GoalRow)))]
pub async fn create(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    ApiJson(body): ApiJson<GoalBody>,
) -> Result<(StatusCode, Json<GoalRow>), WebError> {
    let goal = keel_app::goals::create(&state.store, &ctx, &body.raw(), today(&ctx)).await?;
    Ok((StatusCode::CREATED, Json(row(&state, &ctx, goal.id.0).await?)))
}

#[utoipa::path(post, path = "/api/v1/projects/{slug}/goals/{goal_id}", params(crate::openapi::Slug, ("goal_id" = i64, Path, description = "the goal's id")), request_body = GoalBody, responses((status = 200, body = GoalRow), (status = 404, description = "no such goal in the project", body = crate::openapi::ErrorJson)))]
pub async fn update(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    Path((_, id)): Path<(String, i64)>,
    ApiJson(body): ApiJson<GoalBody>,
) -> Result<Json<GoalRow>, WebError> {
    keel_app::goals::update(&state.store, &ctx, GoalId(id), &body.raw(), today(&ctx)).await?;
    Ok(Json(row(&state, &ctx, id).await?))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Agreed {
    goal: GoalRow,
    /// The project's status after the agreement (`active` once it has a brief and a goal
    /// agreed by both sides).
    project_status: String,
}

/// The sides a caller agrees for (see `keel_app::goals`).
pub use keel_app::goals::sides_of;

#[utoipa::path(post, path = "/api/v1/projects/{slug}/goals/{goal_id}/agree", params(crate::openapi::Slug, ("goal_id" = i64, Path, description = "the goal's id")), responses((status = 200, body = Agreed), (status = 409, description = "already agreed, or archived", body = crate::openapi::ErrorJson)))]
pub async fn agree(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    Path((_, id)): Path<(String, i64)>,
) -> Result<Json<Agreed>, WebError> {
    keel_app::goals::agree(&state.store, &ctx, GoalId(id)).await?;
    let project = state.store.project_by_id(ctx.project.id()).await?;
    Ok(Json(Agreed {
        goal: row(&state, &ctx, id).await?,
        project_status: project.status.as_str().to_owned(),
    }))
}

/// Why a goal is archived (an empty body is fine).
#[derive(Deserialize, Default, utoipa::ToSchema)]
pub struct ArchiveBody {
    #[serde(default)]
    reason: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Archived {
    id: i64,
    metric: String,
    #[schema(format = DateTime)]
    archived_at: Option<String>,
}

/// Archives the goal: it leaves the list, the report and the health check; its history stays.
#[utoipa::path(post, path = "/api/v1/projects/{slug}/goals/{goal_id}/archive", params(crate::openapi::Slug, ("goal_id" = i64, Path, description = "the goal's id")), request_body(content = Option<ArchiveBody>, description = "optional"), responses((status = 200, body = Archived), (status = 409, description = "already archived", body = crate::openapi::ErrorJson)))]
pub async fn archive(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    Path((_, id)): Path<(String, i64)>,
    OptionalJson(body): OptionalJson<ArchiveBody>,
) -> Result<Json<Archived>, WebError> {
    let goal = keel_app::goals::archive(&state.store, &ctx, GoalId(id), &body.reason).await?;
    Ok(Json(Archived {
        id: goal.id.0,
        metric: goal.metric,
        archived_at: goal.archived_at.map(|a| a.to_rfc3339()),
    }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CatalogEntry {
    #[serde(flatten)]
    info: keel_domain::goals::MetricInfo,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Catalog {
    metrics: Vec<CatalogEntry>,
    /// Goal type → its KPI metrics (core rule 2).
    presets: std::collections::BTreeMap<&'static str, Vec<&'static str>>,
}

/// The metric catalog and the KPI presets.
#[utoipa::path(get, path = "/api/v1/goal-catalog", responses((status = 200, body = Catalog)))]
pub async fn catalog() -> Json<Catalog> {
    use keel_domain::goals::{GoalType, Metric};
    Json(Catalog {
        metrics: Metric::ALL
            .into_iter()
            .map(|m| CatalogEntry { info: m.info() })
            .collect(),
        presets: GoalType::ALL
            .into_iter()
            .map(|t| (t.as_str(), t.preset().iter().map(|m| m.as_str()).collect()))
            .collect(),
    })
}
