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
    /// `KEEL_META_API_URL` (Meta Marketing API) and `KEEL_YANDEX_DIRECT_API_URL`; amoCRM and
    /// Bitrix24 are called at the account's own address, kept on the connection.
    pub meta_api_url: String,
    pub yandex_direct_api_url: String,
    /// Requests a second per connection, per platform.
    pub rates: Rates,
    /// The longest wait between checks of a Yandex Direct offline report, whatever its
    /// `retryIn` says.
    pub report_poll_cap: Duration,
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
            meta_api_url: "https://graph.facebook.com".into(),
            yandex_direct_api_url: keel_platforms::yandex_direct::DEFAULT_API_URL.into(),
            rates: Rates::default(),
            report_poll_cap: Duration::from_secs(60),
            telegram_bot: None,
            key: None,
            timeout: Duration::from_secs(30),
            public_url: None,
            instagram_poll: Duration::from_secs(2),
        }
    }
}

/// Requests a second per connection (0: no limit). The defaults are the platforms' own
/// limits: VK 3 a second for a user token, amoCRM 7, Bitrix24 2 (its drain rate).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rates {
    pub vk: f64,
    pub amocrm: f64,
    pub bitrix24: f64,
    pub yandex_direct: f64,
    pub telegram: f64,
    pub instagram: f64,
    pub meta: f64,
}

impl Default for Rates {
    fn default() -> Self {
        Rates {
            vk: 3.0,
            amocrm: keel_platforms::amocrm::REQUESTS_PER_SECOND,
            bitrix24: 2.0,
            yandex_direct: 5.0,
            telegram: 20.0,
            instagram: 5.0,
            meta: 5.0,
        }
    }
}
