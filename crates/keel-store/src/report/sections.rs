//! The small queries of the report's sections and of the analytics page: aggregates and
//! short lists, each run on the [`ReportReader`]'s one connection.

use chrono::{DateTime, NaiveDate, Utc};
use keel_domain::goals::Metric;
use keel_domain::local_days::LocalZone;
use keel_domain::metrics::funnel::Stage;

use super::posts::PostRecord;
use super::sql::{INTERACTIONS, join_post_day, local_day, post_day, unindexed};

/// Every instant: the range of the queries over a project's whole history.
const WHOLE_HISTORY: (DateTime<Utc>, DateTime<Utc>) = (DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC);
use super::{ReportDays, ReportReader, on_conn};
use crate::data::post_days::{AccountDays, decode_account_days};
use crate::{Backend, Store, StoreResult, on_pool};

/// A campaign's sums over a period, as read (a missing count is 0).
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct CampaignSums {
    pub platform: String,
    pub campaign: String,
    pub spend: f64,
    pub impressions: i64,
    pub clicks: i64,
    pub leads: i64,
    pub video_views: i64,
}

/// One day of an account's follower series with the totals of its posts that day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountDay {
    pub date: NaiveDate,
    pub followers: i64,
    /// ΣI of the account's posts that day (0 outside the days asked for).
    pub interactions: i64,
    /// Number of those posts.
    pub posts: i64,
}

/// One daily row of an account.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct DailyFigures {
    pub platform: String,
    pub account: String,
    pub date: NaiveDate,
    pub followers: Option<i64>,
    pub reach: Option<i64>,
}

/// Which end of the ER ranking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErOrder {
    Highest,
    Lowest,
}

/// A metric's numerator and denominator summed over one day (`None`: nothing reported).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MetricDayRow {
    pub day: NaiveDate,
    pub num: Option<f64>,
    pub den: Option<f64>,
}

/// One account's posts of one day, with the account's follower count that day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PostAccountDay {
    pub day: NaiveDate,
    /// ΣI of the posts.
    pub interactions: Option<f64>,
    /// The account's daily follower count that day, if any.
    pub followers: Option<f64>,
    /// ΣI and Σreach of the posts with a reach.
    pub interactions_reached: Option<f64>,
    pub reach: Option<f64>,
}

/// The daily points a goal metric is computed from.
#[derive(Debug, Clone, PartialEq)]
pub enum MetricRows {
    /// Summed per day in the database (daily figures, ads, leads).
    Days(Vec<MetricDayRow>),
    /// Per account and day, for the post metrics (interactions, ER, ERR): an account's
    /// follower count of a day must be counted once.
    PostAccountDays(Vec<PostAccountDay>),
}

/// `(successes, trials)` columns of an ads stage in `ad_stats`.
fn ads_columns(stage: Stage) -> Option<(&'static str, &'static str)> {
    match stage {
        Stage::ImpressionsToClicks => Some(("clicks", "impressions")),
        Stage::ClicksToLeads => Some(("leads", "clicks")),
        Stage::LeadsToDeals => None,
    }
}

fn parse_day(text: &str) -> StoreResult<NaiveDate> {
    text.get(..10)
        .unwrap_or(text)
        .parse()
        .map_err(|e| crate::StoreError::Invalid(format!("day `{text}`: {e}")))
}

impl ReportReader {
    fn backend(&self) -> Backend {
        self.store.backend()
    }

