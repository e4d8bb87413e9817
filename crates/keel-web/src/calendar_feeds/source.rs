//! Where a project's iCal feed gets its events. The route (`GET /ical/{feed}`) asks a
//! [`CalendarSource`] for the entries of the feed's project and writes them with
//! `keel_notify::ical`. The content plan is the source; it is swappable in
//! [`crate::AppState`] so the feed can be tested with entries of its own.

use keel_domain::calendar::{CalendarEntry, EntryStatus, EventEnd};
use keel_domain::workflow::PostState;
use keel_store::Store;
use keel_store::ical_feeds::FeedTarget;
use std::future::Future;
use std::pin::Pin;

pub type EntriesFuture<'a> = Pin<Box<dyn Future<Output = anyhow::Result<Vec<CalendarEntry>>> + Send + 'a>>;

/// The events of one project's calendar. `base_url` is the installation's public address,
/// for each event's link back to its post.
pub trait CalendarSource: Send + Sync {
    fn entries<'a>(&'a self, feed: &'a FeedTarget, base_url: &'a str) -> EntriesFuture<'a>;
}

/// The content plan's dated posts and the project's meetings as events.
///
/// Posts: those with a `scheduled_at` that are approved, scheduled or published (drafts and
/// posts in review are not yet a commitment) — uid `post-{id}@{host}`, 30 minutes from
/// `scheduled_at`, the state in the summary (`[Scheduled] Spring menu… (VK, Telegram)`),
/// status CONFIRMED, the text as description, a link to the post, last-modified its
/// `updated_at`. Meetings: `Store::meeting_calendar` from 90 days back to a year ahead, uid
/// `meeting-{project}-{start}@{host}`.
pub struct PlanCalendar {
    store: Store,
}

impl PlanCalendar {
    pub fn new(store: Store) -> PlanCalendar {
        PlanCalendar { store }
    }

    async fn collect(&self, feed: &FeedTarget, base_url: &str) -> anyhow::Result<Vec<CalendarEntry>> {
        let base = base_url.trim_end_matches('/');
        // `https://keel.agency.example:8443/x` → `keel.agency.example`.
        let host = base
            .split_once("://")
            .map(|(_, rest)| rest.split(['/', ':']).next().unwrap_or(""))
            .filter(|h| !h.is_empty())
            .unwrap_or("keel.local");
        let link = |path: String| (!base.is_empty()).then(|| format!("{base}{path}"));
        let mut out = vec![];
        for post in self.store.plan_posts_of(feed.project()).await? {
            let (Some(start), Some(label)) = (post.scheduled_at, dated_state_label(post.state())) else {
                continue;
            };
            let platforms: Vec<&str> = post.platforms().iter().map(|p| p.label()).collect();
            out.push(CalendarEntry {
                uid: format!("post-{}@{host}", post.id),
                starts_at: start,
                end: EventEnd::After(chrono::Duration::minutes(30)),
                summary: format!("[{label}] {} ({})", post.excerpt(60), platforms.join(", ")),
                description: post.text.clone(),
                url: link(format!("/projects/{}/posts/{}", feed.project_slug, post.id)),
                status: EntryStatus::Confirmed,
                last_modified: post.updated_at,
            });
        }
        let now = keel_store::now();
        let meetings = self
            .store
            .meeting_calendar(
                feed.project(),
                now - chrono::Duration::days(90),
                now + chrono::Duration::days(365),
            )
            .await?;
        for m in meetings {
            out.push(CalendarEntry {
                uid: format!("meeting-{}-{}@{host}", feed.project_id, m.start.timestamp()),
                starts_at: m.start,
                end: EventEnd::At(m.end),
                summary: m.title,
                description: m.link.clone(),
                url: if m.link.is_empty() {
                    link(format!("/projects/{}/meetings", feed.project_slug))
                } else {
                    Some(m.link)
                },
                status: EntryStatus::Confirmed,
                // Stable across refreshes: a planned occurrence changes only with its schedule.
                last_modified: m.start,
            });
        }
        out.sort_by_key(|e| e.starts_at);
        Ok(out)
    }
}

/// The summary label of a post state that belongs in the calendar.
fn dated_state_label(state: PostState) -> Option<&'static str> {
    match state {
        PostState::Approved => Some("Approved"),
        PostState::Scheduled => Some("Scheduled"),
        PostState::Published => Some("Published"),
        _ => None,
    }
}

impl CalendarSource for PlanCalendar {
    fn entries<'a>(&'a self, feed: &'a FeedTarget, base_url: &'a str) -> EntriesFuture<'a> {
        Box::pin(self.collect(feed, base_url))
    }
}
