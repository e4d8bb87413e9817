//! The OpenAPI 3.1 document, derived from the API's own types.
//!
//! Every `/api/` route of the route table names its operation (`doc module::__path_handler`,
//! made by `#[utoipa::path]` on the handler); the handler's annotation gives the success
//! answer, the request body, path and query parameters from the Rust types (`ToSchema`,
//! `IntoParams`), and the errors only it can answer. The errors every route of a kind can
//! answer are added here from the route's guard, so no handler has to repeat them:
//!
//! | status | when |
//! |---|---|
//! | 400 | the request cannot be read into the operation's types: malformed JSON, a body that is not an object, a wrong JSON type, a missing required field, an unreadable path or query parameter (a query enum or date included) |
//! | 401 | no valid bearer token (every route but this document) |
//! | 403 | the caller's role may not do this |
//! | 404 | no such project, post or object, or not the caller's to see |
//! | 409 | not possible in the object's current state (posts), or already exists |
//! | 413 | the body is larger than the route accepts |
//! | 422 | a request read but refused by a rule: a body value outside its enum or format, a date in the past, an e-mail of nobody in the organization, a post over a platform's limit, a data file with problems (`problems`) |
//!
//! Adding an API route: `#[utoipa::path(...)]` on its handler, then `doc module::__path_handler`
//! at the end of its line in `routes.rs`; the test `every_api_route_is_documented` fails
//! until both agree.

use crate::auth::guard::Guard;
use crate::routes::{RouteSpec, route_specs};
use axum::Json;
use serde::Serialize;
use serde_json::{Map, Value, json};
use utoipa::ToSchema;
use utoipa::openapi::RefOr;
use utoipa::openapi::path::{HttpMethod, Operation};
use utoipa::openapi::schema::Schema;

/// Keel's error body, on every 4xx and 5xx of the API.
#[derive(Serialize, ToSchema)]
#[schema(as = Error)]
pub struct ErrorJson {
    /// What is wrong and how to fix it.
    pub error: String,
    /// The HTTP status, repeated.
    pub status: u16,
    /// A rejected data file's problems (each with its line, column and reason) or a refused
    /// field; only on some 422s.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<Object>>)]
    pub problems: Option<Value>,
}

/// The project in the path.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
pub struct Slug {
    /// The project's slug (`client-a`).
    slug: String,
}

/// A role in a project (PRODUCT.md "Roles").
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum RoleName {
    ClientOwner,
    ClientApprover,
    ClientMember,
    AgencyLead,
    Specialist,
    Viewer,
}

/// A platform a post goes to.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum PlatformName {
    Vk,
    Telegram,
    Instagram,
    Facebook,
}

/// A post's state in the approval workflow.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum PostStateName {
    Draft,
    InReview,
    ChangesRequested,
    Approved,
    Scheduled,
    Published,
    Failed,
}

/// The post in the path.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
pub struct PostIdParam {
    /// The post's id.
    id: i64,
}

/// How a suggestion is resolved.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum Resolution {
    Accepted,
    Declined,
}

/// A language of Keel's interface and e-mails.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum LangCode {
    En,
    Ru,
}

/// One documented operation: what `#[utoipa::path]` made for a handler.
pub struct Documented {
    pub path: String,
    pub methods: Vec<HttpMethod>,
    pub operation: Operation,
    pub schemas: Vec<(String, RefOr<Schema>)>,
}

/// How the route table names a handler's documentation.
pub type DocFn = fn() -> Documented;

/// The documentation of the handler whose `#[utoipa::path]` made `P`.
pub fn doc<P: utoipa::Path + utoipa::__dev::SchemaReferences>() -> Documented {
    let mut schemas = vec![];
    P::schemas(&mut schemas);
    Documented {
        path: P::path(),
        methods: P::methods(),
        operation: P::operation(),
        schemas,
    }
}

#[utoipa::path(get, path = "/api/v1/openapi.json", responses((status = 200, description = "this document (OpenAPI 3.1)", body = Object)))]
pub async fn document() -> Json<Value> {
    Json(build())
}

