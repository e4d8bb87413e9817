//! The rows of the four platform-data tables, and how each one is handed to either engine.
//!
//! A row carries only data columns; `org_id` and `project_id` come from the project being
//! imported into, so a file can never write into another tenant.

use super::encode::{CopyRow, date_text, ts_text};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Sqlite;
use sqlx::sqlite::SqliteArguments;
use std::hash::{Hash, Hasher};

/// A query being bound for SQLite.
pub type SqliteQuery<'q> = sqlx::query::Query<'q, Sqlite, SqliteArguments<'q>>;

/// What the writers need to know about a table to upsert into it.
#[derive(Debug)]
pub struct TableSpec {
    /// The table's name.
    pub table: &'static str,
    /// The natural key after `project_id` (the rest of the primary key).
    pub key: &'static [&'static str],
    /// Every stored column except `org_id`/`project_id`, in bind order, with the PostgreSQL
    /// type used for the staging table of `COPY`.
    pub columns: &'static [(&'static str, &'static str)],
}

/// A row of one platform-data table. Implemented by [`PostRow`], [`DailyRow`], [`AdRow`] and
/// [`LeadRow`]; binds and encodes its columns in the order of [`TableSpec::columns`].
pub trait DataRow: Send + Sync + 'static {
    /// The table this row goes into.
    const SPEC: &'static TableSpec;
    /// Binds this row's columns, in order, for a multi-row SQLite `INSERT`.
    fn bind_sqlite<'q>(&'q self, q: SqliteQuery<'q>) -> SqliteQuery<'q>;
    /// Appends this row's columns to a line of PostgreSQL `COPY` text.
    fn write_copy(&self, out: &mut CopyRow<'_>);
    /// Feeds the natural key (the columns of [`TableSpec::key`]) to `state`.
    fn hash_key(&self, state: &mut impl Hasher);
    /// The row as a post, when it is one (imports of posts keep `post_days` up to date).
    fn as_post(&self) -> Option<&PostRow> {
        None
    }
}

/// One post of an account, as of the snapshot being imported.
#[derive(Debug, Clone, PartialEq)]
pub struct PostRow {
    pub platform: String,
    pub account: String,
    pub post_id: String,
    pub published_at: DateTime<Utc>,
    pub post_type: Option<String>,
    pub likes: Option<i64>,
    pub comments: Option<i64>,
    pub shares: Option<i64>,
    pub saves: Option<i64>,
    pub views: Option<i64>,
    pub reach: Option<i64>,
    pub impressions: Option<i64>,
    pub followers: Option<i64>,
    /// The post's text (at most [`POST_TEXT_CHARS`] characters), when the file had it.
    pub text: Option<String>,
    /// The post's address on its platform (`http://` or `https://` only), when known.
    pub url: Option<String>,
}

/// How much of a post's text Keel keeps: enough to recognise the post in a list.
pub const POST_TEXT_CHARS: usize = 500;

impl DataRow for PostRow {
    const SPEC: &'static TableSpec = &TableSpec {
        table: "posts",
        key: &["platform", "account", "post_id"],
        columns: &[
            ("platform", "TEXT"),
            ("account", "TEXT"),
            ("post_id", "TEXT"),
            ("published_at", "TIMESTAMPTZ"),
            ("post_type", "TEXT"),
            ("likes", "BIGINT"),
            ("comments", "BIGINT"),
            ("shares", "BIGINT"),
            ("saves", "BIGINT"),
            ("views", "BIGINT"),
            ("reach", "BIGINT"),
            ("impressions", "BIGINT"),
            ("followers", "BIGINT"),
            ("text", "TEXT"),
            ("url", "TEXT"),
        ],
    };

    fn bind_sqlite<'q>(&'q self, q: SqliteQuery<'q>) -> SqliteQuery<'q> {
        q.bind(self.platform.as_str())
            .bind(self.account.as_str())
            .bind(self.post_id.as_str())
            .bind(ts_text(&self.published_at))
            .bind(self.post_type.as_deref())
            .bind(self.likes)
            .bind(self.comments)
            .bind(self.shares)
            .bind(self.saves)
            .bind(self.views)
            .bind(self.reach)
            .bind(self.impressions)
            .bind(self.followers)
            .bind(self.text.as_deref())
            .bind(self.url.as_deref())
    }

    fn write_copy(&self, out: &mut CopyRow<'_>) {
        out.text(&self.platform);
        out.text(&self.account);
        out.text(&self.post_id);
        out.ts(&self.published_at);
        out.opt_text(self.post_type.as_deref());
        for n in [
            self.likes,
            self.comments,
            self.shares,
            self.saves,
            self.views,
            self.reach,
            self.impressions,
            self.followers,
        ] {
            out.int(n);
        }
        out.opt_text(self.text.as_deref());
        out.opt_text(self.url.as_deref());
    }

    fn hash_key(&self, state: &mut impl Hasher) {
        (&self.platform, &self.account, &self.post_id).hash(state);
    }

    fn as_post(&self) -> Option<&PostRow> {
        Some(self)
    }
}

/// One day of an account's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct DailyRow {
    pub platform: String,
    pub account: String,
    pub date: NaiveDate,
    pub followers: Option<i64>,
    pub reach: Option<i64>,
    pub impressions: Option<i64>,
    pub mentions: Option<i64>,
    pub hashtag_uses: Option<i64>,
    pub profile_visits: Option<i64>,
    pub site_clicks: Option<i64>,
}

impl DataRow for DailyRow {
    const SPEC: &'static TableSpec = &TableSpec {
        table: "daily_stats",
        key: &["platform", "account", "date"],
        columns: &[
            ("platform", "TEXT"),
            ("account", "TEXT"),
            ("date", "DATE"),
            ("followers", "BIGINT"),
            ("reach", "BIGINT"),
            ("impressions", "BIGINT"),
            ("mentions", "BIGINT"),
            ("hashtag_uses", "BIGINT"),
            ("profile_visits", "BIGINT"),
            ("site_clicks", "BIGINT"),
        ],
    };

    fn bind_sqlite<'q>(&'q self, q: SqliteQuery<'q>) -> SqliteQuery<'q> {
        q.bind(self.platform.as_str())
            .bind(self.account.as_str())
            .bind(date_text(&self.date))
            .bind(self.followers)
            .bind(self.reach)
            .bind(self.impressions)
            .bind(self.mentions)
            .bind(self.hashtag_uses)
            .bind(self.profile_visits)
            .bind(self.site_clicks)
    }

    fn write_copy(&self, out: &mut CopyRow<'_>) {
        out.text(&self.platform);
        out.text(&self.account);
        out.date(&self.date);
        for n in [
            self.followers,
            self.reach,
            self.impressions,
            self.mentions,
            self.hashtag_uses,
            self.profile_visits,
            self.site_clicks,
        ] {
            out.int(n);
        }
    }

    fn hash_key(&self, state: &mut impl Hasher) {
        (&self.platform, &self.account, &self.date).hash(state);
    }
}
