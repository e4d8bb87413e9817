//! `/api/v1/projects/{slug}/posts`, `/api/v1/posts/{id}/…`: the content plan and its
//! approvals over JSON (PRODUCT.md "Public interface").

use super::guard::PostCtx;
use super::input::{ActionJson, ApiBody, EditJson, NewPostJson, ResolveJson, relation};
use super::view::{CommentJson, ImageJson, PostJson, PostView, comment_json};
use crate::auth::ProjectCtx;
use crate::{AppState, WebError};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use keel_domain::workflow::PostAction;
use keel_domain::workflow::health::WorkflowHealth;
use keel_domain::workflow::state::too_many_approvers;
use keel_store::plan::actions::ActionInput;
use keel_store::plan::settings::WorkflowSettings;
use serde::{Deserialize, Serialize};

#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only posts in this state.
    #[param(value_type = Option<crate::openapi::PostStateName>)]
    pub state: Option<String>,
    /// Only posts going to this platform.
    #[param(value_type = Option<crate::openapi::PlatformName>)]
    pub platform: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/projects/{slug}/posts", params(crate::openapi::Slug, ListQuery), responses((status = 200, body = Vec<PostJson>)))]
pub async fn list(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    Query(query): Query<ListQuery>,
) -> Result<Json<Vec<PostJson>>, WebError> {
    if let Some(s) = &query.state
        && keel_domain::workflow::PostState::parse(s).is_none()
    {
        return Err(WebError::Malformed(format!(
            "query `state`: unknown state `{s}`; expected draft, in_review, changes_requested, approved, scheduled, published or failed"
        )));
    }
    let platform = match &query.platform {
        Some(p) => Some(keel_domain::workflow::Platform::parse(p).ok_or_else(|| {
            WebError::Malformed(format!(
                "query `platform`: unknown platform `{p}`; expected vk, telegram, instagram or facebook"
            ))
        })?),
        None => None,
    };
    let mut out = vec![];
    for post in state.store.plan_posts_of(ctx.project.id()).await? {
        let keep_state = query.state.as_deref().is_none_or(|s| s == post.state.as_str());
        let keep_platform = platform.is_none_or(|p| post.platforms().contains(&p));
        if keep_state && keep_platform {
            out.push(PostView::load(&state.store, post).await?.json(&ctx.project.slug));
        }
    }
    Ok(Json(out))
}

#[utoipa::path(post, path = "/api/v1/projects/{slug}/posts", params(crate::openapi::Slug), request_body(content = Option<NewPostJson>, description = "every field may be left out (an empty draft)"), responses((status = 201, body = PostJson)))]
pub async fn create(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    ApiBody(body): ApiBody<NewPostJson>,
) -> Result<(StatusCode, Json<PostJson>), WebError> {
    let draft = body.into_draft()?;
    let post = state
        .store
        .create_plan_post(ctx.project.org(), ctx.project.id(), ctx.user.id(), &draft)
        .await?;
    let view = PostView::load(&state.store, post).await?;
    Ok((StatusCode::CREATED, Json(view.json(&ctx.project.slug))))
}

#[utoipa::path(get, path = "/api/v1/posts/{id}", params(crate::openapi::PostIdParam), responses((status = 200, body = PostJson)))]
pub async fn show(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    Extension(PostCtx(post)): Extension<PostCtx>,
) -> Result<Json<PostJson>, WebError> {
    let view = PostView::load(&state.store, (*post).clone()).await?;
    Ok(Json(view.json(&ctx.project.slug)))
}

#[utoipa::path(post, path = "/api/v1/posts/{id}/edit", params(crate::openapi::PostIdParam), request_body(content = Option<EditJson>, description = "fields left out keep their value; an empty body changes nothing"), responses((status = 200, body = PostJson)))]
pub async fn edit(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    Extension(PostCtx(post)): Extension<PostCtx>,
    ApiBody(body): ApiBody<EditJson>,
) -> Result<Json<PostJson>, WebError> {
    let variants = state.store.plan_variants(post.id).await?;
    let draft = body.merged_with(&post, &variants)?;
    state
        .store
        .edit_plan_post(&post, relation(&ctx, &post), ctx.user.id(), &draft)
        .await?;
    reload(&state, &ctx, post.id.0).await
}

async fn reload(state: &AppState, ctx: &ProjectCtx, id: i64) -> Result<Json<PostJson>, WebError> {
    let post = state
        .store
        .plan_post(ctx.project.org(), keel_domain::PostId(id))
        .await?
        .ok_or(WebError::NotFound)?;
    Ok(Json(PostView::load(&state.store, post).await?.json(&ctx.project.slug)))
}

