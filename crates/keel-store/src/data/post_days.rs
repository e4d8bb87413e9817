//! `post_days` (migration 0040): per project and account, the sums of its posts for each
//! local day (in the project's time zone) with posts — what the analytics page reads instead of every post.
//!
//! The rows are derived from `posts` and written by the writers of `posts`, inside their own
//! transaction: an import updates every account its file touched after its rows are in. So
//! a rolled-back or killed import leaves both tables as they were, and a committed one
//! leaves them agreeing. Two ways, chosen per import:
//! - *added*: when every row of the file was a new post (`stored == rows_read`), the days
//!   summed while the rows streamed by are added to what the account held — nothing is
//!   read back. This is the bulk load, and costs next to nothing;
//! - *left alone*: when the import changed nothing (every row repeated what was stored);
//! - *recounted*: otherwise (a post replaced or repeated), or when the file touched more
//!   account-days than [`MAX_COLLECTED_BYTES`] holds, each touched account's posts are read back in
//!   key order and summed again (a replaced post may have moved to another day, but never
//!   to another account: the account is part of its key).
//!
//! One row per account holds all its days as a packed array ([`encode`]), not one row per
//! day: a million posts over a year are some 300,000 account-days, and writing that many
//! rows per import cost as much as the import itself (2.5 s of SQL grouping, or as long
//! again through the driver), while 1,000 accounts' arrays take milliseconds. The sums are
//! computed here, in Rust, with the domain's formulas — there is no second copy in SQL.
//!
//! Why not triggers: a row trigger costs every imported row a summary lookup, and the
//! statement triggers PostgreSQL offers made a million-row import twice as slow.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use futures_util::TryStreamExt;
use keel_domain::local_days::LocalZone;
use keel_domain::metrics::engagement::post_er;
use sqlx::{PgConnection, SqliteConnection};

use super::PostRow;
use crate::{Store, StoreResult, on_pool};

/// The sums of one account's posts published on one local day of the project. `I` is a post's interactions
/// (`likes + comments + shares + saves`, a missing count 0).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DaySums {
    pub day: NaiveDate,
    pub posts: i64,
    /// ΣI, and the highest and lowest I.
    pub interactions: i64,
    pub max_interactions: i64,
    pub min_interactions: i64,
    /// Over posts whose own `followers` is > 0: Σ, highest and lowest of their ER against
    /// it (`I / followers × 100`, the posts' ER on a day without a daily follower count),
    /// and their number. `None` without such posts.
    pub own_er_sum: Option<f64>,
    pub own_er_max: Option<f64>,
    pub own_er_min: Option<f64>,
    pub own_er_posts: i64,
    /// ΣI and Σreach over posts with reach > 0; the same over views (period ERR and ERV).
    pub reach_interactions: i64,
    pub reach: i64,
    pub views_interactions: i64,
    pub views: i64,
    /// Σreach of all the posts (a missing reach 0).
    pub post_reach: i64,
}

/// What a post contributes to its day.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PostFacts {
    pub interactions: i64,
    pub followers: Option<i64>,
    pub reach: Option<i64>,
    pub views: Option<i64>,
}

impl PostFacts {
    fn new(likes: Option<i64>, comments: Option<i64>, shares: Option<i64>, saves: Option<i64>) -> PostFacts {
        let n = |v: Option<i64>| v.unwrap_or(0);
        PostFacts {
            interactions: n(likes) + n(comments) + n(shares) + n(saves),
            followers: None,
            reach: None,
            views: None,
        }
    }

    fn of(p: &PostRow) -> PostFacts {
        PostFacts {
            followers: p.followers,
            reach: p.reach,
            views: p.views,
            ..PostFacts::new(p.likes, p.comments, p.shares, p.saves)
        }
    }
}

fn add_opt(a: Option<f64>, b: Option<f64>, f: fn(f64, f64) -> f64) -> Option<f64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(f(x, y)),
        (x, None) => x,
        (None, y) => y,
    }
}

impl DaySums {
    fn empty(day: NaiveDate) -> DaySums {
        DaySums {
            day,
            posts: 0,
            interactions: 0,
            max_interactions: i64::MIN,
            min_interactions: i64::MAX,
            own_er_sum: None,
            own_er_max: None,
            own_er_min: None,
            own_er_posts: 0,
            reach_interactions: 0,
            reach: 0,
            views_interactions: 0,
            views: 0,
            post_reach: 0,
        }
    }

