//! One sync of one connection: recorded in `syncs` before it starts and when it ends, with its
//! counts or its error in words; the connection's status follows the outcome.

use super::PullCx;
use crate::publishing::Platforms;
use chrono::NaiveDate;
use keel_domain::connection::{ConnectionPlatform, ConnectionStatus};
use keel_platforms::{Failure, PlatformError};
use keel_store::Store;
use keel_store::connections::Connection;
use keel_store::syncs::{SyncCounts, SyncRecord};

/// Why a sync was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncKind {
    /// A first sync: the chosen range (default 90 days).
    Backfill,
    /// The hourly refresh of recent posts' figures (30 days).
    Recent,
    /// The daily pass: everything up to 90 days back.
    Daily,
    /// "Sync now", the API, `keel sync`.
    Manual,
}

impl SyncKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SyncKind::Backfill => "backfill",
            SyncKind::Recent => "recent",
            SyncKind::Daily => "daily",
            SyncKind::Manual => "manual",
        }
    }

    pub fn parse(text: &str) -> Option<SyncKind> {
        [SyncKind::Backfill, SyncKind::Recent, SyncKind::Daily, SyncKind::Manual]
            .into_iter()
            .find(|k| k.as_str() == text)
    }
}

/// What to pull: the days `from..=to` (the project's local days), and `today`, the local day
/// followers are counted for.
#[derive(Debug, Clone)]
pub struct SyncRequest {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub today: NaiveDate,
    pub kind: SyncKind,
    /// Who asked (a user's e-mail, `schedule`, `cli`), for the imports log and the record.
    pub actor: String,
}

/// Where a sync is: a stage in words (`wall.get`, `leads`, …) and, when known, (done, total).
pub type SyncProgress<'a> = dyn Fn(&str, Option<(u64, u64)>) + Sync + 'a;

/// Why a sync failed. [`PullError::words`] is what the page and the record show.
#[derive(Debug)]
pub enum PullError {
    /// The platform's call failed: what to do about it, and the details.
    Platform(Failure, String),
    /// The platform answered something the format's parser refused (format, problems).
    Import(&'static str, String),
    Store(keel_store::StoreError),
    NoSecretKey,
    /// The credentials did not open or lack a field.
    BadSecret(String),
}

macro_rules! from_platform {
    ($($error:ty),*) => {$(
        impl From<$error> for PullError {
            fn from(e: $error) -> PullError {
                PullError::Platform(e.failure(), e.to_string())
            }
        }
    )*};
}

from_platform!(
    keel_platforms::vk::VkError,
    keel_platforms::yandex_direct::YandexDirectError,
    keel_platforms::amocrm::AmocrmError,
    keel_platforms::telegram::TelegramError,
    keel_platforms::bitrix24::BitrixError,
    keel_platforms::graph::GraphError
);

impl PullError {
    /// The error in words (English, with the platform's own message).
    pub fn words(&self) -> String {
        match self {
            PullError::Platform(Failure::Reconnect, detail) => {
                format!("the platform no longer accepts the credentials: reconnect the account ({detail})")
            }
            PullError::Platform(Failure::RetryLater { .. }, detail) => {
                format!("the platform asked to slow down and kept asking; the next sync tries again ({detail})")
            }
            PullError::Platform(Failure::Rejected { reason }, detail) => {
                format!("the platform refused the request: {reason} ({detail})")
            }
            PullError::Platform(Failure::PlatformDown, detail) => {
                format!("the platform did not answer as documented; nothing of this batch was stored ({detail})")
            }
            PullError::Import(format, problems) => {
                format!("the platform's answer did not read as {format}; nothing of it was stored: {problems}")
            }
            PullError::Store(e) => format!("the database refused the rows: {e}"),
            PullError::NoSecretKey => {
                "this Keel has no secret key (KEEL_SECRET_KEY), so the credentials cannot be opened".into()
            }
            PullError::BadSecret(what) => {
                format!("the stored credentials are not usable: {what}; reconnect the account")
            }
        }
    }

