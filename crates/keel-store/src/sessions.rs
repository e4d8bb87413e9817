//! Browser sessions, stored in the database so several keel instances share them.

use crate::credentials::{random_secret, secret_hash};
use crate::users::User;
use crate::{Store, StoreResult, now, on_pool};
use chrono::Duration;
use keel_domain::UserId;

/// How long a session lives without a new login.
pub const SESSION_DAYS: i64 = 14;

impl Store {
    /// Starts a session for `user`; returns the cookie value (only its hash is stored).
    pub async fn create_session(&self, user: UserId) -> StoreResult<String> {
        let token = random_secret("");
        let created = now();
        on_pool!(&self.pool, p => {
            sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
                .bind(secret_hash(&token))
                .bind(user.0)
                .bind(created)
                .bind(created + Duration::days(SESSION_DAYS))
                .execute(p)
                .await.map(|r| r.rows_affected())?;
            sqlx::query("UPDATE users SET last_login_at = $1 WHERE id = $2")
                .bind(created)
                .bind(user.0)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(token)
    }

    /// The user of an unexpired session cookie, if any.
    pub async fn session_user(&self, token: &str) -> StoreResult<Option<User>> {
        Ok(on_pool!(&self.pool, p => {
            sqlx::query_as::<_, User>(
                "SELECT u.id, u.org_id, u.email, u.display_name, u.is_org_admin
                 FROM sessions s JOIN users u ON u.id = s.user_id
                 WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.deactivated_at IS NULL",
            )
            .bind(secret_hash(token))
            .bind(now())
            .fetch_optional(p)
            .await
        })?)
    }

    /// Ends a session (logout). Ending an unknown session is not an error.
    pub async fn delete_session(&self, token: &str) -> StoreResult<()> {
        on_pool!(&self.pool, p => {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(secret_hash(token)).execute(p).await.map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Ends every session of `user` but `keep` (the one that changed the password).
    pub async fn end_other_sessions(&self, user: UserId, keep: &str) -> StoreResult<()> {
        on_pool!(&self.pool, p => {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
                .bind(user.0)
                .bind(secret_hash(keep))
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Forgets expired sessions and old login attempt counters; run now and then.
    pub async fn prune_expired(&self) -> StoreResult<()> {
        let at = now();
        on_pool!(&self.pool, p => {
            sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(at).execute(p).await.map(|r| r.rows_affected())?;
            sqlx::query("DELETE FROM login_attempts WHERE window_start <= $1")
                .bind(at - Duration::days(1))
                .execute(p)
                .await.map(|r| r.rows_affected())
        })?;
        Ok(())
    }
}
