//! `/api/v1/projects/{slug}/goals…`: SMART goals with baseline, progress and feasibility
//! filled from the project's data; only the client owner and the agency lead set, change and
//! agree them (the route table's `ManageGoals`).

use crate::auth::ProjectCtx;
use crate::json::{ApiJson, OptionalJson};
use crate::{AppState, WebError};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use chrono::Utc;
use keel_app::goals::RawGoal;
use keel_domain::GoalId;
use keel_domain::goals::Target;
use keel_report::goals::{GoalRow, evaluate_goals};
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoalBody {
    metric: String,
    target: Option<Target>,
    /// First day of the goal (default: today); the baseline is measured on it.
    #[serde(default)]
    start: Option<String>,
    deadline: String,
    #[serde(default)]
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

fn today() -> chrono::NaiveDate {
    Utc::now().date_naive()
}

async fn row(state: &AppState, ctx: &ProjectCtx, id: i64) -> Result<GoalRow, WebError> {
    evaluate_goals(&state.store, &ctx.project, today())
        .await
        .map_err(WebError::Internal)?
        .into_iter()
        .map(|e| e.row)
        .find(|r| r.id == id)
        .ok_or(WebError::NotFound)
}

pub async fn list(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
) -> Result<Json<Vec<GoalRow>>, WebError> {
    let rows = evaluate_goals(&state.store, &ctx.project, today())
        .await
        .map_err(WebError::Internal)?;
    Ok(Json(rows.into_iter().map(|e| e.row).collect()))
}

pub async fn create(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    ApiJson(body): ApiJson<GoalBody>,
) -> Result<(StatusCode, Json<GoalRow>), WebError> {
    let goal = keel_app::goals::create(&state.store, &ctx, &body.raw(), today()).await?;
    Ok((StatusCode::CREATED, Json(row(&state, &ctx, goal.id.0).await?)))
}

pub async fn update(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    Path((_, id)): Path<(String, i64)>,
    ApiJson(body): ApiJson<GoalBody>,
) -> Result<Json<GoalRow>, WebError> {
    keel_app::goals::update(&state.store, &ctx, GoalId(id), &body.raw(), today()).await?;
    Ok(Json(row(&state, &ctx, id).await?))
}

#[derive(Serialize)]
pub struct Agreed {
    goal: GoalRow,
    /// The project's status after the agreement (`active` once it has a brief and a goal
    /// agreed by both sides).
    project_status: String,
}

/// The sides a caller agrees for (see `keel_app::goals`).
pub use keel_app::goals::sides_of;

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

#[derive(Deserialize, Default)]
pub struct ArchiveBody {
    #[serde(default)]
    reason: String,
}

#[derive(Serialize)]
pub struct Archived {
    id: i64,
    metric: String,
    archived_at: Option<String>,
}

/// Archives the goal: it leaves the list, the report and the health check; its history stays.
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

#[derive(Serialize)]
pub struct CatalogEntry {
    #[serde(flatten)]
    info: keel_domain::goals::MetricInfo,
}

#[derive(Serialize)]
pub struct Catalog {
    metrics: Vec<CatalogEntry>,
    /// Goal type → its KPI metrics (core rule 2).
    presets: std::collections::BTreeMap<&'static str, Vec<&'static str>>,
}

/// The metric catalog and the KPI presets.
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
