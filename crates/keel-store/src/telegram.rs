//! Telegram chats linked to Keel users, and the one-time codes that link them.
//!
//! A signed-in user asks for a code; they send it to the bot as `/start CODE` from their private
//! chat, and the bot redeems it: the chat is then theirs. Codes are random, stored as SHA-256,
//! single use and expire after [`LINK_CODE_MINUTES`].

use crate::credentials::secret_hash;
use crate::{Store, StoreResult, now, on_pool};
use chrono::{DateTime, Duration, Utc};
use keel_domain::UserId;

/// How long a link code stays valid.
pub const LINK_CODE_MINUTES: i64 = 15;

/// A linked chat.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TelegramLink {
    pub user_id: i64,
    pub chat_id: i64,
    pub username: Option<String>,
    pub linked_at: DateTime<Utc>,
}

/// A fresh code: 16 random bytes in hex (32 characters of `[0-9a-f]`, which Telegram's
/// `start` parameter accepts).
fn new_link_code() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    hex::encode(bytes)
}

impl Store {
    /// Makes a one-time code for `user` and returns it (only its hash is kept). Earlier unused
    /// codes of the same user stop working: only the newest code shown is valid.
    pub async fn create_telegram_link_code(&self, user: UserId) -> StoreResult<String> {
        let code = new_link_code();
        let created = now();
        on_pool!(&self.pool, p => {
            let mut tx = p.begin().await?;
            sqlx::query("DELETE FROM telegram_link_codes WHERE user_id = $1 AND used_at IS NULL")
                .bind(user.0)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO telegram_link_codes (user_id, code_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(user.0)
            .bind(secret_hash(&code))
            .bind(created)
            .bind(created + Duration::minutes(LINK_CODE_MINUTES))
            .execute(&mut *tx)
            .await?;
            tx.commit().await
        })?;
        Ok(code)
    }

    /// Spends `code` and links `chat_id` to its user, replacing any earlier chat of that user
    /// and any earlier user of that chat. `None` if the code is unknown, used or expired.
    #[tracing::instrument(skip(self, code))]
    pub async fn redeem_telegram_link_code(
        &self,
        code: &str,
        chat_id: i64,
        username: Option<&str>,
    ) -> StoreResult<Option<UserId>> {
        let at = now();
        let user = on_pool!(&self.pool, p => {
            let mut tx = p.begin().await?;
            // The UPDATE both checks and spends the code, so two concurrent redemptions cannot
            // both succeed.
            let user: Option<i64> = sqlx::query_scalar(
                "UPDATE telegram_link_codes SET used_at = $1
                 WHERE code_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING user_id",
            )
            .bind(at)
            .bind(secret_hash(code.trim()))
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(user) = user {
                sqlx::query("DELETE FROM telegram_links WHERE user_id = $1 OR chat_id = $2")
                    .bind(user)
                    .bind(chat_id)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("INSERT INTO telegram_links (user_id, chat_id, username, linked_at) VALUES ($1, $2, $3, $4)")
                    .bind(user)
                    .bind(chat_id)
                    .bind(username)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await.map(|_| user)
        })?;
        Ok(user.map(UserId))
    }

    pub async fn telegram_link_of(&self, user: UserId) -> StoreResult<Option<TelegramLink>> {
        Ok(on_pool!(&self.pool, p => {
            sqlx::query_as::<_, TelegramLink>(
                "SELECT user_id, chat_id, username, linked_at FROM telegram_links WHERE user_id = $1",
            )
            .bind(user.0)
            .fetch_optional(p)
            .await
        })?)
    }

    /// The Keel user a chat is linked to, if any.
    pub async fn user_by_telegram_chat(&self, chat_id: i64) -> StoreResult<Option<UserId>> {
        let user: Option<i64> = on_pool!(&self.pool, p => {
            sqlx::query_scalar("SELECT user_id FROM telegram_links WHERE chat_id = $1")
                .bind(chat_id)
                .fetch_optional(p)
                .await
        })?;
        Ok(user.map(UserId))
    }

    /// Forgets the user's chat; returns whether one was linked.
    pub async fn unlink_telegram(&self, user: UserId) -> StoreResult<bool> {
        let removed = on_pool!(&self.pool, p => {
            sqlx::query("DELETE FROM telegram_links WHERE user_id = $1")
                .bind(user.0)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(removed > 0)
    }
}
