//! A local Bitrix24 portal's REST API behind an inbound webhook (`/rest/<user>/<code>/<method>`,
//! with or without `.json`, GET or POST JSON), answering as Bitrix24 documents it:
//!
//! - `scope` → `{"result": ["crm", "user"], "time": {…}}`;
//! - `crm.deal.list` with `filter` (`>=DATE_MODIFY`, `<DATE_MODIFY`), `select`, `order`
//!   (`{"ID": "ASC"}`) and `start` → `{"result": [deal…], "next": start + 50, "total", "time"}`
//!   — 50 deals a call, `next` absent on the last page, every field a string (`"ID": "12"`,
//!   `"OPPORTUNITY": "1500.00"`), dates as `2026-03-01T10:00:00+03:00` (the portal's zone,
//!   here Moscow);
//! - the limit is a leaky bucket per portal ([`Bitrix24Server::bucket`] requests, 50 on a
//!   real portal, draining at 2 a second): a request above it is HTTP 503
//!   `{"error": "QUERY_LIMIT_EXCEEDED", "error_description": "Too many requests"}` and does
//!   not count;
//! - a wrong webhook code is HTTP 401 `{"error": "INVALID_CREDENTIALS", "error_description":
//!   "Invalid request credentials"}`; [`Bitrix24Server::fail_page_after`] makes a later page
//!   HTTP 500 `INTERNAL_SERVER_ERROR`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::any;
use chrono::{DateTime, FixedOffset};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::Instant;

pub const USER: &str = "1";
pub const CODE: &str = "k3e1t0e5t8w9h0o1";
/// Where the portal's times are given (Moscow, UTC+3).
const ZONE_SECONDS: i32 = 3 * 3600;

#[derive(Clone)]
pub struct Bitrix24Server {
    /// The deals, as Bitrix24 gives them (strings).
    pub deals: Arc<Mutex<Vec<Value>>>,
    /// Every `crm.deal.list` body, in order.
    pub lists: Arc<Mutex<Vec<Value>>>,
    /// How many requests answered 503 `QUERY_LIMIT_EXCEEDED`.
    pub throttled: Arc<Mutex<u32>>,
    /// The bucket's size.
    pub bucket: Arc<Mutex<f64>>,
    /// Requests in the bucket, as of when.
    level: Arc<Mutex<(f64, Instant)>>,
    fail_page: Arc<Mutex<Option<usize>>>,
    pub url: String,
}