async fn act(
    state: AppState,
    ctx: ProjectCtx,
    post: PostCtx,
    action: PostAction,
    body: ActionJson,
) -> Result<Json<PostJson>, WebError> {
    let post = post.0;
    let input = ActionInput {
        comment: body.comment,
        scheduled_at: body.scheduled_at,
        via: None,
    };
    let updated = keel_app::workflow::decide(&state.store, &ctx, &post, action, &input).await?;
    Ok(Json(
        PostView::load(&state.store, updated).await?.json(&ctx.project.slug),
    ))
}

macro_rules! action_handler {
    ($name:ident, $action:expr, $path:literal) => {
        #[utoipa::path(post, path = $path, params(crate::openapi::PostIdParam),
                    request_body(content = Option<ActionJson>, description = "optional: an empty body is all defaults"),
                    responses((status = 200, body = PostJson)))]
        pub async fn $name(
            State(state): State<AppState>,
            Extension(ctx): Extension<ProjectCtx>,
            Extension(post): Extension<PostCtx>,
            ApiBody(body): ApiBody<ActionJson>,
        ) -> Result<Json<PostJson>, WebError> {
            act(state, ctx, post, $action, body).await
        }
    };
}

action_handler!(submit, PostAction::Submit, "/api/v1/posts/{id}/submit");
action_handler!(approve, PostAction::Approve, "/api/v1/posts/{id}/approve");
action_handler!(
    request_changes,
    PostAction::RequestChanges,
    "/api/v1/posts/{id}/request-changes"
);
action_handler!(schedule, PostAction::Schedule, "/api/v1/posts/{id}/schedule");
action_handler!(
    mark_published,
    PostAction::MarkPublished,
    "/api/v1/posts/{id}/mark-published"
);
action_handler!(mark_failed, PostAction::MarkFailed, "/api/v1/posts/{id}/mark-failed");
action_handler!(
    back_to_draft,
    PostAction::BackToDraft,
    "/api/v1/posts/{id}/back-to-draft"
);

/// A comment on a post.
#[derive(Deserialize, Default, utoipa::ToSchema)]
pub struct CommentBody {
    #[serde(default)]
    #[schema(required)]
    pub text: String,
    /// An approver's remark the agency must answer (accept, or decline with a reason).
    #[serde(default)]
    pub suggestion: bool,
}

#[utoipa::path(post, path = "/api/v1/posts/{id}/comments", params(crate::openapi::PostIdParam), request_body(content = Option<CommentBody>, description = "`text` is required"), responses((status = 201, body = CommentJson)))]
pub async fn comment(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    Extension(PostCtx(post)): Extension<PostCtx>,
    ApiBody(body): ApiBody<CommentBody>,
) -> Result<(StatusCode, Json<CommentJson>), WebError> {
    let comment = state
        .store
        .add_plan_comment(&post, relation(&ctx, &post), ctx.user.id(), &body.text, body.suggestion)
        .await?;
    Ok((StatusCode::CREATED, Json(comment_json(&comment))))
}

#[utoipa::path(post, path = "/api/v1/posts/{id}/suggestions/{comment}", params(crate::openapi::PostIdParam, ("comment" = i64, Path, description = "the suggestion's comment id")), request_body = ResolveJson, responses((status = 200, body = PostJson)))]
pub async fn resolve_suggestion(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    Extension(PostCtx(post)): Extension<PostCtx>,
    Path(params): Path<std::collections::HashMap<String, String>>,
    ApiBody(body): ApiBody<ResolveJson>,
) -> Result<Json<PostJson>, WebError> {
    let comment = super::input::comment_id(&params)?;
    let resolution = body.resolution()?;
    state
        .store
        .resolve_suggestion(
            &post,
            relation(&ctx, &post),
            ctx.user.id(),
            keel_domain::CommentId(comment),
            &resolution,
        )
        .await?;
    reload(&state, &ctx, post.id.0).await
}

#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImageQuery {
    /// The file name to keep (default `image`).
    pub name: Option<String>,
}

/// The image is the request body; its type is read from its bytes.
#[utoipa::path(post, path = "/api/v1/posts/{id}/images", params(crate::openapi::PostIdParam, ImageQuery),
    request_body(description = "the image: PNG, JPEG, WebP or GIF, at most 8 MB", content(
        (Vec<u8> = "image/png"), (Vec<u8> = "image/jpeg"), (Vec<u8> = "image/webp"), (Vec<u8> = "image/gif"), (Vec<u8> = "application/octet-stream"))),
    responses((status = 201, body = ImageJson)))]
