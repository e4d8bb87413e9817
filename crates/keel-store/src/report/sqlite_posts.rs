//! The period's posts on a SQLite file (see [`super::sqlite_fast`] for why not sqlx),
//! each with the follower count of its publication day.
//!
//! Each post gets its day's follower count by the merge of [`super::day_merge`]: the posts
//! in report order from the `posts_report_by_time` index, the daily rows by date from
//! `daily_report_by_date` (migration 0003), both read sequentially with no sort.
//!
//! The result is the same as the SQL join of the sqlx path: the daily count of the post's
//! UTC publication day when that row has one, else the post's own `followers`.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rusqlite::Row;

use super::ReportDays;
use super::day_merge::{DailyRow, DayFollowers};
use super::posts::PostRecord;
use super::sqlite_fast::{Batcher, Batches, database_file, open, spawn_reader};

const POSTS: &str = "SELECT platform, account, post_id, published_at, likes, comments, shares,
                            saves, views, reach, followers
                     FROM posts
                     WHERE project_id = ?1 AND published_at >= ?2 AND published_at < ?3
                     ORDER BY published_at, platform, account, post_id";

const DAILY: &str = "SELECT date, platform, account, followers
                     FROM daily_stats
                     WHERE project_id = ?1 AND date >= ?2 AND date <= ?3
                     ORDER BY date, platform, account";

/// A post as read on the reading thread: its publication instant is still the stored
/// text (parsed by the receiving thread, which has time to spare).
pub(crate) struct SqlitePost {
    platform: String,
    account: String,
    post_id: String,
    published_at: String,
    likes: Option<i64>,
    comments: Option<i64>,
    shares: Option<i64>,
    saves: Option<i64>,
    views: Option<i64>,
    reach: Option<i64>,
    own_followers: Option<i64>,
    day_followers: Option<i64>,
}

impl SqlitePost {
    pub fn into_record(self) -> anyhow::Result<PostRecord> {
        Ok(PostRecord {
            published_at: parse_published(&self.published_at)?,
            platform: self.platform,
            account: self.account,
            post_id: self.post_id,
            likes: self.likes,
            comments: self.comments,
            shares: self.shares,
            saves: self.saves,
            views: self.views,
            reach: self.reach,
            own_followers: self.own_followers,
            day_followers: self.day_followers,
        })
    }
}

/// The posts of the period as a batch stream, or `None` when the store is not a SQLite
/// file (the caller then uses sqlx).
pub(crate) fn posts(store: &crate::Store, days: ReportDays) -> Option<Batches<SqlitePost>> {
    let file = database_file(store)?;
    // Bounds as sqlx binds them on SQLite (RFC 3339 text), so both paths compare alike.
    let start = days.start().to_rfc3339_opts(SecondsFormat::AutoSi, false);
    let end = days.end().to_rfc3339_opts(SecondsFormat::AutoSi, false);
    let (first, last) = (days.first_day.to_string(), days.last_day.to_string());
    let (project, zone) = (days.project, days.zone);
    Some(spawn_reader(move |out: &mut Batcher<SqlitePost>| {
        let conn = open(&file)?;
        let mut posts_stmt = conn.prepare(POSTS)?;
        let mut daily_stmt = conn.prepare(DAILY)?;
        let mut posts = posts_stmt.query((project, &start, &end))?;
        let mut daily = daily_stmt.query((project, &first, &last))?;
        let mut days = DayFollowers::default();
        while let Some(row) = posts.next()? {
            let mut post = read_post(row)?;
            // In UTC the day is the text's first ten characters, as in the SQL of the other
            // queries (`substr(published_at, 1, 10)`); elsewhere the zone's local day, in
            // the same form. Dates compare as text.
            let local;
            let day = if zone.is_utc() {
                post.published_at.get(..10).unwrap_or_default()
            } else {
                local = zone.day_of(parse_published(&post.published_at)?).to_string();
                local.as_str()
            };
            if days.day().map(String::as_str) != Some(day) {
                days.start(day.to_owned());
                while days.wants_row() {
                    days.offer(next_daily(&mut daily)?);
                }
            }
            post.day_followers = days.get(&post.platform, &post.account);
            out.push(post)?;
        }
        Ok(())
    }))
}

/// A post row, without its day's follower count yet.
fn read_post(row: &Row<'_>) -> anyhow::Result<SqlitePost> {
    Ok(SqlitePost {
        platform: row.get(0)?,
        account: row.get(1)?,
        post_id: row.get(2)?,
        published_at: row.get(3)?,
        likes: row.get(4)?,
        comments: row.get(5)?,
        shares: row.get(6)?,
        saves: row.get(7)?,
        views: row.get(8)?,
        reach: row.get(9)?,
        own_followers: row.get(10)?,
        day_followers: None,
    })
}

/// A stored publication instant. The form sqlx writes, `YYYY-MM-DDTHH:MM:SS+00:00`, is
/// read directly (chrono's general parser was a tenth of a million-post report); any
/// other RFC 3339 text goes through chrono.
fn parse_published(text: &str) -> anyhow::Result<DateTime<Utc>> {
    let b = text.as_bytes();
    let digits = |from: usize, to: usize| -> Option<u32> {
        let part = b.get(from..to)?;
        part.iter().all(u8::is_ascii_digit).then_some(())?;
        Some(part.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
    };
    if b.len() == 25 && text.ends_with("+00:00") && b[10] == b'T' {
        let fast = (|| {
            let date = NaiveDate::from_ymd_opt(i32::try_from(digits(0, 4)?).ok()?, digits(5, 7)?, digits(8, 10)?)?;
            (b[4] == b'-' && b[7] == b'-' && b[13] == b':' && b[16] == b':').then_some(())?;
            let at = date.and_hms_opt(digits(11, 13)?, digits(14, 16)?, digits(17, 19)?)?;
            Some(at.and_utc())
        })();
        if let Some(at) = fast {
            return Ok(at);
        }
    }
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| anyhow::anyhow!("post published_at `{text}`: {e}"))
}

fn next_daily(daily: &mut rusqlite::Rows<'_>) -> anyhow::Result<Option<DailyRow<String>>> {
    let Some(row) = daily.next()? else {
        return Ok(None);
    };
    Ok(Some((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)))
}
