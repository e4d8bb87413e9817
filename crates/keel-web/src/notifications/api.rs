//! `GET /api/v1/notifications`: the caller's in-app notifications, newest first.

use crate::auth::CurrentUser;
use crate::{AppState, WebError};
use axum::extract::State;
use axum::{Extension, Json};
use chrono::{DateTime, Utc};
use serde::Serialize;

#[derive(Serialize, utoipa::ToSchema)]
pub struct NotificationJson {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub link: String,
    pub created_at: DateTime<Utc>,
    pub read: bool,
}

/// The caller's in-app notifications, newest first.
#[utoipa::path(get, path = "/api/v1/notifications", responses((status = 200, body = Vec<NotificationJson>)))]
pub async fn list(
    State(state): State<AppState>,
    Extension(CurrentUser(user)): Extension<CurrentUser>,
) -> Result<Json<Vec<NotificationJson>>, WebError> {
    let items = state.store.inbox(user.id(), 200).await?;
    Ok(Json(
        items
            .into_iter()
            .map(|n| NotificationJson {
                id: n.id,
                kind: n.kind,
                title: n.title,
                body: n.body,
                link: n.link_path,
                created_at: n.created_at,
                read: n.read_at.is_some(),
            })
            .collect(),
    ))
}
