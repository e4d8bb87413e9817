//! A client for the Telegram Bot API: the methods Keel needs, each a JSON POST to
//! `{api_url}/bot{token}/{method}` with a timeout, with the API's documented error shape turned
//! into [`TelegramError`].

use super::types::*;
use crate::failure::{Failure, PlatformError};
use crate::http::{HttpClient, Multipart};
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
        let body = serde_json::to_vec(body).expect("request bodies serialize");
        self.exchange(method, "application/json", body, timeout).await
    }

    /// A call with files: `multipart/form-data` (how the Bot API takes uploads).
    async fn call_multipart<T: DeserializeOwned>(
        &self,
        method: &'static str,
        form: Multipart,
    ) -> Result<T, TelegramError> {
        let (content_type, body) = form.finish();
        self.exchange(method, &content_type, body, self.timeout).await
    }

    async fn exchange<T: DeserializeOwned>(
        &self,
        method: &'static str,
        content_type: &str,
        body: Vec<u8>,
        timeout: Duration,
    ) -> Result<T, TelegramError> {
        let url = format!("{}/bot{}/{method}", self.base, self.token.0);
        let (status, bytes) =
            self.http
                .post(&url, content_type, body, timeout)
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

    // Channels: the connection check and publishing.

    /// A chat by `@username` or numeric id (`getChat`).
    pub async fn get_chat(&self, chat: &str) -> Result<ChatInfo, TelegramError> {
        self.call("getChat", &json!({ "chat_id": chat_ref(chat) }), self.timeout)
            .await
    }

    /// The number of members (subscribers) of `chat` (`getChatMemberCount`): the only figure
    /// of a channel the Bot API gives (no views, no reactions).
    pub async fn get_chat_member_count(&self, chat: &str) -> Result<i64, TelegramError> {
        self.call(
            "getChatMemberCount",
            &json!({ "chat_id": chat_ref(chat) }),
            self.timeout,
        )
        .await
    }

    /// What `user_id` is in `chat` (`getChatMember`): for the bot itself, whether it is an
    /// administrator allowed to post.
    pub async fn get_chat_member(&self, chat: &str, user_id: i64) -> Result<ChatMember, TelegramError> {
        self.call(
            "getChatMember",
            &json!({ "chat_id": chat_ref(chat), "user_id": user_id }),
            self.timeout,
        )
        .await
    }

    /// Posts `html` (Telegram's HTML parse mode; escape text with [`escape_html`]) to a chat.
    pub async fn send_html(&self, chat: &str, html: &str) -> Result<Message, TelegramError> {
        let body = json!({ "chat_id": chat_ref(chat), "text": html, "parse_mode": "HTML" });
        self.call("sendMessage", &body, self.timeout).await
    }

    /// Posts one photo (uploaded as a file) with an HTML caption (at most 1 024 characters).
    pub async fn send_photo(
        &self,
        chat: &str,
        caption_html: &str,
        photo: &Upload<'_>,
    ) -> Result<Message, TelegramError> {
        let form = Multipart::new()
            .text("chat_id", chat)
            .text("caption", caption_html)
            .text("parse_mode", "HTML")
            .file("photo", photo.file_name, photo.content_type, photo.bytes);
        self.call_multipart("sendPhoto", form).await
    }

    /// Posts 2–10 photos as an album, the HTML caption on the first (`sendMediaGroup`).
    pub async fn send_media_group(
        &self,
        chat: &str,
        caption_html: &str,
        photos: &[Upload<'_>],
    ) -> Result<Vec<Message>, TelegramError> {
        let media: Vec<serde_json::Value> = photos
            .iter()
            .enumerate()
            .map(|(i, _)| {
                let mut item = json!({ "type": "photo", "media": format!("attach://photo{i}") });
                if i == 0 {
                    item["caption"] = json!(caption_html);
                    item["parse_mode"] = json!("HTML");
                }
                item
            })
            .collect();
        let mut form = Multipart::new()
            .text("chat_id", chat)
            .text("media", &serde_json::Value::Array(media).to_string());
        for (i, photo) in photos.iter().enumerate() {
            form = form.file(&format!("photo{i}"), photo.file_name, photo.content_type, photo.bytes);
        }
        self.call_multipart("sendMediaGroup", form).await
    }
}

/// A file to upload.
#[derive(Debug, Clone, Copy)]
pub struct Upload<'a> {
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub bytes: &'a [u8],
}

/// `@username` goes as a string, a numeric id as a number.
fn chat_ref(chat: &str) -> serde_json::Value {
    match chat.trim().parse::<i64>() {
        Ok(id) => json!(id),
        Err(_) => json!(chat.trim()),
    }
}

/// Text made safe for Telegram's HTML parse mode: `<`, `>` and `&` escaped (the only
/// characters the Bot API requires escaping in text).
pub fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The public link of a channel message: `t.me/<username>/<id>`, or `t.me/c/<id>/<id>` for a
/// private channel (its id without the `-100` prefix).
pub fn message_url(chat: &Chat, message_id: i64) -> String {
    match &chat.username {
        Some(username) => format!("https://t.me/{username}/{message_id}"),
        None => {
            let id = chat.id.to_string();
            let internal = id.strip_prefix("-100").unwrap_or(id.trim_start_matches('-'));
            format!("https://t.me/c/{internal}/{message_id}")
        }
    }
}
