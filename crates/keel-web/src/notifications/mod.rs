//! A person's notifications: the in-app inbox and the notification settings (channels,
//! language, Telegram link).

pub mod inbox;
pub mod settings;
