//! The JSON API as the demo roles see it.

use crate::helpers::*;
use keel_web::routes::route_specs;
use reqwest::StatusCode;
use serde_json::Value;

async fn get(app: &TestApp, token: Option<&str>, path: &str) -> (StatusCode, Value) {
    let mut request = reqwest::Client::new().get(app.url(path));
    if let Some(t) = token {
        request = request.bearer_auth(t);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

on_both_backends! {
    async fn client_a_sees_only_client_a_and_nothing_of_client_b(backend) {
        let Some(app) = TestApp::demo(backend, "client_a_isolation").await else { return };
        let token = app.token("client-a@demo.local").await;
        let (status, projects) = get(&app, Some(&token), "/api/v1/projects").await;
        assert_eq!(status, StatusCode::OK);
        let slugs: Vec<&str> = projects.as_array().unwrap().iter().map(|p| p["slug"].as_str().unwrap()).collect();
        assert_eq!(slugs, ["client-a"]);
        assert_eq!(projects[0]["roles"], serde_json::json!(["client_owner"]));
        // Every API route with a project in its path, aimed at client-b: 404, never 403.
        for spec in route_specs().iter().filter(|s| s.is_api() && s.path.contains("{slug}")) {
            let path = spec.path.replace("{slug}", "client-b");
            let method = reqwest::Method::from_bytes(spec.method.as_str().as_bytes()).unwrap();
            let status = reqwest::Client::new().request(method, app.url(&path)).bearer_auth(&token).json(&serde_json::json!({})).send().await.unwrap().status();
            assert_eq!(status, StatusCode::NOT_FOUND, "{} {path}", spec.method);
        }
        let (status, body) = get(&app, Some(&token), "/api/v1/projects/client-a").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["name"], "Client A — coffee roastery");
    }

    async fn anonymous_and_revoked_callers_get_401_with_a_json_error(backend) {
        let Some(app) = TestApp::demo(backend, "api_401").await else { return };
        for path in ["/api/v1/projects", "/api/v1/projects/client-a", "/api/v1/projects/nope"] {
            let (status, body) = get(&app, None, path).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}");
            assert!(body["error"].as_str().unwrap().contains("Bearer"), "{body}");
        }
        let (status, _) = get(&app, Some("keel_not-a-token"), "/api/v1/projects").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        // A revoked token stops working at once.
        let token = app.token("agency@demo.local").await;
        let user = app.store.user_by_email(&keel_domain::Email::parse("agency@demo.local").unwrap()).await.unwrap().unwrap();
        let id = app.store.tokens_of(user.id()).await.unwrap().last().unwrap().id;
        assert_eq!(get(&app, Some(&token), "/api/v1/projects").await.0, StatusCode::OK);
        assert!(app.store.revoke_token(user.id(), keel_domain::TokenId(id)).await.unwrap());
        assert_eq!(get(&app, Some(&token), "/api/v1/projects").await.0, StatusCode::UNAUTHORIZED);
    }

    async fn the_agency_lead_sees_both_projects(backend) {
        let Some(app) = TestApp::demo(backend, "agency_both").await else { return };
        let token = app.token("agency@demo.local").await;
        let (_, projects) = get(&app, Some(&token), "/api/v1/projects").await;
        let slugs: Vec<&str> = projects.as_array().unwrap().iter().map(|p| p["slug"].as_str().unwrap()).collect();
        assert_eq!(slugs, ["client-a", "client-b"]);
    }

    async fn malformed_json_is_a_400_that_says_what_is_wrong(backend) {
        let Some(app) = TestApp::demo(backend, "api_400").await else { return };
        let token = app.token("client-a@demo.local").await;
        let url = app.url("/api/v1/projects/client-a/members");
        let client = reqwest::Client::new();
        let broken = client.post(&url).bearer_auth(&token).header("content-type", "application/json").body("{\"email\": ").send().await.unwrap();
        assert_eq!(broken.status(), StatusCode::BAD_REQUEST);
        let body: Value = broken.json().await.unwrap();
        assert!(body["error"].as_str().unwrap().contains("invalid JSON"), "{body}");
        let missing = client.post(&url).bearer_auth(&token).json(&serde_json::json!({"email": "member-a@demo.local"})).send().await.unwrap();
        assert_eq!(missing.status(), StatusCode::BAD_REQUEST);
        let body: Value = missing.json().await.unwrap();
        assert!(body["error"].as_str().unwrap().contains("role"), "{body}");
        let bad_role = client.post(&url).bearer_auth(&token).json(&serde_json::json!({"email": "member-a@demo.local", "role": "boss"})).send().await.unwrap();
        assert_eq!(bad_role.status(), StatusCode::UNPROCESSABLE_ENTITY);
        // The client owner may add client-side roles, not agency ones.
        let agency = client.post(&url).bearer_auth(&token).json(&serde_json::json!({"email": "member-a@demo.local", "role": "specialist"})).send().await.unwrap();
        assert_eq!(agency.status(), StatusCode::FORBIDDEN);
        let ok = client.post(&url).bearer_auth(&token).json(&serde_json::json!({"email": "member-a@demo.local", "role": "viewer"})).send().await.unwrap();
        assert_eq!(ok.status(), StatusCode::CREATED);
    }

    async fn openapi_lists_every_api_route_and_metrics_answer(backend) {
        let Some(app) = TestApp::demo(backend, "openapi").await else { return };
        let (status, doc) = get(&app, None, "/api/v1/openapi.json").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(doc["openapi"], "3.1.0");
        for spec in route_specs().iter().filter(|s| s.is_api()) {
            let op = &doc["paths"][spec.path][spec.method.as_str().to_lowercase()];
            assert!(op.is_object(), "{} {} missing from OpenAPI", spec.method, spec.path);
        }
        assert!(doc["paths"]["/api/v1/projects/{slug}"]["get"]["responses"]["404"].is_object());
        let (status, health) = get(&app, None, "/healthz").await;
        assert_eq!((status, health["status"].as_str()), (StatusCode::OK, Some("ok")));
        let metrics = reqwest::get(app.url("/metrics")).await.unwrap().text().await.unwrap();
        assert!(metrics.contains("keel_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1"), "{metrics}");
    }

    async fn unknown_routes_are_404_pages_and_404_json_under_the_api(backend) {
        let Some(app) = TestApp::empty(backend, "unknown_routes").await else { return };
        let page = reqwest::get(app.url("/no/such/page")).await.unwrap();
        assert_eq!(page.status(), StatusCode::NOT_FOUND);
        assert!(page.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
        assert!(page.text().await.unwrap().contains("data-test=\"error-page\""));
        let (status, body) = get(&app, None, "/api/v1/no-such-thing").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(body["status"], 404);
    }
}
