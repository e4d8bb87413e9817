//! `GET /api/v1/projects/{slug}/meetings`: the team matrix, the meeting schedule with its next
//! dates, the agenda Keel drafts from the data, and recorded meetings with their decisions and
//! action items.

use crate::auth::ProjectCtx;
use crate::{AppState, WebError};
use axum::extract::State;
use axum::{Extension, Json};
use chrono::{Duration, Utc};
use keel_domain::meeting::AgendaItem;
use serde::Serialize;

#[derive(Serialize, utoipa::ToSchema)]
pub struct TeamJson {
    area: String,
    side: String,
    who: Option<String>,
    note: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct EntryJson {
    start: String,
    end: String,
    title: String,
    link: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct DecisionJson {
    text: String,
    by: String,
    at: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ItemJson {
    id: i64,
    text: String,
    owner: Option<String>,
    due_on: String,
    done: bool,
    overdue: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MeetingJson {
    id: i64,
    starts_at: String,
    title: String,
    agenda: String,
    minutes: String,
    held: bool,
    decisions: Vec<DecisionJson>,
    action_items: Vec<ItemJson>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MeetingsJson {
    team: Vec<TeamJson>,
    /// The schedule's meetings of the next 62 days.
    upcoming: Vec<EntryJson>,
    agenda: Vec<AgendaItem>,
    meetings: Vec<MeetingJson>,
}

#[utoipa::path(get, path = "/api/v1/projects/{slug}/meetings", params(crate::openapi::Slug), responses((status = 200, body = MeetingsJson)))]
pub async fn list(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
) -> Result<Json<MeetingsJson>, WebError> {
    let (store, project) = (&state.store, ctx.project.id());
    let now = Utc::now();
    let today = now.date_naive();
    let items = store.action_items(project).await?;
    let mut meetings = vec![];
    for m in store.meetings(project).await? {
        let decisions = store
            .decisions(project, m.id)
            .await?
            .into_iter()
            .map(|(text, by, at)| DecisionJson {
                text,
                by,
                at: at.to_rfc3339(),
            })
            .collect();
        let action_items = items
            .iter()
            .filter(|i| i.meeting_id == m.id)
            .map(|i| ItemJson {
                id: i.id,
                text: i.text.clone(),
                owner: i.owner_name.clone(),
                due_on: i.due_on.to_string(),
                done: i.done_at.is_some(),
                overdue: i.overdue(today),
            })
            .collect();
        meetings.push(MeetingJson {
            id: m.id.0,
            starts_at: m.starts_at.to_rfc3339(),
            title: m.title,
            agenda: m.agenda,
            minutes: m.minutes,
            held: m.held,
            decisions,
            action_items,
        });
    }
    let facts = crate::health::facts::gather(store, &ctx.project, today)
        .await
        .map_err(WebError::Internal)?;
    Ok(Json(MeetingsJson {
        team: store
            .team_matrix(project)
            .await?
            .into_iter()
            .map(|t| TeamJson {
                area: t.area,
                side: t.side,
                who: t.user_name,
                note: t.note,
            })
            .collect(),
        upcoming: store
            .meeting_calendar(project, now, now + Duration::days(62))
            .await?
            .into_iter()
            .map(|e| EntryJson {
                start: e.start.to_rfc3339(),
                end: e.end.to_rfc3339(),
                title: e.title,
                link: e.link,
            })
            .collect(),
        agenda: facts.agenda(),
        meetings,
    }))
}
