//! Team and meetings: the responsibility matrix, the meeting schedule with the next dates,
//! the agenda Keel drafts from the data, and recorded meetings with minutes, decisions
//! (append-only) and action items.

use crate::auth::ProjectCtx;
use crate::auth::csrf::CsrfForm;
use crate::form::Empty;
use crate::layout::Chrome;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use keel_domain::meeting::{AgendaItem, Recurrence, TEAM_AREAS};
use keel_domain::{Action, Decision, UserId, decide};
use keel_store::meetings::{ActionItem, MeetingInput, NewActionItem, Schedule, TeamAssignment};
use serde::Deserialize;

pub struct AreaRow {
    pub area: &'static str,
    pub key: String,
    pub side: String,
    pub user_id: i64,
    pub who: String,
    pub note: String,
}

pub struct MeetingView {
    pub id: i64,
    pub when: String,
    pub title: String,
    pub agenda: String,
    pub minutes: String,
    pub held: bool,
    pub decisions: Vec<(String, String)>,
    pub items: Vec<ItemView>,
}

pub struct ItemView {
    pub id: i64,
    pub text: String,
    pub owner: String,
    pub due: String,
    pub done: bool,
    pub overdue: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "meetings.html")]
pub struct MeetingsPage {
    chrome: Chrome,
    slug: String,
    name: String,
    tab: &'static str,
    areas: Vec<AreaRow>,
    people: Vec<(i64, String)>,
    schedule: Option<Schedule>,
    next: Vec<String>,
    agenda: Vec<AgendaItem>,
    agenda_text: String,
    meetings: Vec<MeetingView>,
    can_manage: bool,
    now: String,
}

fn item_view(i: &ActionItem, today: NaiveDate) -> ItemView {
    ItemView {
        id: i.id,
        text: i.text.clone(),
        owner: i.owner_name.clone().unwrap_or_default(),
        due: i.due_on.to_string(),
        done: i.done_at.is_some(),
        overdue: i.overdue(today),
    }
}

pub async fn page(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(ctx): Extension<ProjectCtx>,
) -> Result<MeetingsPage, WebError> {
    let project = ctx.project.id();
    let now = Utc::now();
    let today = now.date_naive();
    let matrix = state.store.team_matrix(project).await?;
    let mut people: Vec<(i64, String)> = state
        .store
        .members_of(project)
        .await?
        .into_iter()
        .map(|m| (m.user_id, m.display_name))
        .collect();
    people.dedup_by_key(|p| p.0);
    let areas = TEAM_AREAS
        .into_iter()
        .map(|area| {
            let row = matrix.iter().find(|r| r.area == area);
            AreaRow {
                area,
                key: format!("team.{area}"),
                side: row.map(|r| r.side.clone()).unwrap_or_default(),
                user_id: row.and_then(|r| r.user_id).unwrap_or(0),
                who: row.and_then(|r| r.user_name.clone()).unwrap_or_default(),
                note: row.map(|r| r.note.clone()).unwrap_or_default(),
            }
        })
        .collect();
    let schedule = state.store.meeting_schedule(project).await?;
    let next = state
        .store
        .meeting_calendar(project, now, now + Duration::days(62))
        .await?
        .into_iter()
        .take(4)
        .map(|e| e.start.format("%Y-%m-%d %H:%M UTC").to_string())
        .collect();
    let facts = crate::health::facts::gather(&state.store, &ctx.project, today)
        .await
        .map_err(WebError::Internal)?;
    let agenda = facts.agenda();
    let agenda_text = agenda
        .iter()
        .map(|a| format!("• {}: {}", chrome.t.get(&format!("agenda.{}", a.kind)), a.text))
        .collect::<Vec<_>>()
        .join("\n");
    let items = state.store.action_items(project).await?;
    let mut meetings = vec![];
    for m in state.store.meetings(project).await? {
        meetings.push(MeetingView {
            decisions: state
                .store
                .decisions(project, m.id)
                .await?
                .into_iter()
                .map(|(text, who, at)| (text, format!("{who}, {}", at.format("%Y-%m-%d"))))
                .collect(),
            items: items
                .iter()
                .filter(|i| i.meeting_id == m.id)
                .map(|i| item_view(i, today))
                .collect(),
            id: m.id.0,
            when: m.starts_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            title: m.title,
            agenda: m.agenda,
            minutes: m.minutes,
            held: m.held,
        });
    }
    Ok(MeetingsPage {
        slug: ctx.project.slug.clone(),
        name: ctx.project.name.clone(),
        tab: "meetings",
        areas,
        people,
        schedule,
        next,
        agenda,
        agenda_text,
        meetings,
        can_manage: decide(ctx.access, Action::ManageMeetings) == Decision::Allow,
        now: now.format("%Y-%m-%dT%H:%M").to_string(),
        chrome,
    })
}

fn back(ctx: &ProjectCtx) -> Response {
    Redirect::to(&format!("/projects/{}/meetings", ctx.project.slug)).into_response()
}

fn bad(msg: impl Into<String>) -> WebError {
    WebError::BadRequest(msg.into())
}

/// A `datetime-local` value (`YYYY-MM-DDTHH:MM`), taken as UTC.
fn instant(field: &str, text: &str) -> Result<DateTime<Utc>, WebError> {
    NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%dT%H:%M")
        .map(|t| t.and_utc())
        .map_err(|_| {
            bad(format!(
                "field `{field}`: `{text}` is not a date and time (YYYY-MM-DDTHH:MM)"
            ))
        })
}

