//! The in-app channel: notifications land in the `notifications` table, read on the inbox page
//! and counted (unread) in the top bar; and the queue of posts waiting for a person, which the
//! inbox shows above that log.

use crate::{Store, StoreResult, now, on_pool};
use chrono::{DateTime, Utc};
use keel_domain::notification::{Channel, Deliver, DeliveryResult, Notification};
use keel_domain::{PostId, UserId};
use std::future::Future;
use std::pin::Pin;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InboxItem {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub link_path: String,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
    /// The post's current text, for pages that word the notification in their own language.
    pub post_text: Option<String>,
}

/// A post waiting for someone: for a decision (they approve it) or for changes (they wrote it).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WaitingPost {
    pub id: i64,
    pub project_slug: String,
    pub project_name: String,
    pub text: String,
    /// `in_review` (waiting for a decision) or `changes_requested` (waiting for its author).
    pub state: String,
    pub urgent: bool,
    pub sla_deadline: Option<DateTime<Utc>>,
    pub submitted_at: Option<DateTime<Utc>>,
}

/// Delivers into the inbox, for the kinds the recipient keeps on for the in-app channel (the
/// notification settings offer it next to e-mail and Telegram).
pub struct InAppDelivery {
    store: Store,
}

impl InAppDelivery {
    pub fn new(store: Store) -> InAppDelivery {
        InAppDelivery { store }
    }
}

impl Deliver for InAppDelivery {
    fn channel(&self) -> Channel {
        Channel::InApp
    }

    fn deliver<'a>(&'a self, n: &'a Notification) -> Pin<Box<dyn Future<Output = DeliveryResult> + Send + 'a>> {
        Box::pin(async move {
            let wanted = self
                .store
                .wants_notification(n.recipient, n.kind, Channel::InApp)
                .await
                .map_err(|e| format!("reading preferences: {e}"))?;
            if !wanted {
                return Ok(());
            }
            on_pool!(&self.store.pool, p => {
                sqlx::query(
                    "INSERT INTO notifications (recipient_id, project_id, post_id, kind, title, body, link_path, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(n.recipient.0)
                .bind(n.project.0)
                .bind(n.post_id)
                .bind(n.kind.as_str())
                .bind(&n.title)
                .bind(&n.body)
                .bind(&n.link_path)
                .bind(now())
                .execute(p)
                .await
                .map(|_| ())
            })
            .map_err(|e| format!("storing the in-app notification: {e}"))
        })
    }
}

impl Store {
    /// The user's latest notifications, newest first.
    pub async fn inbox(&self, user: UserId, limit: i64) -> StoreResult<Vec<InboxItem>> {
        Ok(on_pool!(&self.pool, p => {
            sqlx::query_as::<_, InboxItem>(
                "SELECT n.id, n.kind, n.title, n.body, n.link_path, n.created_at, n.read_at, p.text AS post_text
                 FROM notifications n LEFT JOIN plan_posts p ON p.id = n.post_id
                 WHERE n.recipient_id = $1 ORDER BY n.id DESC LIMIT $2",
            )
            .bind(user.0)
            .bind(limit)
            .fetch_all(p)
            .await
        })?)
    }

    pub async fn unread_count(&self, user: UserId) -> StoreResult<i64> {
        Ok(on_pool!(&self.pool, p => {
            sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE recipient_id = $1 AND read_at IS NULL")
                .bind(user.0)
                .fetch_one(p)
                .await
        })?)
    }

    /// Marks all of the user's notifications read; returns how many were unread.
    pub async fn mark_inbox_read(&self, user: UserId) -> StoreResult<u64> {
        Ok(on_pool!(&self.pool, p => {
            sqlx::query("UPDATE notifications SET read_at = $2 WHERE recipient_id = $1 AND read_at IS NULL")
                .bind(user.0)
                .bind(now())
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?)
    }
}

impl Store {
    /// The posts waiting for `user`, one line each: under review in a project where they are a
    /// designated approver (`client_approver`) and not the author, and sent back to them as
    /// the author. Urgent posts first, by the nearest deadline; then the longest waiting.
    pub async fn waiting_for(&self, user: UserId) -> StoreResult<Vec<WaitingPost>> {
        Ok(on_pool!(&self.pool, p => {
            sqlx::query_as::<_, WaitingPost>(
                "SELECT p.id, pr.slug AS project_slug, pr.name AS project_name, p.text, p.state, p.urgent,
                        p.sla_deadline, p.submitted_at
                 FROM plan_posts p JOIN projects pr ON pr.id = p.project_id
                 WHERE (p.state = 'in_review' AND p.author_id <> $1 AND EXISTS (
                            SELECT 1 FROM memberships m
                            WHERE m.project_id = p.project_id AND m.user_id = $1 AND m.role = 'client_approver'))
                    OR (p.state = 'changes_requested' AND p.author_id = $1 AND EXISTS (
                            SELECT 1 FROM memberships m WHERE m.project_id = p.project_id AND m.user_id = $1))
                 ORDER BY CASE WHEN p.sla_deadline IS NULL THEN 1 ELSE 0 END, p.sla_deadline,
                          p.submitted_at, p.id",
            )
            .bind(user.0)
            .fetch_all(p)
            .await
        })?)
    }

    /// Marks read what `user` was told about `post`: opening the post is reading it.
    pub async fn mark_post_notifications_read(&self, user: UserId, post: PostId) -> StoreResult<u64> {
        Ok(on_pool!(&self.pool, p => {
            sqlx::query("UPDATE notifications SET read_at = $3 WHERE recipient_id = $1 AND post_id = $2 AND read_at IS NULL")
                .bind(user.0)
                .bind(post.0)
                .bind(now())
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?)
    }
}