impl Bitrix24Server {
    pub async fn start() -> Bitrix24Server {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let server = Bitrix24Server {
            url: format!("http://{}", listener.local_addr().unwrap()),
            deals: Arc::default(),
            lists: Arc::default(),
            throttled: Arc::default(),
            bucket: Arc::new(Mutex::new(50.0)),
            level: Arc::new(Mutex::new((0.0, Instant::now()))),
            fail_page: Arc::default(),
        };
        let app = axum::Router::new()
            .route("/rest/{user}/{code}/{method}", any(call))
            .with_state(server.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        server
    }

    /// The inbound webhook's address.
    pub fn webhook(&self) -> String {
        format!("{}/rest/{USER}/{CODE}/", self.url)
    }

    pub fn seed(&self, deals: Vec<Value>) {
        *self.deals.lock().unwrap() = deals;
    }

    /// After `pages` deal pages are answered, the next is HTTP 500 (once).
    pub fn fail_page_after(&self, pages: usize) {
        *self.fail_page.lock().unwrap() = Some(pages);
    }

    /// A deal as `crm.deal.list` gives it: `semantic` `S`, `F` or `P`, `stage` its stage id,
    /// times in unix seconds (written in the portal's zone).
    pub fn deal(
        id: i64,
        semantic: &str,
        stage: &str,
        amount_cents: i64,
        created: i64,
        modified: i64,
        closed: Option<i64>,
    ) -> Value {
        let at = |t: i64| {
            DateTime::from_timestamp(t, 0)
                .unwrap()
                .with_timezone(&FixedOffset::east_opt(ZONE_SECONDS).unwrap())
                .to_rfc3339()
        };
        json!({
            "ID": id.to_string(), "TITLE": format!("Сделка #{id}"), "STAGE_ID": stage,
            "STAGE_SEMANTIC_ID": semantic, "CATEGORY_ID": "0", "CURRENCY_ID": "RUB",
            "OPPORTUNITY": format!("{}.{:02}", amount_cents / 100, amount_cents % 100),
            "DATE_CREATE": at(created), "DATE_MODIFY": at(modified),
            "CLOSEDATE": at(closed.unwrap_or(created + 30 * 86_400)),
            "SOURCE_ID": "WEB", "UTM_SOURCE": "", "UTM_CAMPAIGN": "", "IS_RETURN_CUSTOMER": "N",
        })
    }

    /// Takes a request into the bucket, or says it is full.
    fn admit(&self) -> bool {
        let size = *self.bucket.lock().unwrap();
        let mut level = self.level.lock().unwrap();
        let now = Instant::now();
        let drained = (level.0 - now.duration_since(level.1).as_secs_f64() * 2.0).max(0.0);
        if drained + 1.0 > size {
            *level = (drained, now);
            return false;
        }
        *level = (drained + 1.0, now);
        true
    }
}

type Answer = (StatusCode, Json<Value>);

fn time() -> Value {
    json!({"start": 1_764_000_000.1, "finish": 1_764_000_000.2, "duration": 0.1, "processing": 0.05,
           "date_start": "2026-12-04T10:00:00+03:00", "date_finish": "2026-12-04T10:00:00+03:00"})
}

fn error(status: StatusCode, code: &str, words: &str) -> Answer {
    (status, Json(json!({"error": code, "error_description": words})))
}

async fn call(
    State(server): State<Bitrix24Server>,
    Path((user, code, method)): Path<(String, String, String)>,
    body: Bytes,
) -> Answer {
    if user != USER || code != CODE {
        return error(
            StatusCode::UNAUTHORIZED,
            "INVALID_CREDENTIALS",
            "Invalid request credentials",
        );
    }
    if !server.admit() {
        *server.throttled.lock().unwrap() += 1;
        return error(
            StatusCode::SERVICE_UNAVAILABLE,
            "QUERY_LIMIT_EXCEEDED",
            "Too many requests",
        );
    }
    let body: Value = if body.is_empty() {
        json!({})
    } else {
        match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(_) => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "INVALID_REQUEST",
                    "The request body is not JSON",
                );
            }
        }
    };
    match method.trim_end_matches(".json") {
        "scope" => (StatusCode::OK, Json(json!({"result": ["crm", "user"], "time": time()}))),
        "crm.deal.list" => deal_list(&server, body),
        _ => error(StatusCode::NOT_FOUND, "ERROR_METHOD_NOT_FOUND", "Method not found!"),
    }
}

fn deal_list(server: &Bitrix24Server, body: Value) -> Answer {
    server.lists.lock().unwrap().push(body.clone());
    {
        let answered = server.lists.lock().unwrap().len() - 1;
        let mut fail = server.fail_page.lock().unwrap();
        if fail.is_some_and(|pages| answered >= pages) {
            *fail = None;
            return error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL_SERVER_ERROR",
                "Internal server error",
            );
        }
    }
    let bound = |key: &str| {
        body["filter"][key]
            .as_str()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
    };
    let (from, until) = (bound(">=DATE_MODIFY"), bound("<DATE_MODIFY"));
    let start = body["start"].as_u64().unwrap_or(0) as usize;
    let mut deals: Vec<Value> = server
        .deals
        .lock()
        .unwrap()
        .iter()
        .filter(|d| {
            let modified = d["DATE_MODIFY"]
                .as_str()
                .and_then(|t| DateTime::parse_from_rfc3339(t).ok());
            match modified {
                Some(m) => from.is_none_or(|f| m >= f) && until.is_none_or(|u| m < u),
                None => false,
            }
        })
        .cloned()
        .collect();
    deals.sort_by_key(|d| d["ID"].as_str().and_then(|i| i.parse::<i64>().ok()).unwrap_or(0));
    let total = deals.len();
    let select: Vec<String> = body["select"]
        .as_array()
        .map(|s| s.iter().filter_map(|f| f.as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    let page: Vec<Value> = deals
        .into_iter()
        .skip(start)
        .take(50)
        .map(|d| {
            if select.is_empty() || select.iter().any(|s| s == "*") {
                return d;
            }
            let mut out = serde_json::Map::new();
            for f in &select {
                if let Some(v) = d.get(f) {
                    out.insert(f.clone(), v.clone());
                }
            }
            Value::Object(out)
        })
        .collect();
    let mut answer = json!({"result": page, "total": total, "time": time()});
    if start + 50 < total {
        answer["next"] = json!(start + 50);
    }
    (StatusCode::OK, Json(answer))
}
