//! What the analytics page draws: each account's figures day by day, the best and worst
//! posts by ER, and the report without its per-post list ([`build_summary`]).
//!
//! Per account and day of the period: followers and reach (daily figures), the number and
//! interactions of the posts published that day (UTC), and daily ER
//! (`engagement::daily_er`). The same pass over the posts gives the `accounts` section, so
//! the summary never lists the posts.
//!
//! A project may hold a million posts and the page must stay fast, so the posts are never
//! collected or even read: their per-account-day sums are kept by every import in
//! `post_days` (see [`crate::series_days`]), and only the few days that can hold a best or
//! worst post are read post by post. Memory stays one entry per account-day plus `2 × n`
//! posts.
//!
//! The formulas are the domain's: `engagement::post_er` of the follower count
//! `engagement::followers_on` picks, `engagement::daily_er`, and period rates as in
//! [`crate::accounts`].

use std::collections::BTreeMap;

use chrono::NaiveDate;
use keel_domain::metrics::engagement::daily_er;
use keel_domain::metrics::growth::follower_growth_pct;
use keel_store::Store;
use keel_store::projects::Project;
use keel_store::report::ReportReader;
use serde::Serialize;

use crate::scope::Scope;
use crate::{AccountRow, PostRow, Report, ads, funnel, series_days, spikes};

/// One day of one account.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesDay {
    pub date: NaiveDate,
    /// The day's follower count (daily figures); `None` without one.
    pub followers: Option<i64>,
    /// The account's reach that day (daily figures); `None` without one.
    pub reach: Option<i64>,
    /// Posts published that day (UTC).
    pub posts: i64,
    /// ΣI of those posts.
    pub interactions: i64,
    /// Σreach of those posts (a missing reach counts as 0).
    pub post_reach: i64,
    /// `ΣI / followers × 100` (`engagement::daily_er`). `None` on a day without posts —
    /// nothing was published to engage with — or without a known follower count.
    pub daily_er: Option<f64>,
}

/// One account's days in the period: every day with daily figures or posts, by date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccountSeries {
    pub platform: String,
    pub account: String,
    pub days: Vec<SeriesDay>,
}

/// Everything the analytics page shows, read one query after another on one connection.
#[derive(Debug, Clone, PartialEq)]
pub struct Analytics {
    /// The report without its per-post list (`posts` is empty).
    pub report: Report,
    /// Per account, by platform then account.
    pub series: Vec<AccountSeries>,
    /// Up to `n` posts with the highest ER, best first (ties: report order).
    pub best_posts: Vec<PostRow>,
    /// Up to `n` posts with the lowest ER, worst first (ties: report order).
    pub worst_posts: Vec<PostRow>,
}

/// Which end of the ER ranking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rank {
    /// Highest ER first.
    Best,
    /// Lowest ER first.
    Worst,
}

/// The report of `project` over `from ..= to` without the per-post list (`posts` is
/// empty): accounts, suspected bots, ads and funnel. Fails like [`crate::build_report`].
pub async fn build_summary(
    store: &Store,
    project: &Project,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> anyhow::Result<Report> {
    Ok(build_analytics(store, project, from, to, 0).await?.report)
}

/// The analytics of `project` over `from ..= to`: the summary report, the day-by-day
/// series, and the `n` best and worst posts by ER (posts whose ER is undefined are not
/// ranked). Fails when `from` is after `to`, or on a database error.
pub async fn build_analytics(
    store: &Store,
    project: &Project,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    n: u32,
) -> anyhow::Result<Analytics> {
    let scope = Scope::new(project, from, to)?;
    let (collected, bot_spikes, ads, funnel) = {
        let mut reader = store.report_reader(scope.zone).await?;
        let collected = collect(&mut reader, &scope, n as usize).await?;
        let bot_spikes = spikes::bot_spikes(&mut reader, &scope).await?;
        let ads = ads::ads(&mut reader, &scope).await?;
        let funnel = funnel::funnel(&mut reader, &scope).await?;
        (collected, bot_spikes, ads, funnel)
    };
    let Collected { accounts, best, worst } = collected;
    Ok(Analytics {
        report: Report {
            project: project.slug.clone(),
            period: scope.period(),
            posts: Vec::new(),
            accounts: accounts.rows(),
            bot_spikes,
            ads,
            funnel,
            goals: crate::goals::goal_rows(store, project, scope.zone.today()).await?,
        },
        series: accounts.series(),
        best_posts: best,
        worst_posts: worst,
    })
}

/// The first and last local day holding any data of `project` (daily figures, posts, ads or
/// leads); `None` for a project without data. The period picker counts back from the last.
pub async fn data_span(store: &Store, project: &Project) -> anyhow::Result<Option<(NaiveDate, NaiveDate)>> {
    Ok(store.data_span(project.id, crate::scope::zone_of(project)).await?)
}

/// An account's period rates, as in the `accounts` section.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Rates {
    pub posts: i64,
    pub interactions: i64,
    pub er_followers: Option<f64>,
    pub err_reach: Option<f64>,
    pub er_views: Option<f64>,
}

