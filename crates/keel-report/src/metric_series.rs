//! A metric of the catalog, day by day over a project's whole history: the daily points
//! (`keel_domain::goals::MetricDay`) its goal values are computed from. The store sums each
//! metric per day (`ReportReader::metric_rows`); the post metrics come per account and day
//! and are combined here.

use chrono::NaiveDate;
use keel_domain::goals::{Metric, MetricDay, MetricSeries};
use keel_store::Store;
use keel_store::projects::Project;
use keel_store::report::{MetricRows, PostAccountDay, ReportReader};
use std::collections::BTreeMap;

/// Every daily point of `metric` in `project`, by the project's local days.
pub async fn metric_series(store: &Store, project: &Project, metric: Metric) -> anyhow::Result<MetricSeries> {
    let mut reader = store.report_reader(crate::scope::zone_of(project)).await?;
    metric_series_on(&mut reader, project.id, metric).await
}

/// [`metric_series`] on a reader already held.
pub(crate) async fn metric_series_on(
    reader: &mut ReportReader,
    project: i64,
    metric: Metric,
) -> anyhow::Result<MetricSeries> {
    let points = match reader.metric_rows(project, metric).await? {
        MetricRows::Days(rows) => rows
            .into_iter()
            .filter_map(|r| r.num.map(|n| MetricDay::new(r.day, n, r.den.unwrap_or(0.0))))
            .collect(),
        MetricRows::PostAccountDays(rows) => {
            let days = post_days(rows);
            match metric {
                Metric::ErFollowers => days
                    .into_iter()
                    .filter(|(_, p)| p.followers > 0.0)
                    .map(|(d, p)| MetricDay::new(d, p.interactions, p.followers))
                    .collect(),
                Metric::ErrReach => days
                    .into_iter()
                    .map(|(d, p)| MetricDay::new(d, p.interactions_reached, p.reach))
                    .collect(),
                _ => days
                    .into_iter()
                    .map(|(d, p)| MetricDay::new(d, p.all_interactions, 0.0))
                    .collect(),
            }
        }
    };
    Ok(MetricSeries::new(metric.info().aggregation, points))
}

/// The posts of one day over all accounts.
#[derive(Debug, Default, Clone, Copy)]
struct PostDay {
    /// ΣI of every post that day.
    all_interactions: f64,
    /// ΣI of the posts whose account has a follower count that day.
    interactions: f64,
    /// Followers that day of the accounts that posted (daily ER's denominator).
    followers: f64,
    /// ΣI and Σreach of posts with a reach (ERR's numerator and denominator).
    interactions_reached: f64,
    reach: f64,
}

/// The per-account days summed over the accounts, day by day.
fn post_days(rows: Vec<PostAccountDay>) -> BTreeMap<NaiveDate, PostDay> {
    let mut days: BTreeMap<NaiveDate, PostDay> = BTreeMap::new();
    for r in rows {
        let entry = days.entry(r.day).or_default();
        // Daily ER needs the day's follower count: an account without one is left out of both sides.
        if let Some(f) = r.followers {
            entry.interactions += r.interactions.unwrap_or(0.0);
            entry.followers += f;
        }
        entry.all_interactions += r.interactions.unwrap_or(0.0);
        entry.interactions_reached += r.interactions_reached.unwrap_or(0.0);
        entry.reach += r.reach.unwrap_or(0.0);
    }
    days
}
