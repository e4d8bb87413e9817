//! The record of pulls through connections (`syncs`), and the schedule's claim on a
//! connection (`connections.next_sync_at`). The rows a sync brings in are written by the
//! import path (one import per batch); this keeps what the sync asked for and what came of it.

use crate::connections::Connection;
use crate::{Store, StoreResult, now, on_pool};
use chrono::{DateTime, NaiveDate, Utc};

/// One sync of a connection.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SyncRecord {
    pub id: i64,
    pub connection_id: i64,
    pub kind: String,
    pub range_from: NaiveDate,
    pub range_to: NaiveDate,
    /// `running`, `done` or `failed`.
    pub state: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub rows_read: i64,
    pub stored: i64,
    pub replaced: i64,
    pub unchanged: i64,
    pub error: Option<String>,
    pub actor: String,
}

/// What a finished sync's imports did, summed over its batches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncCounts {
    pub rows_read: i64,
    pub stored: i64,
    pub replaced: i64,
    pub unchanged: i64,
}

const SELECT: &str = "SELECT id, connection_id, kind, range_from, range_to, state, started_at, finished_at,
        rows_read, stored, replaced, unchanged, error, actor FROM syncs";

impl Store {
    /// Records that a sync of `connection` over `from..=to` starts now.
    #[tracing::instrument(skip(self, connection), fields(connection = connection.id))]
    pub async fn start_sync(
        &self,
        connection: &Connection,
        kind: &str,
        from: NaiveDate,
        to: NaiveDate,
        actor: &str,
    ) -> StoreResult<i64> {
        Ok(on_pool!(&self.pool, p => {
            sqlx::query_scalar(
                "INSERT INTO syncs (connection_id, project_id, kind, range_from, range_to, state, started_at, actor)
                 VALUES ($1, $2, $3, $4, $5, 'running', $6, $7) RETURNING id",
            )
            .bind(connection.id)
            .bind(connection.project_id)
            .bind(kind)
            .bind(from)
            .bind(to)
            .bind(now())
            .bind(actor)
            .fetch_one(p)
            .await
        })?)
    }

    /// Records how a sync ended: its counts, and the error in words when it failed. The
    /// connection's `last_sync_at` moves only on success; `last_error` is set or cleared.
    #[tracing::instrument(skip(self))]
    pub async fn finish_sync(
        &self,
        sync: i64,
        connection: i64,
        counts: SyncCounts,
        error: Option<&str>,
    ) -> StoreResult<()> {
        let at = now();
        on_pool!(&self.pool, p => {
            let mut tx = p.begin().await?;
            sqlx::query(
                "UPDATE syncs SET state = $2, finished_at = $3, rows_read = $4, stored = $5, replaced = $6,
                        unchanged = $7, error = $8 WHERE id = $1",
            )
            .bind(sync)
            .bind(if error.is_some() { "failed" } else { "done" })
            .bind(at)
            .bind(counts.rows_read)
            .bind(counts.stored)
            .bind(counts.replaced)
            .bind(counts.unchanged)
            .bind(error)
            .execute(&mut *tx)
            .await?;
            match error {
                None => sqlx::query("UPDATE connections SET last_sync_at = $2, last_error = NULL WHERE id = $1")
                    .bind(connection)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?,
                Some(e) => sqlx::query("UPDATE connections SET last_error = $2 WHERE id = $1")
                    .bind(connection)
                    .bind(e)
                    .execute(&mut *tx)
                    .await?,
            };
            tx.commit().await
        })?;
        Ok(())
    }

    pub async fn sync(&self, id: i64) -> StoreResult<Option<SyncRecord>> {
        let sql = format!("{SELECT} WHERE id = $1");
        Ok(on_pool!(&self.pool, p => sqlx::query_as::<_, SyncRecord>(&sql).bind(id).fetch_optional(p).await)?)
    }

    /// The connection's latest `limit` syncs, newest first.
    pub async fn syncs_of(&self, connection: i64, limit: i64) -> StoreResult<Vec<SyncRecord>> {
        let sql = format!("{SELECT} WHERE connection_id = $1 ORDER BY id DESC LIMIT $2");
        Ok(on_pool!(&self.pool, p => {
            sqlx::query_as::<_, SyncRecord>(&sql).bind(connection).bind(limit).fetch_all(p).await
        })?)
    }

    /// When the connection last finished a successful sync of `kind` (any kind when `None`).
    pub async fn last_good_sync(&self, connection: i64, kinds: &[&str]) -> StoreResult<Option<DateTime<Utc>>> {
        let rows: Vec<(String, Option<DateTime<Utc>>)> = on_pool!(&self.pool, p => {
            sqlx::query_as("SELECT kind, finished_at FROM syncs WHERE connection_id = $1 AND state = 'done'
                            ORDER BY id DESC LIMIT 200")
                .bind(connection)
                .fetch_all(p)
                .await
        })?;
        Ok(rows
            .into_iter()
            .filter(|(k, _)| kinds.is_empty() || kinds.contains(&k.as_str()))
            .find_map(|(_, at)| at))
    }

    /// Connections the schedule should look at: not waiting for a person to reconnect, and
    /// due (`next_sync_at` unset or past).
    pub async fn connections_due(&self, as_of: DateTime<Utc>) -> StoreResult<Vec<Connection>> {
        let ids: Vec<i64> = on_pool!(&self.pool, p => {
            sqlx::query_scalar(
                "SELECT id FROM connections WHERE status <> 'needs_reconnecting'
                   AND (next_sync_at IS NULL OR next_sync_at <= $1) ORDER BY id",
            )
            .bind(as_of)
            .fetch_all(p)
            .await
        })?;
        let mut out = vec![];
        for id in ids {
            if let Some(c) = self.connection(id).await? {
                out.push(c);
            }
        }
        Ok(out)
    }

    /// Claims the connection's scheduled sync: moves `next_sync_at` from what was read to
    /// `next`. False when another instance claimed it first.
    pub async fn claim_scheduled_sync(&self, connection: &Connection, next: DateTime<Utc>) -> StoreResult<bool> {
        let seen = connection.next_sync_at;
        let done = on_pool!(&self.pool, p => {
            sqlx::query(
                "UPDATE connections SET next_sync_at = $2 WHERE id = $1
                   AND ((next_sync_at IS NULL AND $3 IS NULL) OR next_sync_at = $3)",
            )
            .bind(connection.id)
            .bind(next)
            .bind(seen)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(done == 1)
    }
}

/// A pulled post's figures (a post of the `posts` table), for the plan post it was published as.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PulledFigures {
    pub account: String,
    pub likes: Option<i64>,
    pub comments: Option<i64>,
    pub shares: Option<i64>,
    pub saves: Option<i64>,
    pub views: Option<i64>,
    pub reach: Option<i64>,
}

impl Store {
    /// The pulled (or imported) post with the platform's own id `post_id`: Keel's own posts
    /// published through a connection are matched to the platform's data this way
    /// (`plan_publications.platform_post_id` ↔ `posts.post_id`).
    pub async fn pulled_figures(
        &self,
        project: keel_domain::ProjectId,
        platform: &str,
        post_id: &str,
    ) -> StoreResult<Option<PulledFigures>> {
        Ok(on_pool!(&self.pool, p => {
            sqlx::query_as::<_, PulledFigures>(
                "SELECT account, likes, comments, shares, saves, views, reach FROM posts
                 WHERE project_id = $1 AND platform = $2 AND post_id = $3 ORDER BY account LIMIT 1",
            )
            .bind(project.0)
            .bind(platform)
            .bind(post_id)
            .fetch_optional(p)
            .await
        })?)
    }
}
