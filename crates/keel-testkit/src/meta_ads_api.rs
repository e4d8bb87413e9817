//! A local Meta Marketing API server (Graph API, versioned paths `/{version}/…`), answering as
//! Meta documents the Insights API:
//!
//! - `GET /{v}/act_{id}?fields=…` → `{"id": "act_…", "account_id", "name", "account_status": 1,
//!   "currency"}`; another account is error 100 ("Unsupported get request", subcode 33);
//! - `GET /{v}/act_{id}/insights?level=campaign&time_increment=1&time_range={"since","until"}
//!   &fields=…&limit=N[&after=CURSOR]` → the seeded rows of those days (one per campaign and
//!   day, ordered by day then campaign) with **numbers as strings** as Meta sends them
//!   (`"spend": "1234.56"`, `"impressions": "1520"`, `actions[].value` `"3"`), `date_start` and
//!   `date_stop`, and cursor paging `{"paging": {"cursors": {"before", "after"}, "next"}}` with
//!   `next` only when a further page is (25 rows a page by default). Leads appear twice in
//!   `actions[]`, as `lead` and `onsite_conversion.lead_grouped`, as Meta reports them; a day
//!   without leads lists no such action;
//! - `POST /{v}/act_{id}/insights` (same parameters, form fields) → `{"report_run_id"}`;
//!   `GET /{v}/{report_run_id}?fields=async_status,async_percent_completion` → `Job Not Started`,
//!   then `Job Running` for [`MetaAdsServer::running_polls`] polls with a rising percentage,
//!   then `Job Completed` at 100; `GET /{v}/{report_run_id}/insights` pages the run's rows;
//!   reading the rows of a run not completed is error 100 (the run is not ready).
//!
//! Errors are 4xx `{"error": {"message", "type", "code", "error_subcode", "is_transient",
//! "fbtrace_id"}}`; a wrong token is 400 code 190 `OAuthException`.
//! [`MetaAdsServer::fail_page_after`] makes a later page an error (e.g. code 1, "An unknown
//! error has occurred").

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Form, Json};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::graph_errors::{Answer, bad_token, graph_error};

pub const TOKEN: &str = "EAAtest-meta-marketing-token-0123456789";
pub const ACCOUNT: &str = "act_1234567890";
pub const CURRENCY: &str = "RUB";

/// One call: the endpoint and its parameters (the token left out).
pub type Call = (String, HashMap<String, String>);

/// A campaign's day as the server holds it.
#[derive(Debug, Clone, Default)]
pub struct MetaRow {
    pub date: chrono::NaiveDate,
    pub campaign_id: String,
    pub campaign: String,
    pub spend_cents: i64,
    pub impressions: i64,
    pub clicks: i64,
    pub leads: i64,
    pub video_views: i64,
}

/// A report run: its query's rows, and polls left before it completes.
#[derive(Debug, Clone)]
struct Run {
    id: String,
    since: chrono::NaiveDate,
    until: chrono::NaiveDate,
    polls: u32,
}

#[derive(Clone, Default)]
pub struct MetaAdsServer {
    pub rows: Arc<Mutex<Vec<MetaRow>>>,
    /// Every call: (endpoint — `account`, `insights`, `start run`, `run status`, `run insights` —
    /// and its parameters without the token).
    pub calls: Arc<Mutex<Vec<Call>>>,
    /// How many status polls a run answers `Job Running` before `Job Completed`.
    pub running_polls: Arc<Mutex<u32>>,
    runs: Arc<Mutex<Vec<Run>>>,
    fail_page: Arc<Mutex<Option<(usize, u16, Value)>>>,
    pub url: String,
}

impl MetaAdsServer {
    pub async fn start() -> MetaAdsServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let server = MetaAdsServer {
            url: format!("http://{}", listener.local_addr().unwrap()),
            running_polls: Arc::new(Mutex::new(2)),
            ..Default::default()
        };
        let app = axum::Router::new()
            .route("/{version}/{node}", get(node))
            .route("/{version}/{node}/insights", get(insights).post(start_run))
            .with_state(server.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        server
    }

    pub fn seed(&self, rows: Vec<MetaRow>) {
        *self.rows.lock().unwrap() = rows;
    }

    pub fn calls_to(&self, endpoint: &str) -> Vec<HashMap<String, String>> {
        self.calls
            .lock()
            .unwrap()
            .iter()
            .filter(|(e, _)| e == endpoint)
            .map(|(_, q)| q.clone())
            .collect()
    }

