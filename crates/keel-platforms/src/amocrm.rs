//! The amoCRM API v4 (<https://www.amocrm.ru/developers/content/crm_platform/leads-api>) at the
//! account's own address (`https://NAME.amocrm.ru`, or any http(s) address in front of it):
//!
//! - `GET /api/v4/leads?limit=250&page=N&filter[updated_at][from]=…&filter[updated_at][to]=…`
//!   answers `{"_page", "_links": {"self", "next"}, "_embedded": {"leads": […]}}`, the next page
//!   at `_links.next.href`; no leads at all is HTTP 204 with an empty body;
//! - `GET /api/v4/leads/pipelines`: each pipeline's statuses (`_embedded.statuses[]`); 142 is
//!   "won" (successfully realized) and 143 "lost" (closed and not realized) in every pipeline;
//! - `GET /api/v4/account`: the account's `name`, `subdomain` and `currency` (the check);
//! - `POST /oauth2/access_token` with `grant_type=refresh_token`: a new access token **and a
//!   new refresh token**; the old refresh token stops working at once, so the caller stores
//!   the new pair before anything else (else the account is lost).
//!
//! Errors: 401 (`{"title": "Unauthorized", "status": 401, "detail"}`) is an expired or revoked
//! access token (refresh it); 429 is "more than 7 requests a second"; 402 an unpaid account;
//! 403 a blocked account or IP.

use crate::failure::{Failure, PlatformError};
use crate::http::{HttpClient, Reply};
use serde::Deserialize;
use std::time::Duration;

/// The most leads `/api/v4/leads` gives in one page.
pub const PAGE_LIMIT: u32 = 250;
/// amoCRM's documented limit: 7 requests a second per integration and account.
pub const REQUESTS_PER_SECOND: f64 = 7.0;
/// The system statuses of every pipeline.
pub const WON: i64 = 142;
pub const LOST: i64 = 143;

#[derive(Debug, thiserror::Error)]
pub enum AmocrmError {
    #[error("amoCRM {what}: HTTP {status}: {message}")]
    Api {
        what: &'static str,
        status: u16,
        message: String,
    },
    #[error("amoCRM {what}: {detail}")]
    Transport { what: &'static str, detail: String },
    #[error("amoCRM {what}: unexpected answer: {detail}")]
    Decode { what: &'static str, detail: String },
}

impl AmocrmError {
    /// The access token is no longer accepted: refresh it (or reconnect, when the refresh
    /// fails too).
    pub fn unauthorized(&self) -> bool {
        matches!(self, AmocrmError::Api { status: 401, .. })
    }
}

impl PlatformError for AmocrmError {
    fn failure(&self) -> Failure {
        match self {
            AmocrmError::Api { status, message, .. } => match *status {
                429 => Failure::RetryLater {
                    after: Some(Duration::from_secs(1)),
                },
                401..=403 => Failure::Reconnect,
                500.. => Failure::PlatformDown,
                _ => Failure::Rejected {
                    reason: message.clone(),
                },
            },
            _ => Failure::PlatformDown,
        }
    }
}

/// The OAuth credentials of a connection. `Debug` never shows them.
#[derive(Clone, PartialEq, Eq, serde::Serialize, Deserialize)]
pub struct Tokens {
    pub access_token: String,
    #[serde(default)]
    pub refresh_token: Option<String>,
    #[serde(default)]
    pub client_id: Option<String>,
    #[serde(default)]
    pub client_secret: Option<String>,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tokens(***)")
    }
}

impl Tokens {
    /// Whether the tokens can be refreshed (else it is a long-lived token).
    pub fn refreshable(&self) -> bool {
        self.refresh_token.is_some() && self.client_id.is_some() && self.client_secret.is_some()
    }
}

/// The account, as `/api/v4/account` gives it.
#[derive(Debug, Clone, Deserialize)]
pub struct Account {
    pub id: i64,
    pub name: String,
    #[serde(default)]
    pub subdomain: Option<String>,
    #[serde(default)]
    pub currency: Option<String>,
}

/// A status of a pipeline.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct Status {
    pub id: i64,
    pub name: String,
    #[serde(default)]
    pub sort: i64,
    #[serde(default)]
    pub pipeline_id: i64,
    /// 0 an ordinary status, 1 "unsorted".
    #[serde(default, rename = "type")]
    pub kind: i64,
}