    /// Per campaign, the sums of its days in `days`, by platform then campaign. The casts
    /// give both engines one result type: PostgreSQL sums BIGINT into NUMERIC, and SQLite
    /// sums REAL values that happen to be whole into an INTEGER-typed value otherwise.
    pub async fn campaign_sums(&mut self, days: ReportDays) -> StoreResult<Vec<CampaignSums>> {
        let sql = "SELECT platform, campaign,
                          CAST(SUM(spend) AS DOUBLE PRECISION) AS spend,
                          CAST(COALESCE(SUM(impressions), 0) AS BIGINT) AS impressions,
                          CAST(COALESCE(SUM(clicks), 0) AS BIGINT) AS clicks,
                          CAST(COALESCE(SUM(leads), 0) AS BIGINT) AS leads,
                          CAST(COALESCE(SUM(video_views), 0) AS BIGINT) AS video_views
                   FROM ad_stats
                   WHERE project_id = $1 AND date >= $2 AND date <= $3
                   GROUP BY platform, campaign
                   ORDER BY platform, campaign";
        Ok(on_conn!(&mut self.conn, c => {
            sqlx::query_as::<_, CampaignSums>(sql)
                .bind(days.project)
                .bind(days.first_day)
                .bind(days.last_day)
                .fetch_all(c)
                .await?
        }))
    }

    /// A funnel stage's `(successes, trials)` over the days `first ..= last`. Ads stages
    /// count only days that report both of their counts; leads are counted by creation
    /// instant, those `won` now being the successes.
    pub async fn stage_counts(
        &mut self,
        project: i64,
        stage: Stage,
        (first, last): (NaiveDate, NaiveDate),
    ) -> StoreResult<(i64, i64)> {
        Ok(match ads_columns(stage) {
            Some((num, den)) => {
                let sql = format!(
                    "SELECT CAST(COALESCE(SUM({num}), 0) AS BIGINT),
                            CAST(COALESCE(SUM({den}), 0) AS BIGINT)
                     FROM ad_stats
                     WHERE project_id = $1 AND date >= $2 AND date <= $3
                       AND {num} IS NOT NULL AND {den} IS NOT NULL"
                );
                on_conn!(&mut self.conn, c => {
                    sqlx::query_as(&sql).bind(project).bind(first).bind(last)
                        .fetch_one(c).await?
                })
            }
            None => {
                let sql = "SELECT COUNT(CASE WHEN status = 'won' THEN 1 END), COUNT(*)
                           FROM leads
                           WHERE project_id = $1 AND created_at >= $2 AND created_at < $3";
                let (start, end) = (self.zone.start_of(first), self.zone.end_of(last));
                on_conn!(&mut self.conn, c => {
                    sqlx::query_as(sql).bind(project).bind(start).bind(end)
                        .fetch_one(c).await?
                })
            }
        })
    }

    /// The first day on which a funnel stage has trials (ads days with a positive count of
    /// trials and a reported count of successes; the local creation day of the first lead).
    pub async fn stage_first_day(&mut self, project: i64, stage: Stage) -> StoreResult<Option<NaiveDate>> {
        Ok(match ads_columns(stage) {
            Some((num, den)) => {
                let sql = format!(
                    "SELECT MIN(date) FROM ad_stats
                     WHERE project_id = $1 AND {den} > 0 AND {num} IS NOT NULL"
                );
                on_conn!(&mut self.conn, c => {
                    sqlx::query_scalar::<_, Option<NaiveDate>>(&sql).bind(project)
                        .fetch_one(c).await?
                })
            }
            None => {
                let sql = "SELECT MIN(created_at) FROM leads WHERE project_id = $1";
                let first = on_conn!(&mut self.conn, c => {
                    sqlx::query_scalar::<_, Option<DateTime<Utc>>>(sql).bind(project)
                        .fetch_one(c).await?
                });
                first.map(|at| self.zone.day_of(at))
            }
        })
    }

