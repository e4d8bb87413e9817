//! Login rate limiting, kept in the database so it holds across several keel instances.
//!
//! Failures are counted per e-mail (guessing one person's password) and per client address
//! (trying many people's) over a sliding window; a success clears the e-mail's count.

use crate::{Store, StoreResult, now, on_pool};
use chrono::Duration;

/// Window over which failures count.
pub const WINDOW_MINUTES: i64 = 15;
/// Failures per e-mail in the window before further attempts are refused.
pub const MAX_PER_EMAIL: i64 = 5;
/// Failures per client address in the window before further attempts are refused.
pub const MAX_PER_ADDRESS: i64 = 30;

fn email_key(email: &str) -> String {
    format!("email:{}", email.trim().to_lowercase())
}

fn address_key(address: &str) -> String {
    format!("addr:{address}")
}

impl Store {
    /// Whether a login for `email` from `address` may be tried now.
    pub async fn login_allowed(&self, email: &str, address: &str) -> StoreResult<bool> {
        let since = now() - Duration::minutes(WINDOW_MINUTES);
        let count = |key: String| async move {
            on_pool!(&self.pool, p => {
                sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM login_failures WHERE key = $1 AND at > $2")
                    .bind(key)
                    .bind(since)
                    .fetch_one(p)
                    .await
            })
        };
        Ok(count(email_key(email)).await? < MAX_PER_EMAIL && count(address_key(address)).await? < MAX_PER_ADDRESS)
    }

    pub async fn record_login_failure(&self, email: &str, address: &str) -> StoreResult<()> {
        let at = now();
        for key in [email_key(email), address_key(address)] {
            on_pool!(&self.pool, p => {
                sqlx::query("INSERT INTO login_failures (key, at) VALUES ($1, $2)").bind(key).bind(at).execute(p).await.map(|r| r.rows_affected())
            })?;
        }
        Ok(())
    }

    pub async fn clear_login_failures(&self, email: &str) -> StoreResult<()> {
        on_pool!(&self.pool, p => {
            sqlx::query("DELETE FROM login_failures WHERE key = $1").bind(email_key(email)).execute(p).await.map(|r| r.rows_affected())
        })?;
        Ok(())
    }
}
