//! The Yandex Direct API v5 (<https://yandex.ru/dev/direct/doc/>): the Reports service for the
//! campaigns' daily figures, and `clients.get` for the account's name and currency.
//!
//! A report is a POST of `{"params": ReportDefinition}` to `{api_url}/reports` with
//! `Authorization: Bearer`, `Client-Login` (the advertiser, for an agency's token) and the
//! headers that shape the TSV: `processingMode: offline`, `returnMoneyInMicros: false` (money
//! in currency units with two decimals), `skipReportHeader: true`, `skipReportSummary: true`
//! (the column names stay). The server answers 201 (queued) or 202 (being built) with a
//! `retryIn` header (seconds) and `reportsInQueue`; the same request repeated polls it, until
//! 200 with the TSV. At most 5 offline reports may be queued per advertiser; a 400 with error
//! 9000 says the queue is full. Errors come as `{"error": {"request_id", "error_code",
//! "error_string", "error_detail"}}`: 53 is an authorization failure (a revoked or wrong token),
//! 52/152/9000 mean try later; 500 and 502 are server failures.

use crate::failure::{Failure, PlatformError};
use crate::http::{HttpClient, Reply};
use serde::Deserialize;
use std::time::Duration;

pub const DEFAULT_API_URL: &str = "https://api.direct.yandex.com/json/v5";

/// The report's columns, in the order the `yandex-direct` format reads them.
pub const REPORT_FIELDS: [&str; 6] = ["Date", "CampaignName", "Impressions", "Clicks", "Cost", "Conversions"];

#[derive(Debug, thiserror::Error)]
pub enum YandexDirectError {
    #[error("Yandex Direct {what}: error {code}: {message}")]
    Api {
        what: &'static str,
        status: u16,
        code: i64,
        message: String,
        retry_in: Option<Duration>,
    },
    #[error("Yandex Direct {what}: {detail}")]
    Transport { what: &'static str, detail: String },
    #[error("Yandex Direct {what}: unexpected answer: {detail}")]
    Decode { what: &'static str, detail: String },
    #[error("Yandex Direct {what}: the report was not ready after {polls} checks")]
    NotReady { what: &'static str, polls: u32 },
}

impl YandexDirectError {
    pub fn code(&self) -> Option<i64> {
        match self {
            YandexDirectError::Api { code, .. } => Some(*code),
            _ => None,
        }
    }
}

/// Error codes Keel acts on (the API's "Errors and warnings").
pub mod codes {
    /// Authorization error: the token is wrong, expired or revoked.
    pub const AUTH: i64 = 53;
    /// The login is not an advertiser the token may act for (`Client-Login`).
    pub const NO_ACCESS: i64 = 513;
    /// The service is temporarily unavailable.
    pub const UNAVAILABLE: i64 = 52;
    /// Not enough API points left.
    pub const NO_POINTS: i64 = 152;
    /// Too many offline reports queued (at most 5 per advertiser).
    pub const QUEUE_FULL: i64 = 9000;
}

impl PlatformError for YandexDirectError {
    fn failure(&self) -> Failure {
        match self {
            YandexDirectError::Api {
                status,
                code,
                message,
                retry_in,
                ..
            } => match (*status, *code) {
                (429, _) | (_, codes::UNAVAILABLE | codes::NO_POINTS | codes::QUEUE_FULL) => {
                    Failure::RetryLater { after: *retry_in }
                }
                (_, codes::AUTH | codes::NO_ACCESS) | (401 | 403, _) => Failure::Reconnect,
                (500.., _) => Failure::PlatformDown,
                _ => Failure::Rejected {
                    reason: message.clone(),
                },
            },
            YandexDirectError::NotReady { .. } => Failure::RetryLater { after: None },
            _ => Failure::PlatformDown,
        }
    }
}

/// What one report request answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportStep {
    /// 200: the TSV.
    Ready(String),
    /// 201 (queued) or 202 (being built): ask again with the same request after `retry_in`.
    Pending {
        status: u16,
        retry_in: Duration,
        reports_in_queue: Option<u32>,
    },
}

/// The advertiser, as `clients.get` gives it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Client {
    pub login: String,
    #[serde(default)]
    pub client_info: Option<String>,
    /// The account's currency (`RUB`, `KZT`, …): the report's money is in it.
    pub currency: String,
}

#[derive(Deserialize)]
struct ErrorEnvelope {
    error: ApiError,
}

#[derive(Deserialize)]
struct ApiError {
    error_code: serde_json::Value,
    #[serde(default)]
    error_string: String,
    #[serde(default)]
    error_detail: String,
}

/// A client for one token and advertiser; cheap to clone.
#[derive(Clone)]
pub struct YandexDirectApi {
    http: HttpClient,
    base: String,
    token: String,
    client_login: String,
    timeout: Duration,
    /// The longest Keel waits between checks of a report, whatever `retryIn` says.
    max_wait: Duration,
    /// How many times a report is checked before the pull gives up (and tries next time).
    max_polls: u32,
}

impl std::fmt::Debug for YandexDirectApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("YandexDirectApi")
            .field("base", &self.base)
            .field("client_login", &self.client_login)
            .finish_non_exhaustive()
    }
}