    /// One account's days with a follower count up to `last`, by date, each with the
    /// interactions and number of the account's posts of that local day for the days
    /// `posts_from ..= posts_to` (grouped in the database; 0 on other days).
    pub async fn account_days_with_posts(
        &mut self,
        project: i64,
        (platform, account): (&str, &str),
        (posts_from, posts_to): (NaiveDate, NaiveDate),
        last: NaiveDate,
    ) -> StoreResult<Vec<AccountDay>> {
        let backend = self.backend();
        let range = (self.zone.start_of(posts_from), self.zone.end_of(posts_to));
        let day = post_day(backend, self.zone, range);
        // The account's posts through the primary key, not every account's posts of the days.
        let at = unindexed(backend, "p.published_at");
        let sql = format!(
            "SELECT d.date, d.followers, COALESCE(x.interactions, 0), COALESCE(x.posts, 0)
             FROM daily_stats d
             LEFT JOIN (SELECT {day} AS day, CAST(SUM({INTERACTIONS}) AS BIGINT) AS interactions,
                               COUNT(*) AS posts
                        FROM posts p
                        WHERE p.project_id = $1 AND p.platform = $2 AND p.account = $3
                          AND {at} >= $4 AND {at} < $5
                        GROUP BY {day}) x ON x.day = d.date
             WHERE d.project_id = $1 AND d.platform = $2 AND d.account = $3
               AND d.date <= $6 AND d.followers IS NOT NULL
             ORDER BY d.date"
        );
        let rows = on_conn!(&mut self.conn, c => {
            sqlx::query_as::<_, (NaiveDate, i64, i64, i64)>(&sql)
                .bind(project)
                .bind(platform)
                .bind(account)
                .bind(range.0)
                .bind(range.1)
                .bind(last)
                .fetch_all(c)
                .await?
        });
        Ok(rows
            .into_iter()
            .map(|(date, followers, interactions, posts)| AccountDay {
                date,
                followers,
                interactions,
                posts,
            })
            .collect())
    }

    /// The daily rows of `days` (a few hundred per account and year), by platform, account
    /// and date.
    pub async fn daily_figures(&mut self, days: ReportDays) -> StoreResult<Vec<DailyFigures>> {
        let sql = "SELECT platform, account, date, followers, reach FROM daily_stats
                   WHERE project_id = $1 AND date >= $2 AND date <= $3
                   ORDER BY platform, account, date";
        Ok(on_conn!(&mut self.conn, c => {
            sqlx::query_as::<_, DailyFigures>(sql)
                .bind(days.project)
                .bind(days.first_day)
                .bind(days.last_day)
                .fetch_all(c)
                .await?
        }))
    }

    /// [`Store::post_days`] on this reader's connection.
    pub async fn post_days(
        &mut self,
        project: i64,
        first: NaiveDate,
        last: NaiveDate,
    ) -> StoreResult<Vec<AccountDays>> {
        let sql = crate::data::post_days::POST_DAYS_SQL;
        let rows: Vec<(String, String, Vec<u8>)> =
            on_conn!(&mut self.conn, c => sqlx::query_as(sql).bind(project).fetch_all(c).await?);
        decode_account_days(rows, first, last)
    }

    /// The `n` posts of one account published in `start .. end` with the highest (or
    /// lowest) ER, ties in report order. Posts whose ER is undefined are not ranked.
    pub async fn ranked_posts(
        &mut self,
        project: i64,
        (start, end): (DateTime<Utc>, DateTime<Utc>),
        (platform, account): (&str, &str),
        order: ErOrder,
        n: usize,
    ) -> StoreResult<Vec<PostRecord>> {
        let direction = match order {
            ErOrder::Highest => "DESC",
            ErOrder::Lowest => "ASC",
        };
        // `COALESCE(d.followers, p.followers)` is `followers_on`: the day's count when the
        // daily row has one (even 0), else the post's own; the ER expression is `post_er`'s.
        let sql = format!(
            "SELECT p.platform, p.account, p.post_id, p.published_at, p.likes, p.comments,
                    p.shares, p.saves, p.views, p.reach, p.followers AS own_followers,
                    d.followers AS day_followers
             FROM posts p {join}
             WHERE p.project_id = $1 AND p.published_at >= $2 AND p.published_at < $3
               AND p.platform = $5 AND p.account = $6
               AND COALESCE(d.followers, p.followers) > 0
             ORDER BY CAST({i} AS DOUBLE PRECISION) / COALESCE(d.followers, p.followers) * 100 {direction},
                      p.published_at, p.platform, p.account, p.post_id
             LIMIT $4",
            join = join_post_day(self.backend(), self.zone, (start, end)),
            i = INTERACTIONS,
        );
        Ok(on_conn!(&mut self.conn, c => {
            sqlx::query_as::<_, PostRecord>(&sql)
                .bind(project)
                .bind(start)
                .bind(end)
                .bind(n as i64)
                .bind(platform)
                .bind(account)
                .fetch_all(c)
                .await?
        }))
    }