    /// After `pages` pages of rows (read at once or from a run) are answered, the next
    /// answers `status` with `body` (once).
    pub fn fail_page_after(&self, pages: usize, status: u16, body: Value) {
        *self.fail_page.lock().unwrap() = Some((pages, status, body));
    }

    fn record(&self, endpoint: &str, q: &HashMap<String, String>) {
        let mut q = q.clone();
        q.remove("access_token");
        self.calls.lock().unwrap().push((endpoint.into(), q));
    }

    fn pages_answered(&self) -> usize {
        self.calls
            .lock()
            .unwrap()
            .iter()
            .filter(|(e, _)| e == "insights" || e == "run insights")
            .count()
    }
}

/// Meta's `type` is `OAuthException` for token errors and `GraphMethodException` for the rest.
fn error(code: i64, subcode: Option<i64>, message: &str) -> Answer {
    let kind = if code == 190 {
        "OAuthException"
    } else {
        "GraphMethodException"
    };
    graph_error(kind, code, subcode, message, None)
}

fn token_ok(q: &HashMap<String, String>) -> bool {
    q.get("access_token").map(String::as_str) == Some(TOKEN)
}

/// The days of `time_range`, and that `level` and `time_increment` are as a pull asks.
fn range(q: &HashMap<String, String>) -> Result<(chrono::NaiveDate, chrono::NaiveDate), Answer> {
    let bad = |m: &str| error(100, None, &format!("(#100) {m}"));
    if q.get("level").map(String::as_str) != Some("campaign")
        || q.get("time_increment").map(String::as_str) != Some("1")
    {
        return Err(bad("this server answers level=campaign with time_increment=1"));
    }
    let r: Value = q
        .get("time_range")
        .and_then(|t| serde_json::from_str(t).ok())
        .ok_or_else(|| bad("time_range must be {\"since\":\"YYYY-MM-DD\",\"until\":\"YYYY-MM-DD\"}"))?;
    let day = |k: &str| r.get(k).and_then(Value::as_str).and_then(|d| d.parse().ok());
    match (day("since"), day("until")) {
        (Some(since), Some(until)) if since <= until => Ok((since, until)),
        _ => Err(bad(
            "time_range must be {\"since\":\"YYYY-MM-DD\",\"until\":\"YYYY-MM-DD\"}",
        )),
    }
}

fn row_json(r: &MetaRow) -> Value {
    let mut actions = vec![];
    if r.leads > 0 {
        actions.push(json!({"action_type": "lead", "value": r.leads.to_string()}));
        actions.push(json!({"action_type": "onsite_conversion.lead_grouped", "value": r.leads.to_string()}));
    }
    if r.video_views > 0 {
        actions.push(json!({"action_type": "video_view", "value": r.video_views.to_string()}));
    }
    actions.push(json!({"action_type": "link_click", "value": r.clicks.to_string()}));
    json!({
        "campaign_id": r.campaign_id, "campaign_name": r.campaign,
        "spend": format!("{}.{:02}", r.spend_cents / 100, r.spend_cents % 100),
        "impressions": r.impressions.to_string(), "clicks": r.clicks.to_string(),
        "actions": actions, "account_currency": CURRENCY,
        "date_start": r.date.to_string(), "date_stop": r.date.to_string(),
    })
}

fn cursor(index: usize) -> String {
    format!("MjAyNi{index:06x}")
}

