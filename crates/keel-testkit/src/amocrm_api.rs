//! A local amoCRM API v4 server for one account, answering as amoCRM documents it
//! (<https://www.amocrm.ru/developers/content/crm_platform/leads-api>, `…/oauth/step-by-step`):
//!
//! - `GET /api/v4/leads?limit=&page=&filter[updated_at][from]=&filter[updated_at][to]=`:
//!   `{"_page", "_links": {"self": {"href"}, "next": {"href"}}, "_embedded": {"leads": […]}}`,
//!   `next` only while more pages follow; `limit` above 250 is a 400; no leads at all is
//!   **204 with an empty body**;
//! - `GET /api/v4/leads/pipelines`: `{"_total_items", "_embedded": {"pipelines": [{id, name,
//!   is_main, "_embedded": {"statuses": [{id, name, sort, type, pipeline_id}]}}]}}` with the
//!   system statuses 142 ("Успешно реализовано") and 143 ("Закрыто и не реализовано");
//! - `GET /api/v4/account`: `{id, name, subdomain, currency}`;
//! - an expired or unknown access token is **401** `{"title": "Unauthorized", "type":
//!   "https://developers.amocrm.ru/v3/errors/AccessDenied", "status": 401, "detail": "Неверный
//!   логин или пароль"}`;
//! - `POST /oauth2/access_token` (`grant_type=refresh_token`) answers a new access token **and a
//!   new refresh token**; the old refresh token is revoked at once (a second use is 400
//!   `{"hint": "Token has been revoked"}`);
//! - more than 7 requests within a second answer 429 (the documented limit).
//!
//! Tests expire the access token after n more calls (`expire_after`: a refresh in the middle
//! of a sync) and read the current tokens.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Instant;

pub const CLIENT_ID: &str = "c1f0a9d2-0000-4000-8000-keeltest0001";
pub const CLIENT_SECRET: &str = "amo-client-secret-for-tests";
pub const FIRST_ACCESS: &str = "amo-access-0";
pub const FIRST_REFRESH: &str = "amo-refresh-0";
pub const PIPELINE_ID: i64 = 3_177_727;
/// The system statuses of every pipeline: "successfully realized" and "closed and not realized".
pub const WON: i64 = 142;
pub const LOST: i64 = 143;
/// The pipeline's own statuses (besides 142 and 143).
pub const STATUS_NEW: i64 = 31_000_001;
pub const STATUS_TALKS: i64 = 31_000_002;

#[derive(Debug)]
pub struct Tokens {
    pub access: String,
    pub refresh: String,
    pub issued: u32,
    /// Calls the access token still answers before it expires (`None`: no expiry).
    pub expires_after: Option<u32>,
}

#[derive(Clone)]
pub struct AmocrmServer {
    pub leads: Arc<Mutex<Vec<Value>>>,
    pub tokens: Arc<Mutex<Tokens>>,
    /// Every request's path and query, in order.
    pub requests: Arc<Mutex<Vec<String>>>,
    /// The number of refreshes answered.
    pub refreshes: Arc<Mutex<u32>>,
    /// Requests of the last second (the 7-a-second limit).
    recent: Arc<Mutex<VecDeque<Instant>>>,
    /// Leads pages to fail with this status after n more successful pages.
    pub fail_page: Arc<Mutex<Option<(u32, u16)>>>,
    /// The account's address: the connection's `account`.
    pub url: String,
}

impl AmocrmServer {
    pub async fn start() -> AmocrmServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let server = AmocrmServer {
            leads: Arc::default(),
            tokens: Arc::new(Mutex::new(Tokens {
                access: FIRST_ACCESS.into(),
                refresh: FIRST_REFRESH.into(),
                issued: 0,
                expires_after: None,
            })),
            requests: Arc::default(),
            refreshes: Arc::default(),
            recent: Arc::default(),
            fail_page: Arc::default(),
            url: format!("http://{}", listener.local_addr().unwrap()),
        };
        let app = axum::Router::new()
            .route("/api/v4/leads", get(leads))
            .route("/api/v4/leads/pipelines", get(pipelines))
            .route("/api/v4/account", get(account))
            .route("/oauth2/access_token", post(refresh))
            .with_state(server.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        server
    }

