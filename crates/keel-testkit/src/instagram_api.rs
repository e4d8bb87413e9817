//! A local Instagram Graph API (Instagram Login) server, answering as Meta documents it:
//! `GET /me?fields=user_id,username` → `{"user_id", "username", "id"}`;
//! `GET /{ig-user-id}/content_publishing_limit?fields=quota_usage,config` →
//! `{"data": [{"quota_usage", "config": {"quota_total", "quota_duration"}}]}`; an unknown token
//! is HTTP 400 `{"error": {"message": "Invalid OAuth access token - Cannot parse access token",
//! "type": "OAuthException", "code": 190, "fbtrace_id"}}`.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub const TOKEN: &str = "IGAAtest-instagram-token-0123456789";
pub const USER_ID: &str = "17841400000000001";

#[derive(Clone, Default)]
pub struct InstagramServer {
    /// Posts published in the last 24 hours (the quota used).
    pub quota_usage: Arc<Mutex<i64>>,
    pub url: String,
}

impl InstagramServer {
    pub async fn start() -> InstagramServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let server = InstagramServer {
            url: format!("http://{}", listener.local_addr().unwrap()),
            ..Default::default()
        };
        let app = axum::Router::new()
            .route("/me", get(me))
            .route("/{user}/content_publishing_limit", get(limit))
            .with_state(server.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        server
    }
}

fn oauth_error() -> (StatusCode, Json<Value>) {
    (
        StatusCode::BAD_REQUEST,
        Json(
            json!({"error": {"message": "Invalid OAuth access token - Cannot parse access token",
                              "type": "OAuthException", "code": 190, "fbtrace_id": "AbCdEf123"}}),
        ),
    )
}

async fn me(Query(q): Query<HashMap<String, String>>) -> (StatusCode, Json<Value>) {
    if q.get("access_token").map(String::as_str) != Some(TOKEN) {
        return oauth_error();
    }
    (
        StatusCode::OK,
        Json(json!({"user_id": USER_ID, "username": "coffee.house", "id": "9988776655"})),
    )
}

async fn limit(
    State(server): State<InstagramServer>,
    Path(user): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> (StatusCode, Json<Value>) {
    if q.get("access_token").map(String::as_str) != Some(TOKEN) {
        return oauth_error();
    }
    if user != USER_ID {
        return (
            StatusCode::BAD_REQUEST,
            Json(
                json!({"error": {"message": "Unsupported get request.", "type": "GraphMethodException", "code": 100}}),
            ),
        );
    }
    let used = *server.quota_usage.lock().unwrap();
    (
        StatusCode::OK,
        Json(json!({"data": [{"quota_usage": used, "config": {"quota_total": 100, "quota_duration": 86400}}]})),
    )
}