    fn add(&mut self, p: PostFacts) {
        let i = p.interactions;
        self.posts += 1;
        self.interactions += i;
        self.max_interactions = self.max_interactions.max(i);
        self.min_interactions = self.min_interactions.min(i);
        if let Some(er) = p.followers.filter(|f| *f > 0).and_then(|f| post_er(i, Some(f))) {
            self.own_er_sum = Some(self.own_er_sum.unwrap_or(0.0) + er);
            self.own_er_max = Some(self.own_er_max.map_or(er, |m| m.max(er)));
            self.own_er_min = Some(self.own_er_min.map_or(er, |m| m.min(er)));
            self.own_er_posts += 1;
        }
        if let Some(r) = p.reach.filter(|r| *r > 0) {
            self.reach_interactions += i;
            self.reach += r;
        }
        if let Some(v) = p.views.filter(|v| *v > 0) {
            self.views_interactions += i;
            self.views += v;
        }
        self.post_reach += p.reach.unwrap_or(0);
    }

    /// Adds the posts of `other` (the same day, other posts).
    fn merge(&mut self, o: &DaySums) {
        self.posts += o.posts;
        self.interactions += o.interactions;
        self.max_interactions = self.max_interactions.max(o.max_interactions);
        self.min_interactions = self.min_interactions.min(o.min_interactions);
        self.own_er_sum = add_opt(self.own_er_sum, o.own_er_sum, |a, b| a + b);
        self.own_er_max = add_opt(self.own_er_max, o.own_er_max, f64::max);
        self.own_er_min = add_opt(self.own_er_min, o.own_er_min, f64::min);
        self.own_er_posts += o.own_er_posts;
        self.reach_interactions += o.reach_interactions;
        self.reach += o.reach;
        self.views_interactions += o.views_interactions;
        self.views += o.views;
        self.post_reach += o.post_reach;
    }
}

/// One account's days, by date.
pub(crate) type Days = BTreeMap<NaiveDate, DaySums>;

fn add_post(days: &mut Days, zone: LocalZone, published_at: &DateTime<Utc>, p: PostFacts) {
    let day = zone.day_of(*published_at);
    days.entry(day).or_insert_with(|| DaySums::empty(day)).add(p);
}

/// Bytes per day in the packed array: the day (days from 0001-01-01 as `i32`), then the 13
/// sums as little-endian `i64`/`f64` (a `None` ER as NaN, which no defined ER is).
const DAY_BYTES: usize = 4 + 13 * 8;

/// Packs `days` (in date order) for the `days` column.
pub(crate) fn encode<'a>(days: impl ExactSizeIterator<Item = &'a DaySums>) -> Vec<u8> {
    let mut out = Vec::with_capacity(days.len() * DAY_BYTES);
    for d in days {
        out.extend_from_slice(&chrono::Datelike::num_days_from_ce(&d.day).to_le_bytes());
        for n in [d.posts, d.interactions, d.max_interactions, d.min_interactions] {
            out.extend_from_slice(&n.to_le_bytes());
        }
        for f in [d.own_er_sum, d.own_er_max, d.own_er_min] {
            out.extend_from_slice(&f.unwrap_or(f64::NAN).to_le_bytes());
        }
        for n in [
            d.own_er_posts,
            d.reach_interactions,
            d.reach,
            d.views_interactions,
            d.views,
            d.post_reach,
        ] {
            out.extend_from_slice(&n.to_le_bytes());
        }
    }
    out
}

/// Unpacks a `days` column; `None` when it is not an array [`encode`] wrote.
pub fn decode(bytes: &[u8]) -> Option<Vec<DaySums>> {
    if !bytes.len().is_multiple_of(DAY_BYTES) {
        return None;
    }
    bytes
        .chunks_exact(DAY_BYTES)
        .map(|c| {
            let day = NaiveDate::from_num_days_from_ce_opt(i32::from_le_bytes(c[..4].try_into().ok()?))?;
            let word = |k: usize| -> [u8; 8] { c[4 + 8 * k..12 + 8 * k].try_into().unwrap_or([0; 8]) };
            let int = |k| i64::from_le_bytes(word(k));
            let er = |k| Some(f64::from_le_bytes(word(k))).filter(|f| !f.is_nan());
            Some(DaySums {
                day,
                posts: int(0),
                interactions: int(1),
                max_interactions: int(2),
                min_interactions: int(3),
                own_er_sum: er(4),
                own_er_max: er(5),
                own_er_min: er(6),
                own_er_posts: int(7),
                reach_interactions: int(8),
                reach: int(9),
                views_interactions: int(10),
                views: int(11),
                post_reach: int(12),
            })
        })
        .collect()
}

