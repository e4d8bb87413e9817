//! The `goals` section: each stored goal with its baseline, current value, progress,
//! feasibility (core rule 1) and forecast, computed from the project's data.
//!
//! - **baseline**: the entered figure, else the metric's value on the goal's start day or
//!   the last day with data before it (`baseline_date`);
//! - **current**: the value on the last day with data up to the deadline (and not before the
//!   start: a goal whose days hold no data yet has no current value);
//! - **feasibility** and **forecast**: `keel_domain::goals::feasibility`; for followers, windows
//!   holding a suspected purchase (the report's `bot_spikes`) are not the account's history. The trend is fitted
//!   to the values since the start; before two such values exist, to the goal's length of
//!   history before the start.

use chrono::{Days, NaiveDate};
use keel_domain::goals::feasibility::{self, Feasibility, Forecast, Target};
use keel_domain::goals::{Metric, MetricSeries};
use keel_store::Store;
use keel_store::goals::Goal;
use keel_store::projects::Project;
use serde::Serialize;

use crate::metric_series::metric_series_on;

/// One goal as the API and the report show it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct GoalRow {
    pub id: i64,
    pub metric: String,
    pub target: Target,
    pub start: NaiveDate,
    pub deadline: NaiveDate,
    pub zone: String,
    pub baseline: Option<f64>,
    /// `data` (measured) or `entered`.
    pub baseline_source: &'static str,
    /// The day the measured baseline was taken on.
    pub baseline_date: Option<NaiveDate>,
    /// The target as a value of the metric.
    pub target_value: Option<f64>,
    pub current: Option<f64>,
    pub current_date: Option<NaiveDate>,
    pub progress_pct: Option<f64>,
    /// `null` when there is no baseline to measure from.
    pub feasibility: Option<FeasibilityJson>,
    pub forecast: Option<Forecast>,
    /// Followers or likes alone: ER says more.
    pub vanity: bool,
    pub agreed_by_client: Option<String>,
    pub agreed_by_agency: Option<String>,
    /// Agreed by both the client owner and the agency lead.
    pub agreed: bool,
}

/// Feasibility with the unit of its rates spelled out.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, utoipa::ToSchema)]
pub struct FeasibilityJson {
    #[serde(flatten)]
    pub check: Feasibility,
    /// Always `per_day`: improvement per day, over windows of the goal's length.
    pub rate_unit: &'static str,
}

/// A goal's row plus the values its charts draw (not part of the JSON).
#[derive(Debug, Clone, PartialEq)]
pub struct GoalEvaluation {
    pub row: GoalRow,
    /// The metric's values from the goal's length before the start up to the last data day
    /// not after the deadline.
    pub values: Vec<(NaiveDate, f64)>,
}

/// Evaluates every goal of `project` against its data. `today` bounds "current".
pub async fn evaluate_goals(store: &Store, project: &Project, today: NaiveDate) -> anyhow::Result<Vec<GoalEvaluation>> {
    let goals = store.goals_of(project.id()).await?;
    if goals.is_empty() {
        return Ok(vec![]);
    }
    // The goals' data is read on one connection, one query after another.
    let mut reader = store.report_reader(crate::scope::zone_of(project)).await?;
    // Bought followers are not growth: follower windows holding a suspected purchase do not
    // count as the account's history (read only when a follower goal needs it).
    let purchases: Vec<NaiveDate> = if goals.iter().any(|g| g.metric() == Some(Metric::Followers)) {
        let scope = crate::scope::Scope::new(project, None, None)?;
        crate::spikes::bot_spikes(&mut reader, &scope)
            .await?
            .into_iter()
            .map(|s| s.date)
            .collect()
    } else {
        vec![]
    };
    let mut cache: Vec<(Metric, MetricSeries)> = vec![];
    let mut out = Vec::with_capacity(goals.len());
    for goal in goals {
        let Some(metric) = goal.metric() else { continue };
        if !cache.iter().any(|(m, _)| *m == metric) {
            cache.push((metric, metric_series_on(&mut reader, project.id, metric).await?));
        }
        let series = &cache.iter().find(|(m, _)| *m == metric).expect("cached above").1;
        let excluded: &[NaiveDate] = if metric == Metric::Followers { &purchases } else { &[] };
        out.push(evaluate(&goal, metric, series, today, excluded));
    }
    Ok(out)
}

