//! Goals (core rule 1): a goal as typed on a form or in an API body is validated here, and
//! only the client owner and the agency lead set, change and agree goals — each agreeing for
//! their own side.

use crate::access::ProjectAccess;
use crate::refusal::{AppError, AppResult, Refusal};
use chrono::NaiveDate;
use keel_domain::goals::catalog::parse_zone;
use keel_domain::goals::feasibility::improves;
use keel_domain::goals::{Metric, Target};
use keel_domain::metrics::funnel::Zone;
use keel_domain::{GoalId, Role};
use keel_store::Store;
use keel_store::goals::{AgreeSide, Goal, GoalInput};
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

fn bad(field: &str, reason: String) -> AppError {
    Refusal::invalid(field, reason).into()
}

fn date(field: &str, text: &str) -> AppResult<NaiveDate> {
    text.trim()
        .parse()
        .map_err(|_| bad(field, format!("`{text}` is not a date in the form YYYY-MM-DD")))
}

/// Validates `raw`; `today` is the default start. A relative target without an entered
/// baseline needs the project's own figures to measure it from.
pub async fn validate(store: &Store, project: &Project, raw: &RawGoal, today: NaiveDate) -> AppResult<GoalInput> {
    let metric: Metric = raw
        .metric
        .trim()
        .parse::<Metric>()
        .map_err(|e| bad("metric", e.to_string()))?;
    let target = raw
        .target
        .ok_or_else(|| bad("target", "give {\"absolute\": N} or {\"relative_pct\": P}".into()))?
        .validate_for(&metric.info())
        .map_err(|e| bad("target", e))?;
    let start = match raw.start.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => date("start", s)?,
        None => today,
    };
    let deadline = date("deadline", &raw.deadline)?;
    if deadline <= start {
        return Err(bad(
            "deadline",
            format!("{deadline} must be after the goal's start ({start})"),
        ));
    }
    let zone = match raw.zone.as_deref().map(str::trim).filter(|z| !z.is_empty()) {
        Some(z) => parse_zone(z).ok_or_else(|| bad("zone", format!("`{z}` is not one of agency, client")))?,
        None => metric.info().zone,
    };
    if zone == Zone::Agency && metric.is_sales() {
        return Err(bad(
            "zone",
            format!(
                "{metric} is a sales figure, which the client's sales team answers for; set zone `client` (core rule 6)"
            ),
        ));
    }
    if let Some(b) = raw.baseline
        && !b.is_finite()
    {
        return Err(bad("baseline", "must be a number".into()));
    }
    // The baseline the goal will be measured from: the entered figure, else the metric's
    // latest value on or before the start (as the goal's evaluation takes it).
    let baseline = match raw.baseline {
        Some(b) => Some(b),
        None => keel_report::metric_series::metric_series(store, project, metric)
            .await
            .map_err(AppError::Internal)?
            .latest_on_or_before(start)
            .map(|(_, v)| v),
    };
    if baseline.is_none() && matches!(target, Target::RelativePct(_)) {
        return Err(bad(
            "baseline",
            format!(
                "the project has no {metric} figures on or before {start} to measure a baseline from; \
                 import data first or enter `baseline`"
            ),
        ));
    }
    // A target the metric is already past is no goal: its progress would read backwards.
    if let (Some(b), Target::Absolute(v)) = (baseline, target)
        && !improves(metric.info().higher_is_better, b, v)
    {
        let way = if metric.info().higher_is_better {
            "above"
        } else {
            "below"
        };
        return Err(bad(
            "target",
            format!("{metric} is {} on {start}; a goal needs a target {way} it", round(b)),
        ));
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

/// A new goal set by `who`.
pub async fn create(store: &Store, who: &ProjectAccess, raw: &RawGoal, today: NaiveDate) -> AppResult<Goal> {
    let input = validate(store, &who.project, raw, today).await?;
    Ok(store
        .create_goal(who.project.org(), who.project.id(), &input, who.user.id())
        .await?)
}

/// An archived goal is history: it is not changed or agreed again.
async fn live(store: &Store, who: &ProjectAccess, id: GoalId) -> AppResult<Goal> {
    let goal = store.goal(who.project.id(), id).await?;
    if goal.archived_at.is_some() {
        return Err(bad("goal", "the goal is archived; set a new goal instead".into()));
    }
    Ok(goal)
}

/// Goal `id` of the project, changed by `who`.
pub async fn update(
    store: &Store,
    who: &ProjectAccess,
    id: GoalId,
    raw: &RawGoal,
    today: NaiveDate,
) -> AppResult<Goal> {
    live(store, who, id).await?;
    let input = validate(store, &who.project, raw, today).await?;
    Ok(store
        .update_goal(who.project.org(), who.project.id(), id, &input, who.user.id())
        .await?)
}

/// The sides `who` agrees for: a client owner for the client, an agency lead for the agency.
pub fn sides_of(who: &ProjectAccess) -> Vec<AgreeSide> {
    let mut sides = vec![];
    if who.access.roles.contains(Role::ClientOwner) {
        sides.push(AgreeSide::Client);
    }
    if who.access.roles.contains(Role::AgencyLead) {
        sides.push(AgreeSide::Agency);
    }
    sides
}

/// `who` agrees goal `id` for their side(s); whether the project became active.
pub async fn agree(store: &Store, who: &ProjectAccess, id: GoalId) -> AppResult<bool> {
    let sides = sides_of(who);
    if sides.is_empty() {
        return Err(Refusal::Forbidden.into());
    }
    live(store, who, id).await?;
    Ok(store
        .agree_goal(who.project.org(), who.project.id(), id, &sides, who.user.id())
        .await?)
}

/// A figure as people read it in a sentence: whole above 100, else two decimals.
fn round(v: f64) -> String {
    if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else {
        format!("{:.2}", v)
    }
}

/// Longest reason for archiving a goal, in characters.
pub const MAX_ARCHIVE_REASON: usize = 500;

/// `who` archives goal `id` (it no longer counts anywhere; its history stays on the record).
pub async fn archive(store: &Store, who: &ProjectAccess, id: GoalId, reason: &str) -> AppResult<Goal> {
    let reason = reason.trim();
    if reason.chars().count() > MAX_ARCHIVE_REASON {
        return Err(bad("reason", format!("is longer than {MAX_ARCHIVE_REASON} characters")));
    }
    Ok(store
        .archive_goal(who.project.org(), who.project.id(), id, reason, who.user.id())
        .await?)
}
