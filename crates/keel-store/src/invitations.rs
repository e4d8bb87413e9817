//! Invitations: a person who is not yet a user, asked by e-mail to join one project with one
//! role. Only the SHA-256 of the link's token is stored; a link works until it is used,
//! revoked, replaced by a resend or seven days old.

use crate::credentials::{random_secret, secret_hash};
use crate::{Store, StoreResult, now, on_pool};
use chrono::{DateTime, Duration, Utc};
use keel_domain::{Email, OrgId, ProjectId, Role, UserId};

/// How long an invitation link lives.
pub const INVITATION_DAYS: i64 = 7;

/// One invitation as stored (never with its token).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Invitation {
    pub id: i64,
    pub org_id: i64,
    pub project_id: i64,
    pub email: String,
    pub role: String,
    pub lang: String,
    pub invited_by: i64,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

impl Invitation {
    pub fn role(&self) -> Option<Role> {
        self.role.parse().ok()
    }
    pub fn org(&self) -> OrgId {
        OrgId(self.org_id)
    }
    pub fn project(&self) -> ProjectId {
        ProjectId(self.project_id)
    }
}

/// What an inviter asks for.
#[derive(Debug, Clone)]
pub struct NewInvitation<'a> {
    pub org: OrgId,
    pub project: ProjectId,
    pub email: &'a Email,
    pub role: Role,
    /// The language of the e-mail and of the acceptance page (`en`, `ru`).
    pub lang: &'a str,
    pub invited_by: UserId,
}

const COLUMNS: &str = "id, org_id, project_id, email, role, lang, invited_by, created_at, expires_at";
const PENDING: &str = "accepted_at IS NULL AND revoked_at IS NULL";

impl Store {
    /// Stores an invitation to a project of `org` (refused with `None` when the project is not
    /// the organization's); returns it with the link's token, which is never stored.
    #[tracing::instrument(skip(self))]
    pub async fn create_invitation(&self, new: &NewInvitation<'_>) -> StoreResult<Option<(Invitation, String)>> {
        let token = random_secret("");
        let created = now();
        let sql = format!(
            "INSERT INTO invitations (org_id, project_id, email, role, lang, token_hash, invited_by, created_at, expires_at)
             SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9
             WHERE EXISTS (SELECT 1 FROM projects WHERE id = $2 AND org_id = $1)
             RETURNING {COLUMNS}"
        );
        let row = on_pool!(&self.pool, p => {
            sqlx::query_as::<_, Invitation>(&sql)
                .bind(new.org.0)
                .bind(new.project.0)
                .bind(new.email.as_str())
                .bind(new.role.as_str())
                .bind(new.lang)
                .bind(secret_hash(&token))
                .bind(new.invited_by.0)
                .bind(created)
                .bind(created + Duration::days(INVITATION_DAYS))
                .fetch_optional(p)
                .await
        })?;
        Ok(row.map(|i| (i, token)))
    }

    /// The pending, unexpired invitation a link's token opens, if any.
    pub async fn invitation_by_token(&self, token: &str) -> StoreResult<Option<Invitation>> {
        let sql = format!("SELECT {COLUMNS} FROM invitations WHERE token_hash = $1 AND {PENDING} AND expires_at > $2");
        Ok(on_pool!(&self.pool, p => {
            sqlx::query_as::<_, Invitation>(&sql)
                .bind(secret_hash(token))
                .bind(now())
                .fetch_optional(p)
                .await
        })?)
    }

    /// The project's invitations not yet used or revoked (expired ones included, so they can
    /// be resent), oldest first.
    pub async fn pending_invitations(&self, project: ProjectId) -> StoreResult<Vec<Invitation>> {
        let sql = format!("SELECT {COLUMNS} FROM invitations WHERE project_id = $1 AND {PENDING} ORDER BY id");
        Ok(on_pool!(&self.pool, p => {
            sqlx::query_as::<_, Invitation>(&sql).bind(project.0).fetch_all(p).await
        })?)
    }

    /// Gives a pending invitation of `project` a new token and seven more days; the old link
    /// dies. Returns the invitation and its new token, or `None` when there is no such pending
    /// invitation.
    pub async fn resend_invitation(&self, project: ProjectId, id: i64) -> StoreResult<Option<(Invitation, String)>> {
        let token = random_secret("");
        let at = now();
        let sql = format!(
            "UPDATE invitations SET token_hash = $1, expires_at = $2
             WHERE id = $3 AND project_id = $4 AND {PENDING} RETURNING {COLUMNS}"
        );
        let row = on_pool!(&self.pool, p => {
            sqlx::query_as::<_, Invitation>(&sql)
                .bind(secret_hash(&token))
                .bind(at + Duration::days(INVITATION_DAYS))
                .bind(id)
                .bind(project.0)
                .fetch_optional(p)
                .await
        })?;
        Ok(row.map(|i| (i, token)))
    }

    /// Revokes a pending invitation of `project`; returns it when there was one.
    pub async fn revoke_invitation(&self, project: ProjectId, id: i64) -> StoreResult<Option<Invitation>> {
        let sql = format!(
            "UPDATE invitations SET revoked_at = $1 WHERE id = $2 AND project_id = $3 AND {PENDING} RETURNING {COLUMNS}"
        );
        Ok(on_pool!(&self.pool, p => {
            sqlx::query_as::<_, Invitation>(&sql).bind(now()).bind(id).bind(project.0).fetch_optional(p).await
        })?)
    }

    /// Marks the invitation a token opens as used, once: of two concurrent acceptances only
    /// one gets it back.
    pub async fn use_invitation(&self, token: &str) -> StoreResult<Option<Invitation>> {
        let at = now();
        let sql = format!(
            "UPDATE invitations SET accepted_at = $1
             WHERE token_hash = $2 AND {PENDING} AND expires_at > $1 RETURNING {COLUMNS}"
        );
        Ok(on_pool!(&self.pool, p => {
            sqlx::query_as::<_, Invitation>(&sql).bind(at).bind(secret_hash(token)).fetch_optional(p).await
        })?)
    }
}
