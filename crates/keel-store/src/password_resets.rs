//! Password reset links: one-time, an hour long, only the SHA-256 of the token stored. Using
//! one sets the new password and ends every session of the user in one transaction.

use crate::credentials::{random_secret, secret_hash};
use crate::{Store, StoreResult, now, on_pool};
use chrono::Duration;
use keel_domain::UserId;

/// How long a reset link lives.
pub const RESET_MINUTES: i64 = 60;
/// Reset links one user may be sent per hour: enough for a lost e-mail, too few to flood
/// someone's inbox through the public form.
pub const MAX_RESETS_PER_HOUR: i64 = 3;

impl Store {
    /// Makes a reset link's token for `user`, or `None` when they were already sent
    /// [`MAX_RESETS_PER_HOUR`] links in the last hour (the caller answers the same either way).
    #[tracing::instrument(skip(self))]
    pub async fn create_password_reset(&self, user: UserId) -> StoreResult<Option<String>> {
        let at = now();
        let recent: i64 = on_pool!(&self.pool, p => {
            sqlx::query_scalar("SELECT COUNT(*) FROM password_resets WHERE user_id = $1 AND created_at > $2")
                .bind(user.0)
                .bind(at - Duration::hours(1))
                .fetch_one(p)
                .await
        })?;
        if recent >= MAX_RESETS_PER_HOUR {
            return Ok(None);
        }
        let token = random_secret("");
        on_pool!(&self.pool, p => {
            sqlx::query("INSERT INTO password_resets (user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)")
                .bind(user.0)
                .bind(secret_hash(&token))
                .bind(at)
                .bind(at + Duration::minutes(RESET_MINUTES))
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(Some(token))
    }

    /// The active user a live (unused, unexpired) reset link belongs to.
    pub async fn password_reset_user(&self, token: &str) -> StoreResult<Option<UserId>> {
        let id: Option<i64> = on_pool!(&self.pool, p => {
            sqlx::query_scalar(
                "SELECT r.user_id FROM password_resets r JOIN users u ON u.id = r.user_id
                 WHERE r.token_hash = $1 AND r.used_at IS NULL AND r.expires_at > $2 AND u.deactivated_at IS NULL",
            )
            .bind(secret_hash(token))
            .bind(now())
            .fetch_optional(p)
            .await
        })?;
        Ok(id.map(UserId))
    }

    /// Uses a reset link once: stamps it used, sets `password_hash` and ends every session of
    /// its user, in one transaction. `None` when the link is not live (nothing changes).
    #[tracing::instrument(skip(self, token, password_hash))]
    pub async fn use_password_reset(&self, token: &str, password_hash: &str) -> StoreResult<Option<UserId>> {
        let at = now();
        let user = on_pool!(&self.pool, p => {
            let mut tx = p.begin().await?;
            let user: Option<i64> = sqlx::query_scalar(
                "UPDATE password_resets SET used_at = $1
                 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1
                   AND user_id IN (SELECT id FROM users WHERE deactivated_at IS NULL)
                 RETURNING user_id",
            )
            .bind(at)
            .bind(secret_hash(token))
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(user) = user {
                sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
                    .bind(password_hash)
                    .bind(user)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(user)
        })?;
        Ok(user.map(UserId))
    }
}