    /// The daily points of `metric` over the project's whole history. Every day is read as
    /// text so both backends decode it the same way.
    pub async fn metric_rows(&mut self, project: i64, metric: Metric) -> StoreResult<MetricRows> {
        let backend = self.backend();
        let sql = match metric {
            Metric::Followers => daily_column("followers"),
            Metric::Reach => daily_column("reach"),
            Metric::Mentions => daily_column("mentions"),
            Metric::HashtagUses => daily_column("hashtag_uses"),
            Metric::Interactions | Metric::ErFollowers | Metric::ErrReach => {
                return Ok(MetricRows::PostAccountDays(self.post_account_days(project).await?));
            }
            Metric::Clicks => ads("clicks", None),
            Metric::Leads => ads("leads", None),
            Metric::Cpc => ads("spend", Some("clicks")),
            Metric::Cpl => ads("spend", Some("leads")),
            Metric::Cpv => ads("spend", Some("video_views")),
            Metric::RepeatRequests => leads(backend, self.zone, "CASE WHEN repeat THEN 1 ELSE 0 END", None),
            Metric::LeadToDeal => leads(
                backend,
                self.zone,
                "CASE WHEN status = 'won' THEN 1 ELSE 0 END",
                Some("1"),
            ),
            Metric::Revenue => leads(
                backend,
                self.zone,
                "CASE WHEN status = 'won' THEN COALESCE(amount, 0) ELSE 0 END",
                None,
            ),
        };
        let rows: Vec<(String, Option<f64>, Option<f64>)> =
            on_conn!(&mut self.conn, c => sqlx::query_as(&sql).bind(project).fetch_all(c).await?);
        let days = rows
            .into_iter()
            .map(|(d, num, den)| {
                Ok(MetricDayRow {
                    day: parse_day(&d)?,
                    num,
                    den,
                })
            })
            .collect::<StoreResult<_>>()?;
        Ok(MetricRows::Days(days))
    }

    /// The posts per account and local day of the project's whole history, with the
    /// account's follower count of the day.
    async fn post_account_days(&mut self, project: i64) -> StoreResult<Vec<PostAccountDay>> {
        let day = post_day(self.backend(), self.zone, WHOLE_HISTORY);
        let i = INTERACTIONS;
        let sql = format!(
            "SELECT CAST({day} AS TEXT), CAST(SUM({i}) AS DOUBLE PRECISION),
                    CAST(MAX(d.followers) AS DOUBLE PRECISION),
                    CAST(SUM(CASE WHEN p.reach > 0 THEN {i} ELSE 0 END) AS DOUBLE PRECISION),
                    CAST(SUM(CASE WHEN p.reach > 0 THEN p.reach ELSE 0 END) AS DOUBLE PRECISION)
             FROM posts p LEFT JOIN daily_stats d ON d.project_id = p.project_id AND d.platform = p.platform
                  AND d.account = p.account AND d.date = {day}
             WHERE p.project_id = $1 GROUP BY p.platform, p.account, {day}"
        );
        type Rows = Vec<(String, Option<f64>, Option<f64>, Option<f64>, Option<f64>)>;
        let rows: Rows = on_conn!(&mut self.conn, c => sqlx::query_as(&sql).bind(project).fetch_all(c).await?);
        rows.into_iter()
            .map(|(d, interactions, followers, interactions_reached, reach)| {
                Ok(PostAccountDay {
                    day: parse_day(&d)?,
                    interactions,
                    followers,
                    interactions_reached,
                    reach,
                })
            })
            .collect()
    }
}