/// A pipeline and its statuses.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct Pipeline {
    pub id: i64,
    pub name: String,
    #[serde(default)]
    pub is_main: bool,
    #[serde(rename = "_embedded", default)]
    pub embedded: PipelineEmbedded,
}

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
pub struct PipelineEmbedded {
    #[serde(default)]
    pub statuses: Vec<Status>,
}

/// One page of leads: the page as amoCRM answered it (for the `amocrm` format) and where the
/// next one is.
#[derive(Debug, Clone)]
pub struct LeadsPage {
    pub page: serde_json::Value,
    pub leads: usize,
    pub next: Option<String>,
}

/// A client for one account; cheap to clone. The tokens are the caller's: a refresh returns
/// the new ones, and [`AmocrmApi::with_access_token`] makes a client that uses them.
#[derive(Clone)]
pub struct AmocrmApi {
    http: HttpClient,
    base: String,
    access_token: String,
    timeout: Duration,
}

impl std::fmt::Debug for AmocrmApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AmocrmApi")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

impl AmocrmApi {
    /// `account_url` is the account's address (`https://NAME.amocrm.ru`).
    pub fn new(account_url: &str, access_token: &str) -> AmocrmApi {
        AmocrmApi {
            http: HttpClient::new(),
            base: account_url.trim_end_matches('/').to_owned(),
            access_token: access_token.to_owned(),
            timeout: Duration::from_secs(30),
        }
    }

    pub fn with_timeout(mut self, timeout: Duration) -> AmocrmApi {
        self.timeout = timeout;
        self
    }

