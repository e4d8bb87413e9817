//! The Telegram bot: notification delivery ([`deliver`]) and the update loop that links chats and
//! turns button presses into decisions ([`bot`]). Both talk to Telegram through the Bot API client
//! of `keel-platforms`, re-exported here because their constructors take it.

pub mod bot;
pub mod deliver;

pub use bot::{ApprovalDesk, Bot, BotCommand, DeskFuture};
pub use deliver::TelegramChannel;
pub use keel_platforms::telegram::{BotToken, DEFAULT_API_URL, TelegramApi, TelegramError};