/// A daily-figures column summed over the project's accounts per day (days where no
/// account reports it are left out: unknown is not zero).
fn daily_column(column: &str) -> String {
    format!(
        "SELECT CAST(date AS TEXT), CAST(SUM({column}) AS DOUBLE PRECISION), CAST(NULL AS DOUBLE PRECISION)
         FROM daily_stats WHERE project_id = $1 AND {column} IS NOT NULL GROUP BY date ORDER BY date"
    )
}

/// An ads column (and a denominator column) summed per day. For a ratio, only days that
/// report the denominator take part.
fn ads(num: &str, den: Option<&str>) -> String {
    let (den_sql, filter) = match den {
        Some(d) => (
            format!("CAST(SUM({d}) AS DOUBLE PRECISION)"),
            format!("AND {d} IS NOT NULL"),
        ),
        None => (
            "CAST(NULL AS DOUBLE PRECISION)".into(),
            format!("AND {num} IS NOT NULL"),
        ),
    };
    format!(
        "SELECT CAST(date AS TEXT), CAST(SUM({num}) AS DOUBLE PRECISION), {den_sql}
         FROM ad_stats WHERE project_id = $1 {filter} GROUP BY date ORDER BY date"
    )
}

/// Leads by their local creation day: `SUM(num)` and, for a rate, `SUM(den)` (1 = every lead).
fn leads(backend: Backend, zone: LocalZone, num: &str, den: Option<&str>) -> String {
    let day = format!(
        "CAST({} AS TEXT)",
        local_day(backend, "created_at", zone, WHOLE_HISTORY)
    );
    let den = den
        .map(|d| format!("CAST(SUM({d}) AS DOUBLE PRECISION)"))
        .unwrap_or("CAST(NULL AS DOUBLE PRECISION)".into());
    format!(
        "SELECT {day}, CAST(SUM({num}) AS DOUBLE PRECISION), {den} FROM leads WHERE project_id = $1 GROUP BY 1 ORDER BY 1"
    )
}

impl Store {
    /// The first and last (local, in `zone`) day holding any data of `project` (daily
    /// figures, posts, ads or leads); `None` for a project without data.
    pub async fn data_span(&self, project: i64, zone: LocalZone) -> StoreResult<Option<(NaiveDate, NaiveDate)>> {
        // One MIN or MAX per subquery: SQLite answers a lone MIN/MAX from an index in a few
        // steps, but scans every row for the pair (a second, on a million posts).
        let dates = "SELECT (SELECT MIN(date) FROM daily_stats WHERE project_id = $1),
                            (SELECT MAX(date) FROM daily_stats WHERE project_id = $1)
                     UNION ALL
                     SELECT (SELECT MIN(date) FROM ad_stats WHERE project_id = $1),
                            (SELECT MAX(date) FROM ad_stats WHERE project_id = $1)";
        let instants = "SELECT (SELECT MIN(published_at) FROM posts WHERE project_id = $1),
                               (SELECT MAX(published_at) FROM posts WHERE project_id = $1)
                        UNION ALL
                        SELECT (SELECT MIN(created_at) FROM leads WHERE project_id = $1),
                               (SELECT MAX(created_at) FROM leads WHERE project_id = $1)";
        let (days, times) = on_pool!(&self.pool, p => {
            let mut conn = p.acquire().await?;
            let days = sqlx::query_as::<_, (Option<NaiveDate>, Option<NaiveDate>)>(dates)
                .bind(project)
                .fetch_all(&mut *conn)
                .await?;
            let times = sqlx::query_as::<_, (Option<DateTime<Utc>>, Option<DateTime<Utc>>)>(instants)
                .bind(project)
                .fetch_all(&mut *conn)
                .await?;
            (days, times)
        });
        let times = times
            .into_iter()
            .map(|(a, b)| (a.map(|t| zone.day_of(t)), b.map(|t| zone.day_of(t))));
        Ok(days
            .into_iter()
            .chain(times)
            .filter_map(|(first, last)| first.zip(last))
            .reduce(|(a, b), (c, d)| (a.min(c), b.max(d))))
    }
}
