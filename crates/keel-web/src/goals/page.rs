//! The goals page: each goal with progress, feasibility and a chart of its metric with the
//! target and the forecast; KPI presets to pick from; agreement by each side.

use crate::auth::ProjectCtx;
use crate::auth::csrf::CsrfForm;
use crate::charts::Chart;
use crate::charts::format::Fmt;
use crate::charts::line::{Line, LineChart, line_chart};
use crate::form::{Empty, number};
use crate::i18n::Arg;
use crate::layout::Chrome;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use keel_app::goals::RawGoal;
use keel_domain::goals::{GoalType, Metric, Target};
use keel_domain::{Action, Decision, decide};
use keel_report::goals::{GoalEvaluation, evaluate_goals};
use serde::Deserialize;

pub struct GoalCard {
    pub id: i64,
    pub metric: &'static str,
    pub metric_key: String,
    pub anchor: &'static str,
    pub zone: String,
    pub target: String,
    pub start: String,
    pub deadline: String,
    pub baseline: String,
    pub current: String,
    pub progress: String,
    /// 0–100 for the bar.
    pub progress_bar: f64,
    /// The feasibility check in a sentence: the pace needed against the best in the history.
    pub rates: String,
    pub verdict: &'static str,
    pub forecast: String,
    pub on_track: Option<bool>,
    pub vanity: bool,
    pub agreed_client: String,
    pub agreed_agency: String,
    pub agreed: bool,
    pub chart: Chart,
    /// The goal as entered, to prefill the change form.
    pub form: GoalFormValues,
}

/// A goal's fields as the form shows them.
pub struct GoalFormValues {
    pub target_kind: &'static str,
    pub target_value: String,
    pub start: String,
    pub deadline: String,
    pub baseline: String,
}

