//! The Meta Marketing API (`https://graph.facebook.com`, versioned paths `/v23.0/…`): an ad
//! account and its campaigns' insights per day.
//!
//! - `GET /act_{id}?fields=account_id,name,account_status,currency`: the account (status 1 is
//!   active), what a connection check calls;
//! - `GET /act_{id}/insights?level=campaign&time_increment=1&time_range={"since","until"}&
//!   fields=…&limit=N[&after=CURSOR]`: a page of rows, one per campaign and day, numbers as
//!   strings (`"spend": "12.34"`), `{"data": [...], "paging": {"cursors": {"before",
//!   "after"}, "next"}}` with `next` only when a further page is;
//! - for long ranges an asynchronous report run: `POST /act_{id}/insights` with the same
//!   parameters answers `{"report_run_id"}`; `GET /{report_run_id}?fields=async_status,
//!   async_percent_completion` says `Job Not Started`, `Job Started`, `Job Running`, then
//!   `Job Completed` (or `Job Failed`, `Job Skipped`); `GET /{report_run_id}/insights` pages
//!   the rows as above.
//!
//! Errors are the Graph API's (`crate::graph`): 190 an invalid or expired token; 4, 17, 32, 613
//! and 80000–80014 (the ads insights throttle) rate limits; 1, 2 (and anything `is_transient`)
//! passing trouble.

use crate::graph::{self, GraphApi, GraphError};
use crate::http::HttpClient;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::time::Duration;

pub const DEFAULT_API_URL: &str = "https://graph.facebook.com";
/// The Graph API version asked for (an unversioned call gets the app's oldest one).
pub const API_VERSION: &str = "v23.0";
/// The fields of a campaign-day row (what the `meta-ads` format reads).
pub const INSIGHT_FIELDS: &str = "campaign_id,campaign_name,spend,impressions,clicks,actions,account_currency";
/// Rows a page.
pub const INSIGHTS_PAGE: u32 = 100;

/// Errors of the Marketing API (see [`crate::graph`]).
pub type MetaError = GraphError;

/// An ad account.
#[derive(Debug, Clone, Deserialize)]
pub struct AdAccount {
    /// `act_…`.
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    /// 1 active, 2 disabled, 3 unsettled, 7 pending risk review, 9 in grace period, 101 closed…
    #[serde(default)]
    pub account_status: Option<i64>,
    #[serde(default)]
    pub currency: Option<String>,
}

/// A page of insights as Meta answered it, and the cursor of the next page, if any.
#[derive(Debug, Clone)]
pub struct InsightsPage {
    pub page: Value,
    pub rows: usize,
    pub after: Option<String>,
}

/// Where an asynchronous report run stands.
#[derive(Debug, Clone, Deserialize)]
pub struct ReportRun {
    #[serde(default)]
    pub async_status: String,
    #[serde(default)]
    pub async_percent_completion: i64,
}

#[derive(Deserialize)]
struct Started {
    report_run_id: String,
}

/// A client for one access token; cheap to clone.
#[derive(Clone)]
pub struct MetaApi {
    http: HttpClient,
    base: String,
    token: String,
    timeout: Duration,
}

impl std::fmt::Debug for MetaApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MetaApi")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

/// What insights to ask for: the account (`act_…`) and the days.
#[derive(Debug, Clone)]
pub struct InsightsQuery {
    pub account: String,
    pub since: chrono::NaiveDate,
    pub until: chrono::NaiveDate,
}

impl InsightsQuery {
    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("level", "campaign".into()),
            ("time_increment", "1".into()),
            (
                "time_range",
                serde_json::json!({"since": self.since.to_string(), "until": self.until.to_string()}).to_string(),
            ),
            ("fields", INSIGHT_FIELDS.into()),
            ("limit", INSIGHTS_PAGE.to_string()),
        ]
    }
}

impl MetaApi {
    pub fn new(api_url: &str, token: &str) -> MetaApi {
        MetaApi {
            http: HttpClient::new(),
            base: api_url.trim_end_matches('/').to_owned(),
            token: token.to_owned(),
            timeout: Duration::from_secs(30),
        }
    }

