//! Wiring of the notification connectors into `keel serve`: the delivery channels the
//! configuration enables, and the Telegram bot's polling loop.

use crate::config::NotifyConfig;
use keel_domain::notification::Deliver;
use keel_notify::email::EmailChannel;
use keel_notify::telegram::{ApprovalDesk, Bot, TelegramApi, TelegramChannel};
use keel_store::Store;
use keel_web::TelegramWeb;
use std::sync::Arc;
use std::time::Duration;

/// The e-mail and Telegram channels the configuration enables (the in-app inbox belongs to the
/// workflow); `keel serve` hands them to the job runner (`jobs::runner_with`), which calls
/// `deliver` for each notification and retries an `Err`.
pub fn delivery_channels(config: &NotifyConfig, store: &Store) -> anyhow::Result<Vec<Arc<dyn Deliver>>> {
    let public_url = config.public_url.clone().unwrap_or_default();
    let mut channels: Vec<Arc<dyn Deliver>> = vec![];
    if let Some(smtp) = &config.smtp {
        let email = EmailChannel::new(store.clone(), smtp, &public_url).map_err(anyhow::Error::msg)?;
        channels.push(Arc::new(email));
    }
    if let Some(token) = &config.telegram_bot_token {
        let api = TelegramApi::new(&config.telegram_api_url, token.clone());
        channels.push(Arc::new(TelegramChannel::new(api, store.clone(), &public_url)));
    }
    Ok(channels)
}

/// Decisions from Telegram go through the workflow (see `desk.rs`).
pub use crate::desk::WorkflowDesk;

/// Starts the bot when a token is configured: learns its username (for `t.me` links; a failure
/// only loses the link, the bot still runs) and spawns the polling loop, which ends when
/// `shutdown` resolves. Returns what the pages need to know.
pub async fn start_telegram<D: ApprovalDesk + 'static>(
    config: &NotifyConfig,
    store: &Store,
    desk: D,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Option<(TelegramWeb, tokio::task::JoinHandle<()>)> {
    let token = config.telegram_bot_token.clone()?;
    let api = TelegramApi::new(&config.telegram_api_url, token);
    let bot_username = match tokio::time::timeout(Duration::from_secs(10), api.get_me()).await {
        Ok(Ok(me)) => me.username,
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "Telegram getMe failed: link pages will show the code without a t.me link");
            None
        }
        Err(_) => {
            tracing::warn!("Telegram getMe timed out: link pages will show the code without a t.me link");
            None
        }
    };
    tracing::info!(bot = ?bot_username, "Telegram bot polling for updates");
    let bot = Bot::new(api, store.clone(), desk);
    let handle = tokio::spawn(async move { bot.run(shutdown).await });
    Some((TelegramWeb { bot_username }, handle))
}
