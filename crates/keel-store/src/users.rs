//! People who log in. Every user belongs to one organization.

use crate::audit::NewAuditEvent;
use crate::error::OrNotFound;
use crate::{Store, StoreError, StoreResult, append_audit, now, on_pool};
use keel_domain::{Email, OrgId, ProjectId, UserId};
use serde_json::json;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct User {
    pub id: i64,
    pub org_id: i64,
    pub email: String,
    pub display_name: String,
    pub is_org_admin: bool,
}

impl User {
    pub fn id(&self) -> UserId {
        UserId(self.id)
    }
    pub fn org(&self) -> OrgId {
        OrgId(self.org_id)
    }
}

const USER_COLUMNS: &str = "id, org_id, email, display_name, is_org_admin";

impl Store {
    /// Creates a user; a taken e-mail is a [`StoreError::Conflict`].
    #[tracing::instrument(skip(self, password_hash))]
    pub async fn create_user(
        &self,
        org: OrgId,
        email: &Email,
        display_name: &str,
        password_hash: &str,
        is_org_admin: bool,
    ) -> StoreResult<User> {
        let sql = format!(
            "INSERT INTO users (org_id, email, display_name, password_hash, is_org_admin, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING {USER_COLUMNS}"
        );
        on_pool!(&self.pool, p => {
            sqlx::query_as::<_, User>(&sql)
                .bind(org.0)
                .bind(email.as_str())
                .bind(display_name)
                .bind(password_hash)
                .bind(is_org_admin)
                .bind(now())
                .fetch_one(p)
                .await
        })
        .map_err(|e| StoreError::from(e).on_unique(format!("a user with e-mail {email} already exists")))
    }

    pub async fn user_by_email(&self, email: &Email) -> StoreResult<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1");
        Ok(on_pool!(&self.pool, p => {
            sqlx::query_as::<_, User>(&sql).bind(email.as_str()).fetch_optional(p).await
        })?)
    }

    pub async fn user_by_id(&self, id: UserId) -> StoreResult<User> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
        on_pool!(&self.pool, p => {
            sqlx::query_as::<_, User>(&sql).bind(id.0).fetch_optional(p).await.or_not_found()
        })
    }

    /// The stored password hash, for login only.
    pub async fn password_hash(&self, id: UserId) -> StoreResult<String> {
        on_pool!(&self.pool, p => {
            sqlx::query_scalar::<_, String>("SELECT password_hash FROM users WHERE id = $1")
                .bind(id.0)
                .fetch_optional(p)
                .await
                .or_not_found()
        })
    }

    pub async fn set_password_hash(&self, id: UserId, hash: &str) -> StoreResult<()> {
        on_pool!(&self.pool, p => {
            sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
                .bind(hash)
                .bind(id.0)
                .execute(p)
                .await.map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Users of one organization, for the members page's picker.
    pub async fn users_in_org(&self, org: OrgId) -> StoreResult<Vec<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE org_id = $1 ORDER BY email");
        Ok(on_pool!(&self.pool, p => {
            sqlx::query_as::<_, User>(&sql).bind(org.0).fetch_all(p).await
        })?)
    }

    /// Whether `user` was deactivated (a deactivated user cannot log in).
    pub async fn is_deactivated(&self, user: UserId) -> StoreResult<bool> {
        let at: Option<Option<chrono::DateTime<chrono::Utc>>> = on_pool!(&self.pool, p => {
            sqlx::query_scalar("SELECT deactivated_at FROM users WHERE id = $1").bind(user.0).fetch_optional(p).await
        })?;
        Ok(matches!(at, Some(Some(_))))
    }

    /// Deactivates `user` of `org` on `actor`'s behalf, in one transaction: the row stays (the
    /// audit trail keeps naming them), every session ends, every token is revoked, and each
    /// project they are on records it. Returns whether an active user of `org` was deactivated.
    #[tracing::instrument(skip(self))]
    pub async fn deactivate_user(&self, org: OrgId, user: UserId, actor: UserId) -> StoreResult<bool> {
        let at = now();
        let done = on_pool!(&self.pool, p => {
            let mut tx = p.begin().await?;
            let changed = sqlx::query("UPDATE users SET deactivated_at = $1 WHERE id = $2 AND org_id = $3 AND deactivated_at IS NULL")
                .bind(at)
                .bind(user.0)
                .bind(org.0)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if changed == 0 {
                return Ok(false);
            }
            sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user.0).execute(&mut *tx).await?;
            sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
                .bind(at)
                .bind(user.0)
                .execute(&mut *tx)
                .await?;
            let email: String = sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
                .bind(user.0)
                .fetch_one(&mut *tx)
                .await?;
            let projects: Vec<i64> = sqlx::query_scalar("SELECT DISTINCT project_id FROM memberships WHERE user_id = $1")
                .bind(user.0)
                .fetch_all(&mut *tx)
                .await?;
            for project in projects {
                append_audit!(&mut *tx, NewAuditEvent {
                    org, project: ProjectId(project), subject_kind: "user", subject_id: user.0,
                    actor: Some(actor), action: "deactivated", detail: json!({ "email": email }), at,
                })?;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(true)
        })?;
        Ok(done)
    }
}
