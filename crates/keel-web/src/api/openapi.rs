//! The OpenAPI 3.1 document, generated from the route table so that it lists every API route.

use crate::auth::guard::Guard;
use crate::routes::{RouteSpec, route_specs};
use axum::Json;
use serde_json::{Map, Value, json};

pub async fn document() -> Json<Value> {
    Json(build())
}

/// The document for every `/api/` route of the table.
pub fn build() -> Value {
    let mut paths = Map::new();
    for spec in route_specs().iter().filter(|s| s.is_api()) {
        let entry = paths.entry(spec.path.to_owned()).or_insert_with(|| json!({}));
        entry[spec.method.as_str().to_lowercase()] = operation(spec);
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Keel API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Keel's JSON API. Authenticate with `Authorization: Bearer <token>` (make a token with `keel token create --user EMAIL`). A resource you may not see answers 404, an action your role may not take answers 403, a call without a valid token answers 401."
        },
        "paths": paths,
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": schemas(),
        }
    })
}

fn operation(spec: &RouteSpec) -> Value {
    let params: Vec<Value> = spec
        .path
        .split('/')
        .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }))
        .collect();
    let (ok_status, ok_schema, body) = shapes(spec);
    let mut responses = Map::new();
    responses.insert(
        ok_status.to_string(),
        json!({ "description": "success", "content": { "application/json": { "schema": ok_schema } } }),
    );
    let error = json!({ "$ref": "#/components/schemas/Error" });
    let mut errors = vec![];
    if body.is_some() {
        errors.push(("400", "malformed or invalid input"));
    }
    if spec.guard != Guard::Public {
        errors.push(("401", "missing or invalid bearer token"));
    }
    if let Guard::Project(_) = spec.guard {
        errors.extend([
            ("403", "your role may not do this"),
            ("404", "no such project, or not yours to see"),
        ]);
    }
    for (code, description) in errors {
        responses.insert(
            code.into(),
            json!({ "description": description, "content": { "application/json": { "schema": error } } }),
        );
    }
    let mut op = json!({
        "operationId": operation_id(spec),
        "summary": spec.summary,
        "parameters": params,
        "responses": responses,
    });
    if spec.guard != Guard::Public {
        op["security"] = json!([{ "bearer": [] }]);
    }
    if let Some(schema) = body {
        op["requestBody"] = json!({ "required": true, "content": { "application/json": { "schema": schema } } });
    }
    op
}

fn operation_id(spec: &RouteSpec) -> String {
    let words: Vec<String> = spec
        .path
        .trim_start_matches("/api/v1/")
        .split('/')
        .map(|seg| seg.trim_matches(|c| c == '{' || c == '}').replace(['.', '-'], "_"))
        .collect();
    format!("{}_{}", spec.method.as_str().to_lowercase(), words.join("_"))
}

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// (success status, success schema, request body schema) of each API route.
fn shapes(spec: &RouteSpec) -> (u16, Value, Option<Value>) {
    match (spec.method.as_str(), spec.path) {
        ("GET", "/api/v1/projects") => (200, json!({ "type": "array", "items": schema_ref("Project") }), None),
        ("GET", "/api/v1/projects/{slug}") => (200, schema_ref("Project"), None),
        ("GET", "/api/v1/projects/{slug}/members") => {
            (200, json!({ "type": "array", "items": schema_ref("Member") }), None)
        }
        ("POST", "/api/v1/projects/{slug}/members") => (201, schema_ref("Member"), Some(schema_ref("NewMember"))),
        _ => (200, json!({ "type": "object" }), None),
    }
}

fn schemas() -> Value {
    let roles = json!([
        "client_owner",
        "client_approver",
        "client_member",
        "agency_lead",
        "specialist",
        "viewer"
    ]);
    json!({
        "Error": { "type": "object", "required": ["error", "status"], "properties": {
            "error": { "type": "string", "description": "what is wrong and how to fix it" },
            "status": { "type": "integer" } } },
        "Project": { "type": "object", "required": ["slug", "name", "status", "started_on", "roles"], "properties": {
            "slug": { "type": "string" }, "name": { "type": "string" },
            "status": { "type": "string", "enum": ["setup", "active", "paused", "closed"] },
            "started_on": { "type": "string", "format": "date" },
            "client": { "type": ["string", "null"] },
            "roles": { "type": "array", "items": { "type": "string", "enum": roles } } } },
        "Member": { "type": "object", "required": ["email", "name", "role"], "properties": {
            "email": { "type": "string" }, "name": { "type": "string" },
            "role": { "type": "string", "enum": roles }, "speciality": { "type": ["string", "null"] } } },
        "NewMember": { "type": "object", "required": ["email", "role"], "properties": {
            "email": { "type": "string" }, "role": { "type": "string", "enum": roles },
            "speciality": { "type": ["string", "null"] } } },
    })
}
