//! Keel's HTTP clients for the social platforms. Each platform has its module with the
//! platform's own objects (typed, with the API's field names) and one client function per
//! endpoint; every call has a timeout, and whatever goes wrong is an error of that platform
//! that tells, through [`PlatformError::failure`], which of four things the caller should do
//! ([`Failure`]). No database: what to store, retry or show is the caller's business.
//!
//! - [`telegram`]: the Telegram Bot API.
//! - [`vk`]: the VK API (communities and their walls).
//! - [`instagram`]: the Instagram Graph API (the account and its publishing quota).
//! - [`meta`]: the Meta Marketing API (an ad account, campaign insights, report runs).
//! - [`graph`]: the errors both of Meta's Graph APIs (Instagram, Marketing) answer.
//! - [`yandex_direct`]: the Yandex Direct Reports service (offline reports, TSV).
//! - [`amocrm`]: the amoCRM API v4 (leads, pipelines, OAuth refresh).
//! - [`bitrix24`]: Bitrix24 REST through an inbound webhook (`crm.deal.list`).
//! - [`pace`]: per-connection request rates and patience with "slow down" answers.
//!
//! Another platform (VK, Instagram, …) is another module beside it: its objects, a client made
//! from its `KEEL_*_API_URL`, the shared HTTP client (`http`: rustls with aws-lc-rs, connect and
//! call timeouts, errors that never show the URL), and an error implementing [`PlatformError`].

#![forbid(unsafe_code)]

pub mod amocrm;
pub mod bitrix24;
mod failure;
pub mod graph;
mod http;
pub mod instagram;
pub mod meta;
pub mod pace;
pub mod telegram;
pub mod vk;
pub mod yandex_direct;

pub use failure::{Failure, PlatformError};
pub use pace::{Pace, patiently};
