//! keel-notify against real local servers: an SMTP server (mailin-embedded) and a Bot API
//! server (axum) that the tests start on loopback, plus an independent iCalendar parser.

mod bot_server;
mod fixtures;
mod ical_feed;
mod smtp;
mod smtp_server;
mod telegram_api;
mod telegram_bot;
