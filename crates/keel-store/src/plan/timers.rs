//! The workflow's background jobs: turning events into notifications, delivering them on
//! every channel, and the urgent-post SLA clock (reminder at half time, miss at expiry,
//! optional auto-approval).

use super::posts::{POST_SELECT, PlanPost};
use crate::jobs::{Job, JobFuture, JobHandler, JobRunner};
use crate::{Store, StoreError, StoreResult, append_audit, audit::NewAuditEvent, enqueue_job, on_pool};
use chrono::{DateTime, Utc};
use keel_domain::notification::{Channel, Deliver, Notification, NotificationKind};
use keel_domain::workflow::PostState;
use keel_domain::workflow::state::auto_approve;
use keel_domain::{PostId, ProjectId, Role, UserId};
use std::sync::Arc;

pub const NOTIFY: &str = "workflow.notify";
pub const DELIVER: &str = "notify.deliver";
pub const SLA_HALFWAY: &str = "workflow.sla_halfway";
pub const SLA_EXPIRY: &str = "workflow.sla_expiry";

pub(crate) fn notify_payload(
    post: PostId,
    kind: NotificationKind,
    actor: Option<UserId>,
    at: DateTime<Utc>,
) -> serde_json::Value {
    serde_json::json!({ "post_id": post, "kind": kind.as_str(), "actor_id": actor.map(|a| a.0), "at": at })
}

/// Every delivery channel of this installation; other crates add theirs (e-mail, Telegram).
#[derive(Clone, Default)]
pub struct Deliveries {
    channels: Vec<Arc<dyn Deliver>>,
}

impl Deliveries {
    pub fn new() -> Deliveries {
        Deliveries::default()
    }

    /// Adds a channel (replacing one already registered for the same [`Channel`]).
    pub fn register(&mut self, channel: Arc<dyn Deliver>) {
        self.channels.retain(|c| c.channel() != channel.channel());
        self.channels.push(channel);
    }

    pub fn channels(&self) -> impl Iterator<Item = Channel> + '_ {
        self.channels.iter().map(|c| c.channel())
    }

    fn get(&self, channel: Channel) -> Option<&Arc<dyn Deliver>> {
        self.channels.iter().find(|c| c.channel() == channel)
    }
}

/// Registers the workflow's job kinds on `runner`, delivering through `deliveries`.
pub fn register_workflow_jobs(runner: &mut JobRunner, deliveries: Deliveries) {
    let deliveries = Arc::new(deliveries);
    runner.register(NOTIFY, Arc::new(NotifyJob(deliveries.clone())));
    runner.register(DELIVER, Arc::new(DeliverJob(deliveries)));
    runner.register(SLA_HALFWAY, Arc::new(SlaJob { expiry: false }));
    runner.register(SLA_EXPIRY, Arc::new(SlaJob { expiry: true }));
}

fn field<'a>(job: &'a Job, name: &str) -> Result<&'a serde_json::Value, String> {
    job.payload
        .get(name)
        .ok_or_else(|| format!("job {} has no `{name}` in its payload", job.id))
}

fn err(e: StoreError) -> String {
    e.to_string()
}

/// A workflow event → one notification per recipient → one delivery job per channel, so a
/// channel that fails is retried alone and the others do not send twice.
struct NotifyJob(Arc<Deliveries>);

impl JobHandler for NotifyJob {
    fn run<'a>(&'a self, store: &'a Store, job: &'a Job, as_of: DateTime<Utc>) -> JobFuture<'a> {
        Box::pin(async move {
            let post_id = field(job, "post_id")?.as_i64().ok_or("post_id is not a number")?;
            let kind = field(job, "kind")?
                .as_str()
                .and_then(NotificationKind::parse)
                .ok_or("unknown notification kind")?;
            let actor = job.payload.get("actor_id").and_then(|a| a.as_i64());
            let Some(post) = store.plan_post_any(PostId(post_id)).await.map_err(err)? else {
                return Ok(()); // the post is gone: nobody to tell about it
            };
            let notifications = store.notifications_for(&post, kind, actor).await.map_err(err)?;
            let channels: Vec<Channel> = self.0.channels().collect();
            on_pool!(&store.pool, p => async {
                let mut tx = p.begin().await?;
                for n in &notifications {
                    for channel in &channels {
                        let payload = serde_json::json!({ "channel": channel.as_str(), "notification": to_json(n) });
                        enqueue_job!(&mut *tx, DELIVER, payload, as_of)?;
                    }
                }
                tx.commit().await
            }.await)
            .map_err(|e| e.to_string())
        })
    }
}

struct DeliverJob(Arc<Deliveries>);

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

/// The SLA clock of one submission: does nothing if the post was decided, withdrawn or
/// resubmitted meanwhile (the payload names the submission it belongs to).
struct SlaJob {
    expiry: bool,
}

