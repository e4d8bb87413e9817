//! The Telegram bot: a Bot API client ([`api`]), notification delivery ([`deliver`]) and the
//! update loop that links chats and turns button presses into decisions ([`bot`]).

pub mod api;
pub mod bot;
pub mod deliver;
pub mod types;

pub use api::{BotToken, DEFAULT_API_URL, TelegramApi, TelegramError};
pub use bot::{ApprovalDesk, Bot, BotCommand, DeskFuture};
pub use deliver::TelegramChannel;