pub struct PresetGroup {
    pub key: String,
    pub metrics: Vec<(&'static str, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "goals.html")]
pub struct GoalsPage {
    chrome: Chrome,
    slug: String,
    name: String,
    tab: &'static str,
    goals: Vec<GoalCard>,
    can_manage: bool,
    can_agree: bool,
    presets: Vec<PresetGroup>,
    catalog: Vec<(&'static str, String, &'static str, &'static str, bool)>,
    today: String,
    error: Option<String>,
    status: String,
    /// Archived goals: (metric key, target, period, archived on).
    archived: Vec<(String, String, String, String)>,
}

/// Today in the project's time zone.
fn today(ctx: &ProjectCtx) -> chrono::NaiveDate {
    keel_report::scope::zone_of(&ctx.project).today()
}

pub async fn page(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(ctx): Extension<ProjectCtx>,
) -> Result<GoalsPage, WebError> {
    render(&state, chrome, &ctx, None).await
}

async fn render(
    state: &AppState,
    chrome: Chrome,
    ctx: &ProjectCtx,
    error: Option<String>,
) -> Result<GoalsPage, WebError> {
    let evaluations = evaluate_goals(&state.store, &ctx.project, today(ctx))
        .await
        .map_err(WebError::Internal)?;
    let f = Fmt(chrome.t.0);
    let goals = evaluations.iter().filter_map(|e| card(e, &chrome, f)).collect();
    let can_manage = decide(ctx.access, Action::ManageGoals) == Decision::Allow;
    let project = state.store.project_by_id(ctx.project.id()).await?;
    let archived = state
        .store
        .archived_goals_of(ctx.project.id())
        .await?
        .into_iter()
        .map(|g| {
            let target = match g.target() {
                Target::Absolute(v) => f.dec(v, 2),
                Target::RelativePct(p) => f.signed_pct(p, 1),
            };
            (
                format!("metric.{}", g.metric),
                target,
                format!("{} – {}", f.date(g.start_on), f.date(g.deadline)),
                g.archived_at.map(|a| f.date(a.date_naive())).unwrap_or_default(),
            )
        })
        .collect();
    Ok(GoalsPage {
        archived,
        slug: ctx.project.slug.clone(),
        name: ctx.project.name.clone(),
        tab: "goals",
        goals,
        can_manage,
        can_agree: can_manage && !super::api::sides_of(ctx).is_empty(),
        presets: GoalType::ALL
            .into_iter()
            .map(|t| PresetGroup {
                key: format!("goals.type.{}", t.as_str()),
                metrics: t
                    .preset()
                    .iter()
                    .map(|m| (m.as_str(), format!("metric.{}", m.as_str())))
                    .collect(),
            })
            .collect(),
        catalog: Metric::ALL
            .into_iter()
            .map(|m| {
                let i = m.info();
                (
                    i.name,
                    format!("metric.{}", i.name),
                    i.zone.as_str(),
                    i.anchor,
                    i.vanity,
                )
            })
            .collect(),
        today: today(ctx).to_string(),
        error,
        status: project.status.as_str().to_owned(),
        chrome,
    })
}

fn card(e: &GoalEvaluation, chrome: &Chrome, f: Fmt) -> Option<GoalCard> {
    let r = &e.row;
    let metric: Metric = r.metric.parse().ok()?;
    let info = metric.info();
    let value = |v: f64| match info.unit {
        "percent" => f.pct(v, 2),
        "money" => f.dec(v, 2),
        _ => f.int(v.round() as i64),
    };
    let opt = |v: Option<f64>| v.map(value).unwrap_or_else(|| "—".into());
    // A rate per day is often a small fraction of the metric's unit (ER moves by hundredths of
    // a point a day): three significant digits, its sign, and percentage points for percents.
    let rate = |v: f64| {
        let places = if v == 0.0 {
            0
        } else {
            (2 - v.abs().log10().floor() as i64).clamp(0, 5) as usize
        };
        let number = f.dec(v, if info.unit == "count" { places.min(1) } else { places });
        let signed = if v > 0.0 { format!("+{number}") } else { number };
        match (info.unit, chrome.t.0) {
            ("percent", keel_domain::Lang::En) => format!("{signed} pp"),
            ("percent", keel_domain::Lang::Ru) => format!("{signed}\u{a0}п.\u{a0}п."),
            _ => signed,
        }
    };
    let target = match r.target {
        Target::Absolute(v) => value(v),
        Target::RelativePct(p) => format!("{} ({})", f.signed_pct(p, 1), opt(r.target_value)),
    };
    let mut lines = vec![Line {
        name: chrome.t.get(&format!("metric.{}", r.metric)).to_owned(),
        points: e.values.clone(),
    }];
    if let Some(t) = r.target_value {
        lines.push(Line {
            name: chrome.t.get("goals.target").to_owned(),
            points: vec![(r.start, t), (r.deadline, t)],
        });
    }
    if let Some(fc) = r.forecast {
        let days = (r.deadline - fc.fitted_to).num_days() as f64;
        lines.push(Line {
            name: chrome.t.get("goals.forecast").to_owned(),
            points: vec![
                (fc.fitted_to, fc.value_at_deadline - fc.slope_per_day * days),
                (r.deadline, fc.value_at_deadline),
            ],
        });
    }
    let chart = line_chart(&LineChart {
        title: chrome.t.get(&format!("metric.{}", r.metric)),
        lines,
        markers: vec![],
        y_label: &value,
        from_zero: info.unit != "count",
        fmt: f,
        empty: chrome.t.get("goals.chart.empty"),
    });
    let feasibility = r.feasibility.map(|x| x.check);
    Some(GoalCard {
        id: r.id,
        metric: info.name,
        metric_key: format!("metric.{}", info.name),
        anchor: info.anchor,
        zone: r.zone.clone(),
        target,
        start: f.date(r.start),
        deadline: f.date(r.deadline),
        baseline: opt(r.baseline),
        current: opt(r.current),
        progress: r.progress_pct.map(|p| f.pct(p, 1)).unwrap_or_else(|| "—".into()),
        progress_bar: r.progress_pct.unwrap_or(0.0).clamp(0.0, 100.0),
        rates: feasibility
            .map(|x| {
                let args = [
                    ("required", Arg::Text(rate(x.required_rate))),
                    ("days", Arg::Int(x.window_days)),
                    (
                        "best",
                        Arg::Text(x.best_historical_rate.map(rate).unwrap_or_else(|| "—".into())),
                    ),
                ];
                match x.best_historical_rate {
                    Some(_) => chrome.t.with("goals.rates", &args),
                    None => chrome.t.with("goals.rates.no_history", &args),
                }
            })
            .unwrap_or_default(),
        verdict: feasibility.map(|x| x.verdict.as_str()).unwrap_or(""),
        forecast: opt(r.forecast.map(|x| x.value_at_deadline)),
        on_track: r.forecast.map(|x| x.on_track),
        vanity: r.vanity,
        agreed_client: r.agreed_by_client.clone().unwrap_or_default(),
        agreed_agency: r.agreed_by_agency.clone().unwrap_or_default(),
        agreed: r.agreed,
        chart,
        form: GoalFormValues {
            target_kind: match r.target {
                Target::Absolute(_) => "absolute",
                Target::RelativePct(_) => "relative_pct",
            },
            target_value: match r.target {
                Target::Absolute(v) | Target::RelativePct(v) => v.to_string(),
            },
            start: r.start.to_string(),
            deadline: r.deadline.to_string(),
            baseline: match r.baseline_source {
                "entered" => r.baseline.map(|b| b.to_string()).unwrap_or_default(),
                _ => String::new(),
            },
        },
    })
}

#[derive(Deserialize)]
pub struct GoalForm {
    metric: String,
    target_kind: String,
    target_value: String,
    #[serde(default)]
    start: String,
    deadline: String,
    #[serde(default)]
    zone: String,
    #[serde(default)]
    baseline: String,
}

pub async fn create(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(ctx): Extension<ProjectCtx>,
    CsrfForm(form): CsrfForm<GoalForm>,
) -> Result<Response, WebError> {
    let saved = match form.raw() {
        Ok(raw) => keel_app::goals::create(&state.store, &ctx, &raw, today(&ctx))
            .await
            .map(|_| ()),
        Err(refusal) => Err(refusal.into()),
    };
    answer(&state, chrome, &ctx, saved, "flash.goal_set").await
}

/// Changes a goal; both sides' agreement is cleared (they agreed to the old terms).
pub async fn update(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(ctx): Extension<ProjectCtx>,
    Path((_, id)): Path<(String, i64)>,
    CsrfForm(form): CsrfForm<GoalForm>,
) -> Result<Response, WebError> {
    let id = keel_domain::GoalId(id);
    let saved = match form.raw() {
        Ok(raw) => keel_app::goals::update(&state.store, &ctx, id, &raw, today(&ctx))
            .await
            .map(|_| ()),
        Err(refusal) => Err(refusal.into()),
    };
    answer(&state, chrome, &ctx, saved, "flash.goal_changed").await
}

/// Back to the goals page, or the page again with the invalid field said in the reader's
/// language.
async fn answer(
    state: &AppState,
    chrome: Chrome,
    ctx: &ProjectCtx,
    saved: keel_app::AppResult<()>,
    done: &'static str,
) -> Result<Response, WebError> {
    match saved {
        Ok(()) => Ok(crate::flash::redirect(
            &format!("/projects/{}/goals", ctx.project.slug),
            done,
        )),
        Err(keel_app::AppError::Refused(r @ keel_app::Refusal::Invalid { .. })) => {
            let message = r.text(chrome.t.0);
            Ok((
                StatusCode::BAD_REQUEST,
                render(state, chrome, ctx, Some(message)).await?,
            )
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

impl GoalForm {
    /// The goal as typed, its numbers read the way people type them (`1 234,5`).
    fn raw(&self) -> Result<RawGoal, keel_app::Refusal> {
        let typed = |field: &str, text: &str| {
            number(field, text).map_err(|_| keel_app::Refusal::invalid(field, format!("`{text}` is not a number")))
        };
        let value = typed("target", &self.target_value)?
            .ok_or_else(|| keel_app::Refusal::invalid("target", "enter a number"))?;
        let target = match self.target_kind.as_str() {
            "relative_pct" => Target::RelativePct(value),
            _ => Target::Absolute(value),
        };
        Ok(RawGoal {
            metric: self.metric.clone(),
            target: Some(target),
            start: Some(self.start.clone()),
            deadline: self.deadline.clone(),
            zone: Some(self.zone.clone()),
            baseline: typed("baseline", &self.baseline)?,
        })
    }
}

pub async fn agree(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    Path((_, id)): Path<(String, i64)>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    keel_app::goals::agree(&state.store, &ctx, keel_domain::GoalId(id)).await?;
    Ok(crate::flash::redirect(
        &format!("/projects/{}/goals", ctx.project.slug),
        "flash.goal_agreed",
    ))
}

#[derive(Deserialize)]
pub struct ArchiveForm {
    #[serde(default)]
    reason: String,
}

/// Archives a goal from its card; a refusal comes back on the page in the reader's language.
pub async fn archive(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(ctx): Extension<ProjectCtx>,
    Path((_, id)): Path<(String, i64)>,
    CsrfForm(form): CsrfForm<ArchiveForm>,
) -> Result<Response, WebError> {
    let archived = keel_app::goals::archive(&state.store, &ctx, keel_domain::GoalId(id), &form.reason).await;
    answer(&state, chrome, &ctx, archived.map(|_| ()), "flash.goal_archived").await
}
