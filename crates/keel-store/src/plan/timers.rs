//! What the workflow's background jobs read and write: the job kinds and their payloads (the
//! transitions enqueue them in their own transactions), a post as a job sees it, the SLA miss
//! recorded with its audit entries, and delivery jobs enqueued together. What the jobs decide
//! — who hears of what, in which words, on which channel — is `keel-app`'s `jobs`.

use super::posts::{POST_SELECT, PlanPost};
use crate::{Store, StoreError, StoreResult, append_audit, audit::NewAuditEvent, enqueue_job, on_pool};
use chrono::{DateTime, Utc};
use keel_domain::notification::NotificationKind;
use keel_domain::workflow::state::auto_approve;
use keel_domain::{PostId, UserId};

pub const NOTIFY: &str = "workflow.notify";
pub const DELIVER: &str = "notify.deliver";
pub const SLA_HALFWAY: &str = "workflow.sla_halfway";
pub const SLA_EXPIRY: &str = "workflow.sla_expiry";

/// The payload of a [`NOTIFY`] job: what happened to which post, by whom, when.
pub fn notify_payload(
    post: PostId,
    kind: NotificationKind,
    actor: Option<UserId>,
    at: DateTime<Utc>,
) -> serde_json::Value {
    serde_json::json!({ "post_id": post, "kind": kind.as_str(), "actor_id": actor.map(|a| a.0), "at": at })
}

impl Store {
    /// A post by id in any organization: for background jobs only, which act for Keel itself.
    pub async fn plan_post_any(&self, id: PostId) -> StoreResult<Option<PlanPost>> {
        let sql = format!("{POST_SELECT} WHERE p.id = $1");
        Ok(on_pool!(&self.pool, p => sqlx::query_as::<_, PlanPost>(&sql).bind(id.0).fetch_optional(p).await)?)
    }

    /// Enqueues every `(kind, payload)` due `at` in one transaction: all of them or none, so
    /// a job that fans out and is retried never leaves half its jobs behind.
    pub async fn enqueue_jobs(&self, jobs: &[(&str, serde_json::Value)], at: DateTime<Utc>) -> StoreResult<()> {
        Ok(on_pool!(&self.pool, p => async {
            let mut tx = p.begin().await?;
            for (kind, payload) in jobs {
                enqueue_job!(&mut *tx, *kind, payload, at)?;
            }
            tx.commit().await
        }.await)?)
    }

    /// The SLA expired without a decision: the miss goes on the record and on the post, and
    /// the notification is enqueued; with `auto_approve`, Keel approves in the same step.
    /// Nothing happens if the post was decided in the meantime.
    pub async fn record_sla_miss(&self, post: &PlanPost, at: DateTime<Utc>, auto: bool) -> StoreResult<()> {
        let settings = self.workflow_settings(post.project()).await?;
        let approve = auto && auto_approve(post.state()).is_some();
        on_pool!(&self.pool, p => {
            let mut tx = p.begin().await?;
            let done = sqlx::query(
                "UPDATE plan_posts SET sla_missed = TRUE,
                        state = CASE WHEN $3 THEN 'approved' ELSE state END,
                        approved_at = CASE WHEN $3 THEN $2 ELSE approved_at END,
                        updated_at = $2
                 WHERE id = $1 AND state = 'in_review' AND first_decision_at IS NULL",
            )
            .bind(post.id.0)
            .bind(at)
            .bind(approve)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if done == 0 {
                return Ok(()); // decided in the meantime
            }
            let event = |action: &'static str, detail: serde_json::Value| NewAuditEvent {
                org: post.org(),
                project: post.project(),
                subject_kind: "post",
                subject_id: post.id.0,
                actor: None,
                action,
                detail,
                at,
            };
            append_audit!(&mut *tx, event("sla_missed", serde_json::json!({
                "sla_deadline": post.sla_deadline, "sla_minutes": settings.urgent_sla_minutes,
            })))?;
            enqueue_job!(&mut *tx, NOTIFY, notify_payload(post.id, NotificationKind::SlaMissed, None, at), at)?;
            if approve {
                append_audit!(&mut *tx, event("auto_approved", serde_json::json!({
                    "reason": "the project approves urgent posts automatically when the SLA expires",
                })))?;
                enqueue_job!(&mut *tx, NOTIFY, notify_payload(post.id, NotificationKind::PostApproved, None, at), at)?;
            }
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })
    }
}
