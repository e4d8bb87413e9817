//! Every account's daily follower counts, account by account in primary-key order, read
//! once per report. The scan runs off sqlx where it can: with rusqlite on a SQLite file
//! (on a thread of its own, see [`super::sqlite_fast`]), with binary `COPY` on PostgreSQL
//! (see [`super::pg_copy`]); an in-memory SQLite uses a plain query.

use chrono::NaiveDate;
use futures_util::TryStreamExt;

use super::sql::unindexed;
use super::sqlite_fast::{self, Batcher};
use super::{Conn, ReportReader, on_conn, pg_copy};
use crate::Backend;

impl ReportReader {
    /// Hands every daily row of `project` dated up to `last` to `visit` with `state` —
    /// platform, account, date, follower count — account by account, each account's rows
    /// by date, and returns the state. On a SQLite file `visit` runs on the reading thread.
    ///
    /// On PostgreSQL the rows come by `COPY` on this reader's connection, which is then
    /// closed rather than handed back to the pool (a COPY cut short leaves it unusable).
    pub async fn scan_daily_followers<S, V>(
        &mut self,
        project: i64,
        last: NaiveDate,
        mut state: S,
        mut visit: V,
    ) -> anyhow::Result<S>
    where
        S: Send + 'static,
        V: FnMut(&mut S, &str, &str, NaiveDate, Option<i64>) + Send + 'static,
    {
        if let Some(file) = sqlite_fast::database_file(&self.store) {
            let batches = sqlite_fast::spawn_reader(move |out: &mut Batcher<S>| {
                let conn = sqlite_fast::open(&file)?;
                let mut stmt = conn.prepare(&series_sql(Backend::Sqlite))?;
                let mut rows = stmt.query((project, last.to_string()))?;
                while let Some(row) = rows.next()? {
                    let date = row.get_ref(2)?.as_str()?;
                    let date = date.parse().map_err(|e| anyhow::anyhow!("daily date `{date}`: {e}"))?;
                    let (platform, account) = (row.get_ref(0)?.as_str()?, row.get_ref(1)?.as_str()?);
                    visit(&mut state, platform, account, date, row.get(3)?);
                }
                out.push(state)
            });
            let mut result = None;
            sqlite_fast::drain(batches, |s| {
                result = Some(s);
                Ok(())
            })
            .await?;
            result.ok_or_else(|| anyhow::anyhow!("the daily scan ended without its result"))
        } else if let Conn::Postgres(conn) = &mut self.conn {
            // COPY rather than a query: sqlx decodes a row in about 1.3 µs (see `pg_posts`).
            let sql = format!(
                "COPY (SELECT platform, account, date, followers FROM daily_stats
                       WHERE project_id = {project} AND date <= '{last}'
                       ORDER BY platform, account, date) TO STDOUT (FORMAT binary)"
            );
            conn.close_on_drop();
            pg_copy::copy_rows(conn, &sql, |mut r| {
                let (platform, account) = (r.str()?, r.str()?);
                visit(&mut state, platform, account, r.date()?, r.int8()?);
                Ok(())
            })
            .await?;
            Ok(state)
        } else {
            let sql = series_sql(self.store.backend());
            on_conn!(&mut self.conn, c => {
                let mut rows = sqlx::query_as::<_, (String, String, NaiveDate, Option<i64>)>(&sql)
                    .bind(project)
                    .bind(last)
                    .fetch(c);
                while let Some((platform, account, date, followers)) = rows.try_next().await? {
                    visit(&mut state, &platform, &account, date, followers);
                }
            });
            Ok(state)
        }
    }
}

/// Every account's daily rows up to `$2`, account by account (primary-key order: no sort).
fn series_sql(backend: Backend) -> String {
    format!(
        "SELECT platform, account, date, followers FROM daily_stats
         WHERE project_id = $1 AND {date} <= $2
         ORDER BY platform, account, date",
        date = unindexed(backend, "date")
    )
}