    pub fn with_access_token(mut self, access_token: &str) -> AmocrmApi {
        self.access_token = access_token.to_owned();
        self
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    async fn get(&self, what: &'static str, url: &str) -> Result<Reply, AmocrmError> {
        let reply = self
            .http
            .send(
                hyper::Method::GET,
                url,
                &[("Authorization", format!("Bearer {}", self.access_token))],
                vec![],
                self.timeout,
            )
            .await
            .map_err(|e| AmocrmError::Transport {
                what,
                detail: e.to_string(),
            })?;
        if reply.status.is_success() {
            Ok(reply)
        } else {
            Err(error(what, &reply))
        }
    }

    fn decode<T: serde::de::DeserializeOwned>(what: &'static str, reply: &Reply) -> Result<T, AmocrmError> {
        serde_json::from_slice(&reply.body).map_err(|e| AmocrmError::Decode {
            what,
            detail: format!("HTTP {}: {e}", reply.status),
        })
    }

    pub async fn account(&self) -> Result<Account, AmocrmError> {
        let reply = self.get("account", &format!("{}/api/v4/account", self.base)).await?;
        Self::decode("account", &reply)
    }

    /// The pipelines answer as it came (for the `amocrm` format, which reads the stages from
    /// it).
    pub async fn pipelines_answer(&self) -> Result<serde_json::Value, AmocrmError> {
        let reply = self
            .get("pipelines", &format!("{}/api/v4/leads/pipelines", self.base))
            .await?;
        Self::decode("pipelines", &reply)
    }

    /// Every pipeline with its statuses.
    pub async fn pipelines(&self) -> Result<Vec<Pipeline>, AmocrmError> {
        #[derive(Deserialize)]
        struct Answer {
            #[serde(rename = "_embedded")]
            embedded: Pipelines,
        }
        #[derive(Deserialize)]
        struct Pipelines {
            pipelines: Vec<Pipeline>,
        }
        let reply = self
            .get("pipelines", &format!("{}/api/v4/leads/pipelines", self.base))
            .await?;
        if reply.status.as_u16() == 204 {
            return Ok(vec![]);
        }
        Ok(Self::decode::<Answer>("pipelines", &reply)?.embedded.pipelines)
    }

    /// The first page of the leads updated in `[from, to]` (Unix seconds), oldest id first.
    pub fn leads_url(&self, from: i64, to: i64) -> String {
        format!(
            "{}/api/v4/leads?limit={PAGE_LIMIT}&page=1&order[id]=asc&filter[updated_at][from]={from}&filter[updated_at][to]={to}",
            self.base
        )
    }

    /// A page of leads at `url` (the first from [`AmocrmApi::leads_url`], the next from the
    /// previous page's `next`). `None` when amoCRM answers 204 (no leads). A `next` link that
    /// leaves the account's address is not followed (the token would go with it).
    pub async fn leads_page(&self, url: &str) -> Result<Option<LeadsPage>, AmocrmError> {
        const WHAT: &str = "leads";
        if !url.starts_with(&format!("{}/", self.base)) {
            return Err(AmocrmError::Decode {
                what: WHAT,
                detail: "a page link outside the account's address".into(),
            });
        }
        let reply = self.get(WHAT, url).await?;
        if reply.status.as_u16() == 204 || reply.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        let page: serde_json::Value = Self::decode(WHAT, &reply)?;
        let leads = page
            .pointer("/_embedded/leads")
            .and_then(|l| l.as_array())
            .map(Vec::len)
            .ok_or_else(|| AmocrmError::Decode {
                what: WHAT,
                detail: "no `_embedded.leads` in the page".into(),
            })?;
        let next = page
            .pointer("/_links/next/href")
            .and_then(|h| h.as_str())
            .map(str::to_owned);
        Ok(Some(LeadsPage { page, leads, next }))
    }

    /// Exchanges the refresh token for a new pair. The old refresh token no longer works once
    /// this answers: store the result before anything else.
    pub async fn refresh(&self, tokens: &Tokens) -> Result<Tokens, AmocrmError> {
        const WHAT: &str = "token refresh";
        let (Some(refresh), Some(id), Some(secret)) = (&tokens.refresh_token, &tokens.client_id, &tokens.client_secret)
        else {
            return Err(AmocrmError::Api {
                what: WHAT,
                status: 401,
                message: "the token cannot be refreshed (no refresh token, client id or secret)".into(),
            });
        };
        let body = serde_json::json!({
            "client_id": id, "client_secret": secret, "grant_type": "refresh_token",
            "refresh_token": refresh, "redirect_uri": format!("{}/", self.base),
        });
        let reply = self
            .http
            .send(
                hyper::Method::POST,
                &format!("{}/oauth2/access_token", self.base),
                &[("Content-Type", "application/json".to_owned())],
                body.to_string().into_bytes(),
                self.timeout,
            )
            .await
            .map_err(|e| AmocrmError::Transport {
                what: WHAT,
                detail: e.to_string(),
            })?;
        if !reply.status.is_success() {
            return Err(error(WHAT, &reply));
        }
        #[derive(Deserialize)]
        struct Answer {
            access_token: String,
            refresh_token: String,
        }
        let answer: Answer = Self::decode(WHAT, &reply)?;
        Ok(Tokens {
            access_token: answer.access_token,
            refresh_token: Some(answer.refresh_token),
            client_id: tokens.client_id.clone(),
            client_secret: tokens.client_secret.clone(),
        })
    }
}

fn error(what: &'static str, reply: &Reply) -> AmocrmError {
    #[derive(Deserialize)]
    struct Problem {
        #[serde(default)]
        title: String,
        #[serde(default)]
        detail: String,
        #[serde(default)]
        hint: String,
    }
    let message = match serde_json::from_slice::<Problem>(&reply.body) {
        Ok(p) => [p.title, p.detail, p.hint]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(": "),
        Err(_) => String::from_utf8_lossy(&reply.body).chars().take(200).collect(),
    };
    AmocrmError::Api {
        what,
        status: reply.status.as_u16(),
        message,
    }
}
