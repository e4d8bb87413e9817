//! Secret URLs of a project's iCal feed: random, stored as SHA-256, several per project,
//! revocable. Whoever holds a live secret reads the project's calendar without logging in
//! (calendar apps cannot log in), so the secret is shown once and can be revoked.

use crate::credentials::{random_secret, secret_hash};
use crate::{Store, StoreError, StoreResult, now, on_pool};
use chrono::{DateTime, Utc};
use keel_domain::{OrgId, ProjectId, UserId};

/// Prefix that makes a feed secret recognisable in logs and secret scanners.
pub const FEED_PREFIX: &str = "keelcal_";

/// A feed as listed on the project page (never its secret).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct IcalFeed {
    pub id: i64,
    pub label: String,
    pub created_by_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// The project a live secret opens.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct FeedTarget {
    pub feed_id: i64,
    pub org_id: i64,
    pub project_id: i64,
    pub project_slug: String,
    pub project_name: String,
}

impl FeedTarget {
    pub fn project(&self) -> ProjectId {
        ProjectId(self.project_id)
    }
}

impl Store {
    /// Makes a feed of `project`; returns its id and the secret, which is shown once.
    #[tracing::instrument(skip(self))]
    pub async fn create_ical_feed(
        &self,
        org: OrgId,
        project: ProjectId,
        label: &str,
        created_by: UserId,
    ) -> StoreResult<(i64, String)> {
        let label = label.trim();
        if label.chars().count() > 80 {
            return Err(StoreError::Unacceptable {
                en: "the feed's label is longer than 80 characters".into(),
                ru: "подпись ленты длиннее 80 символов".into(),
            });
        }
        let secret = random_secret(FEED_PREFIX);
        let id = on_pool!(&self.pool, p => {
            sqlx::query_scalar::<_, i64>(
                "INSERT INTO ical_feeds (org_id, project_id, label, secret_hash, created_by, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(org.0)
            .bind(project.0)
            .bind(label)
            .bind(secret_hash(&secret))
            .bind(created_by.0)
            .bind(now())
            .fetch_one(p)
            .await
        })?;
        Ok((id, secret))
    }

    /// Every feed of the project, live and revoked, newest first.
    pub async fn ical_feeds_of(&self, project: ProjectId) -> StoreResult<Vec<IcalFeed>> {
        Ok(on_pool!(&self.pool, p => {
            sqlx::query_as::<_, IcalFeed>(
                "SELECT f.id, f.label, u.display_name AS created_by_name, f.created_at, f.revoked_at
                 FROM ical_feeds f LEFT JOIN users u ON u.id = f.created_by
                 WHERE f.project_id = $1 ORDER BY f.id DESC",
            )
            .bind(project.0)
            .fetch_all(p)
            .await
        })?)
    }

    /// Revokes a live feed of `project`; returns whether one was revoked. A feed of another
    /// project is never touched, whatever id is given.
    pub async fn revoke_ical_feed(&self, project: ProjectId, feed_id: i64) -> StoreResult<bool> {
        let done = on_pool!(&self.pool, p => {
            sqlx::query("UPDATE ical_feeds SET revoked_at = $1 WHERE id = $2 AND project_id = $3 AND revoked_at IS NULL")
                .bind(now())
                .bind(feed_id)
                .bind(project.0)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(done > 0)
    }

    /// The project a live (unrevoked) feed secret opens, if any.
    pub async fn ical_feed_by_secret(&self, secret: &str) -> StoreResult<Option<FeedTarget>> {
        Ok(on_pool!(&self.pool, p => {
            sqlx::query_as::<_, FeedTarget>(
                "SELECT f.id AS feed_id, f.org_id, f.project_id, pr.slug AS project_slug, pr.name AS project_name
                 FROM ical_feeds f JOIN projects pr ON pr.id = f.project_id
                 WHERE f.secret_hash = $1 AND f.revoked_at IS NULL",
            )
            .bind(secret_hash(secret))
            .fetch_optional(p)
            .await
        })?)
    }
}