    /// Whether the job should be tried again later (the platform asked to slow down or did
    /// not answer).
    pub fn passing(&self) -> bool {
        matches!(
            self,
            PullError::Platform(Failure::RetryLater { .. } | Failure::PlatformDown, _)
        )
    }
}

impl From<keel_store::StoreError> for PullError {
    fn from(e: keel_store::StoreError) -> PullError {
        PullError::Store(e)
    }
}

/// A finished sync: its record, and whether its failure was a passing one (the platform asked
/// to slow down or did not answer), which the job runner tries again later.
#[derive(Debug, Clone)]
pub struct Synced {
    pub record: SyncRecord,
    pub passing_failure: bool,
}

/// Syncs `connection` over the request's range: records the sync, pulls, imports each batch,
/// records the outcome. The record comes back whether the sync succeeded or not; `Err` only
/// when even the record could not be written.
pub async fn sync_connection(
    store: &Store,
    platforms: &Platforms,
    connection: &Connection,
    request: &SyncRequest,
    progress: &SyncProgress<'_>,
) -> Result<Synced, keel_store::StoreError> {
    let id = store
        .start_sync(
            connection,
            request.kind.as_str(),
            request.from,
            request.to,
            &request.actor,
        )
        .await?;
    let project = store.project_by_id(connection.project()).await?;
    let mut cx = PullCx {
        store,
        platforms,
        project: &project,
        connection,
        actor: &request.actor,
        counts: SyncCounts::default(),
        progress,
        zone: super::zone_of(&project),
    };
    let outcome = pull(&mut cx, request).await;
    let counts = cx.counts;
    match &outcome {
        Ok(()) => {
            store.finish_sync(id, connection.id, counts, None).await?;
            if connection.status() != ConnectionStatus::Ok {
                store
                    .set_connection_status(connection.id, ConnectionStatus::Ok, None)
                    .await?;
            }
            tracing::info!(connection = connection.id, ?counts, "sync done");
        }
        Err(e) => {
            let words = e.words();
            store.finish_sync(id, connection.id, counts, Some(&words)).await?;
            let status = match e {
                PullError::Platform(Failure::Reconnect, _) | PullError::BadSecret(_) => {
                    ConnectionStatus::NeedsReconnecting
                }
                _ => ConnectionStatus::Error,
            };
            store.set_connection_status(connection.id, status, Some(&words)).await?;
            tracing::warn!(connection = connection.id, error = %words, "sync failed");
        }
    }
    Ok(Synced {
        record: store.sync(id).await?.expect("the sync just recorded"),
        passing_failure: outcome.as_ref().is_err_and(PullError::passing),
    })
}

/// The platform's pull.
async fn pull(cx: &mut PullCx<'_>, request: &SyncRequest) -> Result<(), PullError> {
    let platform = cx
        .connection
        .platform()
        .ok_or_else(|| PullError::BadSecret("unknown platform".into()))?;
    let key = cx.platforms.key.as_ref().ok_or(PullError::NoSecretKey)?;
    let secret = cx.store.connection_secret(key, cx.connection).await?;
    let secret: serde_json::Value = serde_json::from_str(&secret.0).map_err(|e| PullError::BadSecret(e.to_string()))?;
    match platform {
        ConnectionPlatform::Vk => super::vk::pull(cx, &secret, request).await,
        ConnectionPlatform::YandexDirect => super::yandex_direct::pull(cx, &secret, request).await,
        ConnectionPlatform::Amocrm => super::amocrm::pull(cx, secret, request).await,
        ConnectionPlatform::Telegram => super::telegram::pull(cx, &secret, request).await,
        ConnectionPlatform::Instagram => super::instagram::pull(cx, &secret, request).await,
        ConnectionPlatform::MetaAds => super::meta_ads::pull(cx, &secret, request).await,
        ConnectionPlatform::Bitrix24 => super::bitrix24::pull(cx, &secret, request).await,
    }
}

/// A field of the credentials.
pub(crate) fn secret_text(secret: &serde_json::Value, name: &str) -> Result<String, PullError> {
    secret
        .get(name)
        .and_then(|v| v.as_str())
        .map(str::to_owned)
        .ok_or_else(|| PullError::BadSecret(format!("no `{name}`")))
}
