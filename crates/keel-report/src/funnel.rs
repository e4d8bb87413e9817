//! The `funnel` section: each stage's conversion in the period against its baseline
//! (`PRODUCT.md` § "Funnel and baselines", `keel_domain::metrics::funnel`).
//!
//! - `impressions_to_clicks` and `clicks_to_leads` come from `ad_stats`, summed over the
//!   days of a window. Only days that report both counts of a stage take part, so a day
//!   with clicks but no recorded impressions cannot push the proportion above 100 %.
//! - `leads_to_deals` counts the leads *created* in a window (by UTC day) and, among them,
//!   those whose status is `won` now.
//!
//! Baseline: the 90 days before the period's start (`from`, else the project's start
//! date). A window "holds no data" for a stage when the stage has no trials in it (no
//! impressions, no clicks, no leads respectively); the baseline then falls back to the
//! first 90 days of that stage's data, counted from the first day with trials. Without
//! any data the baseline stays undefined (`null`), and so do `z` and the verdict.

use chrono::NaiveDate;
use keel_domain::metrics::funnel::{Proportion, Stage, StageResult, baseline_window, evaluate, first_days_window};
use keel_store::report::ReportReader;
use serde::Serialize;

use crate::scope::Scope;

/// One funnel stage: the domain's result (`stage`, `zone`, `conversion`, `baseline`, `z`,
/// `verdict`) and, so that every number can be traced, the counts and window behind it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct FunnelStage {
    #[serde(flatten)]
    pub result: StageResult,
    /// The period's successes and trials (e.g. clicks and impressions).
    pub successes: i64,
    pub trials: i64,
    /// The baseline's successes and trials.
    pub baseline_successes: i64,
    pub baseline_trials: i64,
    /// The baseline window actually used, both ends inclusive.
    pub baseline_from: NaiveDate,
    pub baseline_to: NaiveDate,
}

/// The three stages in funnel order.
pub(crate) async fn funnel(reader: &mut ReportReader, scope: &Scope) -> anyhow::Result<Vec<FunnelStage>> {
    let mut stages = Vec::with_capacity(Stage::ALL.len());
    for stage in Stage::ALL {
        let period = proportion(reader, scope, stage, (scope.first_day, scope.last_day)).await?;
        let mut window = baseline_window(scope.reference_start());
        let mut baseline = proportion(reader, scope, stage, window).await?;
        if baseline.trials == 0
            && let Some(first) = reader.stage_first_day(scope.project_id, stage).await?
        {
            window = first_days_window(first);
            baseline = proportion(reader, scope, stage, window).await?;
        }
        stages.push(FunnelStage {
            result: evaluate(stage, period, baseline),
            successes: period.successes,
            trials: period.trials,
            baseline_successes: baseline.successes,
            baseline_trials: baseline.trials,
            baseline_from: window.0,
            baseline_to: window.1,
        });
    }
    Ok(stages)
}

/// The stage's successes and trials over the days `window.0 ..= window.1`.
async fn proportion(
    reader: &mut ReportReader,
    scope: &Scope,
    stage: Stage,
    window: (NaiveDate, NaiveDate),
) -> anyhow::Result<Proportion> {
    let (successes, trials) = reader.stage_counts(scope.project_id, stage, window).await?;
    Ok(Proportion { successes, trials })
}