    pub fn with_timeout(mut self, timeout: Duration) -> MetaApi {
        self.timeout = timeout;
        self
    }

    fn url(&self, path: &str, pairs: &[(&str, String)]) -> String {
        let query = {
            let mut query = url::form_urlencoded::Serializer::new(String::new());
            for (k, v) in pairs {
                query.append_pair(k, v);
            }
            query.append_pair("access_token", &self.token).finish()
        };
        format!("{}/{API_VERSION}/{path}?{query}", self.base)
    }

    async fn get<T: DeserializeOwned>(
        &self,
        what: &'static str,
        path: &str,
        pairs: &[(&str, String)],
    ) -> Result<T, MetaError> {
        let url = self.url(path, pairs);
        let (status, bytes) = self
            .http
            .get(&url, self.timeout)
            .await
            .map_err(|e| GraphError::Transport {
                api: GraphApi::Meta,
                what,
                detail: e.to_string(),
            })?;
        decode(what, status, &bytes)
    }

    /// The ad account `act_…`.
    pub async fn ad_account(&self, account: &str) -> Result<AdAccount, MetaError> {
        self.get(
            "ad account",
            account,
            &[("fields", "account_id,name,account_status,currency".into())],
        )
        .await
    }

    /// A page of the campaigns' daily insights, read at once.
    pub async fn insights_page(&self, query: &InsightsQuery, after: Option<&str>) -> Result<InsightsPage, MetaError> {
        let mut pairs = query.pairs();
        if let Some(after) = after {
            pairs.push(("after", after.to_owned()));
        }
        self.page(&format!("{}/insights", query.account), &pairs).await
    }

    /// Starts an asynchronous report run of the insights; its id. Not retried by callers on a
    /// lost answer: a second run would be a second job on Meta's side.
    pub async fn start_report_run(&self, query: &InsightsQuery) -> Result<String, MetaError> {
        let what = "report run";
        let mut pairs = query.pairs();
        pairs.push(("access_token", self.token.clone()));
        let url = format!("{}/{API_VERSION}/{}/insights", self.base, query.account);
        let (status, bytes) = self
            .http
            .post(
                &url,
                "application/x-www-form-urlencoded",
                crate::http::form_body(&pairs),
                self.timeout,
            )
            .await
            .map_err(|e| GraphError::Transport {
                api: GraphApi::Meta,
                what,
                detail: e.to_string(),
            })?;
        let started: Started = decode(what, status, &bytes)?;
        Ok(started.report_run_id)
    }

    /// Where the report run stands.
    pub async fn report_run(&self, run: &str) -> Result<ReportRun, MetaError> {
        self.get(
            "report run status",
            run,
            &[("fields", "async_status,async_percent_completion".into())],
        )
        .await
    }

    /// A page of a completed report run's rows.
    pub async fn report_run_page(&self, run: &str, after: Option<&str>) -> Result<InsightsPage, MetaError> {
        let mut pairs = vec![("limit", INSIGHTS_PAGE.to_string())];
        if let Some(after) = after {
            pairs.push(("after", after.to_owned()));
        }
        self.page(&format!("{run}/insights"), &pairs).await
    }

    async fn page(&self, path: &str, pairs: &[(&str, String)]) -> Result<InsightsPage, MetaError> {
        let page: Value = self.get("insights", path, pairs).await?;
        let Some(rows) = page.get("data").and_then(Value::as_array).map(Vec::len) else {
            return Err(GraphError::Decode {
                api: GraphApi::Meta,
                what: "insights",
                detail: "no data".into(),
            });
        };
        // `next` is there only when a further page is; its cursor is `after`.
        let paging = page.get("paging");
        let after = paging
            .filter(|p| p.get("next").is_some_and(Value::is_string))
            .and_then(|p| p.pointer("/cursors/after"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        Ok(InsightsPage { page, rows, after })
    }
}

fn decode<T: DeserializeOwned>(what: &'static str, status: hyper::StatusCode, bytes: &[u8]) -> Result<T, GraphError> {
    graph::decode(GraphApi::Meta, what, status, bytes)
}
