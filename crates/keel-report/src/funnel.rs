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

use chrono::{DateTime, Days, NaiveDate, Utc};
use keel_domain::metrics::funnel::{Proportion, Stage, StageResult, baseline_window, evaluate, first_days_window};
use keel_store::{Store, on_pool};
use serde::Serialize;

use crate::scope::{Scope, midnight};

/// One funnel stage: the domain's result (`stage`, `zone`, `conversion`, `baseline`, `z`,
/// `verdict`) and, so that every number can be traced, the counts and window behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
pub(crate) async fn funnel(store: &Store, scope: &Scope) -> anyhow::Result<Vec<FunnelStage>> {
    let mut stages = Vec::with_capacity(Stage::ALL.len());
    for stage in Stage::ALL {
        let period = proportion(store, scope, stage, (scope.first_day, scope.last_day)).await?;
        let mut window = baseline_window(scope.reference_start());
        let mut baseline = proportion(store, scope, stage, window).await?;
        if baseline.trials == 0
            && let Some(first) = first_day(store, scope, stage).await?
        {
            window = first_days_window(first);
            baseline = proportion(store, scope, stage, window).await?;
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

/// `(successes, trials)` columns of an ads stage in `ad_stats`.
fn ads_columns(stage: Stage) -> Option<(&'static str, &'static str)> {
    match stage {
        Stage::ImpressionsToClicks => Some(("clicks", "impressions")),
        Stage::ClicksToLeads => Some(("leads", "clicks")),
        Stage::LeadsToDeals => None,
    }
}

/// The stage's successes and trials over the days `window.0 ..= window.1`.
async fn proportion(
    store: &Store,
    scope: &Scope,
    stage: Stage,
    (first, last): (NaiveDate, NaiveDate),
) -> anyhow::Result<Proportion> {
    let (successes, trials): (i64, i64) = match ads_columns(stage) {
        Some((num, den)) => {
            let sql = format!(
                "SELECT CAST(COALESCE(SUM({num}), 0) AS BIGINT),
                        CAST(COALESCE(SUM({den}), 0) AS BIGINT)
                 FROM ad_stats
                 WHERE project_id = $1 AND date >= $2 AND date <= $3
                   AND {num} IS NOT NULL AND {den} IS NOT NULL"
            );
            on_pool!(&store.pool, p => {
                sqlx::query_as(&sql).bind(scope.project_id).bind(first).bind(last)
                    .fetch_one(p).await
            })?
        }
        None => {
            // Leads by creation instant, `>= first midnight AND < the midnight after last`.
            let sql = "SELECT COUNT(CASE WHEN status = 'won' THEN 1 END), COUNT(*)
                       FROM leads
                       WHERE project_id = $1 AND created_at >= $2 AND created_at < $3";
            let (start, end) = (midnight(first), midnight(last + Days::new(1)));
            on_pool!(&store.pool, p => {
                sqlx::query_as(sql).bind(scope.project_id).bind(start).bind(end)
                    .fetch_one(p).await
            })?
        }
    };
    Ok(Proportion { successes, trials })
}

/// The first day on which the stage has trials: the start of its "first 90 days of data".
async fn first_day(store: &Store, scope: &Scope, stage: Stage) -> anyhow::Result<Option<NaiveDate>> {
    Ok(match ads_columns(stage) {
        Some((num, den)) => {
            let sql = format!(
                "SELECT MIN(date) FROM ad_stats
                 WHERE project_id = $1 AND {den} > 0 AND {num} IS NOT NULL"
            );
            on_pool!(&store.pool, p => {
                sqlx::query_scalar::<_, Option<NaiveDate>>(&sql).bind(scope.project_id)
                    .fetch_one(p).await
            })?
        }
        None => {
            let sql = "SELECT MIN(created_at) FROM leads WHERE project_id = $1";
            let first = on_pool!(&store.pool, p => {
                sqlx::query_scalar::<_, Option<DateTime<Utc>>>(sql).bind(scope.project_id)
                    .fetch_one(p).await
            })?;
            first.map(|at| at.date_naive())
        }
    })
}
