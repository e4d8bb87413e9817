//! One event of a project's calendar feed, as plain data: the workflow fills it from its posts,
//! `keel-notify` writes it as iCalendar (RFC 5545).

use chrono::{DateTime, Duration, Utc};

/// When an event ends: at a time, or after a duration from its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventEnd {
    At(DateTime<Utc>),
    After(Duration),
}

/// Where a post stands, as calendars understand it (`STATUS` of a VEVENT).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryStatus {
    /// Planned but not yet approved.
    Tentative,
    /// Approved or published.
    Confirmed,
    /// Withdrawn or rejected; calendars show it struck out or hide it.
    Cancelled,
}

impl EntryStatus {
    pub fn as_ical(self) -> &'static str {
        match self {
            EntryStatus::Tentative => "TENTATIVE",
            EntryStatus::Confirmed => "CONFIRMED",
            EntryStatus::Cancelled => "CANCELLED",
        }
    }
}

/// One calendar event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEntry {
    /// Globally unique and stable across feed refreshes, e.g. `post-42@keel.example`.
    pub uid: String,
    pub starts_at: DateTime<Utc>,
    pub end: EventEnd,
    pub summary: String,
    /// Free text (may hold newlines, commas, semicolons, any script).
    pub description: String,
    /// A link back to the post, when the installation's public URL is known.
    pub url: Option<String>,
    pub status: EntryStatus,
    /// When the post last changed; calendars use it (with SEQUENCE-less feeds) to refresh.
    pub last_modified: DateTime<Utc>,
}
