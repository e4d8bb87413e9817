//! The Telegram Bot API: the objects Keel reads and writes ([`types`]) and the client
//! ([`api`]), one function per method.

pub mod api;
pub mod types;

pub use api::{BotToken, DEFAULT_API_URL, TelegramApi, TelegramError, Upload, escape_html, message_url};
