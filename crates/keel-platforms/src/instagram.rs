//! The Instagram Graph API with Instagram Login (`https://graph.instagram.com`): what Keel reads
//! to check a connection — the account behind the token (`GET /me?fields=user_id,username`) and
//! its publishing quota (`GET /{ig-user-id}/content_publishing_limit?fields=quota_usage,config`).
//! Errors come as a 4xx with `{"error": {"message", "type", "code", "fbtrace_id"}}`; code 190
//! (`OAuthException`) is an invalid, expired or revoked token; 4, 17, 32 and 613 are rate limits.

use crate::failure::{Failure, PlatformError};
use crate::http::HttpClient;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::time::Duration;

pub const DEFAULT_API_URL: &str = "https://graph.instagram.com";

#[derive(Debug, thiserror::Error)]
pub enum InstagramError {
    #[error("Instagram {what}: error {code}: {message}")]
    Api {
        what: &'static str,
        code: i64,
        message: String,
    },
    #[error("Instagram {what}: {detail}")]
    Transport { what: &'static str, detail: String },
    #[error("Instagram {what}: unexpected answer: {detail}")]
    Decode { what: &'static str, detail: String },
}

impl InstagramError {
    pub fn code(&self) -> Option<i64> {
        match self {
            InstagramError::Api { code, .. } => Some(*code),
            _ => None,
        }
    }
}

impl PlatformError for InstagramError {
    fn failure(&self) -> Failure {
        match self {
            InstagramError::Api { code, message, .. } => match *code {
                190 => Failure::Reconnect,
                4 | 17 | 32 | 613 => Failure::RetryLater { after: None },
                1 | 2 => Failure::PlatformDown,
                _ => Failure::Rejected {
                    reason: message.clone(),
                },
            },
            _ => Failure::PlatformDown,
        }
    }
}

/// The account behind the token.
#[derive(Debug, Clone, Deserialize)]
pub struct Me {
    /// The app-scoped id.
    #[serde(default)]
    pub id: Option<String>,
    /// The Instagram professional account's id (what `/{ig-user-id}/…` takes).
    #[serde(default)]
    pub user_id: Option<String>,
    #[serde(default)]
    pub username: Option<String>,
}

/// How much of the 24-hour publishing quota is used.
#[derive(Debug, Clone, Deserialize)]
pub struct PublishingLimit {
    #[serde(default)]
    pub quota_usage: i64,
    #[serde(default)]
    pub config: Option<QuotaConfig>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct QuotaConfig {
    pub quota_total: i64,
    #[serde(default)]
    pub quota_duration: i64,
}

#[derive(Deserialize)]
struct Data<T> {
    data: Vec<T>,
}

#[derive(Deserialize)]
struct ErrorEnvelope {
    error: ApiError,
}

#[derive(Deserialize)]
struct ApiError {
    #[serde(default)]
    message: String,
    code: i64,
}

/// A client for one access token; cheap to clone.
#[derive(Clone)]
pub struct InstagramApi {
    http: HttpClient,
    base: String,
    token: String,
    timeout: Duration,
}

impl std::fmt::Debug for InstagramApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InstagramApi")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

impl InstagramApi {
    pub fn new(api_url: &str, token: &str) -> InstagramApi {
        InstagramApi {
            http: HttpClient::new(),
            base: api_url.trim_end_matches('/').to_owned(),
            token: token.to_owned(),
            timeout: Duration::from_secs(30),
        }
    }

    pub fn with_timeout(mut self, timeout: Duration) -> InstagramApi {
        self.timeout = timeout;
        self
    }

    async fn get<T: DeserializeOwned>(
        &self,
        what: &'static str,
        path: &str,
        fields: &str,
    ) -> Result<T, InstagramError> {
        let query = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("fields", fields)
            .append_pair("access_token", &self.token)
            .finish();
        let url = format!("{}/{path}?{query}", self.base);
        let (status, bytes) = self
            .http
            .get(&url, self.timeout)
            .await
            .map_err(|e| InstagramError::Transport {
                what,
                detail: e.to_string(),
            })?;
        if let Ok(ErrorEnvelope { error }) = serde_json::from_slice(&bytes) {
            return Err(InstagramError::Api {
                what,
                code: error.code,
                message: error.message,
            });
        }
        serde_json::from_slice(&bytes).map_err(|e| InstagramError::Decode {
            what,
            detail: format!("HTTP {status}: {e}"),
        })
    }

    pub async fn me(&self) -> Result<Me, InstagramError> {
        self.get("me", "me", "user_id,username").await
    }

    pub async fn content_publishing_limit(&self, user_id: &str) -> Result<PublishingLimit, InstagramError> {
        let limits: Data<PublishingLimit> = self
            .get(
                "content_publishing_limit",
                &format!("{user_id}/content_publishing_limit"),
                "quota_usage,config",
            )
            .await?;
        limits.data.into_iter().next().ok_or(InstagramError::Decode {
            what: "content_publishing_limit",
            detail: "no data".into(),
        })
    }
}
