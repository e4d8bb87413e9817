//! The content plan's part of the OpenAPI document.

use crate::routes::RouteSpec;
use serde_json::{Value, json};

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// (success status, success schema, request body schema) of the plan's API routes.
pub fn shapes(spec: &RouteSpec) -> Option<(u16, Value, Option<Value>)> {
    let post = schema_ref("Post");
    let action = Some(schema_ref("PostAction"));
    Some(match (spec.method.as_str(), spec.path) {
        ("GET", "/api/v1/projects/{slug}/posts") => (200, json!({ "type": "array", "items": post }), None),
        ("POST", "/api/v1/projects/{slug}/posts") => (201, post, Some(schema_ref("NewPost"))),
        ("GET", "/api/v1/projects/{slug}/workflow") => (200, schema_ref("Workflow"), None),
        ("POST", "/api/v1/projects/{slug}/workflow") => {
            (200, schema_ref("Workflow"), Some(schema_ref("WorkflowSettings")))
        }
        ("GET", "/api/v1/posts/{id}") => (200, post, None),
        ("POST", "/api/v1/posts/{id}/edit") => (200, post, Some(schema_ref("NewPost"))),
        ("POST", "/api/v1/posts/{id}/comments") => (
            201,
            schema_ref("Comment"),
            Some(json!({ "type": "object",
            "required": ["text"], "properties": { "text": { "type": "string" }, "suggestion": { "type": "boolean" } } })),
        ),
        ("POST", "/api/v1/posts/{id}/suggestions/{comment}") => (
            200,
            post,
            Some(json!({ "type": "object",
            "required": ["resolution"], "properties": { "resolution": { "type": "string", "enum": ["accepted", "declined"] },
            "reason": { "type": "string", "description": "required when declined" } } })),
        ),
        ("POST", "/api/v1/posts/{id}/images") => (201, json!({ "type": "object" }), None),
        ("GET", "/api/v1/notifications") => (200, json!({ "type": "array", "items": { "type": "object" } }), None),
        ("POST", path) if path.starts_with("/api/v1/posts/{id}/") => (200, post, action),
        _ => return None,
    })
}

pub fn schemas() -> Value {
    let states = json!([
        "draft",
        "in_review",
        "changes_requested",
        "approved",
        "scheduled",
        "published",
        "failed"
    ]);
    let platforms =
        json!({ "type": "array", "items": { "type": "string", "enum": ["vk", "telegram", "instagram", "facebook"] } });
    json!({
        "NewPost": { "type": "object", "properties": {
            "text": { "type": "string" }, "platforms": platforms,
            "scheduled_at": { "type": ["string", "null"], "format": "date-time" },
            "urgent": { "type": "boolean" }, "rubric": { "type": "string" },
            "variants": { "type": "object", "additionalProperties": { "type": "string" }, "description": "text per platform" } } },
        "PostAction": { "type": "object", "properties": {
            "comment": { "type": "string", "description": "required to request changes" },
            "scheduled_at": { "type": "string", "format": "date-time", "description": "for schedule" } } },
        "Post": { "type": "object", "required": ["id", "state", "text", "platforms", "urgent", "revision_rounds", "events"], "properties": {
            "id": { "type": "integer" }, "project": { "type": "string" },
            "state": { "type": "string", "enum": states }, "text": { "type": "string" }, "rubric": { "type": "string" },
            "platforms": platforms, "variants": { "type": "object" },
            "scheduled_at": { "type": ["string", "null"], "format": "date-time" }, "urgent": { "type": "boolean" },
            "author": { "type": "string" }, "revision_rounds": { "type": "integer" },
            "flagged": { "type": "boolean", "description": "past two revision rounds" },
            "sla_deadline": { "type": ["string", "null"], "format": "date-time", "description": "urgent posts under review" },
            "sla_missed": { "type": "boolean" },
            "problems": { "type": "array", "items": { "type": "string" }, "description": "platform limits that block submission" },
            "images": { "type": "array", "items": { "type": "object" } },
            "comments": { "type": "array", "items": schema_ref("Comment") },
            "events": { "type": "array", "items": { "type": "object", "required": ["at", "actor", "action"], "properties": {
                "at": { "type": "string", "format": "date-time" },
                "actor": { "type": "string", "description": "e-mail, or `keel` when Keel acted" },
                "action": { "type": "string" }, "detail": { "type": "object" } } } } } },
        "Comment": { "type": "object", "properties": {
            "id": { "type": "integer" }, "author": { "type": "string" }, "text": { "type": "string" },
            "advisory": { "type": "boolean", "description": "true unless the author is an approver" },
            "suggestion": { "type": ["string", "null"], "enum": ["open", "accepted", "declined", null] },
            "decline_reason": { "type": ["string", "null"] } } },
        "WorkflowSettings": { "type": "object", "properties": {
            "urgent_sla_minutes": { "type": "integer", "minimum": 1, "maximum": 10080 }, "auto_approve": { "type": "boolean" } } },
        "Workflow": { "type": "object", "properties": {
            "urgent_sla_minutes": { "type": "integer" }, "auto_approve": { "type": "boolean" },
            "approvers": { "type": "array", "items": { "type": "string" } }, "too_many_approvers": { "type": "boolean" },
            "health": { "type": "object" } } },
    })
}
