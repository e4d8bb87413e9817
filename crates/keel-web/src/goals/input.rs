//! Turning a goal as typed (API body or form) into a validated [`GoalInput`], shared by the
//! API and the goals page so both refuse the same things with the same words.

use crate::WebError;
use chrono::NaiveDate;
use keel_domain::goals::catalog::parse_zone;
use keel_domain::goals::{Metric, Target};
use keel_domain::metrics::funnel::Zone;
use keel_store::Store;
use keel_store::goals::GoalInput;
use keel_store::projects::Project;

/// A goal as typed: every field still text or a raw number.
#[derive(Debug, Clone, Default)]
pub struct RawGoal {
    pub metric: String,
    pub target: Option<Target>,
    pub start: Option<String>,
    pub deadline: String,
    pub zone: Option<String>,
    pub baseline: Option<f64>,
}

fn bad(msg: String) -> WebError {
    WebError::BadRequest(msg)
}

fn date(field: &str, text: &str) -> Result<NaiveDate, WebError> {
    text.trim().parse().map_err(|_| {
        bad(format!(
            "field `{field}`: `{text}` is not a date in the form YYYY-MM-DD"
        ))
    })
}

/// Validates `raw`; `today` is the default start.
pub async fn validate(
    store: &Store,
    project: &Project,
    raw: &RawGoal,
    today: NaiveDate,
) -> Result<GoalInput, WebError> {
    let metric: Metric = raw
        .metric
        .trim()
        .parse()
        .map_err(|e| bad(format!("field `metric`: {e}")))?;
    let target = raw
        .target
        .ok_or_else(|| bad("field `target`: give {\"absolute\": N} or {\"relative_pct\": P}".into()))?
        .validate()
        .map_err(|e| bad(format!("field `target`: {e}")))?;
    let start = match raw.start.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => date("start", s)?,
        None => today,
    };
    let deadline = date("deadline", &raw.deadline)?;
    if deadline <= start {
        return Err(bad(format!(
            "field `deadline`: {deadline} must be after the goal's start ({start})"
        )));
    }
    let zone = match raw.zone.as_deref().map(str::trim).filter(|z| !z.is_empty()) {
        Some(z) => parse_zone(z).ok_or_else(|| bad(format!("field `zone`: `{z}` is not one of agency, client")))?,
        None => metric.info().zone,
    };
    if zone == Zone::Agency && metric.is_sales() {
        return Err(bad(format!(
            "field `zone`: {metric} is a sales figure, which the client's sales team answers for; set zone `client` (core rule 6)"
        )));
    }
    if let Some(b) = raw.baseline
        && !b.is_finite()
    {
        return Err(bad("field `baseline`: must be a number".into()));
    }
    if raw.baseline.is_none() && matches!(target, Target::RelativePct(_)) {
        let series = keel_report::metric_series::metric_series(store, project.id, metric)
            .await
            .map_err(WebError::Internal)?;
        if series.latest_on_or_before(start).is_none() {
            return Err(bad(format!(
                "field `baseline`: the project has no {metric} figures on or before {start} to measure a baseline from; \
                 import data first or enter `baseline`"
            )));
        }
    }
    Ok(GoalInput {
        metric,
        target,
        start_on: start,
        deadline,
        zone: zone.as_str(),
        baseline_entered: raw.baseline,
    })
}