    /// A lead as amoCRM gives it (`price` in whole currency units, times in Unix seconds).
    pub fn lead(id: i64, status_id: i64, price: i64, created_at: i64, closed_at: Option<i64>) -> Value {
        json!({
            "id": id, "name": format!("Сделка #{id}"), "price": price, "responsible_user_id": 504_141,
            "group_id": 0, "status_id": status_id, "pipeline_id": PIPELINE_ID, "loss_reason_id": null,
            "created_by": 504_141, "updated_by": 504_141, "created_at": created_at,
            "updated_at": closed_at.unwrap_or(created_at), "closed_at": closed_at, "closest_task_at": null,
            "is_deleted": false, "custom_fields_values": null, "score": null, "account_id": 28_805_383,
            "labor_cost": null,
            "_links": {"self": {"href": format!("/api/v4/leads/{id}")}},
            "_embedded": {"tags": [], "companies": []},
        })
    }

    pub fn seed(&self, leads: Vec<Value>) {
        self.leads.lock().unwrap().extend(leads);
    }

    /// The access token stops working after `calls` more authorized calls.
    pub fn expire_after(&self, calls: u32) {
        self.tokens.lock().unwrap().expires_after = Some(calls);
    }

    /// The tokens the server now accepts: (access, refresh).
    pub fn current(&self) -> (String, String) {
        let t = self.tokens.lock().unwrap();
        (t.access.clone(), t.refresh.clone())
    }

    pub fn fail_page_after(&self, pages: u32, status: u16) {
        *self.fail_page.lock().unwrap() = Some((pages, status));
    }

    /// Counts the request against the 7-a-second limit and checks the bearer token: the
    /// refusal, if any.
    fn refusal(&self, headers: &HeaderMap, path: String) -> Option<Response> {
        self.requests.lock().unwrap().push(path);
        {
            let mut recent = self.recent.lock().unwrap();
            let now = Instant::now();
            while recent
                .front()
                .is_some_and(|t| now.duration_since(*t).as_secs_f64() >= 1.0)
            {
                recent.pop_front();
            }
            recent.push_back(now);
            if recent.len() > 7 {
                return Some(
                    (
                        StatusCode::TOO_MANY_REQUESTS,
                        axum::Json(json!({"title": "Too Many Requests", "status": 429,
                                      "detail": "Превышено допустимое количество запросов в секунду"})),
                    )
                        .into_response(),
                );
            }
        }
        let bearer = headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default()
            .to_owned();
        let mut tokens = self.tokens.lock().unwrap();
        let valid = bearer == tokens.access && tokens.expires_after != Some(0);
        if !valid {
            return Some(
                (
                    StatusCode::UNAUTHORIZED,
                    axum::Json(
                        json!({"title": "Unauthorized", "type": "https://developers.amocrm.ru/v3/errors/AccessDenied",
                                  "status": 401, "detail": "Неверный логин или пароль"}),
                    ),
                )
                    .into_response(),
            );
        }
        if let Some(n) = tokens.expires_after.as_mut() {
            *n -= 1;
        }
        None
    }
}

async fn account(State(server): State<AmocrmServer>, headers: HeaderMap) -> Response {
    if let Some(e) = server.refusal(&headers, "/api/v4/account".into()) {
        return e;
    }
    axum::Json(
        json!({"id": 28_805_383, "name": "Кофейня «Бариста»", "subdomain": "barista",
                      "currency": "RUB", "country": "RU", "current_user_id": 504_141}),
    )
    .into_response()
}

async fn pipelines(State(server): State<AmocrmServer>, headers: HeaderMap) -> Response {
    if let Some(e) = server.refusal(&headers, "/api/v4/leads/pipelines".into()) {
        return e;
    }
    let status = |id: i64, name: &str, sort: i64, kind: i64| {
        json!({"id": id, "name": name, "sort": sort, "is_editable": id != 142 && id != 143,
               "pipeline_id": PIPELINE_ID, "color": "#99ccff", "type": kind, "account_id": 28_805_383})
    };
    axum::Json(json!({
        "_total_items": 1,
        "_links": {"self": {"href": format!("{}/api/v4/leads/pipelines", server.url)}},
        "_embedded": {"pipelines": [{
            "id": PIPELINE_ID, "name": "Воронка", "sort": 1, "is_main": true, "is_unsorted_on": true,
            "is_archive": false, "account_id": 28_805_383,
            "_embedded": {"statuses": [
                status(STATUS_NEW, "Первичный контакт", 10, 0),
                status(STATUS_TALKS, "Переговоры", 20, 0),
                status(142, "Успешно реализовано", 10000, 0),
                status(143, "Закрыто и не реализовано", 11000, 0),
            ]},
        }]},
    }))
    .into_response()
}

