//! Where a project's iCal feed gets its events. The route (`GET /ical/{feed}`) asks a
//! [`CalendarSource`] for the entries of the feed's project and writes them with
//! `keel_notify::ical`; the source is swappable in [`crate::AppState`] so the feed is tested
//! with entries before the content plan exists in this branch.

use keel_domain::calendar::CalendarEntry;
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

/// The content plan's posts as events.
///
/// INTEGRATION POINT (content-plan workflow): this branch has no `plan_posts` table yet, so
/// [`PlanCalendar::entries`] answers an empty (valid) calendar. After the workflow merges, make
/// it select the project's posts that have a `scheduled_at` (uid `post-{id}@{host}`, start
/// `scheduled_at`, 30-minute duration, summary the title, description the text, url
/// `{base_url}/projects/{slug}/posts/{id}`, status from the post's state, last_modified its
/// `updated_at`).
pub struct PlanCalendar {
    #[allow(dead_code)] // read once the plan's posts exist (see above)
    store: Store,
}

impl PlanCalendar {
    pub fn new(store: Store) -> PlanCalendar {
        PlanCalendar { store }
    }
}

impl CalendarSource for PlanCalendar {
    fn entries<'a>(&'a self, _feed: &'a FeedTarget, _base_url: &'a str) -> EntriesFuture<'a> {
        Box::pin(async { Ok(Vec::new()) })
    }
}
