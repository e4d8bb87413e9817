//! The period's posts on PostgreSQL, each with the follower count of its publication day.
//!
//! Why not a query through sqlx: decoding a row costs the driver about 1.3 µs, 1.3 s for a
//! million posts, on top of a server-side join and sort of 2 s. Here the server streams
//! two binary `COPY … TO STDOUT` results ([`super::pg_copy`]), both read in index order
//! with no sort (`posts_report_by_time`, `daily_report_by_date`), and the follower count
//! of each post's day comes from the merge of [`super::day_merge`]. The reading runs in a
//! task of its own, handing posts over in batches, while the report writes them out.
//!
//! The index order is read without visiting the table once PostgreSQL's visibility map
//! covers the rows (after a `VACUUM`, or autovacuum); right after a bulk import it still
//! visits every row, about four times slower.
//!
//! The columns are read in the binary forms of the types migration 0002 declares
//! (`BIGINT`, `TIMESTAMPTZ`, `DATE`, `TEXT`); a change of column type must change the
//! reading too (the PostgreSQL tests would fail on it).
//!
//! COPY takes no bind parameters: the only values put into the statements are the
//! project id (an integer) and the period's bounds (formatted dates and instants), never
//! text from a user.

use chrono::{NaiveDate, SecondsFormat};
use futures_util::stream::BoxStream;
use tokio::sync::mpsc;

use super::ReportDays;
use super::day_merge::{DailyRow, DayFollowers};
use super::pg_copy::{Row, Rows};
use super::posts::PostRecord;
use super::sqlite_fast::Batches;
use crate::Pool;
use keel_domain::local_days::LocalZone;

/// Posts per batch handed to the report, and batches in flight.
const BATCH: usize = 1024;
const BATCHES_IN_FLIGHT: usize = 4;

/// The posts of the period as a batch stream, or `None` when the store is not PostgreSQL.
pub(crate) fn posts(store: &crate::Store, days: ReportDays) -> Option<Batches<PostRecord>> {
    let Pool::Postgres(pool) = &store.pool else {
        return None;
    };
    let pool = pool.clone();
    let (start, end) = (
        days.start().to_rfc3339_opts(SecondsFormat::Micros, true),
        days.end().to_rfc3339_opts(SecondsFormat::Micros, true),
    );
    let posts_sql = format!(
        "COPY (SELECT platform, account, post_id, published_at,
                      likes, comments, shares, saves, views, reach, followers
               FROM posts
               WHERE project_id = {project} AND published_at >= '{start}' AND published_at < '{end}'
               ORDER BY published_at, platform, account, post_id) TO STDOUT (FORMAT binary)",
        project = days.project,
    );
    let daily_sql = format!(
        "COPY (SELECT date, platform, account, followers FROM daily_stats
               WHERE project_id = {project} AND date >= '{first}' AND date <= '{last}'
               ORDER BY date, platform, account) TO STDOUT (FORMAT binary)",
        project = days.project,
        first = days.first_day,
        last = days.last_day,
    );
    let (tx, rx) = mpsc::channel(BATCHES_IN_FLIGHT);
    tokio::spawn(async move {
        let result = async {
            let (mut posts_conn, mut daily_conn) = (pool.acquire().await?, pool.acquire().await?);
            // A COPY left unread (the daily rows after the last post, or everything when
            // the report stops early) leaves its connection mid-protocol: these two are
            // closed rather than handed back to the pool.
            posts_conn.close_on_drop();
            daily_conn.close_on_drop();
            let posts = posts_conn.copy_out_raw(&posts_sql).await?;
            let daily = daily_conn.copy_out_raw(&daily_sql).await?;
            merge(posts, daily, days.zone, &tx).await
        }
        .await;
        if let Err(e) = result {
            // Nobody may be listening any more; then there is no one to tell.
            let _ = tx.send(Err(e)).await;
        }
    });
    Some(rx)
}

/// Reads the posts, gives each its day's followers, and sends them on in batches.
async fn merge<B: AsRef<[u8]>>(
    posts: BoxStream<'_, sqlx::Result<B>>,
    daily: BoxStream<'_, sqlx::Result<B>>,
    zone: LocalZone,
    tx: &mpsc::Sender<anyhow::Result<Vec<PostRecord>>>,
) -> anyhow::Result<()> {
    let (mut posts, mut daily) = (Rows::new(posts), Rows::new(daily));
    let mut days: DayFollowers<NaiveDate> = DayFollowers::default();
    let mut batch = Vec::with_capacity(BATCH);
    while let Some(row) = posts.next_row().await? {
        let mut post = read_post(row)?;
        let day = zone.day_of(post.published_at);
        if days.day() != Some(&day) {
            days.start(day);
            while days.wants_row() {
                let row = match daily.next_row().await? {
                    Some(row) => Some(read_daily(row)?),
                    None => None,
                };
                days.offer(row);
            }
        }
        post.day_followers = days.get(&post.platform, &post.account);
        batch.push(post);
        if batch.len() == BATCH {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
            if tx.send(Ok(full)).await.is_err() {
                return Ok(()); // the report stopped listening
            }
        }
    }
    if !batch.is_empty() {
        let _ = tx.send(Ok(batch)).await;
    }
    Ok(())
}

/// A post row, without its day's follower count yet.
fn read_post(mut r: Row<'_>) -> anyhow::Result<PostRecord> {
    let (platform, account, post_id) = (r.str()?.to_owned(), r.str()?.to_owned(), r.str()?.to_owned());
    Ok(PostRecord {
        platform,
        account,
        post_id,
        published_at: r.timestamptz()?,
        likes: r.int8()?,
        comments: r.int8()?,
        shares: r.int8()?,
        saves: r.int8()?,
        views: r.int8()?,
        reach: r.int8()?,
        own_followers: r.int8()?,
        day_followers: None,
    })
}

/// A daily row: date, platform, account, followers.
fn read_daily(mut r: Row<'_>) -> anyhow::Result<DailyRow<NaiveDate>> {
    Ok((r.date()?, r.str()?.to_owned(), r.str()?.to_owned(), r.int8()?))
}
