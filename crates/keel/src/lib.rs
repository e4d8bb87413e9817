//! The `keel` command: configuration, the CLI commands and the demo data. Kept as a library so
//! the integration tests drive exactly what the binary runs.

#![forbid(unsafe_code)]

pub mod cli;
pub mod commands;
pub mod config;
pub mod demo;
// The background job runner with every job kind.
pub mod jobs;
// The notification channels the configuration enables, and the Telegram bot.
pub mod notify;
// Decisions taken in Telegram, carried out by the workflow.
pub mod desk;