/// Packed days (as [`encode`] wrote them) as a map.
fn unpack(bytes: &[u8]) -> Days {
    decode(bytes)
        .unwrap_or_default()
        .into_iter()
        .map(|d| (d.day, d))
        .collect()
}

/// Bytes of packed days an import holds (64 MiB: some 620,000 account-days) before it
/// stops summing and recounts the touched accounts from the table instead.
pub(crate) const MAX_COLLECTED_BYTES: usize = 64 << 20;

/// One account an import touched.
#[derive(Debug)]
struct Touched {
    platform: String,
    account: String,
    /// Its days while its rows are coming in (`None` once packed).
    open: Option<Days>,
    /// Its days packed ([`encode`]) once rows of another account came.
    packed: Vec<u8>,
}

impl Touched {
    fn named(platform: String, account: String) -> Touched {
        Touched {
            platform,
            account,
            open: None,
            packed: Vec::new(),
        }
    }

    /// Its days, whether open or packed.
    fn into_days(self) -> Days {
        self.open.unwrap_or_else(|| unpack(&self.packed))
    }
}

/// What an import of posts gathers while its rows stream by: the accounts it touches and,
/// up to [`MAX_COLLECTED_BYTES`], the sums of their days. Files list an account's posts
/// together, so only the current account's days are held as a map; the others are packed
/// (108 bytes a day), and unpacked again should the account come back.
#[derive(Debug, Default)]
pub(crate) struct Collector {
    /// The project's time zone, whose local days the sums are of.
    zone: LocalZone,
    /// `platform`, `account` → index into `accounts`.
    index: HashMap<(String, String), usize>,
    accounts: Vec<Touched>,
    /// The account whose days are open.
    current: Option<usize>,
    packed_bytes: usize,
    /// Too many days to hold: only the accounts are still known.
    overflowed: bool,
}

impl Collector {
    /// A collector of the days of a project in `zone` (its stored IANA name).
    pub fn in_zone(zone: &str) -> Collector {
        Collector {
            zone: LocalZone::or_utc(zone),
            ..Collector::default()
        }
    }

    pub fn add(&mut self, p: &PostRow) {
        let at = match self.current {
            Some(k) if self.accounts[k].platform == p.platform && self.accounts[k].account == p.account => k,
            _ => self.switch_to(&p.platform, &p.account),
        };
        if let Some(days) = &mut self.accounts[at].open {
            add_post(days, self.zone, &p.published_at, PostFacts::of(p));
        }
    }

    /// Packs the current account's days and opens those of `platform`/`account`.
    fn switch_to(&mut self, platform: &str, account: &str) -> usize {
        if let Some(k) = self.current.take()
            && let Some(days) = self.accounts[k].open.take()
        {
            let packed = encode(days.values());
            self.packed_bytes += packed.len();
            self.accounts[k].packed = packed;
            if self.packed_bytes > MAX_COLLECTED_BYTES {
                self.overflowed = true;
                for t in &mut self.accounts {
                    t.packed = Vec::new();
                }
            }
        }
        let key = (platform.to_owned(), account.to_owned());
        let k = match self.index.get(&key) {
            Some(k) => *k,
            None => {
                self.accounts.push(Touched::named(key.0.clone(), key.1.clone()));
                self.index.insert(key, self.accounts.len() - 1);
                self.accounts.len() - 1
            }
        };
        if !self.overflowed {
            let t = &mut self.accounts[k];
            self.packed_bytes -= t.packed.len();
            t.open = Some(unpack(&std::mem::take(&mut t.packed)));
        }
        self.current = Some(k);
        k
    }
}

/// The `INSERT` of one account's row, replacing what it held.
const UPSERT: &str = "INSERT INTO post_days (project_id, platform, account, days) VALUES ($1, $2, $3, $4)
                      ON CONFLICT (project_id, platform, account) DO UPDATE SET days = excluded.days";
