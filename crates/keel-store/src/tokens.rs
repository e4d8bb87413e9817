//! API bearer tokens: made by `keel token create`, stored as SHA-256, revocable.

use crate::credentials::{random_secret, secret_hash};
use crate::users::User;
use crate::{Store, StoreResult, now, on_pool};
use chrono::{DateTime, Utc};
use keel_domain::{TokenId, UserId};

/// What is shown of a token after it is made: never the secret itself.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TokenInfo {
    pub id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Prefix that makes a Keel token recognisable in logs and secret scanners.
pub const TOKEN_PREFIX: &str = "keel_";

/// How fresh a token's `last_used_at` is kept: a use within this many seconds of the
/// recorded one does not write it again.
pub const TOKEN_LAST_USED_RESOLUTION_SECONDS: i64 = 60;

#[derive(sqlx::FromRow)]
struct UserAndLastUse {
    #[sqlx(flatten)]
    user: User,
    last_used_at: Option<DateTime<Utc>>,
}

impl Store {
    /// Makes a token for `user`; returns its id and the secret, which is shown once.
    pub async fn create_token(&self, user: &User, name: &str) -> StoreResult<(TokenId, String)> {
        let secret = random_secret(TOKEN_PREFIX);
        let id = on_pool!(&self.pool, p => {
            sqlx::query_scalar::<_, i64>(
                "INSERT INTO api_tokens (org_id, user_id, name, token_hash, created_at)
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(user.org_id)
            .bind(user.id)
            .bind(name)
            .bind(secret_hash(&secret))
            .bind(now())
            .fetch_one(p)
            .await
        })?;
        Ok((TokenId(id), secret))
    }

    /// The user a live (unrevoked) token belongs to; records when it was last used, to the
    /// minute: the time is written when it is unset or older than
    /// [`TOKEN_LAST_USED_RESOLUTION_SECONDS`], so a client calling many times a second does
    /// not turn every read into a write.
    pub async fn token_user(&self, secret: &str) -> StoreResult<Option<User>> {
        let hash = secret_hash(secret);
        let row = on_pool!(&self.pool, p => {
            sqlx::query_as::<_, UserAndLastUse>(
                "SELECT u.id, u.org_id, u.email, u.display_name, u.is_org_admin, t.last_used_at
                 FROM api_tokens t JOIN users u ON u.id = t.user_id
                 WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.deactivated_at IS NULL",
            )
            .bind(&hash)
            .fetch_optional(p)
            .await
        })?;
        let Some(row) = row else { return Ok(None) };
        self.record_token_use(&hash, row.last_used_at).await?;
        Ok(Some(row.user))
    }

    /// Writes the token's last use (now) unless the recorded one is more recent than
    /// [`TOKEN_LAST_USED_RESOLUTION_SECONDS`].
    pub(crate) async fn record_token_use(&self, hash: &str, last_used_at: Option<DateTime<Utc>>) -> StoreResult<()> {
        let at = now();
        let stale =
            last_used_at.is_none_or(|t| at - t >= chrono::Duration::seconds(TOKEN_LAST_USED_RESOLUTION_SECONDS));
        if stale {
            on_pool!(&self.pool, p => {
                sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE token_hash = $2")
                    .bind(at)
                    .bind(hash)
                    .execute(p)
                    .await.map(|r| r.rows_affected())
            })?;
        }
        Ok(())
    }

    pub async fn tokens_of(&self, user: UserId) -> StoreResult<Vec<TokenInfo>> {
        Ok(on_pool!(&self.pool, p => {
            sqlx::query_as::<_, TokenInfo>(
                "SELECT id, name, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY id",
            )
            .bind(user.0)
            .fetch_all(p)
            .await
        })?)
    }

    /// Revokes a token of `user`; returns whether a live token was revoked.
    pub async fn revoke_token(&self, user: UserId, id: TokenId) -> StoreResult<bool> {
        let done = on_pool!(&self.pool, p => {
            sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL")
                .bind(now())
                .bind(id.0)
                .bind(user.0)
                .execute(p)
                .await.map(|r| r.rows_affected())
        })?;
        Ok(done > 0)
    }
}