pub async fn upload_image(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    Extension(PostCtx(post)): Extension<PostCtx>,
    Query(query): Query<ImageQuery>,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<ImageJson>), WebError> {
    let name = query.name.unwrap_or_else(|| "image".into());
    let image = state
        .store
        .add_plan_image(&post, relation(&ctx, &post), ctx.user.id(), &name, &body)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(ImageJson {
            id: image.id,
            url: format!("/projects/{}/posts/{}/images/{}", ctx.project.slug, post.id, image.id),
            file_name: image.file_name,
            content_type: image.content_type,
            size: image.size,
        }),
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct WorkflowJson {
    pub urgent_sla_minutes: u32,
    pub auto_approve: bool,
    /// An urgent post approved inside its SLA with no date is published at once.
    pub publish_urgent_at_once: bool,
    /// The designated approvers (the project's `client_approver` members), by e-mail.
    pub approvers: Vec<String>,
    /// Set when more than two people approve (PRODUCT.md rule 3).
    pub too_many_approvers: bool,
    pub health: HealthJson,
}

/// How the approval workflow fares.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = WorkflowHealth)]
pub struct HealthJson {
    pub median_minutes_to_approve: Option<f64>,
    pub first_time_approval_pct: Option<f64>,
    pub average_rounds: Option<f64>,
    pub sla_hit_pct: Option<f64>,
    pub approved_posts: usize,
    pub urgent_settled: usize,
}

impl From<WorkflowHealth> for HealthJson {
    fn from(h: WorkflowHealth) -> Self {
        HealthJson {
            median_minutes_to_approve: h.median_minutes_to_approve,
            first_time_approval_pct: h.first_time_approval_pct,
            average_rounds: h.average_rounds,
            sla_hit_pct: h.sla_hit_pct,
            approved_posts: h.approved_posts,
            urgent_settled: h.urgent_settled,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/projects/{slug}/workflow", params(crate::openapi::Slug), responses((status = 200, body = WorkflowJson)))]
pub async fn workflow(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
) -> Result<Json<WorkflowJson>, WebError> {
    let settings = state.store.workflow_settings(ctx.project.id()).await?;
    let approvers: Vec<String> = state
        .store
        .approvers_of(ctx.project.id())
        .await?
        .into_iter()
        .map(|m| m.email)
        .collect();
    let health = state.store.workflow_health(ctx.project.id(), keel_store::now()).await?;
    Ok(Json(WorkflowJson {
        urgent_sla_minutes: settings.urgent_sla_minutes,
        auto_approve: settings.auto_approve,
        publish_urgent_at_once: settings.publish_urgent_at_once,
        too_many_approvers: too_many_approvers(approvers.len()),
        approvers,
        health: health.into(),
    }))
}

/// Workflow settings to change (fields left out keep their value).
#[derive(Deserialize, Default, utoipa::ToSchema)]
#[schema(as = WorkflowSettings)]
pub struct SettingsJson {
    /// Minutes an urgent post's approver has to decide.
    #[serde(default, deserialize_with = "crate::json::optional_integer")]
    pub urgent_sla_minutes: Option<i64>,
    pub auto_approve: Option<bool>,
    /// Publish an urgent post approved inside its SLA with no date at once.
    pub publish_urgent_at_once: Option<bool>,
}

#[utoipa::path(post, path = "/api/v1/projects/{slug}/workflow", params(crate::openapi::Slug), request_body(content = Option<SettingsJson>, description = "fields left out keep their value"), responses((status = 200, body = WorkflowJson)))]
pub async fn set_workflow(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    ApiBody(body): ApiBody<SettingsJson>,
) -> Result<Json<WorkflowJson>, WebError> {
    let current = state.store.workflow_settings(ctx.project.id()).await?;
    let minutes = match body.urgent_sla_minutes {
        Some(m) => keel_domain::workflow::sla::validate_sla_minutes(m)
            .map_err(|e| WebError::BadRequest(format!("field `urgent_sla_minutes`: {e}")))?,
        None => current.urgent_sla_minutes,
    };
    let settings = WorkflowSettings {
        urgent_sla_minutes: minutes,
        auto_approve: body.auto_approve.unwrap_or(current.auto_approve),
        publish_urgent_at_once: body.publish_urgent_at_once.unwrap_or(current.publish_urgent_at_once),
    };
    state
        .store
        .set_workflow_settings(ctx.project.org(), ctx.project.id(), Some(ctx.user.id()), settings)
        .await?;
    workflow(State(state), Extension(ctx)).await
}