const HELD: &str = "SELECT days FROM post_days WHERE project_id = $1 AND platform = $2 AND account = $3";
const FORGET: &str = "DELETE FROM post_days WHERE project_id = $1 AND platform = $2 AND account = $3";
const POSTS: &str = "SELECT published_at, likes, comments, shares, saves, views, reach, followers
                     FROM posts WHERE project_id = $1 AND platform = $2 AND account = $3";

type PostCounts = (
    DateTime<Utc>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

/// Writes the summary of every account `collector` saw, on the import's own connection
/// (`$conn`: a `&mut SqliteConnection` or `&mut PgConnection`), as [`Change`] says: left
/// alone when nothing changed, added to what the account held when every row was a new post
/// (and nothing overflowed), else recounted from the account's posts.
macro_rules! update_accounts {
    ($conn:expr, $project:expr, $collector:expr, $change:expr) => {{
        let (conn, project, collector, change): (_, i64, Collector, Change) = ($conn, $project, $collector, $change);
        let zone = collector.zone;
        let add = change == Change::AllNew && !collector.overflowed;
        let accounts = if change == Change::Nothing {
            Vec::new()
        } else {
            collector.accounts
        };
        for touched in accounts {
            let (platform, account) = (touched.platform.clone(), touched.account.clone());
            // Added to what the account held; `None` when that cannot be read (a row not
            // written by `encode`), which the recount below repairs.
            let added = if add {
                let held: Option<Vec<u8>> = sqlx::query_scalar(HELD)
                    .bind(project)
                    .bind(&platform)
                    .bind(&account)
                    .fetch_optional(&mut *conn)
                    .await?;
                match held.as_deref().map(decode) {
                    Some(None) => None,
                    old => {
                        let mut days = touched.into_days();
                        for old in old.flatten().unwrap_or_default() {
                            days.entry(old.day).and_modify(|d| d.merge(&old)).or_insert(old);
                        }
                        Some(days)
                    }
                }
            } else {
                None
            };
            let days = match added {
                Some(days) => days,
                None => {
                    let mut days = Days::new();
                    let mut rows = sqlx::query_as::<_, PostCounts>(POSTS)
                        .bind(project)
                        .bind(&platform)
                        .bind(&account)
                        .fetch(&mut *conn);
                    while let Some((at, likes, comments, shares, saves, views, reach, followers)) =
                        rows.try_next().await?
                    {
                        let facts = PostFacts {
                            followers,
                            reach,
                            views,
                            ..PostFacts::new(likes, comments, shares, saves)
                        };
                        add_post(&mut days, zone, &at, facts);
                    }
                    days
                }
            };
            let q = sqlx::query(if days.is_empty() { FORGET } else { UPSERT })
                .bind(project)
                .bind(&platform)
                .bind(&account);
            // FORGET has no fourth parameter.
            let q = if days.is_empty() {
                q
            } else {
                q.bind(encode(days.values()))
            };
            q.execute(&mut *conn).await?;
        }
        StoreResult::Ok(())
    }};
}

/// What an import did to the posts, as far as the day sums care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Change {
    /// Every row repeated what was stored: the sums stand.
    Nothing,
    /// Every row was a new post: its sums are added.
    AllNew,
    /// Some posts were replaced: the touched accounts are recounted.
    Some,
}

impl Change {
    pub fn of(summary: &super::ImportSummary) -> Change {
        if summary.stored + summary.replaced == 0 {
            Change::Nothing
        } else if summary.stored == summary.rows_read {
            Change::AllNew
        } else {
            Change::Some
        }
    }
}

pub(super) async fn update_sqlite(
    conn: &mut SqliteConnection,
    project: i64,
    collector: Collector,
    change: Change,
) -> StoreResult<()> {
    update_accounts!(conn, project, collector, change)
}

pub(super) async fn update_postgres(
    conn: &mut PgConnection,
    project: i64,
    collector: Collector,
    change: Change,
) -> StoreResult<()> {
    update_accounts!(conn, project, collector, change)
}

/// One account's days as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountDays {
    pub platform: String,
    pub account: String,
    /// Days with posts, by date.
    pub days: Vec<DaySums>,
}

/// Every account's packed days of project `$1`, by platform then account.
pub(crate) const POST_DAYS_SQL: &str =
    "SELECT platform, account, days FROM post_days WHERE project_id = $1 ORDER BY platform, account";

