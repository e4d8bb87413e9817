//! Invitations: a person who is not yet a user, asked by e-mail to join one project with one
//! role. Only the SHA-256 of the link's token is stored; a link works until it is used,
//! revoked, replaced by a resend or seven days old.

use crate::audit::NewAuditEvent;
use crate::credentials::{random_secret, secret_hash};
use crate::{Store, StoreResult, append_audit, now, on_pool};
use chrono::{DateTime, Duration, Utc};
use keel_domain::{Email, OrgId, ProjectId, Role, UserId};
use serde_json::json;

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

/// What became of an attempt to accept an invitation.
#[derive(Debug, Clone)]
pub enum Acceptance {
    /// The invitee is now a user with the invited role; the link is used.
    Accepted { invitation: Invitation, user: UserId },
    /// The link is unknown, used, revoked, replaced or expired.
    Gone,
    /// The address already belongs to a user (of this organization or another): nothing was
    /// changed, and the link stays unused.
    AddressTaken,
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
    /// the organization's); returns it with the link's token, which is never stored. A pending
    /// invitation of the same e-mail to the same project is replaced: it is stamped revoked in
    /// the same transaction, so its link dies and only the newest one works.
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
        let replace =
            format!("UPDATE invitations SET revoked_at = $1 WHERE project_id = $2 AND email = $3 AND {PENDING}");
        let row = on_pool!(&self.pool, p => {
            let mut tx = p.begin().await?;
            sqlx::query(&replace)
                .bind(created)
                .bind(new.project.0)
                .bind(new.email.as_str())
                .execute(&mut *tx)
                .await?;
            let row = sqlx::query_as::<_, Invitation>(&sql)
                .bind(new.org.0)
                .bind(new.project.0)
                .bind(new.email.as_str())
                .bind(new.role.as_str())
                .bind(new.lang)
                .bind(secret_hash(&token))
                .bind(new.invited_by.0)
                .bind(created)
                .bind(created + Duration::days(INVITATION_DAYS))
                .fetch_optional(&mut *tx)
                .await?;
            if let Some(invitation) = &row {
                append_audit!(&mut *tx, NewAuditEvent {
                    org: new.org, project: new.project, subject_kind: "invitation", subject_id: invitation.id,
                    actor: Some(new.invited_by), action: "invited",
                    detail: json!({ "email": invitation.email, "role": invitation.role }), at: created,
                })?;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(row)
        })?;
        Ok(row.map(|i| (i, token)))
    }

    /// One invitation of `org`, pending or not (for revoking it by id).
    pub async fn invitation_in_org(&self, org: OrgId, id: i64) -> StoreResult<Option<Invitation>> {
        let sql = format!("SELECT {COLUMNS} FROM invitations WHERE id = $1 AND org_id = $2");
        Ok(on_pool!(&self.pool, p => {
            sqlx::query_as::<_, Invitation>(&sql).bind(id).bind(org.0).fetch_optional(p).await
        })?)
    }

    /// Accepts the invitation a link's token opens, all in one transaction: the link is used,
    /// the invitee becomes a user of the invitation's organization with `password_hash`, gets
    /// the invited role, and the audit trail says so. Nothing is kept when any step fails.
    #[tracing::instrument(skip(self, token, password_hash))]
    pub async fn accept_invitation(
        &self,
        token: &str,
        display_name: &str,
        password_hash: &str,
    ) -> StoreResult<Acceptance> {
        let at = now();
        let use_it = format!(
            "UPDATE invitations SET accepted_at = $1
             WHERE token_hash = $2 AND {PENDING} AND expires_at > $1 RETURNING {COLUMNS}"
        );
        let result = on_pool!(&self.pool, p => {
            let mut tx = p.begin().await?;
            let Some(invitation) = sqlx::query_as::<_, Invitation>(&use_it)
                .bind(at)
                .bind(secret_hash(token))
                .fetch_optional(&mut *tx)
                .await?
            else {
                return Ok(Acceptance::Gone);
            };
            let created = sqlx::query_scalar::<_, i64>(
                "INSERT INTO users (org_id, email, display_name, password_hash, is_org_admin, created_at)
                 VALUES ($1, $2, $3, $4, FALSE, $5) RETURNING id",
            )
            .bind(invitation.org_id)
            .bind(&invitation.email)
            .bind(display_name)
            .bind(password_hash)
            .bind(at)
            .fetch_one(&mut *tx)
            .await;
            let user_id = match created {
                Ok(id) => id,
                // The address became (or was) a user meanwhile, perhaps of another
                // organization: the link cannot make a second account for it.
                Err(sqlx::Error::Database(db)) if db.is_unique_violation() => return Ok(Acceptance::AddressTaken),
                Err(e) => return Err(e.into()),
            };
            sqlx::query(
                "INSERT INTO memberships (org_id, project_id, user_id, role, speciality, created_at)
                 VALUES ($1, $2, $3, $4, NULL, $5)",
            )
            .bind(invitation.org_id)
            .bind(invitation.project_id)
            .bind(user_id)
            .bind(&invitation.role)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            append_audit!(&mut *tx, NewAuditEvent {
                org: invitation.org(), project: invitation.project(), subject_kind: "invitation",
                subject_id: invitation.id, actor: Some(UserId(user_id)), action: "accepted",
                detail: json!({ "email": invitation.email, "role": invitation.role }), at,
            })?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(Acceptance::Accepted { invitation, user: UserId(user_id) })
        })?;
        Ok(result)
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
        self.revoke_invitation_by(project, id, None).await
    }

    /// Revokes a pending invitation of `project` on `actor`'s behalf, on the audit trail in the
    /// same transaction; returns it when there was one.
    pub async fn revoke_invitation_by(
        &self,
        project: ProjectId,
        id: i64,
        actor: Option<UserId>,
    ) -> StoreResult<Option<Invitation>> {
        let at = now();
        let sql = format!(
            "UPDATE invitations SET revoked_at = $1 WHERE id = $2 AND project_id = $3 AND {PENDING} RETURNING {COLUMNS}"
        );
        Ok(on_pool!(&self.pool, p => {
            let mut tx = p.begin().await?;
            let row = sqlx::query_as::<_, Invitation>(&sql).bind(at).bind(id).bind(project.0).fetch_optional(&mut *tx).await?;
            if let Some(invitation) = &row {
                append_audit!(&mut *tx, NewAuditEvent {
                    org: invitation.org(), project, subject_kind: "invitation", subject_id: invitation.id,
                    actor, action: "revoked", detail: json!({ "email": invitation.email, "role": invitation.role }), at,
                })?;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(row)
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
