//! The background job runner `keel serve` starts, with every job kind registered: the
//! workflow's notifications and SLA timers, delivered in-app (the e-mail and Telegram
//! channels register here too).

use keel_store::Store;
use keel_store::jobs::JobRunner;
use keel_store::plan::inbox::InAppDelivery;
use keel_store::plan::timers::{Deliveries, register_workflow_jobs};
use std::sync::Arc;
use std::time::Duration;

/// How often an instance looks for due jobs (SLA reminders are due to the second; five
/// seconds late is fine for a 30-minute SLA).
pub const POLL_EVERY: Duration = Duration::from_secs(5);

/// Every delivery channel of this build.
pub fn deliveries(store: &Store) -> Deliveries {
    let mut deliveries = Deliveries::new();
    deliveries.register(Arc::new(InAppDelivery::new(store.clone())));
    deliveries
}

/// A runner with every job kind registered.
pub fn runner(store: &Store) -> JobRunner {
    let mut runner = JobRunner::new(store.clone());
    register_workflow_jobs(&mut runner, deliveries(store));
    runner
}
