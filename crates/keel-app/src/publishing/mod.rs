//! Connections and publishing (PRODUCT.md "Connections and publishing"):
//!
//! - [`Platforms`]: where the platforms' APIs are (`KEEL_*_API_URL`), the installation's secret
//!   key and bot, the call timeout — built once by the binary, shared by the API and the jobs;
//! - [`connect`]: connecting an account checks it with the platform first and says what is
//!   wrong in words ([`Problem`]);
//! - [`send`] (the publishing job, `jobs::publish`): one platform's publication of a post;
//! - [`words`]: the reasons a publication failed, in the reader's language.

pub mod connect;
pub mod send;
pub mod words;

pub use connect::{ConnectInput, Problem, connect, connections, remove};

use keel_platforms::telegram::BotToken;
use keel_store::sealing::SecretKey;
use std::time::Duration;

/// Everything publishing and connection checks need from the configuration.
#[derive(Debug, Clone)]
pub struct Platforms {
    pub vk_api_url: String,
    pub telegram_api_url: String,
    pub instagram_api_url: String,
    /// The installation's own bot, used for channels connected without a `bot_token`.
    pub telegram_bot: Option<BotToken>,
    /// Seals and opens credentials; without it connections cannot be made.
    pub key: Option<SecretKey>,
    /// How long one call to a platform may take.
    pub timeout: Duration,
    /// The installation's public address (Instagram fetches images from under it).
    pub public_url: Option<String>,
    /// The first wait before asking Instagram whether a media container is ready (it doubles
    /// after each "in progress", up to 30 s).
    pub instagram_poll: Duration,
}

impl Default for Platforms {
    fn default() -> Self {
        Platforms {
            vk_api_url: keel_platforms::vk::DEFAULT_API_URL.into(),
            telegram_api_url: keel_platforms::telegram::DEFAULT_API_URL.into(),
            instagram_api_url: "https://graph.instagram.com".into(),
            telegram_bot: None,
            key: None,
            timeout: Duration::from_secs(30),
            public_url: None,
            instagram_poll: Duration::from_secs(2),
        }
    }
}
