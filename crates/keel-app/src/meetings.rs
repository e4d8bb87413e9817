//! Team and meetings: who does which area of the team matrix, the meeting schedule, recorded
//! meetings, their decisions and action items. Input arrives as typed on a form (text); each
//! command checks it here, names the field that is wrong, and records the change with its
//! actor. People named in the matrix or as an item's owner must be on the project.

use crate::access::ProjectAccess;
use crate::refusal::{AppResult, Refusal};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use keel_domain::meeting::{Recurrence, TEAM_AREAS};
use keel_domain::{MeetingId, UserId};
use keel_store::Store;
use keel_store::meetings::{MeetingInput, NewActionItem, Schedule, TeamAssignment};

/// Longest meeting or schedule title, in characters.
pub const MAX_TITLE: usize = 120;
/// Longest decision, in characters.
pub const MAX_DECISION: usize = 1000;
/// Longest action item, in characters.
pub const MAX_ITEM: usize = 500;
/// Longest note on a team area, in characters.
pub const MAX_NOTE: usize = 200;

fn invalid(field: &str, reason: impl Into<String>) -> Refusal {
    Refusal::invalid(field, reason)
}

/// A `datetime-local` value (`YYYY-MM-DDTHH:MM`), taken as UTC.
pub fn instant(field: &str, text: &str) -> AppResult<DateTime<Utc>> {
    NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%dT%H:%M")
        .map(|t| t.and_utc())
        .map_err(|_| invalid(field, format!("`{text}` is not a date and time (YYYY-MM-DDTHH:MM)")).into())
}

fn required<'a>(field: &str, text: &'a str, max: usize) -> AppResult<&'a str> {
    let t = text.trim();
    if t.is_empty() {
        return Err(invalid(field, "is required").into());
    }
    if t.chars().count() > max {
        return Err(invalid(field, format!("is longer than {max} characters")).into());
    }
    Ok(t)
}

/// A person picked from a list: empty or `0` for nobody.
fn person(field: &str, text: &str) -> AppResult<Option<UserId>> {
    match text.trim() {
        "" | "0" => Ok(None),
        id => id
            .parse()
            .map(|id| Some(UserId(id)))
            .map_err(|_| invalid(field, "not a person").into()),
    }
}

async fn on_project(store: &Store, who: &ProjectAccess, field: &str, person: Option<UserId>) -> AppResult<()> {
    if let Some(u) = person
        && store.roles_in(who.project.id(), u).await?.is_empty()
    {
        return Err(invalid(field, "that person is not on this project").into());
    }
    Ok(())
}

/// An area of the team matrix as typed.
pub struct RawArea<'a> {
    pub area: &'a str,
    pub side: &'a str,
    pub user_id: &'a str,
    pub note: &'a str,
}

pub async fn set_area(store: &Store, who: &ProjectAccess, raw: RawArea<'_>) -> AppResult<()> {
    let area = TEAM_AREAS.into_iter().find(|a| *a == raw.area).ok_or_else(|| {
        invalid(
            "area",
            format!("`{}` is not one of {}", raw.area, TEAM_AREAS.join(", ")),
        )
    })?;
    if !matches!(raw.side, "agency" | "client") {
        return Err(invalid("side", "choose agency or client").into());
    }
    let user = person("user_id", raw.user_id)?;
    on_project(store, who, "user_id", user).await?;
    let note = raw.note.trim();
    if note.chars().count() > MAX_NOTE {
        return Err(invalid("note", format!("is longer than {MAX_NOTE} characters")).into());
    }
    let assignment = TeamAssignment {
        area,
        side: raw.side,
        user,
        note,
    };
    Ok(store
        .set_team_area(who.project.org(), who.project.id(), &assignment, who.user.id())
        .await?)
}

/// The meeting schedule as typed.
pub struct RawSchedule<'a> {
    pub title: &'a str,
    pub first_at: &'a str,
    pub recurrence: &'a str,
    pub duration_minutes: &'a str,
    pub link: &'a str,
}