/// A page of the rows of `since..=until` after the cursor.
fn page(
    server: &MetaAdsServer,
    path: &str,
    since: chrono::NaiveDate,
    until: chrono::NaiveDate,
    q: &HashMap<String, String>,
) -> Answer {
    {
        let answered = server.pages_answered() - 1;
        let mut fail = server.fail_page.lock().unwrap();
        if let Some((pages, status, body)) = fail.clone()
            && answered >= pages
        {
            *fail = None;
            return (StatusCode::from_u16(status).unwrap(), Json(body));
        }
    }
    let mut rows: Vec<MetaRow> = server
        .rows
        .lock()
        .unwrap()
        .iter()
        .filter(|r| r.date >= since && r.date <= until)
        .cloned()
        .collect();
    rows.sort_by(|a, b| a.date.cmp(&b.date).then(a.campaign_id.cmp(&b.campaign_id)));
    let limit: usize = q.get("limit").and_then(|l| l.parse().ok()).unwrap_or(25).clamp(1, 500);
    let start = match q.get("after") {
        Some(a) => match a.strip_prefix("MjAyNi").and_then(|h| usize::from_str_radix(h, 16).ok()) {
            Some(i) => i + 1,
            None => return error(100, None, "(#100) The after cursor is not valid"),
        },
        None => 0,
    };
    let end = (start + limit).min(rows.len());
    let data: Vec<Value> = rows.get(start..end).unwrap_or_default().iter().map(row_json).collect();
    let mut paging = json!({});
    if end > start {
        paging["cursors"] = json!({"before": cursor(start), "after": cursor(end - 1)});
    }
    if end < rows.len() {
        paging["next"] = json!(format!(
            "{}/v23.0/{path}/insights?limit={limit}&after={}",
            server.url,
            cursor(end - 1)
        ));
    }
    (StatusCode::OK, Json(json!({"data": data, "paging": paging})))
}

/// `GET /{v}/{node}`: the ad account, or a report run's status.
async fn node(
    State(server): State<MetaAdsServer>,
    Path((_version, node)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
) -> Answer {
    if node.starts_with("act_") {
        server.record("account", &q);
        if !token_ok(&q) {
            return bad_token();
        }
        if node != ACCOUNT {
            return error(100, Some(33), "Unsupported get request. Object with ID does not exist");
        }
        return (
            StatusCode::OK,
            Json(json!({"id": ACCOUNT, "account_id": ACCOUNT.trim_start_matches("act_"),
                        "name": "Coffee House Ads", "account_status": 1, "currency": CURRENCY})),
        );
    }
    server.record("run status", &q);
    if !token_ok(&q) {
        return bad_token();
    }
    let mut runs = server.runs.lock().unwrap();
    let Some(run) = runs.iter_mut().find(|r| r.id == node) else {
        return error(100, Some(33), "Unsupported get request. Object with ID does not exist");
    };
    let running = *server.running_polls.lock().unwrap();
    let (status, percent) = if run.polls == 0 {
        ("Job Not Started", 0)
    } else if run.polls <= running {
        ("Job Running", (run.polls * 90 / running.max(1)) as i64)
    } else {
        ("Job Completed", 100)
    };
    run.polls += 1;
    (
        StatusCode::OK,
        Json(json!({"id": run.id, "async_status": status, "async_percent_completion": percent})),
    )
}

/// `GET /{v}/act_…/insights` (rows at once) or `GET /{v}/{run}/insights` (a run's rows).
async fn insights(
    State(server): State<MetaAdsServer>,
    Path((_version, node)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
) -> Answer {
    if node.starts_with("act_") {
        server.record("insights", &q);
        if !token_ok(&q) {
            return bad_token();
        }
        if node != ACCOUNT {
            return error(100, Some(33), "Unsupported get request. Object with ID does not exist");
        }
        let (since, until) = match range(&q) {
            Ok(r) => r,
            Err(e) => return e,
        };
        return page(&server, &node, since, until, &q);
    }
    server.record("run insights", &q);
    if !token_ok(&q) {
        return bad_token();
    }
    let run = server.runs.lock().unwrap().iter().find(|r| r.id == node).cloned();
    let running = *server.running_polls.lock().unwrap();
    match run {
        Some(run) if run.polls > running => page(&server, &node, run.since, run.until, &q),
        Some(_) => error(100, None, "(#100) The report run is not ready yet"),
        None => error(100, Some(33), "Unsupported get request. Object with ID does not exist"),
    }
}

/// `POST /{v}/act_…/insights`: starts a report run.
async fn start_run(
    State(server): State<MetaAdsServer>,
    Path((_version, node)): Path<(String, String)>,
    Form(q): Form<HashMap<String, String>>,
) -> Answer {
    server.record("start run", &q);
    if !token_ok(&q) {
        return bad_token();
    }
    if node != ACCOUNT {
        return error(100, Some(33), "Unsupported post request. Object with ID does not exist");
    }
    let (since, until) = match range(&q) {
        Ok(r) => r,
        Err(e) => return e,
    };
    let mut runs = server.runs.lock().unwrap();
    let id = format!("6{:016}", 4_200_000 + runs.len());
    runs.push(Run {
        id: id.clone(),
        since,
        until,
        polls: 0,
    });
    (StatusCode::OK, Json(json!({ "report_run_id": id })))
}
