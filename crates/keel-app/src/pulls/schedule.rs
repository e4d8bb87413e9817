//! When connections are synced by `keel serve` (PRODUCT.md: recent posts' figures hourly,
//! followers, ads and leads daily, a first sync backfilling):
//!
//! - never synced: a backfill of [`BACKFILL_DAYS`];
//! - the last daily (or backfill) sync more than 23 hours ago: a daily sync of
//!   [`BACKFILL_DAYS`] — older posts' figures up to 90 days, then left as they are; followers,
//!   ads and leads;
//! - else, for the platforms with posts (VK, Instagram): the hourly sync of the last
//!   [`RECENT_DAYS`].
//!
//! [`plan_due`] looks at every connection whose `next_sync_at` has come, claims it (one
//! instance of several wins) and enqueues a [`PULL`] job; the job runner runs it.

use super::run::SyncKind;
use chrono::{DateTime, Duration, Utc};
use keel_domain::connection::ConnectionPlatform;
use keel_store::connections::Connection;
use keel_store::{Store, StoreResult};

/// The job kind of a sync.
pub const PULL: &str = "pull";
/// How far back a first sync and the daily pass reach.
pub const BACKFILL_DAYS: u64 = 90;
/// Posts this recent have their figures refreshed hourly.
pub const RECENT_DAYS: u64 = 30;
/// How often the schedule looks at a connection.
pub const EVERY: Duration = Duration::hours(1);

/// What the schedule would sync now, if anything: (kind, days back).
pub async fn due_kind(
    store: &Store,
    connection: &Connection,
    as_of: DateTime<Utc>,
) -> StoreResult<Option<(SyncKind, u64)>> {
    if store.last_good_sync(connection.id, &[]).await?.is_none() {
        return Ok(Some((SyncKind::Backfill, BACKFILL_DAYS)));
    }
    let daily = store
        .last_good_sync(connection.id, &["daily", "backfill", "manual"])
        .await?;
    if daily.is_none_or(|at| as_of - at > Duration::hours(23)) {
        return Ok(Some((SyncKind::Daily, BACKFILL_DAYS)));
    }
    let has_posts = matches!(
        connection.platform(),
        Some(ConnectionPlatform::Vk | ConnectionPlatform::Instagram)
    );
    Ok(has_posts.then_some((SyncKind::Recent, RECENT_DAYS)))
}

/// Enqueues a sync job for every connection whose time has come; returns how many.
pub async fn plan_due(store: &Store, as_of: DateTime<Utc>) -> StoreResult<usize> {
    use chrono::SubsecRound;
    let mut planned = 0;
    for connection in store.connections_due(as_of).await? {
        let next = (as_of + EVERY).trunc_subsecs(0);
        if !store.claim_scheduled_sync(&connection, next).await? {
            continue;
        }
        let Some((kind, days)) = due_kind(store, &connection, as_of).await? else {
            continue;
        };
        let project = store.project_by_id(connection.project()).await?;
        let today = super::zone_of(&project).day_of(as_of);
        let payload = serde_json::json!({
            "connection_id": connection.id,
            "from": (today - chrono::Days::new(days)).to_string(),
            "to": today.to_string(),
            "kind": kind.as_str(),
            "actor": "schedule",
        });
        store.enqueue_job(PULL, &payload, as_of).await?;
        planned += 1;
    }
    Ok(planned)
}