/// The rows alone, for the report's `goals` list.
pub async fn goal_rows(store: &Store, project: &Project, today: NaiveDate) -> anyhow::Result<Vec<GoalRow>> {
    Ok(evaluate_goals(store, project, today)
        .await?
        .into_iter()
        .map(|e| e.row)
        .collect())
}

/// One goal against its metric's series; `excluded` days (suspected purchases) are left out
/// of the best historical rate.
pub fn evaluate(
    goal: &Goal,
    metric: Metric,
    series: &MetricSeries,
    today: NaiveDate,
    excluded: &[NaiveDate],
) -> GoalEvaluation {
    let info = metric.info();
    let length = feasibility::length_days(goal.start_on, goal.deadline);
    let measured = series.latest_on_or_before(goal.start_on);
    let (baseline, baseline_source, baseline_date) = match goal.baseline_entered {
        Some(b) => (Some(b), "entered", None),
        None => (measured.map(|m| m.1), "data", measured.map(|m| m.0)),
    };
    let target = goal.target();
    let target_value = target.value(baseline);
    let until = goal.deadline.min(today);
    let current = series.latest_on_or_before(until).filter(|(d, _)| *d >= goal.start_on);
    let progress_pct = match (baseline, target_value, current) {
        (Some(b), Some(t), Some((_, c))) => feasibility::progress_pct(b, t, c),
        _ => None,
    };
    let check = match (baseline, target_value) {
        (Some(b), Some(t)) => {
            let best =
                feasibility::best_historical_rate(series, info.higher_is_better, length, goal.start_on, excluded);
            Some(FeasibilityJson {
                check: feasibility::feasibility(b, t, info.higher_is_better, length, best),
                rate_unit: "per_day",
            })
        }
        _ => None,
    };
    let history_from = goal
        .start_on
        .checked_sub_days(Days::new(length as u64))
        .unwrap_or(goal.start_on);
    let values = series.values(
        history_from,
        current.map(|c| c.0).unwrap_or(goal.start_on).max(goal.start_on),
    );
    let since_start: Vec<(NaiveDate, f64)> = values.iter().copied().filter(|(d, _)| *d >= goal.start_on).collect();
    let fit = if since_start.len() >= 2 {
        since_start
    } else {
        values.iter().copied().filter(|(d, _)| *d <= goal.start_on).collect()
    };
    let forecast = target_value.and_then(|t| feasibility::forecast(&fit, goal.deadline, t, info.higher_is_better));
    GoalEvaluation {
        row: GoalRow {
            id: goal.id.0,
            metric: goal.metric.clone(),
            target,
            start: goal.start_on,
            deadline: goal.deadline,
            zone: goal.zone.clone(),
            baseline,
            baseline_source,
            baseline_date,
            target_value,
            current: current.map(|c| c.1),
            current_date: current.map(|c| c.0),
            progress_pct,
            feasibility: check,
            forecast,
            vanity: info.vanity,
            agreed_by_client: goal.agreed_client_name.clone(),
            agreed_by_agency: goal.agreed_agency_name.clone(),
            agreed: goal.agreed_by_both(),
        },
        values,
    }
}

/// What the health check and the meeting agenda read of the report over all data: suspected
/// purchases and the funnel. Computed without the per-post pass of a full report (which
/// streams every post), so the projects list stays fast on large projects.
pub async fn spikes_and_funnel(
    store: &Store,
    project: &Project,
) -> anyhow::Result<(Vec<crate::SpikeRow>, Vec<crate::FunnelStage>)> {
    let scope = crate::scope::Scope::new(project, None, None)?;
    let mut reader = store.report_reader(scope.zone).await?;
    let spikes = crate::spikes::bot_spikes(&mut reader, &scope).await?;
    let funnel = crate::funnel::funnel(&mut reader, &scope).await?;
    Ok((spikes, funnel))
}
