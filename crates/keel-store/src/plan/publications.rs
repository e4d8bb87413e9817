//! Each platform's publication of a post (`plan_publications`) and the claims that keep a post
//! from going out twice:
//!
//! - a publication is **claimed** (`pending` → `sending`) by one conditional UPDATE committed
//!   before the platform is called; of two instances (or two jobs) only one sees a row change;
//! - a `sending` row whose claim is older than the longest a call can take was abandoned (Keel
//!   killed mid-call): it is **re-claimed** for reconciliation by another conditional UPDATE, never
//!   simply sent again;
//! - when every publication is `published` the post becomes `published`; when one `failed` the
//!   post becomes `failed` with the reason and the failure notification is enqueued, in the same
//!   transaction (Keel acts, the audit entry has no actor).

use super::posts::PlanPost;
use super::timers::{NOTIFY, notify_payload};
use crate::{Store, StoreError, StoreResult, append_audit, audit::NewAuditEvent, enqueue_job, now, on_pool};
use chrono::{DateTime, Utc};
use keel_domain::PostId;
use keel_domain::connection::{PublicationState, settled_post_state};
use keel_domain::notification::NotificationKind;
use keel_domain::workflow::PostState;
use keel_domain::workflow::variants::Platform;

/// The job that publishes a post (payload `{"post_id": …}`), enqueued when it is scheduled.
pub const PUBLISH: &str = "publish.post";

/// One platform's outcome for a post.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Publication {
    pub post_id: i64,
    pub platform: String,
    pub connection_id: Option<i64>,
    #[sqlx(try_from = "String")]
    pub state: PublicationState,
    pub platform_post_id: Option<String>,
    pub url: Option<String>,
    pub error_key: Option<String>,
    pub error: Option<String>,
    pub attempts: i32,
    pub claimed_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    /// The platform's handle of the attempt in flight (Instagram: the media container), kept
    /// so an unknown outcome can be reconciled.
    pub platform_ref: Option<String>,
}

impl Publication {
    pub fn platform(&self) -> Option<Platform> {
        Platform::parse(&self.platform)
    }
}

const SELECT: &str =
    "SELECT post_id, platform, connection_id, state, platform_post_id, url, error_key, error, attempts,
        claimed_at, updated_at, platform_ref FROM plan_publications";

/// How a call ended, to record. `key` is the reason's code (pages word it), `reason` the
/// English words.
#[derive(Debug, Clone)]
pub enum Outcome {
    Published {
        id: String,
        url: String,
    },
    /// Refused for good.
    Failed {
        key: String,
        reason: String,
    },
    /// Not sent (the platform asked to wait, or the call never left): pending again.
    Retry {
        key: String,
        reason: String,
    },
    /// May have taken effect; nobody can tell: a person resolves it.
    Unknown {
        key: String,
        reason: String,
    },
}

impl Store {
    /// The post's publications, by platform.
    pub async fn publications_of(&self, post: PostId) -> StoreResult<Vec<Publication>> {
        let sql = format!("{SELECT} WHERE post_id = $1 ORDER BY platform");
        Ok(on_pool!(&self.pool, p => sqlx::query_as::<_, Publication>(&sql).bind(post.0).fetch_all(p).await)?)
    }

