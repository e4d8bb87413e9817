//! The funnel: stages, their zones of responsibility, baselines and the z-test verdict.
//!
//! `PRODUCT.md`: impressions → clicks and clicks → leads belong to the agency, leads →
//! deals to the client's sales team; each stage's conversion in the report period is
//! compared with its baseline by a pooled two-proportion z-test, `|z| > 2.58` (99 %).

use chrono::{Days, NaiveDate};
use serde::Serialize;

use super::count_pct;

/// Who answers for a funnel stage or KPI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Zone {
    /// The agency (or freelancer) running the SMM.
    Agency,
    /// The client, here its sales team.
    Client,
}

impl Zone {
    /// The name used in JSON, CSV and URLs (`agency`, `client`).
    pub fn as_str(self) -> &'static str {
        match self {
            Zone::Agency => "agency",
            Zone::Client => "client",
        }
    }
}

/// A funnel stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Ads clicks / impressions.
    ImpressionsToClicks,
    /// Ads leads / clicks.
    ClicksToLeads,
    /// Leads created in the period that are `won` / leads created in the period.
    LeadsToDeals,
}

impl Stage {
    /// All stages in funnel order.
    pub const ALL: [Stage; 3] = [Stage::ImpressionsToClicks, Stage::ClicksToLeads, Stage::LeadsToDeals];

    /// The name used in JSON, CSV and URLs (`impressions_to_clicks`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::ImpressionsToClicks => "impressions_to_clicks",
            Stage::ClicksToLeads => "clicks_to_leads",
            Stage::LeadsToDeals => "leads_to_deals",
        }
    }

    /// The zone owning this stage; a sales-stage drop is never the agency's.
    pub fn zone(self) -> Zone {
        match self {
            Stage::ImpressionsToClicks | Stage::ClicksToLeads => Zone::Agency,
            Stage::LeadsToDeals => Zone::Client,
        }
    }
}

/// `successes` out of `trials`, e.g. 30 clicks out of 1000 impressions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Proportion {
    /// Conversions (clicks, leads, deals).
    pub successes: i64,
    /// Attempts (impressions, clicks, leads).
    pub trials: i64,
}

impl Proportion {
    /// The conversion in percent, `successes / trials × 100`; `None` without trials.
    pub fn rate_pct(&self) -> Option<f64> {
        count_pct(self.successes, Some(self.trials))
    }
}

/// Pooled two-proportion z statistic of `period` against `baseline`.
///
/// `p = (x1 + x2) / (n1 + n2)`, `se = √(p (1 − p) (1/n1 + 1/n2))`, `z = (p1 − p2) / se`.
/// `None` when either side has no trials, when `se` is 0 (both sides all-or-nothing
/// alike, e.g. 0/100 vs 0/200: nothing to compare), or when the inputs are not a
/// proportion (successes outside `0..=trials` would make `p (1 − p)` negative).
pub fn two_proportion_z(period: Proportion, baseline: Proportion) -> Option<f64> {
    let (x1, n1, x2, n2) = (period.successes, period.trials, baseline.successes, baseline.trials);
    if n1 <= 0 || n2 <= 0 || !(0..=n1).contains(&x1) || !(0..=n2).contains(&x2) {
        return None;
    }
    let (x1, n1, x2, n2) = (x1 as f64, n1 as f64, x2 as f64, n2 as f64);
    let p = (x1 + x2) / (n1 + n2);
    let se = (p * (1.0 - p) * (1.0 / n1 + 1.0 / n2)).sqrt();
    if se == 0.0 || !se.is_finite() {
        return None;
    }
    let z = (x1 / n1 - x2 / n2) / se;
    z.is_finite().then_some(z)
}

/// How a stage's period conversion compares with its baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(as = FunnelVerdict)]
pub enum Verdict {
    /// Significantly lower than the baseline (`z < −2.58`).
    Worse,
    /// No significant difference (`|z| ≤ 2.58`).
    Steady,
    /// Significantly higher than the baseline (`z > 2.58`).
    Better,
}

impl Verdict {
    /// The name used in JSON, CSV and URLs (`worse`, `steady`, `better`).
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Worse => "worse",
            Verdict::Steady => "steady",
            Verdict::Better => "better",
        }
    }
}

/// The critical value of a two-sided test at 99 %.
pub const Z_CRITICAL: f64 = 2.58;

/// The verdict for a z statistic; `None` when the test was undefined.
///
/// For all three stages a higher conversion is better, so the sign of `z` alone decides;
/// exactly ±2.58 is not "more than" the threshold and stays `Steady`.
pub fn verdict(z: Option<f64>) -> Option<Verdict> {
    let z = z?;
    Some(if z > Z_CRITICAL {
        Verdict::Better
    } else if z < -Z_CRITICAL {
        Verdict::Worse
    } else {
        Verdict::Steady
    })
}

/// One row of the report's `funnel` list.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, utoipa::ToSchema)]
pub struct StageResult {
    /// The stage.
    pub stage: Stage,
    /// Its zone of responsibility.
    pub zone: Zone,
    /// The period's conversion in percent.
    pub conversion: Option<f64>,
    /// The baseline conversion in percent.
    pub baseline: Option<f64>,
    /// The pooled two-proportion z statistic, period against baseline.
    pub z: Option<f64>,
    /// The verdict from `z`.
    pub verdict: Option<Verdict>,
}

/// Evaluates a stage: conversions in percent, z statistic and verdict.
pub fn evaluate(stage: Stage, period: Proportion, baseline: Proportion) -> StageResult {
    let z = two_proportion_z(period, baseline);
    StageResult {
        stage,
        zone: stage.zone(),
        conversion: period.rate_pct(),
        baseline: baseline.rate_pct(),
        z,
        verdict: verdict(z),
    }
}

/// The baseline window of a report period: the 90 calendar days before its start,
/// `[start − 90 days, start − 1 day]`, both ends inclusive.
///
/// `period_start` is the report's `--from`, else the project's start date. Where this
/// window holds no data the caller falls back to [`first_days_window`].
pub fn baseline_window(period_start: NaiveDate) -> (NaiveDate, NaiveDate) {
    (period_start - Days::new(90), period_start - Days::new(1))
}

/// The fallback baseline window: the first 90 days of data,
/// `[first_data_day, first_data_day + 89 days]`, both ends inclusive.
pub fn first_days_window(first_data_day: NaiveDate) -> (NaiveDate, NaiveDate) {
    (first_data_day, first_data_day + Days::new(89))
}

#[cfg(test)]
mod tests;
