//! A project's Reports page (`/projects/{slug}/reports`, under Results): the report for the
//! client over a period as PDF and XLSX, its share links (made and revoked by whoever may
//! manage reports), the delivery schedule, the project's time zone and the agency's brand.

use crate::analytics::page::PeriodParams;
use crate::auth::ProjectCtx;
use crate::auth::csrf::CsrfForm;
use crate::calendar_feeds::page::base_url;
use crate::charts::format::Fmt;
use crate::layout::Chrome;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use keel_domain::{Action, Decision, Lang, decide};
use serde::Deserialize;

pub struct LinkRow {
    pub id: i64,
    pub period: String,
    pub lang: String,
    pub until: String,
    /// `reports.share.live`, `…revoked` or `…expired`.
    pub state_key: &'static str,
    pub live: bool,
    pub opened: i64,
}

pub struct ScheduleView {
    pub monthly: bool,
    pub day_of: i32,
    pub at: String,
    pub lang: String,
    pub recipients: Vec<i64>,
    pub next: String,
    pub last: Option<String>,
    pub error: Option<String>,
}

pub struct Person {
    pub id: i64,
    pub name: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "reports.html")]
pub struct ReportsPage {
    chrome: Chrome,
    slug: String,
    name: String,
    tab: &'static str,
    from: String,
    to: String,
    query: String,
    can_manage: bool,
    links: Vec<LinkRow>,
    new_link: Option<String>,
    schedule: Option<ScheduleView>,
    people: Vec<Person>,
    time_zone: String,
    brand_name: String,
    brand_accent: String,
    has_logo: bool,
    is_admin: bool,
    notice_key: Option<&'static str>,
    error: Option<String>,
}

/// Last month (from the first of the month before today to its last day), the usual report.
fn last_month(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    use chrono::Datelike;
    let first = today.with_day(1).unwrap_or(today);
    let before = first.pred_opt().unwrap_or(first);
    (before.with_day(1).unwrap_or(before), before)
}

pub(crate) async fn render(
    state: &AppState,
    chrome: Chrome,
    ctx: &ProjectCtx,
    period: (String, String),
    new_link: Option<String>,
    notice_key: Option<&'static str>,
    error: Option<String>,
) -> Result<ReportsPage, WebError> {
    let lang = chrome.t.0;
    let f = Fmt(lang);
    let now = chrono::Utc::now();
    let date = |d: Option<NaiveDate>| d.map_or_else(|| "…".to_owned(), |d| f.date(d));
    let links = state
        .store
        .report_links_of(ctx.project.id())
        .await?
        .into_iter()
        .take(30)
        .map(|l| LinkRow {
            id: l.id,
            period: format!("{} – {}", date(l.period_from), date(l.period_to)),
            lang: l.lang.clone(),
            until: f.date(l.expires_at.date_naive()),
            state_key: if l.revoked_at.is_some() {
                "reports.share.revoked"
            } else if l.live(now) {
                "reports.share.live"
            } else {
                "reports.share.expired"
            },
            live: l.live(now),
            opened: l.opened,
        })
        .collect();
    let tz = keel_domain::report_schedule::parse_zone(&ctx.project.time_zone).unwrap_or(chrono_tz::UTC);
    let local = |at: chrono::DateTime<chrono::Utc>| {
        let l = at.with_timezone(&tz);
        format!("{}, {}", f.date(l.date_naive()), l.format("%H:%M"))
    };
    let schedule = state
        .store
        .report_schedule(ctx.project.id())
        .await?
        .map(|s| ScheduleView {
            monthly: s.cadence == "monthly",
            day_of: s.day_of,
            at: s.at_time.clone(),
            lang: s.lang.clone(),
            recipients: s.recipient_ids(),
            next: local(s.next_run_at),
            last: s.last_sent_at.map(local),
            error: s.last_error.clone(),
        });
    let people = state
        .store
        .members_of(ctx.project.id())
        .await?
        .into_iter()
        .map(|m| Person {
            id: m.user_id,
            name: m.display_name,
        })
        .collect();
    let org = state.store.org_by_id(ctx.project.org()).await?;
    let brand = state.store.org_brand(ctx.project.org()).await?;
    let (from, to) = period;
    let query = format!("?from={from}&to={to}");
    Ok(ReportsPage {
        slug: ctx.project.slug.clone(),
        name: ctx.project.name.clone(),
        tab: "reports",
        from,
        to,
        query,
        can_manage: decide(ctx.access, Action::ManageReports) == Decision::Allow,
        links,
        new_link,
        schedule,
        people,
        time_zone: ctx.project.time_zone.clone(),
        brand_name: org.name,
        brand_accent: brand.accent,
        has_logo: brand.logo.is_some(),
        is_admin: ctx.access.org_admin,
        notice_key,
        error,
        chrome,
    })
}

