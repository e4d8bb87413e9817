//! Keel's project report (`keel report`, `GET /api/v1/projects/{slug}/report`).
//!
//! A report covers one project over a period of days (both ends inclusive; without them,
//! all data) and holds the sections of `PRODUCT.md` § "Public interface": `accounts`,
//! `posts`, `bot_spikes`, `ads`, `funnel` and `goals`, plus `project` (the slug) and
//! `period` (`from`, `to`, `null` when open). In the JSON, `posts` comes right after
//! `period`: the other sections are computed while the posts stream out (JSON objects are
//! unordered; the keys and values are those of `PRODUCT.md`).
//!
//! Every figure is computed by the database (GROUP BY) or from rows streamed one at a time,
//! never by loading a table into memory: a project may hold a million posts. The formulas
//! themselves are `keel_domain::metrics`; the SQL only selects and sums their inputs.
//!
//! How a report reads the data (see `run`): the period's posts are read once, in report
//! order, each with its publication day's follower count, and feed both the `posts` list
//! and the per-account engagement; every account's daily rows are read once and feed the
//! follower counts of `accounts` and the spike candidates of `bot_spikes`; ads and funnel
//! are small aggregate queries. The posts stream while the other sections are computed one
//! after another on a single connection (`keel_store::report::ReportReader`), in a task of
//! their own. The two large scans use the store's fast paths off sqlx (rusqlite on a SQLite
//! file, binary COPY on PostgreSQL): about 1 s for a million posts on two cores.
//!
//! The queries themselves are the store's (`keel_store::report`); this crate computes the
//! figures from the rows they return and shapes them (JSON, CSV, chart series).
//!
//! - [`build_report`]: the whole report as a value (small projects, tests, the API).
//! - [`write_report_json`]: the same JSON, with the `posts` list streamed row by row.
//! - [`write_report_csv`]: one CSV table of every section (layout in [`csv_out`]).
//!
//! Conventions shared by all sections (see the `scope` module): the publication *day* of a
//! post and the creation day of a lead are their UTC dates; undefined ratios are `None` /
//! `null`.

#![forbid(unsafe_code)]

pub mod accounts;
pub mod ads;
pub mod csv_out;
mod daily;
pub mod funnel;
pub mod goals;
mod json;
pub mod metric_series;
pub mod posts;
pub mod scope;
pub mod series;
mod series_days;
pub mod spikes;

pub use accounts::AccountRow;
pub use ads::{Ads, CampaignRow};
pub use csv_out::write_report_csv;
pub use funnel::FunnelStage;
pub use json::write_report_json;
pub use posts::PostRow;
pub use series::{AccountSeries, Analytics, SeriesDay, build_analytics, build_summary};
pub use spikes::SpikeRow;

use chrono::NaiveDate;
use keel_store::Store;
use keel_store::projects::Project;
use serde::Serialize;

use scope::Scope;

/// The report period as asked for: `None` is an open end (`null` in JSON).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Period {
    /// First day, inclusive.
    pub from: Option<NaiveDate>,
    /// Last day, inclusive.
    pub to: Option<NaiveDate>,
}

/// A project report; serializes to the JSON of `keel report`.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Report {
    /// The project's slug.
    pub project: String,
    /// The period covered.
    pub period: Period,
    /// Every post published in the period, oldest first. It comes before the other
    /// sections so that [`write_report_json`] can stream it while they are computed.
    pub posts: Vec<PostRow>,
    /// One row per account with posts or daily figures in the period.
    pub accounts: Vec<AccountRow>,
    /// Follower spikes in the period reported as suspected purchased followers.
    pub bot_spikes: Vec<SpikeRow>,
    /// Ads totals and per-campaign figures.
    pub ads: Ads,
    /// The funnel stages against their baselines.
    pub funnel: Vec<FunnelStage>,
    /// Every goal of the project with its baseline, progress and feasibility, measured
    /// on the project's whole data up to today (not only the report period: a goal has its
    /// own start and deadline).
    pub goals: Vec<goals::GoalRow>,
}

/// Everything of a report except the per-post list, which may be a million rows long and
/// is streamed separately.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Summary {
    pub accounts: Vec<AccountRow>,
    pub bot_spikes: Vec<SpikeRow>,
    pub ads: Ads,
    pub funnel: Vec<FunnelStage>,
}

/// Computes the report of `project` over `from ..= to` (open ends: all data).
///
/// Holds every post in memory: for large projects prefer [`write_report_json`].
/// Fails when `from` is after `to`, or on a database error.
pub async fn build_report(
    store: &Store,
    project: &Project,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> anyhow::Result<Report> {
    let scope = Scope::new(project, from, to)?;
    let mut list = Vec::new();
    let summary = run(store, &scope, |row| {
        list.push(row);
        Ok(())
    })
    .await?;
    Ok(Report {
        project: project.slug.clone(),
        period: scope.period(),
        posts: list,
        accounts: summary.accounts,
        bot_spikes: summary.bot_spikes,
        ads: summary.ads,
        funnel: summary.funnel,
        goals: goals::goal_rows(store, project, scope.zone.today()).await?,
    })
}

/// Hands every post of the period to `each`, in report order, while the other sections
/// are computed in a task of their own, one after another on one connection; then returns
/// those sections.
///
/// The posts are read once: the same stream feeds the per-account engagement.
pub(crate) async fn run(
    store: &Store,
    scope: &Scope,
    mut each: impl FnMut(PostRow) -> anyhow::Result<()>,
) -> anyhow::Result<Summary> {
    let mut engagement = accounts::Engagement::default();
    let posts = posts::for_each_post(store, scope, |raw| {
        engagement.add(&raw);
        each(PostRow::from(raw))
    });
    let others = Spawned(tokio::spawn({
        let (store, scope) = (store.clone(), scope.clone());
        async move {
            let mut reader = store.report_reader(scope.zone).await?;
            let found = daily::daily_pass(&mut reader, &scope).await?;
            let bot_spikes = spikes::test_suspects(&mut reader, &scope, found.suspects).await?;
            let ads = ads::ads(&mut reader, &scope).await?;
            let funnel = funnel::funnel(&mut reader, &scope).await?;
            anyhow::Ok((found.spans, bot_spikes, ads, funnel))
        }
    }));
    let others = async { others.await? };
    let ((spans, bot_spikes, ads, funnel), ()) = futures_util::future::try_join(others, posts).await?;
    Ok(Summary {
        accounts: accounts::accounts(engagement, spans),
        bot_spikes,
        ads,
        funnel,
    })
}

/// A spawned task that is aborted when its handle is dropped unfinished (when the posts
/// stream fails first, say).
struct Spawned<T>(tokio::task::JoinHandle<T>);

impl<T> std::future::Future for Spawned<T> {
    type Output = Result<T, tokio::task::JoinError>;

    fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Self::Output> {
        std::pin::Pin::new(&mut self.0).poll(cx)
    }
}

impl<T> Drop for Spawned<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}
