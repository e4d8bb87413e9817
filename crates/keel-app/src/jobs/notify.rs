//! A workflow event → one notification per recipient → one delivery job per channel, so a
//! channel that fails is retried alone and the others do not send twice. Who hears of what
//! is decided here: approvers of what waits for them, authors of decisions on their posts, the
//! agency lead of a missed SLA — never the person who caused it.

use super::{Deliveries, deliver, field, post_id, titles::notification_title};
use chrono::{DateTime, Utc};
use keel_domain::notification::{Channel, Notification, NotificationKind};
use keel_domain::{Lang, Role, UserId};
use keel_store::jobs::{Job, JobFuture, JobHandler};
use keel_store::plan::posts::PlanPost;
use keel_store::plan::timers::DELIVER;
use keel_store::{Store, StoreResult};
use std::sync::Arc;

pub(super) struct NotifyJob(pub Arc<Deliveries>);

impl JobHandler for NotifyJob {
    fn run<'a>(&'a self, store: &'a Store, job: &'a Job, as_of: DateTime<Utc>) -> JobFuture<'a> {
        Box::pin(async move {
            let post = post_id(job)?;
            let kind = field(job, "kind")?
                .as_str()
                .and_then(NotificationKind::parse)
                .ok_or("unknown notification kind")?;
            let actor = job.payload.get("actor_id").and_then(|a| a.as_i64()).map(UserId);
            let Some(post) = store.plan_post_any(post).await.map_err(|e| e.to_string())? else {
                return Ok(()); // the post is gone: nobody to tell about it
            };
            let notifications = notifications_for(store, &post, kind, actor)
                .await
                .map_err(|e| e.to_string())?;
            let channels: Vec<Channel> = self.0.channels().collect();
            let jobs: Vec<(&str, serde_json::Value)> = notifications
                .iter()
                .flat_map(|n| channels.iter().map(move |c| (DELIVER, deliver::payload(*c, n))))
                .collect();
            store.enqueue_jobs(&jobs, as_of).await.map_err(|e| e.to_string())
        })
    }
}

/// Who hears of `kind` on a post: the roles it concerns, less the person who caused it.
pub(crate) fn recipients(
    kind: NotificationKind,
    author: UserId,
    approvers: &[UserId],
    leads: &[UserId],
    actor: Option<UserId>,
) -> Vec<UserId> {
    use NotificationKind::*;
    let mut to: Vec<UserId> = match kind {
        PostSubmitted | UrgentPostSubmitted | SlaHalfway => approvers.to_vec(),
        SlaMissed => [approvers, leads].concat(),
        ChangesRequested | PostApproved => vec![author],
        CommentAdded => [&[author][..], approvers].concat(),
        PublishFailed => [&[author][..], leads].concat(),
    };
    to.sort_unstable_by_key(|u| u.0);
    to.dedup();
    to.retain(|r| Some(*r) != actor);
    to
}

/// The notifications of `kind` on `post`, each titled in its recipient's chosen language.
async fn notifications_for(
    store: &Store,
    post: &PlanPost,
    kind: NotificationKind,
    actor: Option<UserId>,
) -> StoreResult<Vec<Notification>> {
    let members = store.members_of(post.project()).await?;
    let with_role = |role: Role| -> Vec<UserId> {
        members
            .iter()
            .filter(|m| m.role() == Some(role))
            .map(|m| UserId(m.user_id))
            .collect()
    };
    let to = recipients(
        kind,
        UserId(post.author_id),
        &with_role(Role::ClientApprover),
        &with_role(Role::AgencyLead),
        actor,
    );
    let project = store.project_by_id(post.project()).await?;
    let excerpt = post.excerpt(60);
    let mut body = format!("{} · {}", project.name, post.platforms.replace(',', ", "));
    if kind == NotificationKind::PublishFailed {
        // The platform's reason, in words, for each platform that failed.
        for publication in store.publications_of(post.id).await? {
            if let (keel_domain::connection::PublicationState::Failed, Some(error)) =
                (publication.state, &publication.error)
            {
                body.push_str(&format!("\n{}: {error}", publication.platform));
            }
        }
    }
    let mut out = Vec::with_capacity(to.len());
    for r in to {
        let language = store.recipient(r).await?.notify_language;
        out.push(Notification {
            kind,
            recipient: r,
            project: post.project(),
            post_id: post.id.0,
            title: notification_title(kind, Lang::from_code(language.as_deref()), &excerpt, post.sla_deadline),
            body: body.clone(),
            link_path: format!("/projects/{}/posts/{}", project.slug, post.id),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use NotificationKind::*;

    const AUTHOR: UserId = UserId(1);
    const APPROVERS: [UserId; 2] = [UserId(5), UserId(4)];
    const LEADS: [UserId; 1] = [UserId(2)];

    fn to(kind: NotificationKind, actor: Option<UserId>) -> Vec<i64> {
        recipients(kind, AUTHOR, &APPROVERS, &LEADS, actor)
            .into_iter()
            .map(|u| u.0)
            .collect()
    }

    #[test]
    fn each_event_reaches_the_people_it_concerns_and_never_its_cause() {
        assert_eq!(to(PostSubmitted, Some(AUTHOR)), [4, 5]);
        assert_eq!(to(UrgentPostSubmitted, Some(AUTHOR)), [4, 5]);
        assert_eq!(to(SlaHalfway, None), [4, 5]);
        assert_eq!(to(SlaMissed, None), [2, 4, 5]);
        assert_eq!(to(ChangesRequested, Some(UserId(4))), [1]);
        assert_eq!(to(PostApproved, None), [1]);
        assert_eq!(to(CommentAdded, Some(UserId(5))), [1, 4]);
        assert_eq!(to(CommentAdded, Some(AUTHOR)), [4, 5]);
        // An author who is also an approver hears of a comment once.
        assert_eq!(recipients(CommentAdded, UserId(4), &APPROVERS, &LEADS, None).len(), 2);
    }
}
