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
    let mut params: Vec<Value> = spec
        .path
        .split('/')
        .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }))
        .collect();
    params.extend(query_params(spec));
    let (ok_status, ok_schema, body) = shapes(spec);
    let mut responses = Map::new();
    responses.insert(
        ok_status.to_string(),
        json!({ "description": "success", "content": { "application/json": { "schema": ok_schema } } }),
    );
    let error = json!({ "$ref": "#/components/schemas/Error" });
    let mut errors = vec![];
    if body.is_some() || !query_params(spec).is_empty() {
        errors.push(("400", "malformed or invalid input"));
    }
    if spec.path.ends_with("/imports") {
        errors.push(("413", "the file is larger than the server accepts"));
        errors.push((
            "422",
            "the file was rejected (its problems are listed in `problems`); nothing was stored",
        ));
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
    if let Guard::Post(_) = spec.guard {
        errors.extend([
            ("403", "your role (or your relation to the post) may not do this"),
            ("404", "no such post, or not yours to see"),
            ("409", "not possible in the post's current state"),
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
    if spec.path.ends_with("/imports") {
        let file = json!({ "type": "string", "format": "binary", "description": "the data file, as exported" });
        op["requestBody"] = json!({ "required": true, "content": { "text/csv": { "schema": file }, "application/octet-stream": { "schema": file } } });
    } else if let Some(schema) = body {
        op["requestBody"] = json!({ "required": true, "content": { "application/json": { "schema": schema } } });
    }
    op
}

fn query_params(spec: &RouteSpec) -> Vec<Value> {
    let param = |name: &str, required: bool, schema: Value, description: &str| json!({ "name": name, "in": "query", "required": required, "schema": schema, "description": description });
    let date = json!({ "type": "string", "format": "date" });
    match (spec.method.as_str(), spec.path) {
        ("GET", "/api/v1/projects/{slug}/report") => vec![
            param("from", false, date.clone(), "first day, inclusive (default: all data)"),
            param("to", false, date, "last day, inclusive (default: all data)"),
        ],
        ("POST", "/api/v1/projects/{slug}/imports") => vec![
            param(
                "format",
                true,
                json!({ "type": "string", "enum": ["posts", "daily", "ads", "leads", "facebook-metrics"] }),
                "the file's format",
            ),
            param(
                "year",
                false,
                json!({ "type": "integer" }),
                "facebook-metrics: the year its posts were published (default 2014)",
            ),
            param(
                "account",
                false,
                json!({ "type": "string" }),
                "facebook-metrics: the page's account name (default `page`)",
            ),
            param(
                "source",
                false,
                json!({ "type": "string" }),
                "a name for the import log",
            ),
        ],
        _ => vec![],
    }
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
        ("POST", "/api/v1/projects/{slug}/imports") => (200, schema_ref("ImportSummary"), None),
        ("GET", "/api/v1/projects/{slug}/report") => (200, schema_ref("Report"), None),
        // Content plan and approvals
        _ => crate::plan::schemas::shapes(spec).unwrap_or((200, json!({ "type": "object" }), None)),
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
    let mut all = json!({
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
        "ImportSummary": { "type": "object", "required": ["format", "rows_read", "stored", "replaced", "unchanged"], "properties": {
            "format": { "type": "string" },
            "rows_read": { "type": "integer", "description": "data rows in the file" },
            "stored": { "type": "integer", "description": "rows new to the project" },
            "replaced": { "type": "integer", "description": "rows that replaced an older snapshot of the same key" },
            "unchanged": { "type": "integer", "description": "rows identical to what was stored" } } },
        "Report": { "type": "object", "description": "The report of `keel report`; percentages in percent, undefined values null. See /definitions.",
            "required": ["accounts", "posts", "bot_spikes", "ads", "funnel", "goals"], "properties": {
            "project": { "type": "string" },
            "period": { "type": "object", "properties": { "from": { "type": ["string", "null"], "format": "date" }, "to": { "type": ["string", "null"], "format": "date" } } },
            "accounts": { "type": "array", "items": { "type": "object", "properties": {
                "platform": { "type": "string" }, "account": { "type": "string" },
                "followers_start": { "type": ["integer", "null"] }, "followers_end": { "type": ["integer", "null"] },
                "follower_growth_pct": { "type": ["number", "null"] }, "posts": { "type": "integer" }, "interactions": { "type": "integer" },
                "er_followers": { "type": ["number", "null"] }, "err_reach": { "type": ["number", "null"] }, "er_views": { "type": ["number", "null"] } } } },
            "posts": { "type": "array", "items": { "type": "object", "properties": {
                "platform": { "type": "string" }, "account": { "type": "string" }, "post_id": { "type": "string" },
                "published_at": { "type": "string", "format": "date-time" }, "interactions": { "type": "integer" },
                "er": { "type": ["number", "null"] }, "err": { "type": ["number", "null"] }, "erv": { "type": ["number", "null"] } } } },
            "bot_spikes": { "type": "array", "items": { "type": "object", "properties": {
                "platform": { "type": "string" }, "account": { "type": "string" }, "date": { "type": "string", "format": "date" },
                "gain": { "type": "integer" }, "excess": { "type": "number" },
                "er_before": { "type": ["number", "null"] }, "er_after": { "type": ["number", "null"] } } } },
            "ads": { "type": "object", "description": "totals (spend, impressions, clicks, leads, video_views, ctr, cpc, cpl, cpv, cpm) and `campaigns`, the same per campaign" },
            "funnel": { "type": "array", "items": { "type": "object", "properties": {
                "stage": { "type": "string", "enum": ["impressions_to_clicks", "clicks_to_leads", "leads_to_deals"] },
                "zone": { "type": "string", "enum": ["agency", "client"] },
                "conversion": { "type": ["number", "null"] }, "baseline": { "type": ["number", "null"] },
                "z": { "type": ["number", "null"] }, "verdict": { "type": ["string", "null"], "enum": ["worse", "steady", "better", null] } } } },
            "goals": { "type": "array", "items": { "type": "object" } } } },
        "NewMember": { "type": "object", "required": ["email", "role"], "properties": {
            "email": { "type": "string" }, "role": { "type": "string", "enum": roles },
            "speciality": { "type": ["string", "null"] } } },
    });
    // Content plan and approvals
    if let (Some(all), Value::Object(plan)) = (all.as_object_mut(), crate::plan::schemas::schemas()) {
        all.extend(plan);
    }
    all
}
