//! A local Yandex Direct API v5 server, answering as Yandex documents it
//! (<https://yandex.ru/dev/direct/doc/reports/mode>, `…/reports/headers`, `…/reports/codes`):
//!
//! - `POST /json/v5/reports` with `Authorization: Bearer`, `Client-Login` and the report
//!   definition `{"params": {SelectionCriteria, FieldNames, ReportName, ReportType,
//!   DateRangeType, Format, IncludeVAT}}`. In offline mode a new report answers **201** (queued)
//!   with `retryIn` and `reportsInQueue` headers, the same request repeated answers **202** (being
//!   built), then **200** with the TSV — the documented 201 → 202 → 200 sequence. A sixth report
//!   queued while five are waiting answers 400 with error 9000 (at most 5 per advertiser);
//! - the TSV has the title line (`"ReportName (DateFrom - DateTo)"`) unless
//!   `skipReportHeader: true`, the column names unless `skipColumnHeader: true`, a
//!   `Total rows: N` line unless `skipReportSummary: true`; money (`Cost`) is in micros
//!   (currency × 1,000,000) unless `returnMoneyInMicros: false`, then in currency units with two
//!   decimals; a missing value is `--`;
//! - `POST /json/v5/clients` (`{"method": "get"}`) → `{"result": {"Clients": [{Login,
//!   ClientInfo, Currency}]}}`;
//! - a wrong token answers 400 `{"error": {"request_id", "error_code": 53, "error_string":
//!   "Authorization error", "error_detail"}}`.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub const TOKEN: &str = "y0_AgAAAAtest-yandex-direct-token";
pub const LOGIN: &str = "coffee-house-direct";
pub const CURRENCY: &str = "RUB";

/// One campaign's figures of one day.
#[derive(Debug, Clone, PartialEq)]
pub struct DirectRow {
    pub date: String,
    pub campaign: String,
    pub impressions: i64,
    pub clicks: i64,
    /// Spend in kopecks (hundredths of the currency).
    pub cost_cents: i64,
    /// `None` shows as `--`.
    pub conversions: Option<i64>,
}

#[derive(Clone, Default)]
pub struct YandexDirectServer {
    pub rows: Arc<Mutex<Vec<DirectRow>>>,
    /// How many times each report (by name) was asked for.
    pub polls: Arc<Mutex<HashMap<String, u32>>>,
    /// Every report request's HTTP status, in order.
    pub statuses: Arc<Mutex<Vec<u16>>>,
    /// Every report request's headers that shape the TSV.
    pub headers_seen: Arc<Mutex<Vec<HashMap<String, String>>>>,
    /// The next report requests answer this error (status, code), in order.
    pub failures: Arc<Mutex<Vec<(u16, i64)>>>,
    /// `retryIn` in seconds.
    pub retry_in: Arc<Mutex<u32>>,
    /// `http://127.0.0.1:PORT/json/v5`: the `KEEL_YANDEX_DIRECT_API_URL`.
    pub url: String,
}

impl YandexDirectServer {
    pub async fn start() -> YandexDirectServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let server = YandexDirectServer {
            url: format!("http://{}/json/v5", listener.local_addr().unwrap()),
            retry_in: Arc::new(Mutex::new(1)),
            ..Default::default()
        };
        let app = axum::Router::new()
            .route("/json/v5/reports", post(reports))
            .route("/json/v5/clients", post(clients))
            .with_state(server.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        server
    }

    pub fn seed(&self, rows: Vec<DirectRow>) {
        self.rows.lock().unwrap().extend(rows);
    }

    pub fn fail_next(&self, status: u16, code: i64) {
        self.failures.lock().unwrap().push((status, code));
    }
}

fn api_error(status: StatusCode, code: i64, string: &str, detail: &str) -> Response {
    (
        status,
        [("RequestId", "8695244274068608439")],
        axum::Json(
            json!({"error": {"request_id": "8695244274068608439", "error_code": code,
                                    "error_string": string, "error_detail": detail}}),
        ),
    )
        .into_response()
}

/// The refusal of a request without the token or for another advertiser, if any.
fn unauthorized(headers: &HeaderMap) -> Option<Response> {
    let bearer = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if bearer != Some(TOKEN) {
        return Some(api_error(
            StatusCode::BAD_REQUEST,
            53,
            "Authorization error",
            "Invalid OAuth token",
        ));
    }
    let login = headers.get("client-login").and_then(|v| v.to_str().ok());
    if login.is_some_and(|l| l != LOGIN) {
        return Some(api_error(
            StatusCode::BAD_REQUEST,
            513,
            "Your login is not connected to Yandex Direct",
            "The Client-Login is not an advertiser this token may act for",
        ));
    }
    None
}

