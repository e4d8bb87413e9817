//! Fixture rows, inserted with plain SQL so these tests depend on the schema alone (not
//! on the import code), and small helpers to compare figures.

use chrono::{DateTime, NaiveDate, Utc};
use keel_domain::{ProjectName, Slug};
use keel_store::projects::{NewProject, Project};
use keel_store::{Store, on_pool};

/// `YYYY-MM-DD` as a date.
pub fn day(s: &str) -> NaiveDate {
    s.parse().expect("test date")
}

/// RFC 3339 as an instant.
pub fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("test timestamp")
        .with_timezone(&Utc)
}

/// A project `slug` started on `started_on`, in a fresh organization.
pub async fn project(store: &Store, started_on: &str) -> anyhow::Result<Project> {
    let org = store.ensure_org("report-tests", "Report tests").await?;
    Ok(store
        .create_project(&NewProject {
            org: org.id(),
            slug: Slug::parse("report")?,
            name: ProjectName::parse("Report")?,
            started_on: day(started_on),
            client: None,
        })
        .await?)
}

/// A post row; counts left `None` are NULL in the table.
#[derive(Debug, Clone, Default)]
pub struct Post {
    pub platform: &'static str,
    pub account: &'static str,
    pub id: String,
    pub at: &'static str,
    pub likes: Option<i64>,
    pub comments: Option<i64>,
    pub shares: Option<i64>,
    pub saves: Option<i64>,
    pub views: Option<i64>,
    pub reach: Option<i64>,
    pub followers: Option<i64>,
}

pub async fn insert_post(store: &Store, pr: &Project, p: &Post) -> anyhow::Result<()> {
    insert_post_at(store, pr, p, at(p.at)).await
}

/// Like [`insert_post`], with the publication instant given as a value.
pub async fn insert_post_at(store: &Store, pr: &Project, p: &Post, published: DateTime<Utc>) -> anyhow::Result<()> {
    on_pool!(store.raw_pool_for_tests(), c => {
        sqlx::query(
            "INSERT INTO posts (org_id, project_id, platform, account, post_id, published_at,
                                likes, comments, shares, saves, views, reach, followers)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(pr.org_id).bind(pr.id).bind(p.platform).bind(p.account).bind(&p.id)
        .bind(published).bind(p.likes).bind(p.comments).bind(p.shares).bind(p.saves)
        .bind(p.views).bind(p.reach).bind(p.followers)
        .execute(c).await.map(|_| ())
    })?;
    // Imports keep the per-day summary the analytics read; a direct insert must refresh it.
    store.refresh_post_days(pr.id).await?;
    Ok(())
}

/// A daily row of an account with its follower count (NULL when `None`).
pub async fn insert_daily(
    store: &Store,
    pr: &Project,
    (platform, account): (&str, &str),
    date: NaiveDate,
    followers: Option<i64>,
) -> anyhow::Result<()> {
    on_pool!(store.raw_pool_for_tests(), c => {
        sqlx::query(
            "INSERT INTO daily_stats (org_id, project_id, platform, account, date, followers)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(pr.org_id).bind(pr.id).bind(platform).bind(account).bind(date).bind(followers)
        .execute(c).await.map(|_| ())
    })?;
    Ok(())
}

/// An ads row: one campaign on one day.
#[derive(Debug, Clone, Default)]
pub struct Ad {
    pub platform: &'static str,
    pub campaign: String,
    pub date: &'static str,
    pub spend: f64,
    pub impressions: Option<i64>,
    pub clicks: Option<i64>,
    pub leads: Option<i64>,
    pub video_views: Option<i64>,
}

pub async fn insert_ad(store: &Store, pr: &Project, a: &Ad) -> anyhow::Result<()> {
    insert_ad_on(store, pr, a, day(a.date)).await
}

/// Like [`insert_ad`], with the date given as a value.
pub async fn insert_ad_on(store: &Store, pr: &Project, a: &Ad, date: NaiveDate) -> anyhow::Result<()> {
    on_pool!(store.raw_pool_for_tests(), c => {
        sqlx::query(
            "INSERT INTO ad_stats (org_id, project_id, platform, campaign, date, spend, currency,
                                   impressions, clicks, leads, video_views)
             VALUES ($1, $2, $3, $4, $5, $6, 'USD', $7, $8, $9, $10)",
        )
        .bind(pr.org_id).bind(pr.id).bind(a.platform).bind(&a.campaign).bind(date)
        .bind(a.spend).bind(a.impressions).bind(a.clicks).bind(a.leads).bind(a.video_views)
        .execute(c).await.map(|_| ())
    })?;
    Ok(())
}

/// A lead created at `created` (RFC 3339) with `status`.
pub async fn insert_lead(store: &Store, pr: &Project, id: &str, created: &str, status: &str) -> anyhow::Result<()> {
    on_pool!(store.raw_pool_for_tests(), c => {
        sqlx::query(
            "INSERT INTO leads (org_id, project_id, lead_id, created_at, status)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(pr.org_id).bind(pr.id).bind(id).bind(at(created)).bind(status)
        .execute(c).await.map(|_| ())
    })?;
    Ok(())
}

/// Asserts `actual` is `Some` and equal to `expected` within 1e-9 (relative for large
/// values): the hand-worked figures are written to ~16 significant digits.
#[track_caller]
pub fn assert_close(actual: Option<f64>, expected: f64, what: &str) {
    let a = actual.unwrap_or_else(|| panic!("{what}: expected {expected}, got null"));
    assert!(
        (a - expected).abs() <= 1e-9 * expected.abs().max(1.0),
        "{what}: expected {expected}, got {a}"
    );
}

/// `hours` after midnight UTC of `date`.
pub fn midnight_plus(date: NaiveDate, hours: u32) -> DateTime<Utc> {
    date.and_hms_opt(hours, 0, 0).expect("valid hour").and_utc()
}
