//! The `posts` section: every post published in the period with its interactions, ER,
//! ERR and ER by views, ordered by publication time, then platform, account and post id.
//!
//! A project may hold a million posts, so rows are streamed from a database cursor and
//! handed to a callback one at a time; nothing here collects them.

use chrono::{DateTime, SecondsFormat, Utc};
use futures_util::TryStreamExt;
use keel_domain::metrics::engagement::{post_er, post_err, post_erv};
use keel_store::{Store, on_pool};
use serde::{Serialize, Serializer};

use crate::scope::{INTERACTIONS, POST_FOLLOWERS, Scope, join_post_day};

/// One post of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PostRow {
    pub platform: String,
    pub account: String,
    pub post_id: String,
    /// Publication instant, serialized as RFC 3339 in UTC (`2026-01-05T10:00:00Z`).
    #[serde(serialize_with = "rfc3339_utc")]
    pub published_at: DateTime<Utc>,
    /// `I = likes + comments + shares + saves`.
    pub interactions: i64,
    /// `I / followers × 100`, followers of the publication day (else the post's own).
    pub er: Option<f64>,
    /// `I / reach × 100`.
    pub err: Option<f64>,
    /// `I / views × 100`.
    pub erv: Option<f64>,
}

impl PostRow {
    /// The publication instant as written in JSON and CSV.
    pub fn published_at_text(&self) -> String {
        self.published_at.to_rfc3339_opts(SecondsFormat::AutoSi, true)
    }
}

fn rfc3339_utc<S: Serializer>(at: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&at.to_rfc3339_opts(SecondsFormat::AutoSi, true))
}

/// A post as read: the inputs of the per-post formulas.
#[derive(Debug, sqlx::FromRow)]
struct RawPost {
    platform: String,
    account: String,
    post_id: String,
    published_at: DateTime<Utc>,
    interactions: i64,
    followers: Option<i64>,
    reach: Option<i64>,
    views: Option<i64>,
}

impl From<RawPost> for PostRow {
    fn from(r: RawPost) -> PostRow {
        PostRow {
            er: post_er(r.interactions, r.followers),
            err: post_err(r.interactions, r.reach),
            erv: post_erv(r.interactions, r.views),
            platform: r.platform,
            account: r.account,
            post_id: r.post_id,
            published_at: r.published_at,
            interactions: r.interactions,
        }
    }
}

/// Calls `each` with every post of the period, in report order, as the rows arrive.
/// Stops at the first error `each` returns (e.g. a closed output pipe).
pub(crate) async fn for_each_post(
    store: &Store,
    scope: &Scope,
    mut each: impl FnMut(PostRow) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let sql = format!(
        "SELECT p.platform, p.account, p.post_id, p.published_at,
                {INTERACTIONS} AS interactions, {POST_FOLLOWERS} AS followers,
                p.reach, p.views
         FROM posts p {join}
         WHERE p.project_id = $1 AND p.published_at >= $2 AND p.published_at < $3
         ORDER BY p.published_at, p.platform, p.account, p.post_id",
        join = join_post_day(scope),
    );
    on_pool!(&store.pool, p => {
        let mut rows = sqlx::query_as::<_, RawPost>(&sql)
            .bind(scope.project_id)
            .bind(scope.start())
            .bind(scope.end())
            .fetch(p);
        while let Some(raw) = rows.try_next().await? {
            each(PostRow::from(raw))?;
        }
    });
    Ok(())
}
