//! Resolving the post of a path for [`Guard::Post`](crate::Guard::Post).

use crate::auth::ProjectCtx;
use crate::auth::guard::path_param;
use crate::{AppState, WebError};
use axum::extract::Request;
use keel_domain::Action;
use keel_store::plan::posts::PlanPost;
use keel_store::users::User;
use std::sync::Arc;

/// The post named by the path (inserted by the guard, after the caller's access to its
/// project was decided).
#[derive(Clone, Debug)]
pub struct PostCtx(pub Arc<PlanPost>);

/// The post of `{id}` and the caller's access to its project, if they may take `action`
/// there (see `keel_app::access::to_post`; on page paths the post must belong to `{slug}`).
pub async fn post_and_project(
    state: &AppState,
    request: &mut Request,
    user: Arc<User>,
    action: Action,
) -> Result<(ProjectCtx, PostCtx), WebError> {
    let id: i64 = path_param(request, "id")
        .await
        .and_then(|id| id.parse().ok())
        .ok_or(WebError::NotFound)?;
    let slug = path_param(request, "slug").await;
    let (ctx, post) =
        keel_app::access::to_post(&state.store, user, keel_domain::PostId(id), slug.as_deref(), action).await?;
    Ok((ctx, PostCtx(Arc::new(post))))
}