/// Rows of [`POST_DAYS_SQL`] unpacked, keeping the days `first ..= last`.
pub(crate) fn decode_account_days(
    rows: Vec<(String, String, Vec<u8>)>,
    first: NaiveDate,
    last: NaiveDate,
) -> StoreResult<Vec<AccountDays>> {
    rows.into_iter()
        .map(|(platform, account, bytes)| {
            let mut days = decode(&bytes).ok_or_else(|| {
                crate::StoreError::Config(format!("post_days of {platform}/{account} is not a day array"))
            })?;
            days.retain(|d| (first..=last).contains(&d.day));
            Ok(AccountDays {
                platform,
                account,
                days,
            })
        })
        .collect()
}

impl Store {
    /// Every account of `project` with posts, by platform then account, with its days from
    /// `first` to `last` (inclusive) — accounts without posts in the period included, with
    /// no days.
    pub async fn post_days(&self, project: i64, first: NaiveDate, last: NaiveDate) -> StoreResult<Vec<AccountDays>> {
        let rows: Vec<(String, String, Vec<u8>)> =
            on_pool!(&self.pool, p => sqlx::query_as(POST_DAYS_SQL).bind(project).fetch_all(p).await?);
        decode_account_days(rows, first, last)
    }

    /// Recounts the whole summary of `project` from its posts, in one transaction. For
    /// writers of `posts` other than imports (which keep it themselves), and for databases
    /// whose posts predate the summary.
    pub async fn refresh_post_days(&self, project: i64) -> StoreResult<()> {
        self.recount_post_days(project, None).await
    }

    /// Sets the project's time zone (an IANA name, checked by the caller) and recounts its
    /// day sums in that zone, in one transaction: the days never disagree with the zone.
    pub async fn set_project_time_zone(&self, project: keel_domain::ProjectId, zone: &str) -> StoreResult<()> {
        self.recount_post_days(project.0, Some(zone)).await
    }

