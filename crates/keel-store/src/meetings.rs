//! The team matrix, the meeting schedule, meetings with their minutes, the decision log
//! (audit entries of subject `meeting`, action `decision`: append-only by the database) and
//! action items.

use crate::audit::NewAuditEvent;
use crate::{Store, StoreError, StoreResult, append_audit, now, on_pool};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use keel_domain::meeting::Recurrence;
use keel_domain::{MeetingId, OrgId, ProjectId, UserId};
use serde_json::json;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TeamRow {
    pub area: String,
    pub side: String,
    pub user_id: Option<i64>,
    pub user_name: Option<String>,
    pub note: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Schedule {
    pub title: String,
    pub first_at: DateTime<Utc>,
    pub recurrence: String,
    pub duration_minutes: i64,
    pub link: String,
}

impl Schedule {
    pub fn recurrence(&self) -> Recurrence {
        self.recurrence.parse().unwrap_or(Recurrence::Weekly)
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Meeting {
    #[sqlx(try_from = "i64")]
    pub id: MeetingId,
    pub starts_at: DateTime<Utc>,
    pub title: String,
    pub agenda: String,
    pub minutes: String,
    pub held: bool,
}

/// The action items of project `$1`, by due date.
pub(crate) const ACTION_ITEMS_SQL: &str =
    "SELECT a.id, a.meeting_id, a.text, a.owner_id, u.display_name AS owner_name, a.due_on, a.done_at
     FROM action_items a LEFT JOIN users u ON u.id = a.owner_id
     WHERE a.project_id = $1 ORDER BY a.due_on, a.id";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ActionItem {
    pub id: i64,
    #[sqlx(try_from = "i64")]
    pub meeting_id: MeetingId,
    pub text: String,
    pub owner_id: Option<i64>,
    pub owner_name: Option<String>,
    pub due_on: NaiveDate,
    pub done_at: Option<DateTime<Utc>>,
}

impl ActionItem {
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.done_at.is_none() && self.due_on < today
    }
}

/// One meeting as a calendar entry: what a project's iCal feed lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEntry {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub title: String,
    pub link: String,
}

/// Who does one area of the team matrix.
#[derive(Debug, Clone, Copy)]
pub struct TeamAssignment<'a> {
    pub area: &'a str,
    /// `agency` or `client`.
    pub side: &'a str,
    pub user: Option<UserId>,
    pub note: &'a str,
}

/// An action item agreed at a meeting.
#[derive(Debug, Clone, Copy)]
pub struct NewActionItem<'a> {
    pub meeting: MeetingId,
    pub text: &'a str,
    pub owner: Option<UserId>,
    pub due_on: NaiveDate,
}

/// What a recorded meeting holds.
#[derive(Debug, Clone)]
pub struct MeetingInput {
    pub starts_at: DateTime<Utc>,
    pub title: String,
    pub agenda: String,
    pub minutes: String,
    pub held: bool,
}

impl Store {
    pub async fn team_matrix(&self, project: ProjectId) -> StoreResult<Vec<TeamRow>> {
        Ok(on_pool!(&self.pool, p => {
            sqlx::query_as::<_, TeamRow>(
                "SELECT t.area, t.side, t.user_id, u.display_name AS user_name, t.note
                 FROM team_matrix t LEFT JOIN users u ON u.id = t.user_id WHERE t.project_id = $1",
            )
            .bind(project.0)
            .fetch_all(p)
            .await
        })?)
    }

    /// Sets who does an area on which side (`keel-app` checks the person is on the project).
    pub async fn set_team_area(
        &self,
        org: OrgId,
        project: ProjectId,
        assignment: &TeamAssignment<'_>,
        actor: UserId,
    ) -> StoreResult<()> {
        let TeamAssignment { area, side, user, note } = *assignment;
        let at = now();
        on_pool!(&self.pool, p => {
            let mut tx = p.begin().await?;
            sqlx::query(
                "INSERT INTO team_matrix (org_id, project_id, area, side, user_id, note, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)
                 ON CONFLICT (project_id, area) DO UPDATE SET side = $4, user_id = $5, note = $6, updated_at = $7",
            )
            .bind(org.0).bind(project.0).bind(area).bind(side).bind(user.map(|u| u.0)).bind(note).bind(at)
            .execute(&mut *tx).await?;
            append_audit!(&mut *tx, NewAuditEvent {
                org, project, subject_kind: "team", subject_id: project.0, actor: Some(actor),
                action: "area_assigned", detail: json!({"area": area, "side": side, "user_id": user.map(|u| u.0), "note": note}), at,
            })?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(())
        })?;
        Ok(())
    }