    /// Makes a `pending` publication for each `(platform, connection)` the post does not have yet.
    pub async fn ensure_publications(&self, post: PostId, targets: &[(Platform, i64)]) -> StoreResult<()> {
        let at = now();
        on_pool!(&self.pool, p => {
            let mut tx = p.begin().await?;
            for (platform, connection) in targets {
                sqlx::query(
                    "INSERT INTO plan_publications (post_id, platform, connection_id, state, updated_at)
                     VALUES ($1, $2, $3, 'pending', $4) ON CONFLICT (post_id, platform) DO NOTHING",
                )
                .bind(post.0)
                .bind(platform.as_str())
                .bind(connection)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })
    }

    /// Claims a pending publication for sending (committed before returning). `true`: this
    /// caller owns the call; `false`: someone else claimed it, or it is not pending.
    pub async fn claim_publication(
        &self,
        post: PostId,
        platform: Platform,
        worker: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let done = on_pool!(&self.pool, p => {
            sqlx::query(
                "UPDATE plan_publications SET state = 'sending', attempts = attempts + 1, claimed_at = $3,
                        claimed_by = $4, updated_at = $3
                 WHERE post_id = $1 AND platform = $2 AND state = 'pending'",
            )
            .bind(post.0)
            .bind(platform.as_str())
            .bind(at)
            .bind(worker)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(done == 1)
    }

    /// Re-claims a `sending` publication whose claim is older than `stale_before` (its caller
    /// died mid-call) for reconciliation. `true`: this caller now owns it.
    pub async fn reclaim_abandoned(
        &self,
        post: PostId,
        platform: Platform,
        stale_before: DateTime<Utc>,
        worker: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let done = on_pool!(&self.pool, p => {
            sqlx::query(
                "UPDATE plan_publications SET claimed_at = $4, claimed_by = $5, updated_at = $4
                 WHERE post_id = $1 AND platform = $2 AND state = 'sending' AND claimed_at < $3",
            )
            .bind(post.0)
            .bind(platform.as_str())
            .bind(stale_before)
            .bind(at)
            .bind(worker)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(done == 1)
    }

    /// Notes the platform's handle of the attempt in flight (only while `sending`), committed
    /// before the call that publishes, like the claim itself.
    pub async fn note_publication_ref(&self, post: PostId, platform: Platform, reference: &str) -> StoreResult<()> {
        on_pool!(&self.pool, p => {
            sqlx::query(
                "UPDATE plan_publications SET platform_ref = $3, updated_at = $4
                 WHERE post_id = $1 AND platform = $2 AND state = 'sending'",
            )
            .bind(post.0)
            .bind(platform.as_str())
            .bind(reference)
            .bind(now())
            .execute(p)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// Claims an `unknown` publication (no answer to the publishing call) for reconciliation
    /// with the platform, once it has been unknown since before `settled_before` (the platform
    /// had time to show the post). Only the first reconciliation: a publication reconciled
    /// without an answer carries another reason and stays for a person. `true`: this caller
    /// owns it (`sending` again, committed).
    pub async fn reclaim_unknown(
        &self,
        post: PostId,
        platform: Platform,
        settled_before: DateTime<Utc>,
        worker: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let done = on_pool!(&self.pool, p => {
            sqlx::query(
                "UPDATE plan_publications SET state = 'sending', claimed_at = $4, claimed_by = $5, updated_at = $4
                 WHERE post_id = $1 AND platform = $2 AND state = 'unknown' AND error_key = 'outcome_unknown'
                   AND updated_at < $3",
            )
            .bind(post.0)
            .bind(platform.as_str())
            .bind(settled_before)
            .bind(at)
            .bind(worker)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(done == 1)
    }

    /// Records the outcome of a claimed publication (only while it is still `sending`).
    pub async fn record_publication(&self, post: PostId, platform: Platform, outcome: &Outcome) -> StoreResult<()> {
        let (state, id, url, error) = match outcome {
            Outcome::Published { id, url } => {
                (PublicationState::Published, Some(id.as_str()), Some(url.as_str()), None)
            }
            Outcome::Failed { key, reason } => (PublicationState::Failed, None, None, Some((key, reason))),
            Outcome::Retry { key, reason } => (PublicationState::Pending, None, None, Some((key, reason))),
            Outcome::Unknown { key, reason } => (PublicationState::Unknown, None, None, Some((key, reason))),
        };
        let (error_key, error) = (error.map(|e| e.0.as_str()), error.map(|e| e.1.as_str()));
        on_pool!(&self.pool, p => {
            sqlx::query(
                "UPDATE plan_publications SET state = $3, platform_post_id = COALESCE($4, platform_post_id),
                        url = COALESCE($5, url), error = $6, error_key = $8, updated_at = $7,
                        platform_ref = CASE WHEN $3 IN ('pending', 'failed') THEN NULL ELSE platform_ref END
                 WHERE post_id = $1 AND platform = $2 AND state = 'sending'",
            )
            .bind(post.0)
            .bind(platform.as_str())
            .bind(state.as_str())
            .bind(id)
            .bind(url)
            .bind(error)
            .bind(now())
            .bind(error_key)
            .execute(p)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// Fails a publication that was never sent (no connection, the connection needs
    /// reconnecting, the post is no longer approved).
    pub async fn fail_unsent_publication(
        &self,
        post: PostId,
        platform: Platform,
        key: &str,
        reason: &str,
    ) -> StoreResult<()> {
        on_pool!(&self.pool, p => {
            sqlx::query(
                "UPDATE plan_publications SET state = 'failed', error = $3, error_key = $5, updated_at = $4
                 WHERE post_id = $1 AND platform = $2 AND state = 'pending'",
            )
            .bind(post.0)
            .bind(platform.as_str())
            .bind(reason)
            .bind(now())
            .bind(key)
            .execute(p)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// A person's decision on a publication: `published` with its URL (they found it on the
    /// channel), or back to `pending` to send it again. Only from `unknown` or `failed`.
    pub async fn resolve_publication(
        &self,
        post: PostId,
        platform: Platform,
        published_url: Option<&str>,
    ) -> StoreResult<bool> {
        let done = on_pool!(&self.pool, p => {
            sqlx::query(
                "UPDATE plan_publications SET state = CASE WHEN $3 IS NULL THEN 'pending' ELSE 'published' END,
                        url = COALESCE($3, url), error = NULL, error_key = NULL, updated_at = $4,
                        platform_ref = CASE WHEN $3 IS NULL THEN NULL ELSE platform_ref END
                 WHERE post_id = $1 AND platform = $2 AND state IN ('unknown', 'failed')",
            )
            .bind(post.0)
            .bind(platform.as_str())
            .bind(published_url)
            .bind(now())
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(done == 1)
    }

    /// Moves a scheduled post to `published` or `failed` once its publications say so (see
    /// [`settled_post_state`]); a failure carries `reason` and notifies. Returns the new state.
    pub async fn settle_post(&self, post: &PlanPost, at: DateTime<Utc>) -> StoreResult<Option<PostState>> {
        let publications = self.publications_of(post.id).await?;
        let states: Vec<PublicationState> = publications.iter().map(|p| p.state).collect();
        let Some(to) = settled_post_state(&states) else {
            return Ok(None);
        };
        let detail = serde_json::json!({
            "by": "keel",
            "publications": publications.iter().map(|p| serde_json::json!({
                "platform": p.platform, "state": p.state.as_str(), "url": p.url, "error": p.error,
                "error_key": p.error_key,
            })).collect::<Vec<_>>(),
        });
        let at = chrono::SubsecRound::trunc_subsecs(at, 0);
        let settled = on_pool!(&self.pool, p => {
            let mut tx = p.begin().await?;
            let done = sqlx::query("UPDATE plan_posts SET state = $2, updated_at = $3
                 WHERE id = $1 AND (state = 'scheduled' OR (state = 'failed' AND $2 = 'published'))")
                .bind(post.id.0)
                .bind(to.as_str())
                .bind(at)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if done == 1 {
                append_audit!(&mut *tx, NewAuditEvent {
                    org: post.org(),
                    project: post.project(),
                    subject_kind: "post",
                    subject_id: post.id.0,
                    actor: None,
                    action: if to == PostState::Published { "published" } else { "failed" },
                    detail: detail.clone(),
                    at,
                })?;
                if to == PostState::Failed {
                    enqueue_job!(&mut *tx, NOTIFY, notify_payload(post.id, NotificationKind::PublishFailed, None, at), at)?;
                }
            }
            tx.commit().await?;
            Ok::<bool, StoreError>(done == 1)
        })?;
        Ok(settled.then_some(to))
    }

    /// A person retries a failed post: its failed and unknown publications go back to
    /// `pending`, the post back to `scheduled`, and the publishing job is queued for now.
    /// Audited as `publishing_retried`.
    pub async fn retry_publishing(&self, post: &PlanPost, actor: keel_domain::UserId) -> StoreResult<()> {
        let at = now();
        on_pool!(&self.pool, p => {
            let mut tx = p.begin().await?;
            let done = sqlx::query(
                "UPDATE plan_posts SET state = 'scheduled', updated_at = $2 WHERE id = $1 AND state IN ('failed', 'scheduled')
                   AND approved_at IS NOT NULL",
            )
            .bind(post.id.0)
            .bind(at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if done == 0 {
                return Err(StoreError::Refused(keel_domain::workflow::Refusal::WrongState));
            }
            sqlx::query(
                "UPDATE plan_publications SET state = 'pending', error = NULL, error_key = NULL, updated_at = $2,
                        platform_ref = NULL
                 WHERE post_id = $1 AND state IN ('failed', 'unknown')",
            )
            .bind(post.id.0)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            append_audit!(&mut *tx, NewAuditEvent {
                org: post.org(),
                project: post.project(),
                subject_kind: "post",
                subject_id: post.id.0,
                actor: Some(actor),
                action: "publishing_retried",
                detail: serde_json::json!({}),
                at,
            })?;
            enqueue_job!(&mut *tx, PUBLISH, serde_json::json!({ "post_id": post.id }), at)?;
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })
    }
}
