//! A person's notifications: the in-app inbox and its API, and the notification settings
//! (channels, language, Telegram link).

pub mod api;
pub mod inbox;
pub mod settings;