pub async fn set_schedule(store: &Store, who: &ProjectAccess, raw: RawSchedule<'_>) -> AppResult<()> {
    let title = required("title", raw.title, MAX_TITLE)?;
    let first_at = instant("first_at", raw.first_at)?;
    let recurrence: Recurrence = raw.recurrence.parse().map_err(|e: String| invalid("recurrence", e))?;
    let duration: i64 = raw
        .duration_minutes
        .trim()
        .parse()
        .ok()
        .filter(|d| (5..=600).contains(d))
        .ok_or_else(|| invalid("duration_minutes", "a whole number of minutes from 5 to 600"))?;
    let link = raw.link.trim();
    if !(link.is_empty() || link.starts_with("https://") || link.starts_with("http://")) {
        return Err(invalid("link", "a web address starting with https://").into());
    }
    let schedule = Schedule {
        title: title.to_owned(),
        first_at,
        recurrence: recurrence.as_str().to_owned(),
        duration_minutes: duration,
        link: link.to_owned(),
    };
    Ok(store
        .set_meeting_schedule(who.project.org(), who.project.id(), &schedule, who.user.id())
        .await?)
}

/// A meeting as typed.
pub struct RawMeeting<'a> {
    pub starts_at: &'a str,
    pub title: &'a str,
    pub agenda: &'a str,
    pub minutes: &'a str,
    pub held: bool,
}

pub async fn record(store: &Store, who: &ProjectAccess, raw: RawMeeting<'_>) -> AppResult<()> {
    let input = MeetingInput {
        starts_at: instant("starts_at", raw.starts_at)?,
        title: required("title", raw.title, MAX_TITLE)?.to_owned(),
        agenda: raw.agenda.trim().to_owned(),
        minutes: raw.minutes.trim().to_owned(),
        held: raw.held,
    };
    store
        .record_meeting(who.project.org(), who.project.id(), &input, who.user.id())
        .await?;
    Ok(())
}

/// A decision taken at meeting `meeting` of the project (append-only).
pub async fn decide(store: &Store, who: &ProjectAccess, meeting: MeetingId, text: &str) -> AppResult<()> {
    store.meeting(who.project.id(), meeting).await?;
    let text = required("text", text, MAX_DECISION)?;
    Ok(store
        .add_decision(who.project.org(), who.project.id(), meeting, text, who.user.id())
        .await?)
}

/// An action item as typed.
pub struct RawItem<'a> {
    pub text: &'a str,
    pub owner_id: &'a str,
    pub due_on: &'a str,
}

pub async fn add_item(store: &Store, who: &ProjectAccess, meeting: MeetingId, raw: RawItem<'_>) -> AppResult<i64> {
    store.meeting(who.project.id(), meeting).await?;
    let text = required("text", raw.text, MAX_ITEM)?;
    let due_on: NaiveDate = raw
        .due_on
        .trim()
        .parse()
        .map_err(|_| invalid("due_on", "a date (YYYY-MM-DD)"))?;
    let owner = person("owner_id", raw.owner_id)?;
    on_project(store, who, "owner_id", owner).await?;
    let item = NewActionItem {
        meeting,
        text,
        owner,
        due_on,
    };
    Ok(store
        .add_action_item(who.project.org(), who.project.id(), &item, who.user.id())
        .await?)
}

/// Marks action item `id` done (once; again changes nothing).
pub async fn complete_item(store: &Store, who: &ProjectAccess, id: i64) -> AppResult<()> {
    Ok(store
        .complete_action_item(who.project.org(), who.project.id(), id, who.user.id())
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::refusal::AppError;

    fn field_of(e: AppError) -> String {
        match e {
            AppError::Refused(Refusal::Invalid { field, .. }) => field,
            other => panic!("not an invalid field: {other}"),
        }
    }

    #[test]
    fn bad_input_names_its_field() {
        assert_eq!(
            instant("first_at", "2026-13-01T10:00").map_err(field_of).unwrap_err(),
            "first_at"
        );
        assert_eq!(
            instant("x", " 2026-03-02T14:30 ").unwrap().to_rfc3339(),
            "2026-03-02T14:30:00+00:00"
        );
        assert_eq!(required("title", "  ", 10).map_err(field_of).unwrap_err(), "title");
        assert_eq!(
            required("title", &"я".repeat(11), 10).map_err(field_of).unwrap_err(),
            "title"
        );
        assert_eq!(required("title", " Weekly ", 10).unwrap(), "Weekly");
        assert_eq!(person("owner_id", "0").unwrap(), None);
        assert_eq!(person("owner_id", "17").unwrap(), Some(UserId(17)));
        assert_eq!(person("owner_id", "bob").map_err(field_of).unwrap_err(), "owner_id");
    }
}