/// The document for every `/api/` route of the table.
pub fn build() -> Value {
    let mut paths = Map::new();
    let mut schemas = Map::new();
    schemas.insert(
        ErrorJson::name().into_owned(),
        to_value(&<ErrorJson as utoipa::PartialSchema>::schema()),
    );
    for spec in route_specs().iter().filter(|s| s.is_api()) {
        let Some(doc) = spec.doc else { continue };
        let documented = doc();
        for (name, schema) in &documented.schemas {
            schemas.insert(name.clone(), to_value(schema));
        }
        let entry = paths.entry(spec.path.to_owned()).or_insert_with(|| json!({}));
        entry[spec.method.as_str().to_lowercase()] = operation(spec, &documented);
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Keel API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Keel's JSON API. Authenticate with `Authorization: Bearer <token>` (make a token with `keel token create --user EMAIL`, or on /settings/tokens). Errors answer `Error`: 400 when the request cannot be read (malformed JSON, a body that is not an object, a wrong JSON type, a missing required field, an unreadable path or query parameter), 401 without a valid token, 403 when the caller's role may not act, 404 for what does not exist or is not the caller's to see, 409 when the object's state does not allow it, 413 for a body over the limit, 422 for a request read but refused by a rule (a value outside its enum or format, a date in the past, a data file with problems): `error` names the field and the reason."
        },
        "paths": paths,
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": schemas,
        }
    })
}

fn to_value(v: &impl Serialize) -> Value {
    serde_json::to_value(v).expect("an OpenAPI fragment serializes")
}

/// The handler's operation, with the route table's summary, a stable operation id, the
/// security the guard asks for and the errors every route of its kind can answer.
fn operation(spec: &RouteSpec, documented: &Documented) -> Value {
    let mut op = to_value(&documented.operation);
    op["operationId"] = json!(operation_id(spec));
    op["summary"] = json!(spec.summary);
    if op.get("responses").is_none() {
        op["responses"] = json!({});
    }
    let has_input = op.get("requestBody").is_some() || op["parameters"].as_array().is_some_and(|p| !p.is_empty());
    let mut errors: Vec<(&str, &str)> = vec![];
    if has_input {
        errors.push((
            "400",
            "the request cannot be read: malformed JSON, a wrong JSON type, a missing field, an unreadable parameter",
        ));
        errors.push((
            "422",
            "the request was read but a rule refuses it; `error` says which field and why",
        ));
    }
    if op.get("requestBody").is_some() {
        errors.push(("413", "the body is larger than this address accepts"));
    }
    if spec.guard != Guard::Public {
        errors.push(("401", "missing or invalid bearer token"));
        op["security"] = json!([{ "bearer": [] }]);
    }
    match spec.guard {
        Guard::Project(_) => errors.extend([
            ("403", "the caller's role in the project may not do this"),
            ("404", "no such project, or not the caller's to see"),
        ]),
        Guard::Post(_) => errors.extend([
            ("403", "the caller's role (or relation to the post) may not do this"),
            ("404", "no such post, or not the caller's to see"),
            ("409", "not possible in the post's current state"),
        ]),
        Guard::OrgAdmin | Guard::ProjectCreator => errors.push(("403", "only the organization's admins may do this")),
        Guard::SignedIn | Guard::Public => {}
    }
    let error = json!({ "$ref": "#/components/schemas/Error" });
    let responses = op["responses"].as_object_mut().expect("responses is an object");
    for (code, description) in errors {
        responses.entry(code.to_owned()).or_insert_with(
            || json!({ "description": description, "content": { "application/json": { "schema": error } } }),
        );
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

#[cfg(test)]
/// The route's method as utoipa names it.
pub fn http_method(method: &axum::http::Method) -> Option<HttpMethod> {
    Some(match *method {
        axum::http::Method::GET => HttpMethod::Get,
        axum::http::Method::POST => HttpMethod::Post,
        axum::http::Method::PUT => HttpMethod::Put,
        axum::http::Method::DELETE => HttpMethod::Delete,
        axum::http::Method::PATCH => HttpMethod::Patch,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An API route without a documented operation, or documented at another path or method,
    /// fails here: new routes cannot slip out of the document.
    #[test]
    fn every_api_route_is_documented() {
        let mut missing = vec![];
        for spec in route_specs().iter().filter(|s| s.is_api()) {
            match spec.doc {
                None => missing.push(format!("{} {}: no `doc` in routes.rs", spec.method, spec.path)),
                Some(doc) => {
                    let d = doc();
                    let method = http_method(&spec.method).expect("a documented method");
                    if d.path != spec.path || !d.methods.contains(&method) {
                        missing.push(format!(
                            "{} {}: its #[utoipa::path] gives {} method(s) at {}",
                            spec.method,
                            spec.path,
                            d.methods.len(),
                            d.path
                        ));
                    }
                    if d.operation
                        .responses
                        .responses
                        .keys()
                        .all(|code| !code.starts_with('2'))
                    {
                        missing.push(format!("{} {}: no success response documented", spec.method, spec.path));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "undocumented API routes:\n{}", missing.join("\n"));
    }

    /// Every `$ref` of the document points at a schema it holds.
    #[test]
    fn every_reference_resolves() {
        let doc = build();
        let text = doc.to_string();
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        for part in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
            let name = &part[..part.find('"').unwrap()];
            assert!(schemas.contains_key(name), "dangling $ref to {name}");
        }
    }
}
