//! One notification on one channel. A delivery job carries the whole notification, so a
//! retry sends what was decided at the event, not what the post says by then.

use super::{Deliveries, field};
use chrono::{DateTime, Utc};
use keel_domain::notification::{Channel, Notification, NotificationKind};
use keel_domain::{ProjectId, UserId};
use keel_store::Store;
use keel_store::jobs::{Job, JobFuture, JobHandler};
use std::sync::Arc;

pub(super) struct DeliverJob(pub Arc<Deliveries>);

impl JobHandler for DeliverJob {
    fn run<'a>(&'a self, _store: &'a Store, job: &'a Job, _as_of: DateTime<Utc>) -> JobFuture<'a> {
        Box::pin(async move {
            let channel = field(job, "channel")?
                .as_str()
                .and_then(Channel::parse)
                .ok_or("unknown channel")?;
            let notification = from_json(field(job, "notification")?).ok_or("malformed notification")?;
            let deliver = self
                .0
                .get(channel)
                .ok_or_else(|| format!("no {} channel is registered on this instance", channel.as_str()))?;
            deliver.deliver(&notification).await
        })
    }
}

/// The payload of a delivery job.
pub(super) fn payload(channel: Channel, n: &Notification) -> serde_json::Value {
    serde_json::json!({ "channel": channel.as_str(), "notification": to_json(n) })
}

fn to_json(n: &Notification) -> serde_json::Value {
    serde_json::json!({
        "kind": n.kind.as_str(), "recipient": n.recipient.0, "project": n.project.0, "post_id": n.post_id,
        "title": n.title, "body": n.body, "link_path": n.link_path,
    })
}

fn from_json(v: &serde_json::Value) -> Option<Notification> {
    Some(Notification {
        kind: NotificationKind::parse(v.get("kind")?.as_str()?)?,
        recipient: UserId(v.get("recipient")?.as_i64()?),
        project: ProjectId(v.get("project")?.as_i64()?),
        post_id: v.get("post_id")?.as_i64()?,
        title: v.get("title")?.as_str()?.to_owned(),
        body: v.get("body")?.as_str()?.to_owned(),
        link_path: v.get("link_path")?.as_str()?.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notification_survives_its_payload() {
        let n = Notification {
            kind: NotificationKind::SlaMissed,
            recipient: UserId(7),
            project: ProjectId(3),
            post_id: 41,
            title: "Срок согласования пропущен: «x»".into(),
            body: "Client A · vk, telegram".into(),
            link_path: "/projects/client-a/posts/41".into(),
        };
        let p = payload(Channel::Email, &n);
        assert_eq!(p["channel"], "email");
        let back = from_json(&p["notification"]).unwrap();
        assert_eq!(back, n);
        assert!(from_json(&serde_json::json!({ "kind": "nope" })).is_none());
    }
}