    /// Recounts the summary of `project`, first setting its time zone to `new_zone` if given.
    async fn recount_post_days(&self, project: i64, new_zone: Option<&str>) -> StoreResult<()> {
        let accounts = "SELECT DISTINCT platform, account FROM posts WHERE project_id = $1";
        on_pool!(&self.pool, p => {
            let mut tx = p.begin().await?;
            if self.backend() == crate::Backend::Postgres {
                // Queued with imports into the project, which update it themselves.
                sqlx::query("SELECT pg_advisory_xact_lock($1, $2)")
                    .bind(super::postgres::LOCK_NAMESPACE)
                    .bind(project as i32)
                    .execute(&mut *tx)
                    .await?;
            }
            if let Some(zone) = new_zone {
                sqlx::query("UPDATE projects SET time_zone = $1 WHERE id = $2")
                    .bind(zone)
                    .bind(project)
                    .execute(&mut *tx)
                    .await?;
            }
            let zone: String = sqlx::query_scalar("SELECT time_zone FROM projects WHERE id = $1")
                .bind(project)
                .fetch_optional(&mut *tx)
                .await?
                .unwrap_or_default();
            let names: Vec<(String, String)> = sqlx::query_as(accounts).bind(project).fetch_all(&mut *tx).await?;
            sqlx::query("DELETE FROM post_days WHERE project_id = $1").bind(project).execute(&mut *tx).await?;
            let mut collector = Collector::in_zone(&zone);
            for (platform, account) in names {
                collector.accounts.push(Touched::named(platform, account));
            }
            update_accounts!(&mut *tx, project, collector, Change::Some)?;
            crate::bump_data_version!(&mut *tx, project)?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Fills the summary of every project that has posts but no summary rows: databases
    /// imported into before migration 0040. Cheap when there is nothing to do (two index
    /// probes per project).
    pub(crate) async fn fill_missing_post_days(&self) -> StoreResult<()> {
        let sql = "SELECT id FROM projects p
                   WHERE EXISTS (SELECT 1 FROM posts WHERE project_id = p.id)
                     AND NOT EXISTS (SELECT 1 FROM post_days WHERE project_id = p.id)";
        let missing: Vec<i64> = on_pool!(&self.pool, p => sqlx::query_scalar(sql).fetch_all(p).await?);
        for project in missing {
            self.refresh_post_days(project).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(i: i64, followers: Option<i64>, reach: Option<i64>, views: Option<i64>) -> PostFacts {
        PostFacts {
            interactions: i,
            followers,
            reach,
            views,
        }
    }

    #[test]
    fn a_day_sums_its_posts_by_hand() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let mut d = DaySums::empty(day);
        d.add(facts(10, Some(200), Some(100), None));
        d.add(facts(30, None, Some(0), Some(300)));
        d.add(facts(20, Some(0), None, Some(0)));
        assert_eq!(
            (d.posts, d.interactions, d.max_interactions, d.min_interactions),
            (3, 60, 30, 10)
        );
        // Only the first post has an own follower count above 0: 10 / 200 × 100 = 5.
        assert_eq!(
            (d.own_er_sum, d.own_er_max, d.own_er_min, d.own_er_posts),
            (Some(5.0), Some(5.0), Some(5.0), 1)
        );
        assert_eq!((d.reach_interactions, d.reach), (10, 100));
        assert_eq!((d.views_interactions, d.views), (30, 300));
        assert_eq!(d.post_reach, 100);
    }

    #[test]
    fn merging_two_halves_equals_summing_all() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let posts = [
            facts(10, Some(200), Some(100), None),
            facts(30, Some(50), Some(0), Some(300)),
            facts(0, None, None, None),
            facts(7, Some(70), Some(9), Some(1)),
        ];
        let mut all = DaySums::empty(day);
        let (mut a, mut b) = (DaySums::empty(day), DaySums::empty(day));
        for (k, p) in posts.iter().enumerate() {
            all.add(*p);
            if k % 2 == 0 { a.add(*p) } else { b.add(*p) }
        }
        a.merge(&b);
        assert_eq!(a, all);
        assert_eq!(all.own_er_max, Some(60.0));
        assert_eq!(all.own_er_min, Some(5.0));
    }

    #[test]
    fn the_collector_sums_accounts_that_come_back() {
        let post = |account: &str, at: &str, likes: i64| PostRow {
            platform: "vk".into(),
            account: account.into(),
            post_id: format!("{account}{at}"),
            published_at: at.parse().unwrap(),
            post_type: None,
            likes: Some(likes),
            comments: None,
            shares: None,
            saves: None,
            views: None,
            reach: None,
            impressions: None,
            text: None,
            url: None,
            followers: Some(100),
        };
        let rows = [
            post("a", "2026-03-01T10:00:00Z", 1),
            post("a", "2026-03-02T10:00:00Z", 2),
            post("b", "2026-03-01T10:00:00Z", 4),
            post("a", "2026-03-01T12:00:00Z", 8),
            post("b", "2026-03-03T10:00:00Z", 16),
        ];
        let mut c = Collector::default();
        for r in &rows {
            c.add(r);
        }
        assert!(!c.overflowed);
        type Summed = Vec<(NaiveDate, i64, i64)>;
        let got: Vec<(String, Summed)> = c
            .accounts
            .into_iter()
            .map(|t| {
                let name = t.account.clone();
                (
                    name,
                    t.into_days()
                        .values()
                        .map(|d| (d.day, d.posts, d.interactions))
                        .collect(),
                )
            })
            .collect();
        let d = |day| NaiveDate::from_ymd_opt(2026, 3, day).unwrap();
        assert_eq!(
            got,
            [
                ("a".to_owned(), vec![(d(1), 2, 9), (d(2), 1, 2)]),
                ("b".to_owned(), vec![(d(1), 1, 4), (d(3), 1, 16)]),
            ]
        );
    }

    #[test]
    fn the_packed_array_round_trips_and_refuses_torn_bytes() {
        let mut days = Days::new();
        let t = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        add_post(
            &mut days,
            LocalZone::UTC,
            &t("2026-03-01T10:00:00Z"),
            facts(5, None, None, None),
        );
        add_post(
            &mut days,
            LocalZone::UTC,
            &t("2026-03-02T23:59:59Z"),
            facts(8, Some(400), Some(40), Some(80)),
        );
        let bytes = encode(days.values());
        let back = decode(&bytes).unwrap();
        assert_eq!(back, days.values().copied().collect::<Vec<_>>());
        assert_eq!(back[0].own_er_sum, None);
        assert_eq!(back[1].own_er_sum, Some(2.0));
        assert!(decode(&bytes[1..]).is_none());
    }
}
