//! The background job runner `keel serve` starts (the use-case layer's, see `keel_app::jobs`).

pub use keel_app::jobs::{POLL_EVERY, deliveries, runner, runner_with};
