//! A client for the Telegram Bot API: the methods Keel needs, each a JSON POST to
//! `{api_url}/bot{token}/{method}` with a timeout, with the API's documented error shape turned
//! into [`TelegramError`].

use super::types::*;
use crate::failure::{Failure, PlatformError};
use crate::http::HttpClient;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::json;
use std::time::Duration;

/// The bot's token is a secret: `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct BotToken(pub String);

impl std::fmt::Debug for BotToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BotToken(***)")
    }
}

/// The public Bot API server.
pub const DEFAULT_API_URL: &str = "https://api.telegram.org";

#[derive(Debug, thiserror::Error)]
pub enum TelegramError {
    /// The API answered `ok: false`. `retry_after` (seconds) comes with 429 Too Many Requests.
    #[error("Telegram {method}: {code} {description}")]
    Api {
        method: &'static str,
        code: i64,
        description: String,
        retry_after: Option<u64>,
    },
    /// The request did not get an answer (network, timeout). The detail never holds the URL,
    /// which carries the token.
    #[error("Telegram {method}: {detail}")]
    Transport { method: &'static str, detail: String },
    /// The answer was not the documented shape.
    #[error("Telegram {method}: unexpected answer: {detail}")]
    Decode { method: &'static str, detail: String },
}

impl TelegramError {
    /// Seconds to wait before calling again, when the API said so.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            TelegramError::Api { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The API's error code, if it answered.
    pub fn code(&self) -> Option<i64> {
        match self {
            TelegramError::Api { code, .. } => Some(*code),
            _ => None,
        }
    }
}

impl PlatformError for TelegramError {
    /// 429 and 409 (another poller) wait; 401 (the token is wrong or revoked) and 403 (the bot
    /// was blocked, or removed from the chat or channel) need a person; other 4xx refuse this
    /// request; 5xx, no answer or an unexpected one mean the API is not reachable as documented.
    fn failure(&self) -> Failure {
        match self {
            TelegramError::Api {
                code,
                description,
                retry_after,
                ..
            } => match code {
                429 | 409 => Failure::RetryLater {
                    after: retry_after.map(Duration::from_secs),
                },
                401 | 403 => Failure::Reconnect,
                400..=499 => Failure::Rejected {
                    reason: description.clone(),
                },
                _ => Failure::PlatformDown,
            },
            TelegramError::Transport { .. } | TelegramError::Decode { .. } => Failure::PlatformDown,
        }
    }
}

/// A Bot API client; cheap to clone.
#[derive(Clone)]
pub struct TelegramApi {
    http: HttpClient,
    base: String,
    token: BotToken,
    timeout: Duration,
}

impl std::fmt::Debug for TelegramApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TelegramApi")
            .field("base", &self.base)
            .field("token", &self.token)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl TelegramApi {
    /// How long a call may take, unless set with [`TelegramApi::with_timeout`].
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

    /// A client for the bot `token` at `api_url` (normally [`DEFAULT_API_URL`]; plain http is
    /// accepted for a local Bot API server or tests).
    pub fn new(api_url: &str, token: BotToken) -> TelegramApi {
        TelegramApi {
            http: HttpClient::new(),
            base: api_url.trim_end_matches('/').to_owned(),
            token,
            timeout: Self::DEFAULT_TIMEOUT,
        }
    }

    /// The same client with calls given `timeout` to answer (long polls get their wait on top).
    pub fn with_timeout(mut self, timeout: Duration) -> TelegramApi {
        self.timeout = timeout;
        self
    }

    async fn call<T: DeserializeOwned>(
        &self,
        method: &'static str,
        body: &impl Serialize,
        timeout: Duration,
    ) -> Result<T, TelegramError> {
        let url = format!("{}/bot{}/{method}", self.base, self.token.0);
        let body = serde_json::to_vec(body).expect("request bodies serialize");
        let (status, bytes) = self
            .http
            .post(&url, "application/json", body, timeout)
            .await
            .map_err(|e| TelegramError::Transport {
                method,
                detail: e.to_string(),
            })?;
        let parsed: ApiResponse<T> = serde_json::from_slice(&bytes).map_err(|e| TelegramError::Decode {
            method,
            detail: format!("HTTP {status}: {e}"),
        })?;
        match (parsed.ok, parsed.result) {
            (true, Some(result)) => Ok(result),
            (true, None) => Err(TelegramError::Decode {
                method,
                detail: "ok without a result".into(),
            }),
            (false, _) => Err(TelegramError::Api {
                method,
                code: parsed.error_code.unwrap_or(i64::from(status.as_u16())),
                description: parsed.description.unwrap_or_default(),
                retry_after: parsed.parameters.and_then(|p| p.retry_after),
            }),
        }
    }

    /// The bot itself (its `username` makes the `t.me/<bot>?start=CODE` link).
    pub async fn get_me(&self) -> Result<User, TelegramError> {
        self.call("getMe", &json!({}), self.timeout).await
    }

    /// Sends plain text (no parse mode, so nothing in it needs escaping) with optional buttons.
    pub async fn send_message(
        &self,
        chat_id: i64,
        text: &str,
        reply_markup: Option<&ReplyMarkup>,
    ) -> Result<Message, TelegramError> {
        let mut body = json!({ "chat_id": chat_id, "text": text, "link_preview_options": { "is_disabled": true } });
        if let Some(markup) = reply_markup {
            body["reply_markup"] = serde_json::to_value(markup).expect("markup serializes");
        }
        self.call("sendMessage", &body, self.timeout).await
    }

    /// Long polling: waits up to `timeout_secs` for updates after `offset` (the last seen
    /// `update_id` + 1, which also confirms the earlier ones to Telegram).
    pub async fn get_updates(&self, offset: Option<i64>, timeout_secs: u64) -> Result<Vec<Update>, TelegramError> {
        let mut body = json!({ "timeout": timeout_secs, "allowed_updates": ["message", "callback_query"] });
        if let Some(offset) = offset {
            body["offset"] = json!(offset);
        }
        self.call("getUpdates", &body, Duration::from_secs(timeout_secs) + self.timeout)
            .await
    }

    /// Stops the button's spinner, optionally showing `text` (as an alert when `alert`).
    pub async fn answer_callback_query(
        &self,
        id: &str,
        text: Option<&str>,
        alert: bool,
    ) -> Result<bool, TelegramError> {
        let mut body = json!({ "callback_query_id": id, "show_alert": alert });
        if let Some(text) = text {
            body["text"] = json!(text);
        }
        self.call("answerCallbackQuery", &body, self.timeout).await
    }

    /// Replaces a message's buttons; `None` removes them (after a decision).
    pub async fn edit_message_reply_markup(
        &self,
        chat_id: i64,
        message_id: i64,
        reply_markup: Option<&InlineKeyboardMarkup>,
    ) -> Result<(), TelegramError> {
        let mut body = json!({ "chat_id": chat_id, "message_id": message_id });
        if let Some(markup) = reply_markup {
            body["reply_markup"] = serde_json::to_value(markup).expect("markup serializes");
        }
        // The result is the edited Message, or `true` for inline messages: either is success.
        let _: serde_json::Value = self.call("editMessageReplyMarkup", &body, self.timeout).await?;
        Ok(())
    }
}
