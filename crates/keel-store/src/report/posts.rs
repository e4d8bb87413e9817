//! The period's posts in report order (publication time, then platform, account and post
//! id), each with the follower count of its publication day, streamed: a project may hold
//! a million posts, and nothing here collects them.
//!
//! Three sources give the same rows. The fast ones merge the time-ordered posts with the
//! date-ordered daily rows ([`super::day_merge`]): [`super::sqlite_posts`] on a SQLite
//! file, [`super::pg_posts`] on PostgreSQL. An in-memory SQLite (tests) uses one sqlx
//! query joining each post to its publication day's daily row through the primary key.

use chrono::{DateTime, Utc};
use futures_util::TryStreamExt;

use super::sql::join_post_day;
use super::{ReportDays, pg_posts, sqlite_fast, sqlite_posts};
use crate::{Store, on_pool};

/// A post as read for the report, joined to its account's daily row of its publication day.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct PostRecord {
    pub platform: String,
    pub account: String,
    pub post_id: String,
    pub published_at: DateTime<Utc>,
    pub likes: Option<i64>,
    pub comments: Option<i64>,
    pub shares: Option<i64>,
    pub saves: Option<i64>,
    pub views: Option<i64>,
    pub reach: Option<i64>,
    /// The post's own follower count.
    pub own_followers: Option<i64>,
    /// The follower count of the account's daily row of the post's UTC day, if any.
    pub day_followers: Option<i64>,
}

impl Store {
    /// Calls `each` with every post published in `days`, in report order, as the rows
    /// arrive. Stops at the first error `each` returns (e.g. a closed output pipe).
    ///
    /// On PostgreSQL the rows come from two `COPY` streams on two connections of their own,
    /// closed afterwards; on a SQLite file from a read-only rusqlite connection; on an
    /// in-memory SQLite from one pooled connection.
    pub async fn for_each_report_post(
        &self,
        days: ReportDays,
        mut each: impl FnMut(PostRecord) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        if let Some(batches) = sqlite_posts::posts(self, days) {
            sqlite_fast::drain(batches, |post| each(post.into_record()?)).await
        } else if let Some(batches) = pg_posts::posts(self, days) {
            sqlite_fast::drain(batches, each).await
        } else {
            joined_posts(self, days, each).await
        }
    }
}

/// The posts through sqlx (an in-memory SQLite): one query, each post joined to its
/// publication day's daily row (primary key lookup), in `posts_report_by_time` order.
async fn joined_posts(
    store: &Store,
    days: ReportDays,
    mut each: impl FnMut(PostRecord) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let sql = format!(
        "SELECT p.platform, p.account, p.post_id, p.published_at, p.likes, p.comments,
                p.shares, p.saves, p.views, p.reach, p.followers AS own_followers,
                d.followers AS day_followers
         FROM posts p {join}
         WHERE p.project_id = $1 AND p.published_at >= $2 AND p.published_at < $3
         ORDER BY p.published_at, p.platform, p.account, p.post_id",
        join = join_post_day(store.backend(), days.zone, (days.start(), days.end())),
    );
    on_pool!(&store.pool, p => {
        let mut rows = sqlx::query_as::<_, PostRecord>(&sql)
            .bind(days.project)
            .bind(days.start())
            .bind(days.end())
            .fetch(p);
        while let Some(r) = rows.try_next().await? {
            each(r)?;
        }
    });
    Ok(())
}