    pub async fn meeting_schedule(&self, project: ProjectId) -> StoreResult<Option<Schedule>> {
        Ok(on_pool!(&self.pool, p => {
            sqlx::query_as::<_, Schedule>(
                "SELECT title, first_at, recurrence, duration_minutes, link FROM meeting_schedules WHERE project_id = $1",
            )
            .bind(project.0)
            .fetch_optional(p)
            .await
        })?)
    }

    pub async fn set_meeting_schedule(
        &self,
        org: OrgId,
        project: ProjectId,
        schedule: &Schedule,
        actor: UserId,
    ) -> StoreResult<()> {
        let at = now();
        on_pool!(&self.pool, p => {
            let mut tx = p.begin().await?;
            sqlx::query(
                "INSERT INTO meeting_schedules (project_id, org_id, title, first_at, recurrence, duration_minutes, link, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                 ON CONFLICT (project_id) DO UPDATE SET title = $3, first_at = $4, recurrence = $5,
                     duration_minutes = $6, link = $7, updated_at = $8",
            )
            .bind(project.0).bind(org.0).bind(&schedule.title).bind(schedule.first_at).bind(&schedule.recurrence)
            .bind(schedule.duration_minutes).bind(&schedule.link).bind(at)
            .execute(&mut *tx).await?;
            append_audit!(&mut *tx, NewAuditEvent {
                org, project, subject_kind: "meeting_schedule", subject_id: project.0, actor: Some(actor),
                action: "scheduled", detail: json!({"title": schedule.title, "first_at": schedule.first_at,
                    "recurrence": schedule.recurrence, "duration_minutes": schedule.duration_minutes}), at,
            })?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(())
        })?;
        Ok(())
    }

