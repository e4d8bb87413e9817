//! Review links: an expiring, revocable address through which one guest approver decides on
//! the posts waiting for them. The token is shown once; only its SHA-256 is kept.

use crate::audit::NewAuditEvent;
use crate::credentials::{random_secret, secret_hash};
use crate::{Store, StoreResult, append_audit, now, on_pool};
use chrono::{DateTime, Duration, Utc};
use keel_domain::{OrgId, ProjectId, UserId};
use serde_json::json;

/// How long a link works unless the person making it says otherwise.
pub const REVIEW_LINK_DAYS: i64 = 7;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReviewLink {
    pub id: i64,
    pub org_id: i64,
    pub project_id: i64,
    /// The approver the link speaks for.
    pub user_id: i64,
    pub created_by: i64,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// Times the link was opened.
    pub opened: i64,
    pub last_opened_at: Option<DateTime<Utc>>,
}

impl ReviewLink {
    pub fn live(&self, at: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at > at
    }
}

const COLUMNS: &str =
    "id, org_id, project_id, user_id, created_by, created_at, expires_at, revoked_at, opened, last_opened_at";

impl crate::guest_links::GuestLink for ReviewLink {
    const TABLE: &'static str = "review_links";
    const COLUMNS: &'static str = COLUMNS;
    const SUBJECT_KIND: &'static str = "review_link";
}

impl Store {
    /// Makes a link for `approver` on `project`, working `days` days; returns it with its
    /// token (shown once). Audited as `review_link/created`.
    pub async fn create_review_link(
        &self,
        org: OrgId,
        project: ProjectId,
        approver: UserId,
        created_by: UserId,
        days: i64,
    ) -> StoreResult<(ReviewLink, String)> {
        let token = random_secret("");
        let at = now();
        let sql = format!(
            "INSERT INTO review_links (org_id, project_id, user_id, token_hash, created_by, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {COLUMNS}"
        );
        let link = on_pool!(&self.pool, p => {
            let mut tx = p.begin().await?;
            let link = sqlx::query_as::<_, ReviewLink>(&sql)
                .bind(org.0).bind(project.0).bind(approver.0).bind(secret_hash(&token))
                .bind(created_by.0).bind(at).bind(at + Duration::days(days))
                .fetch_one(&mut *tx).await?;
            append_audit!(&mut *tx, NewAuditEvent {
                org, project, subject_kind: "review_link", subject_id: link.id, actor: Some(created_by),
                action: "created", detail: json!({ "approver": approver.0, "days": days }), at,
            })?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(link)
        })?;
        Ok((link, token))
    }

    /// The live link behind `token`, counting this open; `None` for an unknown, revoked or
    /// expired one.
    pub async fn open_review_link(&self, token: &str) -> StoreResult<Option<ReviewLink>> {
        self.live_guest_link(token, true).await
    }

    /// The live link behind `token` without counting an open (for a form's submit).
    pub async fn review_link(&self, token: &str) -> StoreResult<Option<ReviewLink>> {
        self.live_guest_link(token, false).await
    }

    /// Every link of `project`, newest first.
    pub async fn review_links_of(&self, project: ProjectId) -> StoreResult<Vec<ReviewLink>> {
        self.guest_links_of(project).await
    }

    /// Revokes link `id` of `project`; false when it was not live there. Audited.
    pub async fn revoke_review_link(
        &self,
        org: OrgId,
        project: ProjectId,
        id: i64,
        actor: UserId,
    ) -> StoreResult<bool> {
        self.revoke_guest_link::<ReviewLink>(org, project, id, actor).await
    }
}
