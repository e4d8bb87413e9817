//! The `keel` command: configuration, the CLI commands and the demo data. Kept as a library so
//! the integration tests drive exactly what the binary runs.

#![forbid(unsafe_code)]

pub mod cli;
pub mod commands;
pub mod config;
pub mod demo;
// The background job runner with every job kind (issue 4).
pub mod jobs;
// Notifications and calendars (helper "notify").
pub mod notify;
// Wiring of the workflow into notifications, the bot, feeds and health (helper "wire").
pub mod desk;
