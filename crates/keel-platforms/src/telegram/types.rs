//! The Bot API objects Keel reads and writes, with the API's own field names
//! (<https://core.telegram.org/bots/api#available-types>). Fields Keel does not use are
//! ignored when reading.

use serde::{Deserialize, Serialize};

/// One incoming update from `getUpdates`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Update {
    pub update_id: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<Message>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_query: Option<CallbackQuery>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct User {
    pub id: i64,
    pub is_bot: bool,
    pub first_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Chat {
    pub id: i64,
    /// `private`, `group`, `supergroup` or `channel`.
    #[serde(rename = "type")]
    pub kind: String,
    /// A channel's or group's public username (without `@`), when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
}

/// A chat as `getChat` describes it (`ChatFullInfo`; the fields Keel reads).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct ChatInfo {
    pub id: i64,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
}

/// A member of a chat (`ChatMember`): `status` is `creator`, `administrator`, `member`,
/// `restricted`, `left` or `kicked`; administrators of channels have `can_post_messages`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct ChatMember {
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can_post_messages: Option<bool>,
}

impl ChatMember {
    /// Whether a bot with this membership may post to a channel.
    pub fn may_post(&self) -> bool {
        self.status == "creator" || (self.status == "administrator" && self.can_post_messages == Some(true))
    }
}

impl Chat {
    pub fn is_private(&self) -> bool {
        self.kind == "private"
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Message {
    pub message_id: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<User>,
    pub chat: Chat,
    /// Unix time; 0 for a message the bot can no longer access.
    pub date: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to_message: Option<Box<Message>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_markup: Option<InlineKeyboardMarkup>,
}

/// A press of an inline button.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct CallbackQuery {
    pub id: String,
    pub from: User,
    /// The message with the button (absent for inline-mode messages).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<Message>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct InlineKeyboardMarkup {
    pub inline_keyboard: Vec<Vec<InlineKeyboardButton>>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct InlineKeyboardButton {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_data: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// Asks the client to show a reply box quoting the bot's message (`ForceReply`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct ForceReply {
    pub force_reply: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_field_placeholder: Option<String>,
}

/// What may go in `reply_markup` of `sendMessage`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ReplyMarkup {
    Inline(InlineKeyboardMarkup),
    ForceReply(ForceReply),
}

/// Every Bot API answer: `{"ok":true,"result":…}` or
/// `{"ok":false,"error_code":…,"description":…,"parameters":{"retry_after":…}}`.
#[derive(Debug, Deserialize)]
pub(crate) struct ApiResponse<T> {
    pub ok: bool,
    pub result: Option<T>,
    pub error_code: Option<i64>,
    pub description: Option<String>,
    pub parameters: Option<ResponseParameters>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct ResponseParameters {
    pub retry_after: Option<u64>,
}