impl YandexDirectApi {
    pub fn new(api_url: &str, token: &str, client_login: &str) -> YandexDirectApi {
        YandexDirectApi {
            http: HttpClient::new(),
            base: api_url.trim_end_matches('/').to_owned(),
            token: token.to_owned(),
            client_login: client_login.to_owned(),
            timeout: Duration::from_secs(60),
            max_wait: Duration::from_secs(60),
            max_polls: 60,
        }
    }

    pub fn with_timeout(mut self, timeout: Duration) -> YandexDirectApi {
        self.timeout = timeout;
        self
    }

    /// Caps the wait between checks of an offline report (tests use milliseconds).
    pub fn with_poll(mut self, max_wait: Duration, max_polls: u32) -> YandexDirectApi {
        self.max_wait = max_wait;
        self.max_polls = max_polls;
        self
    }

    fn headers(&self) -> Vec<(&'static str, String)> {
        let mut headers = vec![
            ("Authorization", format!("Bearer {}", self.token)),
            ("Accept-Language", "en".to_owned()),
            ("Content-Type", "application/json; charset=utf-8".to_owned()),
        ];
        if !self.client_login.is_empty() {
            headers.push(("Client-Login", self.client_login.clone()));
        }
        headers
    }

    fn error(what: &'static str, reply: &Reply) -> YandexDirectError {
        let retry_in = reply
            .header("retryIn")
            .and_then(|s| s.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        match serde_json::from_slice::<ErrorEnvelope>(&reply.body) {
            Ok(ErrorEnvelope { error }) => YandexDirectError::Api {
                what,
                status: reply.status.as_u16(),
                code: error
                    .error_code
                    .as_i64()
                    .or_else(|| error.error_code.as_str().and_then(|c| c.parse().ok()))
                    .unwrap_or(0),
                message: if error.error_detail.is_empty() {
                    error.error_string
                } else {
                    format!("{}: {}", error.error_string, error.error_detail)
                },
                retry_in,
            },
            Err(_) if reply.status.as_u16() == 429 => YandexDirectError::Api {
                what,
                status: 429,
                code: 0,
                message: "too many requests".into(),
                retry_in,
            },
            Err(e) => YandexDirectError::Decode {
                what,
                detail: format!("HTTP {}: {e}", reply.status),
            },
        }
    }

    /// The advertiser's login, name and currency (`clients.get`).
    pub async fn client(&self) -> Result<Client, YandexDirectError> {
        const WHAT: &str = "clients.get";
        let body = serde_json::json!({
            "method": "get",
            "params": {"FieldNames": ["Login", "ClientInfo", "Currency"]},
        });
        let reply = self
            .http
            .send(
                hyper::Method::POST,
                &format!("{}/clients", self.base),
                &self.headers(),
                body.to_string().into_bytes(),
                self.timeout,
            )
            .await
            .map_err(|e| YandexDirectError::Transport {
                what: WHAT,
                detail: e.to_string(),
            })?;
        #[derive(Deserialize)]
        struct Answer {
            result: Clients,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Clients {
            clients: Vec<Client>,
        }
        if !reply.status.is_success() || serde_json::from_slice::<ErrorEnvelope>(&reply.body).is_ok() {
            return Err(Self::error(WHAT, &reply));
        }
        let answer: Answer = serde_json::from_slice(&reply.body).map_err(|e| YandexDirectError::Decode {
            what: WHAT,
            detail: format!("HTTP {}: {e}", reply.status),
        })?;
        answer
            .result
            .clients
            .into_iter()
            .next()
            .ok_or(YandexDirectError::Decode {
                what: WHAT,
                detail: "no client in the answer".into(),
            })
    }

    /// The report definition for the campaigns' daily figures of `from..=to` (`YYYY-MM-DD`).
    /// Its name is derived from the range, so repeating it asks for the same report.
    pub fn campaign_report_definition(&self, from: &str, to: &str) -> serde_json::Value {
        serde_json::json!({"params": {
            "SelectionCriteria": {"DateFrom": from, "DateTo": to},
            "FieldNames": REPORT_FIELDS,
            "ReportName": format!("Keel {} {from}..{to}", self.client_login),
            "ReportType": "CAMPAIGN_PERFORMANCE_REPORT",
            "DateRangeType": "CUSTOM_DATE",
            "Format": "TSV",
            "IncludeVAT": "YES",
            "IncludeDiscount": "NO",
        }})
    }

    /// One request of the report: ready, or pending with the wait the server asked for.
    pub async fn report_step(&self, definition: &serde_json::Value) -> Result<ReportStep, YandexDirectError> {
        const WHAT: &str = "reports";
        let mut headers = self.headers();
        headers.extend([
            ("processingMode", "offline".to_owned()),
            ("returnMoneyInMicros", "false".to_owned()),
            ("skipReportHeader", "true".to_owned()),
            ("skipReportSummary", "true".to_owned()),
        ]);
        let reply = self
            .http
            .send(
                hyper::Method::POST,
                &format!("{}/reports", self.base),
                &headers,
                definition.to_string().into_bytes(),
                self.timeout,
            )
            .await
            .map_err(|e| YandexDirectError::Transport {
                what: WHAT,
                detail: e.to_string(),
            })?;
        match reply.status.as_u16() {
            200 => String::from_utf8(reply.body.to_vec())
                .map(ReportStep::Ready)
                .map_err(|e| YandexDirectError::Decode {
                    what: WHAT,
                    detail: e.to_string(),
                }),
            status @ (201 | 202) => Ok(ReportStep::Pending {
                status,
                retry_in: Duration::from_secs(reply.header("retryIn").and_then(|s| s.trim().parse().ok()).unwrap_or(5)),
                reports_in_queue: reply.header("reportsInQueue").and_then(|s| s.trim().parse().ok()),
            }),
            _ => Err(Self::error(WHAT, &reply)),
        }
    }

    /// The campaigns' daily report of `from..=to` as TSV (with the column names, without the
    /// report's title and summary lines): requested offline, then asked again after each
    /// `retryIn` until it is ready.
    pub async fn campaign_report(&self, from: &str, to: &str) -> Result<String, YandexDirectError> {
        let definition = self.campaign_report_definition(from, to);
        for _ in 0..self.max_polls {
            match self.report_step(&definition).await? {
                ReportStep::Ready(tsv) => return Ok(tsv),
                ReportStep::Pending { retry_in, .. } => tokio::time::sleep(retry_in.min(self.max_wait)).await,
            }
        }
        Err(YandexDirectError::NotReady {
            what: "reports",
            polls: self.max_polls,
        })
    }
}
