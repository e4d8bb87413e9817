//! The background job runner `keel serve` starts, with every job kind registered: the
//! workflow's notifications and SLA timers, delivered in-app and through the e-mail and
//! Telegram channels the configuration enables.
//!
//! - [`notify`]: a workflow event becomes one notification per recipient and one delivery
//!   job per channel;
//! - [`deliver`]: one notification on one channel;
//! - [`sla`]: the urgent-post clock (reminder at half time, miss and optional auto-approval at
//!   expiry);
//! - [`titles`]: the notification's title in the recipient's language.

mod deliver;
mod deliveries;
mod notify;
mod publish;
mod pull;
mod sla;
pub mod titles;

pub use deliveries::Deliveries;

use keel_domain::notification::Deliver;
use keel_store::Store;
use keel_store::jobs::{Job, JobRunner};
use keel_store::plan::inbox::InAppDelivery;
use keel_store::plan::timers::{DELIVER, NOTIFY, SLA_EXPIRY, SLA_HALFWAY};
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

/// A runner with every job kind registered, delivering in-app and through `connected`;
/// publishing has no secret key, so it publishes nothing (see [`runner_publishing`]).
pub fn runner_with(store: &Store, connected: Vec<Arc<dyn Deliver>>) -> JobRunner {
    runner_publishing(store, connected, Arc::new(crate::publishing::Platforms::default()))
}

/// A runner with every job kind registered, delivering through `connected` and publishing
/// through `platforms`.
pub fn runner_publishing(
    store: &Store,
    connected: Vec<Arc<dyn Deliver>>,
    platforms: Arc<crate::publishing::Platforms>,
) -> JobRunner {
    let mut runner = JobRunner::new(store.clone());
    let worker = runner.worker().to_owned();
    runner.register(
        crate::pulls::PULL,
        Arc::new(pull::PullJob {
            platforms: platforms.clone(),
        }),
    );
    runner.register(
        keel_store::plan::publications::PUBLISH,
        Arc::new(publish::PublishJob { platforms, worker }),
    );
    let deliveries = Arc::new(deliveries(store, connected));
    runner.register(NOTIFY, Arc::new(notify::NotifyJob(deliveries.clone())));
    runner.register(DELIVER, Arc::new(deliver::DeliverJob(deliveries)));
    runner.register(SLA_HALFWAY, Arc::new(sla::SlaJob { expiry: false }));
    runner.register(SLA_EXPIRY, Arc::new(sla::SlaJob { expiry: true }));
    runner
}

/// A field of the job's payload, or an error that names the job (it stays on the job's row).
fn field<'a>(job: &'a Job, name: &str) -> Result<&'a serde_json::Value, String> {
    job.payload
        .get(name)
        .ok_or_else(|| format!("job {} has no `{name}` in its payload", job.id))
}

fn post_id(job: &Job) -> Result<keel_domain::PostId, String> {
    field(job, "post_id")?
        .as_i64()
        .map(keel_domain::PostId)
        .ok_or_else(|| "post_id is not a number".to_owned())
}