/// One account being collected: its days by date, and its period rates.
#[derive(Debug, Default)]
pub(crate) struct Account {
    pub days: BTreeMap<NaiveDate, SeriesDay>,
    pub rates: Rates,
}

impl Account {
    /// The day `date`, created empty when it has no daily figures.
    pub fn day(&mut self, date: NaiveDate) -> &mut SeriesDay {
        self.days.entry(date).or_insert_with(|| SeriesDay {
            date,
            followers: None,
            reach: None,
            posts: 0,
            interactions: 0,
            post_reach: 0,
            daily_er: None,
        })
    }
}

/// Every account of the period, by platform, then account.
#[derive(Debug, Default)]
pub(crate) struct Accounts(BTreeMap<String, BTreeMap<String, Account>>);

impl Accounts {
    /// The account, created when first seen. Looked up by reference first: a new key per
    /// post would cost two allocations per post.
    pub fn get(&mut self, platform: &str, account: &str) -> &mut Account {
        if !self.0.contains_key(platform) {
            self.0.insert(platform.to_owned(), BTreeMap::new());
        }
        let accounts = self
            .0
            .get_mut(platform)
            .unwrap_or_else(|| unreachable!("inserted above"));
        if !accounts.contains_key(account) {
            accounts.insert(account.to_owned(), Account::default());
        }
        accounts
            .get_mut(account)
            .unwrap_or_else(|| unreachable!("inserted above"))
    }

    /// Every account with its platform and name, in order.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&str, &str, &mut Account)> {
        self.0
            .iter_mut()
            .flat_map(|(p, accounts)| accounts.iter_mut().map(move |(a, acc)| (p.as_str(), a.as_str(), acc)))
    }

    /// The `accounts` section: followers at the first and last day with a known count,
    /// growth between them, and the period rates.
    fn rows(&self) -> Vec<AccountRow> {
        let all = self
            .0
            .iter()
            .flat_map(|(p, accounts)| accounts.iter().map(move |(a, acc)| (p, a, acc)));
        all.map(|(platform, account, a)| {
            let known = || a.days.values().filter_map(|d| d.followers);
            let (start, end) = (known().next(), known().next_back());
            AccountRow {
                platform: platform.clone(),
                account: account.clone(),
                followers_start: start,
                followers_end: end,
                follower_growth_pct: start.zip(end).and_then(|(s, e)| follower_growth_pct(s, e)),
                posts: a.rates.posts,
                interactions: a.rates.interactions,
                er_followers: a.rates.er_followers,
                err_reach: a.rates.err_reach,
                er_views: a.rates.er_views,
            }
        })
        .collect()
    }

    fn series(self) -> Vec<AccountSeries> {
        self.0
            .into_iter()
            .flat_map(|(platform, accounts)| {
                accounts.into_iter().map(move |(account, a)| AccountSeries {
                    platform: platform.clone(),
                    account,
                    days: a.days.into_values().collect(),
                })
            })
            .collect()
    }
}

/// The accounts with their days and rates, and the ranked posts.
struct Collected {
    accounts: Accounts,
    best: Vec<PostRow>,
    worst: Vec<PostRow>,
}

/// Reads the daily figures, then sums the posts into them the backend's way.
async fn collect(reader: &mut ReportReader, scope: &Scope, n: usize) -> anyhow::Result<Collected> {
    let mut accounts = daily_figures(reader, scope).await?;
    let (best, worst) = series_days::add_posts(reader, scope, n, &mut accounts).await?;
    for (_, _, account) in accounts.iter_mut() {
        for day in account.days.values_mut() {
            day.daily_er = if day.posts > 0 {
                daily_er(day.interactions, day.followers)
            } else {
                None
            };
        }
    }
    Ok(Collected { accounts, best, worst })
}

/// The daily rows of the period (a few hundred per account and year), as accounts' days.
async fn daily_figures(reader: &mut ReportReader, scope: &Scope) -> anyhow::Result<Accounts> {
    let mut accounts = Accounts::default();
    for r in reader.daily_figures(scope.days()).await? {
        let day = accounts.get(&r.platform, &r.account).day(r.date);
        day.followers = r.followers;
        day.reach = r.reach;
    }
    Ok(accounts)
}
