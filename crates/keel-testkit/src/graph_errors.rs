//! The error answers of Meta's Graph APIs, shared by the local Instagram and Marketing API
//! servers: HTTP 400 with `{"error": {"message", "type", "code", "error_subcode",
//! "is_transient", "error_user_msg", "fbtrace_id"}}` (Meta's "Handling Errors" guide).

use axum::Json;
use axum::http::StatusCode;
use serde_json::{Value, json};

pub(crate) type Answer = (StatusCode, Json<Value>);

/// An error answer; `kind` is Meta's `type` (`OAuthException`, `GraphMethodException`).
pub(crate) fn graph_error(
    kind: &str,
    code: i64,
    subcode: Option<i64>,
    message: &str,
    user_msg: Option<&str>,
) -> Answer {
    let mut error = json!({"message": message, "type": kind, "code": code,
                           "is_transient": false, "fbtrace_id": "AbCdEf456"});
    if let Some(subcode) = subcode {
        error["error_subcode"] = json!(subcode);
    }
    if let Some(user_msg) = user_msg {
        error["error_user_msg"] = json!(user_msg);
    }
    (StatusCode::BAD_REQUEST, Json(json!({ "error": error })))
}

/// What both APIs answer to an unknown, expired or revoked token.
pub(crate) fn bad_token() -> Answer {
    graph_error(
        "OAuthException",
        190,
        None,
        "Invalid OAuth access token - Cannot parse access token",
        None,
    )
}
