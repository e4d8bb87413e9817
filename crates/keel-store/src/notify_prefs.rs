//! Who wants which notification through which channel, and in which language.
//!
//! Only departures from the defaults are stored (see migration 0020): without a row, every kind
//! is on for every channel. Telegram additionally needs a linked chat (`telegram.rs`).

use crate::{Store, StoreResult, on_pool};
use keel_domain::UserId;
use keel_domain::notification::{Channel, NotificationKind};
use std::collections::HashSet;

/// A user's choices for every kind × channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreferenceGrid {
    /// The (kind, channel) pairs turned off.
    off: HashSet<(NotificationKind, Channel)>,
}

impl PreferenceGrid {
    /// Everything on: what a user who never chose gets.
    pub fn all_on() -> PreferenceGrid {
        PreferenceGrid { off: HashSet::new() }
    }

    /// A grid where exactly the listed pairs are on.
    pub fn only(on: &[(NotificationKind, Channel)]) -> PreferenceGrid {
        let off = NotificationKind::ALL
            .into_iter()
            .flat_map(|k| Channel::ALL.into_iter().map(move |c| (k, c)))
            .filter(|pair| !on.contains(pair))
            .collect();
        PreferenceGrid { off }
    }

    pub fn wants(&self, kind: NotificationKind, channel: Channel) -> bool {
        !self.off.contains(&(kind, channel))
    }
}

/// Where and how to reach one person.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Recipient {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    /// `en` or `ru`; `None` when never chosen (messages are then in English).
    pub notify_language: Option<String>,
}

impl Store {
    /// The user's full grid (defaults where nothing is stored).
    pub async fn notification_preferences(&self, user: UserId) -> StoreResult<PreferenceGrid> {
        let rows: Vec<(String, String, bool)> = on_pool!(&self.pool, p => {
            sqlx::query_as("SELECT kind, channel, enabled FROM notification_preferences WHERE user_id = $1")
                .bind(user.0)
                .fetch_all(p)
                .await
        })?;
        let off = rows
            .into_iter()
            .filter(|(_, _, enabled)| !enabled)
            // A kind this binary no longer knows is ignored rather than an error.
            .filter_map(|(k, c, _)| Some((NotificationKind::parse(&k)?, Channel::parse(&c)?)))
            .collect();
        Ok(PreferenceGrid { off })
    }

    /// Whether `user` gets `kind` through `channel` (Telegram still needs a linked chat).
    pub async fn wants_notification(
        &self,
        user: UserId,
        kind: NotificationKind,
        channel: Channel,
    ) -> StoreResult<bool> {
        let enabled: Option<bool> = on_pool!(&self.pool, p => {
            sqlx::query_scalar(
                "SELECT enabled FROM notification_preferences WHERE user_id = $1 AND kind = $2 AND channel = $3",
            )
            .bind(user.0)
            .bind(kind.as_str())
            .bind(channel.as_str())
            .fetch_optional(p)
            .await
        })?;
        Ok(enabled.unwrap_or(true))
    }

    /// Replaces the user's whole grid in one transaction.
    #[tracing::instrument(skip(self, grid))]
    pub async fn set_notification_preferences(&self, user: UserId, grid: &PreferenceGrid) -> StoreResult<()> {
        on_pool!(&self.pool, p => {
            let mut tx = p.begin().await?;
            sqlx::query("DELETE FROM notification_preferences WHERE user_id = $1")
                .bind(user.0)
                .execute(&mut *tx)
                .await?;
            for kind in NotificationKind::ALL {
                for channel in Channel::ALL {
                    sqlx::query(
                        "INSERT INTO notification_preferences (user_id, kind, channel, enabled) VALUES ($1, $2, $3, $4)",
                    )
                    .bind(user.0)
                    .bind(kind.as_str())
                    .bind(channel.as_str())
                    .bind(grid.wants(kind, channel))
                    .execute(&mut *tx)
                    .await?;
                }
            }
            tx.commit().await
        })?;
        Ok(())
    }

    /// Sets the language of the user's notifications (`None` forgets the choice).
    pub async fn set_notify_language(&self, user: UserId, language: Option<&str>) -> StoreResult<()> {
        if let Some(code) = language
            && !matches!(code, "en" | "ru")
        {
            return Err(crate::StoreError::Invalid(format!(
                "notification language `{code}` is not one of en, ru"
            )));
        }
        on_pool!(&self.pool, p => {
            sqlx::query("UPDATE users SET notify_language = $1 WHERE id = $2")
                .bind(language)
                .bind(user.0)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// The address, name and language of a person to notify.
    pub async fn recipient(&self, user: UserId) -> StoreResult<Recipient> {
        use crate::error::OrNotFound;
        on_pool!(&self.pool, p => {
            sqlx::query_as::<_, Recipient>(
                "SELECT id, email, display_name, notify_language FROM users WHERE id = $1",
            )
            .bind(user.0)
            .fetch_optional(p)
            .await
            .or_not_found()
        })
    }
}
