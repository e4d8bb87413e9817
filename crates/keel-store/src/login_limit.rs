//! Login rate limiting, kept in the database so it holds across several keel instances.
//!
//! Every attempt takes a number before its password is checked, with one upsert per key that
//! counts and returns the count ([`Store::reserve_login_attempt`]): two parallel guesses can
//! never both see "one attempt left", because the counter, not a read beside it, decides.
//!
//! The keys and what each limit is for:
//! - **e-mail + address** (5 per 15 minutes): one person's password guessed from one place.
//!   The owner, elsewhere, is not locked out by somebody else's guesses.
//! - **address** (30 per 15 minutes): many people's passwords tried from one place.
//! - **e-mail** across all addresses: never refuses (that would let anyone lock anyone out),
//!   but past 5 attempts in the window each further check waits, doubling up to 8 seconds,
//!   so guessing one password from many addresses is slowed while its owner still gets in.
//!
//! A successful login clears its e-mail and e-mail + address counters and gives its attempt
//! back to the address, so an office behind one address is not throttled by logging in.

use crate::{Store, StoreResult, now, on_pool};
use chrono::Duration;

/// Window over which attempts count; a key's window starts at its first attempt.
pub const WINDOW_MINUTES: i64 = 15;
/// Attempts for one e-mail from one address in the window; further ones are refused.
pub const MAX_PER_EMAIL: i64 = 5;
/// Attempts from one client address in the window; further ones are refused.
pub const MAX_PER_ADDRESS: i64 = 30;
/// Attempts for one e-mail from anywhere before each further check is slowed.
pub const SLOW_AFTER_PER_EMAIL: i64 = 5;
/// The longest wait put before a check.
pub const MAX_DELAY_SECONDS: u64 = 8;

/// What an attempt may do, decided when it took its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginAttempt {
    /// Check the password, after waiting this long (zero unless the e-mail is under attack).
    Check { delay: std::time::Duration },
    /// Refuse without checking: a limit is reached.
    Refused,
}

fn email_key(email: &str) -> String {
    format!("email:{}", normalized(email))
}

fn pair_key(email: &str, address: &str) -> String {
    format!("pair:{}|{address}", normalized(email))
}

fn address_key(address: &str) -> String {
    format!("addr:{address}")
}

fn normalized(email: &str) -> String {
    email.trim().to_lowercase()
}

/// How long a check waits when the e-mail has had `attempts` attempts in the window.
fn delay_for(attempts: i64) -> std::time::Duration {
    let over = attempts - SLOW_AFTER_PER_EMAIL;
    if over <= 0 {
        return std::time::Duration::ZERO;
    }
    let seconds = 1u64.checked_shl((over - 1).min(16) as u32).unwrap_or(u64::MAX);
    std::time::Duration::from_secs(seconds.min(MAX_DELAY_SECONDS))
}

impl Store {
    /// Counts an attempt to log in as `email` from `address` and says whether its password
    /// may be checked. Each counter moves in one statement, so parallel attempts are
    /// numbered one after another and at most the allowed number are checked.
    pub async fn reserve_login_attempt(&self, email: &str, address: &str) -> StoreResult<LoginAttempt> {
        let at = now();
        let by_address = self.count_attempt(address_key(address), at).await?;
        let by_pair = self.count_attempt(pair_key(email, address), at).await?;
        let by_email = self.count_attempt(email_key(email), at).await?;
        if by_address > MAX_PER_ADDRESS || by_pair > MAX_PER_EMAIL {
            return Ok(LoginAttempt::Refused);
        }
        Ok(LoginAttempt::Check {
            delay: delay_for(by_email),
        })
    }

    /// One upsert that starts or continues `key`'s window and returns its attempt number.
    async fn count_attempt(&self, key: String, at: chrono::DateTime<chrono::Utc>) -> StoreResult<i64> {
        let window_opened_after = at - Duration::minutes(WINDOW_MINUTES);
        Ok(on_pool!(&self.pool, p => {
            sqlx::query_scalar::<_, i64>(
                "INSERT INTO login_attempts (key, window_start, attempts) VALUES ($1, $2, 1)
                 ON CONFLICT (key) DO UPDATE SET
                   attempts = CASE WHEN login_attempts.window_start > $3 THEN login_attempts.attempts + 1 ELSE 1 END,
                   window_start = CASE WHEN login_attempts.window_start > $3 THEN login_attempts.window_start ELSE $2 END
                 RETURNING attempts",
            )
            .bind(key)
            .bind(at)
            .bind(window_opened_after)
            .fetch_one(p)
            .await
        })?)
    }

    /// After a successful login: the person proved who they are, so their e-mail's counters
    /// start again and the address gets its attempt back.
    pub async fn login_succeeded(&self, email: &str, address: &str) -> StoreResult<()> {
        on_pool!(&self.pool, p => {
            sqlx::query("DELETE FROM login_attempts WHERE key = $1 OR key = $2")
                .bind(email_key(email))
                .bind(pair_key(email, address))
                .execute(p)
                .await?;
            sqlx::query("UPDATE login_attempts SET attempts = attempts - 1 WHERE key = $1 AND attempts > 0")
                .bind(address_key(address))
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_doubles_past_the_free_attempts_and_stops_at_its_ceiling() {
        let secs = |n| delay_for(n).as_secs();
        assert_eq!((secs(1), secs(5)), (0, 0));
        assert_eq!((secs(6), secs(7), secs(8), secs(9)), (1, 2, 4, 8));
        assert_eq!((secs(10), secs(1_000)), (8, 8));
    }

    #[test]
    fn keys_ignore_the_case_and_spaces_of_an_e_mail() {
        assert_eq!(
            pair_key(" A@Demo.Local ", "1.2.3.4"),
            pair_key("a@demo.local", "1.2.3.4")
        );
        assert_ne!(pair_key("a@demo.local", "1.2.3.4"), pair_key("a@demo.local", "1.2.3.5"));
    }
}
