//! A small client for the Telegram Bot API: the methods Keel needs, each a JSON POST to
//! `{api_url}/bot{token}/{method}`, with the API's documented error shape turned into
//! [`TelegramError`].

use super::types::*;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper::header::CONTENT_TYPE;
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
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

/// A Bot API client; cheap to clone.
#[derive(Clone)]
pub struct TelegramApi {
    http: Client<HttpsConnector<HttpConnector>, Full<Bytes>>,
    base: String,
    token: BotToken,
}

impl std::fmt::Debug for TelegramApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TelegramApi")
            .field("base", &self.base)
            .field("token", &self.token)
            .finish()
    }
}

impl TelegramApi {
    /// A client for the bot `token` at `api_url` (normally [`DEFAULT_API_URL`]; plain http is
    /// accepted for a local Bot API server or tests).
    pub fn new(api_url: &str, token: BotToken) -> TelegramApi {
        let mut http = HttpConnector::new();
        http.set_connect_timeout(Some(Duration::from_secs(10)));
        http.enforce_http(false);
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_webpki_roots(std::sync::Arc::new(rustls::crypto::aws_lc_rs::default_provider()))
            .expect("aws-lc-rs supports the default TLS versions")
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        TelegramApi {
            http: Client::builder(TokioExecutor::new()).build(connector),
            base: api_url.trim_end_matches('/').to_owned(),
            token,
        }
    }

    async fn call<T: DeserializeOwned>(
        &self,
        method: &'static str,
        body: &impl Serialize,
        timeout: Duration,
    ) -> Result<T, TelegramError> {
        let transport = |detail: String| TelegramError::Transport { method, detail };
        let request = Request::post(format!("{}/bot{}/{method}", self.base, self.token.0))
            .header(CONTENT_TYPE, "application/json")
            .body(Full::new(Bytes::from(
                serde_json::to_vec(body).expect("request bodies serialize"),
            )))
            .map_err(|_| transport("the API URL is not valid".into()))?;
        let exchange = async {
            let response = self.http.request(request).await.map_err(|e| transport(describe(&e)))?;
            let status = response.status();
            let bytes = response
                .into_body()
                .collect()
                .await
                .map_err(|e| transport(e.to_string()))?
                .to_bytes();
            Ok::<_, TelegramError>((status, bytes))
        };
        let (status, bytes) = tokio::time::timeout(timeout, exchange)
            .await
            .map_err(|_| transport(format!("no answer within {} s", timeout.as_secs())))??;
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

    const SHORT: Duration = Duration::from_secs(30);

    /// The bot itself (its `username` makes the `t.me/<bot>?start=CODE` link).
    pub async fn get_me(&self) -> Result<User, TelegramError> {
        self.call("getMe", &json!({}), Self::SHORT).await
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
        self.call("sendMessage", &body, Self::SHORT).await
    }

    /// Long polling: waits up to `timeout_secs` for updates after `offset` (the last seen
    /// `update_id` + 1, which also confirms the earlier ones to Telegram).
    pub async fn get_updates(&self, offset: Option<i64>, timeout_secs: u64) -> Result<Vec<Update>, TelegramError> {
        let mut body = json!({ "timeout": timeout_secs, "allowed_updates": ["message", "callback_query"] });
        if let Some(offset) = offset {
            body["offset"] = json!(offset);
        }
        self.call("getUpdates", &body, Duration::from_secs(timeout_secs + 15))
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
        self.call("answerCallbackQuery", &body, Self::SHORT).await
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
        let _: serde_json::Value = self.call("editMessageReplyMarkup", &body, Self::SHORT).await?;
        Ok(())
    }
}

/// A client error with its causes (connection refused, TLS failure), none of which hold the URL.
fn describe(error: &hyper_util::client::legacy::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