#[derive(Deserialize)]
pub struct Notice {
    done: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

/// The period asked for, else the last full month in the project's time zone.
fn period_of(project: &keel_store::projects::Project, from: Option<String>, to: Option<String>) -> (String, String) {
    let (f, t) = last_month(keel_report::scope::zone_of(project).today());
    (
        from.filter(|s| !s.trim().is_empty()).unwrap_or_else(|| f.to_string()),
        to.filter(|s| !s.trim().is_empty()).unwrap_or_else(|| t.to_string()),
    )
}

/// `GET /projects/{slug}/reports`.
pub async fn page(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(ctx): Extension<ProjectCtx>,
    Query(q): Query<Notice>,
) -> Result<ReportsPage, WebError> {
    let notice_key = match q.done.as_deref() {
        Some("revoked") => Some("reports.share.revoked"),
        Some("schedule") => Some("reports.schedule.saved"),
        _ => None,
    };
    render(
        &state,
        chrome,
        &ctx,
        period_of(&ctx.project, q.from, q.to),
        None,
        notice_key,
        None,
    )
    .await
}

#[derive(Deserialize)]
pub struct LinkForm {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    days: String,
    #[serde(default)]
    lang: String,
}

/// `POST /projects/{slug}/reports/links`: a share link, shown once (rendered, not redirected
/// to, so the token stays out of history).
pub async fn create_link(
    State(state): State<AppState>,
    chrome: Chrome,
    headers: HeaderMap,
    Extension(ctx): Extension<ProjectCtx>,
    CsrfForm(form): CsrfForm<LinkForm>,
) -> Result<Response, WebError> {
    let t = chrome.t;
    let period = (form.from.clone(), form.to.clone());
    let params: PeriodParams = serde_urlencoded::from_str(
        &serde_urlencoded::to_string([("from", form.from.as_str()), ("to", form.to.as_str())]).unwrap_or_default(),
    )
    .unwrap_or_default();
    let checked = match params.parse(t) {
        Err(crate::analytics::page::BadPeriod(m)) => Err(m),
        Ok(dates) => match form.days.trim() {
            "" => Ok((dates, None)),
            d => match d.parse::<i64>() {
                Ok(n) if (1..=365).contains(&n) => Ok((dates, Some(n))),
                _ => Err(format!("{}: 1–365", t.get("reports.share.days"))),
            },
        },
    };
    let (dates, days) = match checked {
        Ok(c) => c,
        Err(message) => {
            let page = render(&state, chrome, &ctx, period, None, None, Some(message)).await?;
            return Ok((StatusCode::BAD_REQUEST, page).into_response());
        }
    };
    let lang = Lang::parse(&form.lang).unwrap_or(t.0);
    let (_, token) = super::share::make(&state, &ctx, dates, days, lang).await?;
    let url = super::share::link_url(&base_url(&state, &headers), &token);
    let page = render(
        &state,
        chrome,
        &ctx,
        period,
        Some(url),
        Some("reports.share.made"),
        None,
    )
    .await?;
    Ok(page.into_response())
}

#[derive(Deserialize)]
pub struct RevokeForm {
    link_id: i64,
}

/// `POST /projects/{slug}/reports/links/revoke`.
pub async fn revoke_link(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    CsrfForm(form): CsrfForm<RevokeForm>,
) -> Result<Response, WebError> {
    if !state
        .store
        .revoke_report_link(ctx.project.org(), ctx.project.id(), form.link_id, ctx.user.id())
        .await?
    {
        return Err(WebError::NotFound);
    }
    Ok(Redirect::to(&format!("/projects/{}/reports?done=revoked", ctx.project.slug)).into_response())
}

/// The schedule form: the recipients come as repeated `recipient` fields, which a
/// `Deserialize` struct cannot take from a urlencoded body, so the raw pairs are read.
#[derive(Deserialize)]
#[serde(transparent)]
pub struct ScheduleForm(Vec<(String, String)>);

/// `POST /projects/{slug}/reports/schedule`: the delivery schedule and the project's time zone.
pub async fn set_schedule(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(ctx): Extension<ProjectCtx>,
    CsrfForm(ScheduleForm(pairs)): CsrfForm<ScheduleForm>,
) -> Result<Response, WebError> {
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    let recipients: Vec<i64> = pairs
        .iter()
        .filter(|(k, _)| k == "recipient")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let zone = field("time_zone");
    let t = chrome.t;
    let period = period_of(&ctx.project, None, None);
    if keel_domain::report_schedule::parse_zone(&zone).is_none() {
        let page = render(
            &state,
            chrome,
            &ctx,
            period,
            None,
            None,
            Some(format!(
                "{}: “{zone}” — Europe/Moscow, America/New_York…",
                t.get("reports.time_zone")
            )),
        )
        .await?;
        return Ok((StatusCode::BAD_REQUEST, page).into_response());
    }
    let mut project = (*ctx.project).clone();
    if zone != project.time_zone {
        state.store.set_project_time_zone(project.id(), &zone).await?;
        project.time_zone = zone;
    }
    let input = super::schedule::ScheduleInput {
        cadence: field("cadence"),
        day_of: field("day_of").parse().unwrap_or(0),
        at: field("at"),
        lang: Lang::parse(&field("lang")).unwrap_or(chrome.t.0),
        recipients,
    };
    match super::schedule::set(&state.store, &project, ctx.user.id(), &input, chrono::Utc::now()).await? {
        Ok(_) => Ok(Redirect::to(&format!("/projects/{}/reports?done=schedule", project.slug)).into_response()),
        Err(refusal) => {
            let message = refusal.text(chrome.t.0).to_owned();
            let page = render(&state, chrome, &ctx, period, None, None, Some(message)).await?;
            Ok((StatusCode::BAD_REQUEST, page).into_response())
        }
    }
}
