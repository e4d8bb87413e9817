//! Resolving the post of a path for [`Guard::Post`](crate::Guard::Post).

use crate::auth::guard::path_param;
use crate::{AppState, WebError};
use axum::extract::Request;
use keel_store::plan::posts::PlanPost;
use keel_store::projects::Project;
use keel_store::users::User;
use std::sync::Arc;

/// The post named by the path (inserted by the guard, after the caller's access to its
/// project was decided).
#[derive(Clone, Debug)]
pub struct PostCtx(pub Arc<PlanPost>);

/// The post of `{id}` and its project, both in the caller's organization. On page paths that
/// also name a `{slug}`, the post must belong to that project (else 404: one post, one URL).
pub async fn post_and_project(
    state: &AppState,
    request: &mut Request,
    user: &User,
) -> Result<(Project, PostCtx), WebError> {
    let id: i64 = path_param(request, "id")
        .await
        .and_then(|id| id.parse().ok())
        .ok_or(WebError::NotFound)?;
    let post = state
        .store
        .plan_post(user.org(), keel_domain::PostId(id))
        .await?
        .ok_or(WebError::NotFound)?;
    let project = state.store.project_by_id(post.project()).await?;
    if let Some(slug) = path_param(request, "slug").await
        && slug != project.slug
    {
        return Err(WebError::NotFound);
    }
    Ok((project, PostCtx(Arc::new(post))))
}