fn required<'a>(field: &str, text: &'a str, max: usize) -> Result<&'a str, WebError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(bad(format!("field `{field}` is required")));
    }
    if t.chars().count() > max {
        return Err(bad(format!("field `{field}` is longer than {max} characters")));
    }
    Ok(t)
}

#[derive(Deserialize)]
pub struct AreaForm {
    area: String,
    side: String,
    #[serde(default)]
    user_id: String,
    #[serde(default)]
    note: String,
}

pub async fn set_area(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    CsrfForm(form): CsrfForm<AreaForm>,
) -> Result<Response, WebError> {
    let area = TEAM_AREAS.into_iter().find(|a| *a == form.area).ok_or_else(|| {
        bad(format!(
            "field `area`: `{}` is not one of {}",
            form.area,
            TEAM_AREAS.join(", ")
        ))
    })?;
    if !matches!(form.side.as_str(), "agency" | "client") {
        return Err(bad("field `side`: choose agency or client"));
    }
    let user = match form.user_id.trim() {
        "" | "0" => None,
        id => Some(UserId(id.parse().map_err(|_| bad("field `user_id`: not a person"))?)),
    };
    let note = form.note.trim();
    if note.chars().count() > 200 {
        return Err(bad("field `note` is longer than 200 characters"));
    }
    let assignment = TeamAssignment {
        area,
        side: &form.side,
        user,
        note,
    };
    state
        .store
        .set_team_area(ctx.project.org(), ctx.project.id(), &assignment, ctx.user.id())
        .await?;
    Ok(back(&ctx))
}

#[derive(Deserialize)]
pub struct ScheduleForm {
    title: String,
    first_at: String,
    recurrence: String,
    duration_minutes: String,
    #[serde(default)]
    link: String,
}

pub async fn set_schedule(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    CsrfForm(form): CsrfForm<ScheduleForm>,
) -> Result<Response, WebError> {
    let title = required("title", &form.title, 120)?;
    let first_at = instant("first_at", &form.first_at)?;
    let recurrence: Recurrence = form
        .recurrence
        .parse()
        .map_err(|e| bad(format!("field `recurrence`: {e}")))?;
    let duration: i64 = form
        .duration_minutes
        .trim()
        .parse()
        .ok()
        .filter(|d| (5..=600).contains(d))
        .ok_or_else(|| bad("field `duration_minutes`: a whole number of minutes from 5 to 600"))?;
    let link = form.link.trim();
    if !(link.is_empty() || link.starts_with("https://") || link.starts_with("http://")) {
        return Err(bad("field `link`: a web address starting with https://"));
    }
    let schedule = Schedule {
        title: title.to_owned(),
        first_at,
        recurrence: recurrence.as_str().to_owned(),
        duration_minutes: duration,
        link: link.to_owned(),
    };
    state
        .store
        .set_meeting_schedule(ctx.project.org(), ctx.project.id(), &schedule, ctx.user.id())
        .await?;
    Ok(back(&ctx))
}

#[derive(Deserialize)]
pub struct MeetingForm {
    starts_at: String,
    title: String,
    #[serde(default)]
    agenda: String,
    #[serde(default)]
    minutes: String,
    #[serde(default)]
    held: Option<String>,
}

pub async fn record(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    CsrfForm(form): CsrfForm<MeetingForm>,
) -> Result<Response, WebError> {
    let input = MeetingInput {
        starts_at: instant("starts_at", &form.starts_at)?,
        title: required("title", &form.title, 120)?.to_owned(),
        agenda: form.agenda.trim().to_owned(),
        minutes: form.minutes.trim().to_owned(),
        held: form.held.is_some(),
    };
    state
        .store
        .record_meeting(ctx.project.org(), ctx.project.id(), &input, ctx.user.id())
        .await?;
    Ok(back(&ctx))
}

#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    text: String,
}

pub async fn decide_(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    Path((_, meeting)): Path<(String, i64)>,
    CsrfForm(form): CsrfForm<DecisionForm>,
) -> Result<Response, WebError> {
    state
        .store
        .meeting(ctx.project.id(), keel_domain::MeetingId(meeting))
        .await?;
    let text = required("text", &form.text, 1000)?;
    state
        .store
        .add_decision(
            ctx.project.org(),
            ctx.project.id(),
            keel_domain::MeetingId(meeting),
            text,
            ctx.user.id(),
        )
        .await?;
    Ok(back(&ctx))
}

#[derive(Deserialize)]
pub struct ItemForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    owner_id: String,
    #[serde(default)]
    due_on: String,
}

pub async fn add_item(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    Path((_, meeting)): Path<(String, i64)>,
    CsrfForm(form): CsrfForm<ItemForm>,
) -> Result<Response, WebError> {
    state
        .store
        .meeting(ctx.project.id(), keel_domain::MeetingId(meeting))
        .await?;
    let text = required("text", &form.text, 500)?;
    let due_on: NaiveDate = form
        .due_on
        .trim()
        .parse()
        .map_err(|_| bad("field `due_on`: a date (YYYY-MM-DD)"))?;
    let owner = match form.owner_id.trim() {
        "" | "0" => None,
        id => Some(UserId(id.parse().map_err(|_| bad("field `owner_id`: not a person"))?)),
    };
    let item = NewActionItem {
        meeting: keel_domain::MeetingId(meeting),
        text,
        owner,
        due_on,
    };
    state
        .store
        .add_action_item(ctx.project.org(), ctx.project.id(), &item, ctx.user.id())
        .await?;
    Ok(back(&ctx))
}

pub async fn complete_item(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    Path((_, id)): Path<(String, i64)>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    state
        .store
        .complete_action_item(ctx.project.org(), ctx.project.id(), id, ctx.user.id())
        .await?;
    Ok(back(&ctx))
}