    /// The project's meetings in `from ..= to` as calendar entries: every planned occurrence
    /// of the schedule, plus recorded meetings off the schedule. For the project's iCal feed.
    pub async fn meeting_calendar(
        &self,
        project: ProjectId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<CalendarEntry>> {
        let schedule = self.meeting_schedule(project).await?;
        let mut out = vec![];
        let (length, link) = schedule
            .as_ref()
            .map(|s| (Duration::minutes(s.duration_minutes), s.link.clone()))
            .unwrap_or((Duration::minutes(60), String::new()));
        if let Some(s) = &schedule {
            for start in s.recurrence().occurrences(s.first_at, from, to) {
                out.push(CalendarEntry {
                    start,
                    end: start + length,
                    title: s.title.clone(),
                    link: link.clone(),
                });
            }
        }
        for m in self.meetings(project).await? {
            if m.starts_at >= from && m.starts_at <= to && !out.iter().any(|e| e.start == m.starts_at) {
                out.push(CalendarEntry {
                    start: m.starts_at,
                    end: m.starts_at + length,
                    title: m.title,
                    link: link.clone(),
                });
            }
        }
        out.sort_by_key(|e| e.start);
        Ok(out)
    }

    /// Recorded meetings, newest first.
    pub async fn meetings(&self, project: ProjectId) -> StoreResult<Vec<Meeting>> {
        Ok(on_pool!(&self.pool, p => {
            sqlx::query_as::<_, Meeting>(
                "SELECT id, starts_at, title, agenda, minutes, held FROM meetings WHERE project_id = $1 ORDER BY starts_at DESC",
            )
            .bind(project.0)
            .fetch_all(p)
            .await
        })?)
    }

    pub async fn meeting(&self, project: ProjectId, id: MeetingId) -> StoreResult<Meeting> {
        on_pool!(&self.pool, p => {
            sqlx::query_as::<_, Meeting>(
                "SELECT id, starts_at, title, agenda, minutes, held FROM meetings WHERE project_id = $1 AND id = $2",
            )
            .bind(project.0).bind(id.0)
            .fetch_optional(p)
            .await
        })?
        .ok_or(StoreError::NotFound)
    }

    /// Records a meeting (its agenda, minutes and whether it was held), on the record.
    pub async fn record_meeting(
        &self,
        org: OrgId,
        project: ProjectId,
        input: &MeetingInput,
        actor: UserId,
    ) -> StoreResult<Meeting> {
        let at = now();
        let id = on_pool!(&self.pool, p => {
            let mut tx = p.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO meetings (org_id, project_id, starts_at, title, agenda, minutes, held, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(org.0).bind(project.0).bind(input.starts_at).bind(&input.title).bind(&input.agenda)
            .bind(&input.minutes).bind(input.held).bind(at)
            .fetch_one(&mut *tx).await?;
            append_audit!(&mut *tx, NewAuditEvent {
                org, project, subject_kind: "meeting", subject_id: id, actor: Some(actor),
                action: "recorded", detail: json!({"starts_at": input.starts_at, "title": input.title,
                    "held": input.held, "minutes": input.minutes}), at,
            })?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(id)
        })
        .map_err(|e| StoreError::from(e).on_unique("a meeting at that time is already recorded"))?;
        self.meeting(project, MeetingId(id)).await
    }

    /// Appends a decision to the meeting's decision log.
    pub async fn add_decision(
        &self,
        org: OrgId,
        project: ProjectId,
        meeting: MeetingId,
        text: &str,
        actor: UserId,
    ) -> StoreResult<()> {
        self.meeting(project, meeting).await?;
        self.append_audit(&NewAuditEvent {
            org,
            project,
            subject_kind: "meeting",
            subject_id: meeting.0,
            actor: Some(actor),
            action: "decision",
            detail: json!({ "text": text }),
            at: now(),
        })
        .await
    }

    /// A meeting's decisions, oldest first: (text, who, when).
    pub async fn decisions(
        &self,
        project: ProjectId,
        meeting: MeetingId,
    ) -> StoreResult<Vec<(String, String, DateTime<Utc>)>> {
        Ok(self
            .audit_of(project, "meeting", meeting.0)
            .await?
            .into_iter()
            .filter(|e| e.action == "decision")
            .map(|e| {
                let text = e.detail_json()["text"].as_str().unwrap_or_default().to_owned();
                (text, e.actor_name.unwrap_or_default(), e.at)
            })
            .collect())
    }

    pub async fn add_action_item(
        &self,
        org: OrgId,
        project: ProjectId,
        item: &NewActionItem<'_>,
        actor: UserId,
    ) -> StoreResult<i64> {
        let NewActionItem {
            meeting,
            text,
            owner,
            due_on,
        } = *item;
        self.meeting(project, meeting).await?;
        let at = now();
        Ok(on_pool!(&self.pool, p => {
            let mut tx = p.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO action_items (org_id, project_id, meeting_id, text, owner_id, due_on, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(org.0).bind(project.0).bind(meeting.0).bind(text).bind(owner.map(|o| o.0)).bind(due_on).bind(at)
            .fetch_one(&mut *tx).await?;
            append_audit!(&mut *tx, NewAuditEvent {
                org, project, subject_kind: "meeting", subject_id: meeting.0, actor: Some(actor),
                action: "action_item_added", detail: json!({"id": id, "text": text, "owner_id": owner.map(|o| o.0), "due_on": due_on}), at,
            })?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(id)
        })?)
    }

    /// Marks an action item done (once; again changes nothing).
    pub async fn complete_action_item(
        &self,
        org: OrgId,
        project: ProjectId,
        id: i64,
        actor: UserId,
    ) -> StoreResult<()> {
        let at = now();
        let done = on_pool!(&self.pool, p => {
            let mut tx = p.begin().await?;
            let meeting: Option<i64> = sqlx::query_scalar(
                "UPDATE action_items SET done_at = $3 WHERE project_id = $1 AND id = $2 AND done_at IS NULL RETURNING meeting_id",
            )
            .bind(project.0).bind(id).bind(at)
            .fetch_optional(&mut *tx).await?;
            if let Some(meeting) = meeting {
                append_audit!(&mut *tx, NewAuditEvent {
                    org, project, subject_kind: "meeting", subject_id: meeting, actor: Some(actor),
                    action: "action_item_done", detail: json!({"id": id}), at,
                })?;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(meeting.is_some())
        })?;
        // Completing an item already done changes nothing; an item of another project is not found.
        if done || self.action_items(project).await?.iter().any(|i| i.id == id) {
            Ok(())
        } else {
            Err(StoreError::NotFound)
        }
    }

    /// The project's action items, by due date.
    pub async fn action_items(&self, project: ProjectId) -> StoreResult<Vec<ActionItem>> {
        Ok(on_pool!(&self.pool, p => {
            sqlx::query_as::<_, ActionItem>(ACTION_ITEMS_SQL)
            .bind(project.0)
            .fetch_all(p)
            .await
        })?)
    }
}
