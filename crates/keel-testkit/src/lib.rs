//! What Keel's test suites share (a dev-dependency only, never shipped):
//!
//! - [`db`]: a fresh database per test on either backend — SQLite in a temporary directory,
//!   PostgreSQL created on the server at 127.0.0.1:5432 and dropped afterwards — and the rule for
//!   a missing service: `SKIPPED <test>: <reason>` on stderr, or a failure when
//!   `KEEL_TEST_REQUIRE` demands it;
//! - [`smtp`]: a real SMTP server on loopback that keeps what it receives;
//! - [`bot_api`]: a local Telegram Bot API server answering with the documented shapes;
//! - [`vk_api`]: a local VK API server (methods, photo upload, errors as HTTP 200);
//! - [`yandex_direct_api`], [`amocrm_api`]: local Yandex Direct Reports and amoCRM servers;
//! - [`instagram_api`], [`meta_ads_api`], [`bitrix24_api`]: local Instagram Graph API, Meta
//!   Marketing API and Bitrix24 REST servers;
//! - [`vk_schema`]: VK answers checked against the published API schema;
//! - [`day_sums`]: day sums compared with a recount.

#![forbid(unsafe_code)]

pub mod amocrm_api;
pub mod bitrix24_api;
pub mod bot_api;
pub mod day_sums;
pub mod db;
mod graph_errors;
pub mod instagram_api;
pub mod meta_ads_api;
pub mod smtp;
pub mod vk_api;
pub mod vk_schema;
pub mod yandex_direct_api;

pub use db::{Backend, TestDb, required, skip, temp_sqlite};
