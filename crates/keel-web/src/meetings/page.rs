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
use axum::response::Response;
use chrono::{Duration, NaiveDate, Utc};
use keel_app::meetings;
use keel_domain::meeting::{AgendaItem, TEAM_AREAS};
use keel_domain::{Action, Decision, MeetingId, decide};
use keel_store::meetings::{ActionItem, Schedule};
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

/// Words of an agenda point in the reader's language.
fn say(t: crate::i18n::Tr, words: &[keel_domain::words::Word]) -> String {
    keel_domain::words::render(words, |k| t.get(k))
}

impl MeetingsPage {
    /// An agenda point's facts in the reader's language.
    pub fn agenda_words(&self, item: &AgendaItem) -> String {
        say(self.chrome.t, &item.words)
    }

    /// Whether the stored schedule repeats as `recurrence`: the form shows the stored value,
    /// so saving it without touching "Repeats" keeps the schedule.
    pub fn repeats(&self, recurrence: &str) -> bool {
        self.schedule.as_ref().is_some_and(|s| s.recurrence == recurrence)
    }
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
        .map(|e| crate::charts::format::Fmt(chrome.t.0).moment(e.start))
        .collect();
    let facts = crate::health::facts::gather(&state.store, &ctx.project, today)
        .await
        .map_err(WebError::Internal)?;
    let agenda = facts.agenda();
    let agenda_text = agenda
        .iter()
        .map(|a| {
            format!(
                "• {}: {}",
                chrome.t.get(&format!("agenda.{}", a.kind)),
                say(chrome.t, &a.words)
            )
        })
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
            when: crate::charts::format::Fmt(chrome.t.0).moment(m.starts_at),
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
    crate::flash::redirect(&format!("/projects/{}/meetings", ctx.project.slug), "flash.saved")
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
    let raw = meetings::RawArea {
        area: &form.area,
        side: &form.side,
        user_id: &form.user_id,
        note: &form.note,
    };
    meetings::set_area(&state.store, &ctx, raw).await?;
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
    let raw = meetings::RawSchedule {
        title: &form.title,
        first_at: &form.first_at,
        recurrence: &form.recurrence,
        duration_minutes: &form.duration_minutes,
        link: &form.link,
    };
    meetings::set_schedule(&state.store, &ctx, raw).await?;
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
    let raw = meetings::RawMeeting {
        starts_at: &form.starts_at,
        title: &form.title,
        agenda: &form.agenda,
        minutes: &form.minutes,
        held: form.held.is_some(),
    };
    meetings::record(&state.store, &ctx, raw).await?;
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
    meetings::decide(&state.store, &ctx, MeetingId(meeting), &form.text).await?;
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
    let raw = meetings::RawItem {
        text: &form.text,
        owner_id: &form.owner_id,
        due_on: &form.due_on,
    };
    meetings::add_item(&state.store, &ctx, MeetingId(meeting), raw).await?;
    Ok(back(&ctx))
}

pub async fn complete_item(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    Path((_, id)): Path<(String, i64)>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    meetings::complete_item(&state.store, &ctx, id).await?;
    Ok(back(&ctx))
}