impl JobHandler for SlaJob {
    fn run<'a>(&'a self, store: &'a Store, job: &'a Job, _as_of: DateTime<Utc>) -> JobFuture<'a> {
        Box::pin(async move {
            let post_id = field(job, "post_id")?.as_i64().ok_or("post_id is not a number")?;
            let submitted: DateTime<Utc> =
                serde_json::from_value(field(job, "submitted_at")?.clone()).map_err(|e| e.to_string())?;
            let Some(post) = store.plan_post_any(PostId(post_id)).await.map_err(err)? else {
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
            if self.expiry {
                store.record_sla_miss(&post, at).await.map_err(err)
            } else {
                store
                    .enqueue_job(
                        NOTIFY,
                        &notify_payload(post.id, NotificationKind::SlaHalfway, None, at),
                        at,
                    )
                    .await
                    .map_err(err)
            }
        })
    }
}

impl Store {
    /// A post by id in any organization: for background jobs only, which act for Keel itself.
    pub(crate) async fn plan_post_any(&self, id: PostId) -> StoreResult<Option<PlanPost>> {
        let sql = format!("{POST_SELECT} WHERE p.id = $1");
        Ok(on_pool!(&self.pool, p => sqlx::query_as::<_, PlanPost>(&sql).bind(id.0).fetch_optional(p).await)?)
    }

    /// The SLA expired without a decision: the miss goes on the record and on the post;
    /// approvers and the agency lead hear of it; with auto-approval on, Keel approves.
    async fn record_sla_miss(&self, post: &PlanPost, at: DateTime<Utc>) -> StoreResult<()> {
        let settings = self.workflow_settings(post.project()).await?;
        let approve = settings.auto_approve && auto_approve(post.state()).is_some();
        on_pool!(&self.pool, p => {
            let mut tx = p.begin().await?;
            let done = sqlx::query(
                "UPDATE plan_posts SET sla_missed = TRUE,
                        state = CASE WHEN $3 THEN 'approved' ELSE state END,
                        approved_at = CASE WHEN $3 THEN $2 ELSE approved_at END,
                        updated_at = $2
                 WHERE id = $1 AND state = 'in_review' AND first_decision_at IS NULL",
            )
            .bind(post.id.0)
            .bind(at)
            .bind(approve)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if done == 0 {
                return Ok(()); // decided in the meantime
            }
            let event = |action: &'static str, detail: serde_json::Value| NewAuditEvent {
                org: post.org(),
                project: post.project(),
                subject_kind: "post",
                subject_id: post.id.0,
                actor: None,
                action,
                detail,
                at,
            };
            append_audit!(&mut *tx, event("sla_missed", serde_json::json!({
                "sla_deadline": post.sla_deadline, "sla_minutes": settings.urgent_sla_minutes,
            })))?;
            enqueue_job!(&mut *tx, NOTIFY, notify_payload(post.id, NotificationKind::SlaMissed, None, at), at)?;
            if approve {
                append_audit!(&mut *tx, event("auto_approved", serde_json::json!({
                    "reason": "the project approves urgent posts automatically when the SLA expires",
                })))?;
                enqueue_job!(&mut *tx, NOTIFY, notify_payload(post.id, NotificationKind::PostApproved, None, at), at)?;
            }
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })
    }

    /// Who hears of `kind` on `post` (never the person who caused it), with the message.
    async fn notifications_for(
        &self,
        post: &PlanPost,
        kind: NotificationKind,
        actor: Option<i64>,
    ) -> StoreResult<Vec<Notification>> {
        let members = self.members_of(post.project()).await?;
        let with_role = |role: Role| -> Vec<i64> {
            members
                .iter()
                .filter(|m| m.role() == Some(role))
                .map(|m| m.user_id)
                .collect()
        };
        let approvers = with_role(Role::ClientApprover);
        let mut recipients: Vec<i64> = match kind {
            NotificationKind::PostSubmitted | NotificationKind::UrgentPostSubmitted | NotificationKind::SlaHalfway => {
                approvers
            }
            NotificationKind::SlaMissed => [approvers, with_role(Role::AgencyLead)].concat(),
            NotificationKind::ChangesRequested | NotificationKind::PostApproved => vec![post.author_id],
            NotificationKind::CommentAdded => [vec![post.author_id], approvers].concat(),
        };
        recipients.sort_unstable();
        recipients.dedup();
        recipients.retain(|r| Some(*r) != actor);
        let project = self.project_by_id(post.project()).await?;
        let excerpt = post.excerpt(60);
        let mut out = Vec::with_capacity(recipients.len());
        for r in recipients {
            // Each person reads the title in the language they chose for notifications.
            let language = self.recipient(UserId(r)).await?.notify_language;
            out.push(Notification {
                kind,
                recipient: UserId(r),
                project: post.project(),
                post_id: post.id.0,
                title: super::wording::notification_title(
                    kind,
                    keel_domain::Lang::from_code(language.as_deref()),
                    &excerpt,
                    post.sla_deadline,
                ),
                body: format!("{} · {}", project.name, post.platforms.replace(',', ", ")),
                link_path: format!("/projects/{}/posts/{}", project.slug, post.id),
            });
        }
        Ok(out)
    }
}
