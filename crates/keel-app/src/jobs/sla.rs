//! The SLA clock of one submission: does nothing if the post was decided, withdrawn or
//! resubmitted meanwhile (the payload names the submission it belongs to). At half time the
//! approvers are reminded; at expiry the miss is recorded, and with the project's
//! auto-approval on, Keel approves.

use super::{field, post_id};
use chrono::{DateTime, Utc};
use keel_domain::notification::NotificationKind;
use keel_domain::workflow::PostState;
use keel_store::Store;
use keel_store::jobs::{Job, JobFuture, JobHandler};
use keel_store::plan::timers::{NOTIFY, notify_payload};

pub(super) struct SlaJob {
    pub expiry: bool,
}

impl JobHandler for SlaJob {
    fn run<'a>(&'a self, store: &'a Store, job: &'a Job, _as_of: DateTime<Utc>) -> JobFuture<'a> {
        Box::pin(async move {
            let submitted: DateTime<Utc> =
                serde_json::from_value(field(job, "submitted_at")?.clone()).map_err(|e| e.to_string())?;
            let Some(post) = store.plan_post_any(post_id(job)?).await.map_err(|e| e.to_string())? else {
                return Ok(());
            };
            let waiting = post.state() == PostState::InReview
                && post.submitted_at == Some(submitted)
                && post.first_decision_at.is_none();
            if !waiting {
                return Ok(());
            }
            // Dated at the moment it was due, not when a runner got to it.
            let at = job.run_at;
            let result = if self.expiry {
                let settings = store.workflow_settings(post.project()).await;
                match settings {
                    Ok(s) => store.record_sla_miss(&post, at, s.auto_approve).await,
                    Err(e) => Err(e),
                }
            } else {
                let payload = notify_payload(post.id, NotificationKind::SlaHalfway, None, at);
                store.enqueue_job(NOTIFY, &payload, at).await
            };
            result.map_err(|e| e.to_string())
        })
    }
}