async fn clients(headers: HeaderMap, body: String) -> Response {
    if let Some(e) = unauthorized(&headers) {
        return e;
    }
    let request: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    if request["method"] != "get" {
        return api_error(StatusCode::BAD_REQUEST, 55, "Operation not found", "method must be get");
    }
    axum::Json(json!({"result": {"Clients": [
        {"Login": LOGIN, "ClientInfo": "Coffee House LLC", "Currency": CURRENCY}
    ]}}))
    .into_response()
}

async fn reports(State(server): State<YandexDirectServer>, headers: HeaderMap, body: String) -> Response {
    if let Some(e) = unauthorized(&headers) {
        server.statuses.lock().unwrap().push(400);
        return e;
    }
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    server.headers_seen.lock().unwrap().push(
        [
            "processingMode",
            "returnMoneyInMicros",
            "skipReportHeader",
            "skipReportSummary",
            "skipColumnHeader",
        ]
        .iter()
        .filter_map(|h| header(h).map(|v| (h.to_string(), v)))
        .collect(),
    );
    let failure = {
        let mut failures = server.failures.lock().unwrap();
        (!failures.is_empty()).then(|| failures.remove(0))
    };
    if let Some((status, code)) = failure {
        server.statuses.lock().unwrap().push(status);
        return api_error(
            StatusCode::from_u16(status).unwrap(),
            code,
            "Server error",
            "scripted failure",
        );
    }
    let request: Value = match serde_json::from_str(&body) {
        Ok(v) => v,
        Err(_) => return api_error(StatusCode::BAD_REQUEST, 8000, "Invalid request", "body is not JSON"),
    };
    let params = &request["params"];
    let (Some(from), Some(to), Some(name)) = (
        params["SelectionCriteria"]["DateFrom"].as_str(),
        params["SelectionCriteria"]["DateTo"].as_str(),
        params["ReportName"].as_str(),
    ) else {
        return api_error(
            StatusCode::BAD_REQUEST,
            8000,
            "Invalid request",
            "SelectionCriteria.DateFrom, DateTo and ReportName are required",
        );
    };
    let fields: Vec<String> = params["FieldNames"]
        .as_array()
        .map(|f| f.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    let offline = header("processingMode").as_deref() == Some("offline");
    let retry_in = *server.retry_in.lock().unwrap();
    if offline {
        let mut polls = server.polls.lock().unwrap();
        let queued = polls.values().filter(|n| **n < 2).count();
        let seen = polls.get(name).copied().unwrap_or(0);
        if seen == 0 && queued >= 5 {
            drop(polls);
            server.statuses.lock().unwrap().push(400);
            return api_error(
                StatusCode::BAD_REQUEST,
                9000,
                "Limit on the number of reports in the queue exceeded",
                "No more than 5 reports may be in the offline queue",
            );
        }
        polls.insert(name.to_owned(), seen + 1);
        if seen < 2 {
            let status = if seen == 0 { 201 } else { 202 };
            drop(polls);
            server.statuses.lock().unwrap().push(status);
            return (
                StatusCode::from_u16(status).unwrap(),
                [
                    ("retryIn", retry_in.to_string()),
                    ("reportsInQueue", (queued + usize::from(seen == 0)).to_string()),
                ],
                "",
            )
                .into_response();
        }
    }
    server.statuses.lock().unwrap().push(200);
    let micros = header("returnMoneyInMicros").as_deref() != Some("false");
    let mut tsv = String::new();
    if header("skipReportHeader").as_deref() != Some("true") {
        tsv.push_str(&format!("\"{name} ({from} - {to})\"\n"));
    }
    if header("skipColumnHeader").as_deref() != Some("true") {
        tsv.push_str(&fields.join("\t"));
        tsv.push('\n');
    }
    let rows = server.rows.lock().unwrap();
    let mut chosen: Vec<&DirectRow> = rows
        .iter()
        .filter(|r| r.date.as_str() >= from && r.date.as_str() <= to)
        .collect();
    chosen.sort_by(|a, b| (&a.date, &a.campaign).cmp(&(&b.date, &b.campaign)));
    for row in &chosen {
        let cells: Vec<String> = fields
            .iter()
            .map(|f| match f.as_str() {
                "Date" => row.date.clone(),
                "CampaignName" => row.campaign.clone(),
                "Impressions" => row.impressions.to_string(),
                "Clicks" => row.clicks.to_string(),
                "Cost" if micros => (row.cost_cents * 10_000).to_string(),
                "Cost" => format!("{}.{:02}", row.cost_cents / 100, row.cost_cents % 100),
                "Conversions" => row.conversions.map(|c| c.to_string()).unwrap_or_else(|| "--".into()),
                _ => "--".into(),
            })
            .collect();
        tsv.push_str(&cells.join("\t"));
        tsv.push('\n');
    }
    if header("skipReportSummary").as_deref() != Some("true") {
        tsv.push_str(&format!("Total rows: {}\n", chosen.len()));
    }
    (
        StatusCode::OK,
        [("content-type", "text/tab-separated-values; charset=utf-8")],
        tsv,
    )
        .into_response()
}
