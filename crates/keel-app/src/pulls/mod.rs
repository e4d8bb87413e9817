//! Pulls of platform statistics through a project's connections (PRODUCT.md "Connections and
//! publishing": pulls). A sync asks the platform for a date range and feeds what it answered,
//! as the bytes of that platform's native format, through the one import path
//! (`keel_import::import_with`): a pulled page and a saved file of the same answer give the
//! same rows, and each batch is one import — one transaction, idempotent, all-or-nothing, in
//! the imports log with the connection as its source. Followers become canonical `daily` rows.
//!
//! A sync's days (`from..=to`, and the day followers are counted for) are the project's local
//! days, in its time zone.
//!
//! A batch is built whole before it is imported, so a failure in the middle of paging stores
//! nothing of that batch. Every sync is recorded (`syncs`) with its counts or its error in
//! words, and the connection's status follows: a refused token marks it "needs reconnecting".
//!
//! - [`vk`]: `wall.get` pages, `stats.getPostReach`, `groups.getById` `members_count`;
//! - [`yandex_direct`]: the Reports service, offline;
//! - [`amocrm`]: `/api/v4/leads` pages, refreshing the token mid-sync;
//! - [`bitrix24`]: `crm.deal.list` through the webhook, 50 a page with `next`;
//! - [`instagram`]: `/{ig-user-id}/media` pages, each media's `/insights`, `followers_count`,
//!   refreshing the long-lived token before it expires;
//! - [`meta_ads`]: campaign insights per day, paged, a report run for long ranges;
//! - [`telegram`]: `getChatMemberCount` (the Bot API gives no views);
//! - [`schedule`]: what is due when (recent posts hourly, the rest daily, a first backfill);
//! - [`run`]: one sync of one connection, recorded.

pub mod amocrm;
pub mod bitrix24;
pub mod instagram;
pub mod meta_ads;
pub mod run;
pub mod schedule;
pub mod telegram;
pub mod vk;
pub mod yandex_direct;

pub use run::{PullError, SyncKind, SyncProgress, SyncRequest, Synced, sync_connection};
pub use schedule::{PULL, plan_due};

use keel_domain::local_days::LocalZone;
use keel_import::{Format, ImportOptions, ImportSummary};
use keel_store::Store;
use keel_store::connections::Connection;
use keel_store::projects::Project;
use keel_store::syncs::SyncCounts;

/// What a platform's pull has at hand: the store, the project, the connection, who asked,
/// and where the counts go.
pub struct PullCx<'a> {
    pub store: &'a Store,
    pub platforms: &'a crate::publishing::Platforms,
    pub project: &'a Project,
    pub connection: &'a Connection,
    pub actor: &'a str,
    pub counts: SyncCounts,
    pub progress: &'a SyncProgress<'a>,
    /// The project's time zone: a sync's days are its local days.
    pub zone: LocalZone,
}

impl PullCx<'_> {
    /// Unix seconds at the start of the project's local `day`.
    pub fn day_start(&self, day: chrono::NaiveDate) -> i64 {
        self.zone.start_of(day).timestamp()
    }

    /// The imports log's source of this connection's batches.
    pub fn source(&self) -> String {
        format!(
            "{} connection {} ({})",
            self.connection.platform, self.connection.id, self.connection.account
        )
    }

    /// Imports one batch (the bytes of `format`) and adds its counts to the sync's.
    pub async fn import(
        &mut self,
        format: Format,
        bytes: Vec<u8>,
        options: ImportOptions,
    ) -> Result<ImportSummary, PullError> {
        (self.progress)(&format!("{}: storing", format.as_str()), None);
        let summary = keel_import::import_with(
            self.store,
            self.project,
            format,
            std::io::Cursor::new(bytes),
            &self.source(),
            self.actor,
            options,
            &|_| {},
        )
        .await
        .map_err(|e| PullError::Import(format.as_str(), e.to_string()))?;
        self.counts.rows_read += summary.rows_read as i64;
        self.counts.stored += summary.stored as i64;
        self.counts.replaced += summary.replaced as i64;
        self.counts.unchanged += summary.unchanged as i64;
        Ok(summary)
    }

    /// Imports the account's follower count of `date` as a canonical `daily` row (the only
    /// figure the row carries; the others stay empty).
    pub async fn followers(
        &mut self,
        platform: &str,
        date: chrono::NaiveDate,
        followers: i64,
    ) -> Result<ImportSummary, PullError> {
        let csv = format!(
            "platform,account,date,followers\n{platform},{},{date},{followers}\n",
            csv_cell(&self.connection.account)
        );
        self.import(Format::Daily, csv.into_bytes(), ImportOptions::default())
            .await
    }
}

/// The project's time zone (UTC when it names none Keel knows).
pub fn zone_of(project: &Project) -> LocalZone {
    LocalZone::or_utc(&project.time_zone)
}

/// A CSV cell, quoted when it needs to be.
fn csv_cell(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// "Sync now" and `POST /api/v1/connections/{id}/sync`: the caller must manage the project's
/// connections; the sync is enqueued to run at once (the job runner of `keel serve` takes it
/// within seconds). Without dates: a first sync backfills 90 days, a later one the last 30.
/// Returns the range asked for.
pub async fn request_sync(
    store: &Store,
    access: &crate::access::ProjectAccess,
    connection: &Connection,
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
) -> crate::refusal::AppResult<(chrono::NaiveDate, chrono::NaiveDate)> {
    use crate::refusal::Refusal;
    if !access.allows(keel_domain::Action::ManageConnections) {
        return Err(Refusal::Forbidden.into());
    }
    if connection.project_id != access.project.id().0 {
        return Err(Refusal::NotFound.into());
    }
    let today = zone_of(&access.project).day_of(keel_store::now());
    let to = to.unwrap_or(today);
    let first = store.last_good_sync(connection.id, &[]).await?.is_none();
    let days = if first {
        schedule::BACKFILL_DAYS
    } else {
        schedule::RECENT_DAYS
    };
    let from = from.unwrap_or(to - chrono::Days::new(days));
    if from > to {
        return Err(Refusal::Invalid {
            field: "from".into(),
            reason: "the range starts after it ends".into(),
        }
        .into());
    }
    if (to - from).num_days() > 366 * 3 {
        return Err(Refusal::Invalid {
            field: "from".into(),
            reason: "at most three years in one sync".into(),
        }
        .into());
    }
    let kind = if first { "backfill" } else { "manual" };
    let payload = serde_json::json!({
        "connection_id": connection.id, "from": from.to_string(), "to": to.to_string(),
        "kind": kind, "actor": access.user.email.to_string(),
    });
    store.enqueue_job(PULL, &payload, keel_store::now()).await?;
    Ok((from, to))
}

/// `POST /api/v1/connections/{id}/sync`: the connection of `id` in the caller's organization,
/// synced on the caller's behalf if they may manage its project's connections (404 when they
/// may not see the project, 403 when they see it but may not manage connections).
pub async fn request_sync_by_id(
    store: &Store,
    user: std::sync::Arc<keel_store::users::User>,
    id: i64,
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
) -> crate::refusal::AppResult<(Connection, chrono::NaiveDate, chrono::NaiveDate)> {
    use crate::refusal::Refusal;
    let connection = store
        .connection(id)
        .await?
        .filter(|c| c.org_id == user.org().0)
        .ok_or(Refusal::NotFound)?;
    let project = store.project_by_id(connection.project()).await?;
    let access = crate::access::to_project(store, user, project, keel_domain::Action::ManageConnections).await?;
    let (from, to) = request_sync(store, &access, &connection, from, to).await?;
    Ok((connection, from, to))
}
