//! The Bitrix24 REST API through an inbound webhook (`https://PORTAL/rest/<user>/<secret>/`;
//! the webhook's address is its credential):
//!
//! - `scope` → `{"result": ["crm", …]}`: what the webhook may do (the check: `crm`);
//! - `crm.deal.list` (POST JSON `{"filter", "select", "order", "start"}`) → `{"result":
//!   [deal…], "next": 50, "total": 620, "time": {…}}`: 50 deals a call, `next` the `start` of
//!   the following call, absent on the last page; every field a string.
//!
//! Limits: a leaky bucket per portal (50 requests at once, draining at 2 a second); above it
//! Bitrix24 answers HTTP 503 `{"error": "QUERY_LIMIT_EXCEEDED"}`, which is waited out. Other
//! errors are `{"error", "error_description"}`: 401 `INVALID_CREDENTIALS` / `NO_AUTH_FOUND`
//! (a deleted webhook), 401/403 `insufficient_scope` / `ACCESS_DENIED` (a webhook without the
//! CRM right), 500 `INTERNAL_SERVER_ERROR`.

use crate::failure::{Failure, PlatformError};
use crate::http::HttpClient;
use serde_json::{Value, json};
use std::time::Duration;

/// Deals a page of `crm.deal.list` (fixed by Bitrix24).
pub const PAGE: u64 = 50;
/// The bucket's drain rate: requests a second.
pub const REQUESTS_PER_SECOND: f64 = 2.0;
/// The deal fields the `bitrix24` format reads.
pub const DEAL_FIELDS: [&str; 12] = [
    "ID",
    "DATE_CREATE",
    "DATE_MODIFY",
    "OPPORTUNITY",
    "CURRENCY_ID",
    "STAGE_ID",
    "STAGE_SEMANTIC_ID",
    "CLOSEDATE",
    "SOURCE_ID",
    "UTM_SOURCE",
    "UTM_CAMPAIGN",
    "IS_RETURN_CUSTOMER",
];

#[derive(Debug, thiserror::Error)]
pub enum BitrixError {
    #[error("Bitrix24 {what}: HTTP {status} {code}: {description}")]
    Api {
        what: &'static str,
        status: u16,
        code: String,
        description: String,
    },
    #[error("Bitrix24 {what}: {detail}")]
    Transport { what: &'static str, detail: String },
    #[error("Bitrix24 {what}: unexpected answer: {detail}")]
    Decode { what: &'static str, detail: String },
}

impl BitrixError {
    pub fn code(&self) -> Option<&str> {
        match self {
            BitrixError::Api { code, .. } => Some(code),
            _ => None,
        }
    }
}

impl PlatformError for BitrixError {
    fn failure(&self) -> Failure {
        match self {
            BitrixError::Api {
                status,
                code,
                description,
                ..
            } => match (code.as_str(), *status) {
                // The bucket drains 2 requests a second: one second frees two.
                ("QUERY_LIMIT_EXCEEDED", _) => Failure::RetryLater {
                    after: Some(Duration::from_secs(1)),
                },
                ("INVALID_CREDENTIALS" | "NO_AUTH_FOUND" | "expired_token" | "invalid_token", _) => Failure::Reconnect,
                ("insufficient_scope" | "ACCESS_DENIED", _) => Failure::Reconnect,
                (_, 500..) => Failure::PlatformDown,
                _ => Failure::Rejected {
                    reason: format!("{code}: {description}"),
                },
            },
            _ => Failure::PlatformDown,
        }
    }
}

/// A page of deals as Bitrix24 answered it, how many it holds and where the next starts.
#[derive(Debug, Clone)]
pub struct DealPage {
    pub page: Value,
    pub deals: usize,
    pub next: Option<u64>,
}

/// A client for one webhook; cheap to clone.
#[derive(Clone)]
pub struct BitrixApi {
    http: HttpClient,
    webhook: String,
    timeout: Duration,
}

impl std::fmt::Debug for BitrixApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The webhook's address is its secret.
        f.debug_struct("BitrixApi").finish_non_exhaustive()
    }
}

impl BitrixApi {
    /// `webhook`: the inbound webhook's address (`https://PORTAL/rest/1/abc…/`).
    pub fn new(webhook: &str) -> BitrixApi {
        BitrixApi {
            http: HttpClient::new(),
            webhook: format!("{}/", webhook.trim().trim_end_matches('/')),
            timeout: Duration::from_secs(30),
        }
    }

    pub fn with_timeout(mut self, timeout: Duration) -> BitrixApi {
        self.timeout = timeout;
        self
    }

    async fn call(&self, what: &'static str, method: &str, body: &Value) -> Result<Value, BitrixError> {
        let url = format!("{}{method}.json", self.webhook);
        let (status, bytes) = self
            .http
            .post(&url, "application/json", body.to_string().into_bytes(), self.timeout)
            .await
            .map_err(|e| BitrixError::Transport {
                what,
                detail: e.to_string(),
            })?;
        let answer: Value = serde_json::from_slice(&bytes).map_err(|e| BitrixError::Decode {
            what,
            detail: format!("HTTP {status}: {e}"),
        })?;
        if let Some(code) = answer.get("error") {
            return Err(BitrixError::Api {
                what,
                status: status.as_u16(),
                code: code.as_str().map_or_else(|| code.to_string(), str::to_owned),
                description: answer
                    .get("error_description")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
            });
        }
        if !status.is_success() || answer.get("result").is_none() {
            return Err(BitrixError::Decode {
                what,
                detail: format!("HTTP {status} without a result"),
            });
        }
        Ok(answer)
    }

    /// What the webhook may do (`crm`, `user`, …).
    pub async fn scope(&self) -> Result<Vec<String>, BitrixError> {
        let answer = self.call("scope", "scope", &json!({})).await?;
        Ok(answer["result"]
            .as_array()
            .map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_owned)).collect())
            .unwrap_or_default())
    }

    /// The deals modified in `[from, until)` (RFC 3339 instants), oldest id first, from
    /// `start` on.
    pub async fn deal_page(&self, from: &str, until: &str, start: u64) -> Result<DealPage, BitrixError> {
        let body = json!({
            "filter": {">=DATE_MODIFY": from, "<DATE_MODIFY": until},
            "select": DEAL_FIELDS,
            "order": {"ID": "ASC"},
            "start": start,
        });
        let page = self.call("crm.deal.list", "crm.deal.list", &body).await?;
        let deals = page["result"].as_array().map_or(0, Vec::len);
        let next = page.get("next").and_then(Value::as_u64);
        Ok(DealPage { page, deals, next })
    }
}
