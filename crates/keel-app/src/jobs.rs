//! The background job runner `keel serve` starts, with every job kind registered: the
//! workflow's notifications and SLA timers, delivered in-app and through the e-mail and
//! Telegram channels the configuration enables.

use keel_domain::notification::Deliver;
use keel_store::Store;
use keel_store::jobs::JobRunner;
use keel_store::plan::inbox::InAppDelivery;
use keel_store::plan::timers::{Deliveries, register_workflow_jobs};
use std::sync::Arc;
use std::time::Duration;

/// How often an instance looks for due jobs (SLA reminders are due to the second; five
/// seconds late is fine for a 30-minute SLA).
pub const POLL_EVERY: Duration = Duration::from_secs(5);

/// The in-app channel plus `connected` (e-mail, Telegram: see `notify::delivery_channels`).
pub fn deliveries(store: &Store, connected: Vec<Arc<dyn Deliver>>) -> Deliveries {
    let mut deliveries = Deliveries::new();
    deliveries.register(Arc::new(InAppDelivery::new(store.clone())));
    for channel in connected {
        deliveries.register(channel);
    }
    deliveries
}

/// A runner with every job kind registered, delivering in-app only.
pub fn runner(store: &Store) -> JobRunner {
    runner_with(store, vec![])
}

/// A runner with every job kind registered, delivering in-app and through `connected`.
pub fn runner_with(store: &Store, connected: Vec<Arc<dyn Deliver>>) -> JobRunner {
    let mut runner = JobRunner::new(store.clone());
    register_workflow_jobs(&mut runner, deliveries(store, connected));
    runner
}