async fn leads(
    State(server): State<AmocrmServer>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let mut query: Vec<_> = q.iter().map(|(k, v)| format!("{k}={v}")).collect();
    query.sort();
    if let Some(e) = server.refusal(&headers, format!("/api/v4/leads?{}", query.join("&"))) {
        return e;
    }
    let limit: usize = q.get("limit").and_then(|l| l.parse().ok()).unwrap_or(50);
    let page: usize = q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1).max(1);
    if limit > 250 {
        return (
            StatusCode::BAD_REQUEST,
            axum::Json(json!({"title": "Bad Request", "status": 400, "detail": "limit: не более 250"})),
        )
            .into_response();
    }
    {
        let mut fail = server.fail_page.lock().unwrap();
        if let Some((after, status)) = fail.as_mut() {
            if *after == 0 {
                let status = *status;
                *fail = None;
                return (
                    StatusCode::from_u16(status).unwrap(),
                    axum::Json(json!({"title": "Internal Server Error", "status": status})),
                )
                    .into_response();
            }
            *after -= 1;
        }
    }
    let bound = |k: &str| q.get(k).and_then(|v| v.parse::<i64>().ok());
    let (from, to) = (
        bound("filter[updated_at][from]").unwrap_or(i64::MIN),
        bound("filter[updated_at][to]").unwrap_or(i64::MAX),
    );
    let all = server.leads.lock().unwrap();
    let mut chosen: Vec<&Value> = all
        .iter()
        .filter(|l| l["updated_at"].as_i64().is_some_and(|u| u >= from && u <= to))
        .collect();
    chosen.sort_by_key(|l| l["id"].as_i64());
    if chosen.is_empty() {
        return StatusCode::NO_CONTENT.into_response();
    }
    let items: Vec<Value> = chosen
        .iter()
        .skip((page - 1) * limit)
        .take(limit)
        .map(|l| (*l).clone())
        .collect();
    let link = |p: usize| {
        let mut pairs: Vec<_> = q.iter().filter(|(k, _)| k.as_str() != "page").collect();
        pairs.sort();
        let mut query = url_pairs(&pairs);
        query.push_str(&format!("&page={p}"));
        json!({"href": format!("{}/api/v4/leads?{query}", server.url)})
    };
    let mut links = serde_json::Map::new();
    links.insert("self".into(), link(page));
    if page * limit < chosen.len() {
        links.insert("next".into(), link(page + 1));
    }
    axum::Json(json!({"_page": page, "_links": links, "_embedded": {"leads": items}})).into_response()
}

fn url_pairs(pairs: &[(&String, &String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn refresh(State(server): State<AmocrmServer>, body: String) -> Response {
    let request: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    let bad = |hint: &str| {
        (
            StatusCode::BAD_REQUEST,
            axum::Json(json!({"hint": hint, "title": "Некорректный запрос",
                              "type": "https://developers.amocrm.ru/v3/errors/OAuthProblemJson",
                              "status": 400, "detail": "В запросе отсутствует ряд параметров или параметры невалидны"})),
        )
            .into_response()
    };
    if request["client_id"] != CLIENT_ID || request["client_secret"] != CLIENT_SECRET {
        return bad("Client authentication failed");
    }
    if request["grant_type"] != "refresh_token" {
        return bad("Unsupported grant type");
    }
    let mut tokens = server.tokens.lock().unwrap();
    if request["refresh_token"] != tokens.refresh.as_str() {
        return bad("Token has been revoked");
    }
    tokens.issued += 1;
    tokens.access = format!("amo-access-{}", tokens.issued);
    tokens.refresh = format!("amo-refresh-{}", tokens.issued);
    tokens.expires_after = None;
    *server.refreshes.lock().unwrap() += 1;
    axum::Json(json!({"token_type": "Bearer", "expires_in": 86_400,
                      "access_token": tokens.access, "refresh_token": tokens.refresh}))
    .into_response()
}
