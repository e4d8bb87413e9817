//! Moving a post through the workflow: each transition, its audit entry, its notifications
//! and its SLA timers are written in one transaction, so none exists without the others.

use super::posts::{PlanPost, platform_problems};
use super::{refusal, timers};
use crate::{Store, StoreError, StoreResult, append_audit, audit::NewAuditEvent, enqueue_job, now, on_pool};
use chrono::{DateTime, Utc};
use keel_domain::UserId;
use keel_domain::notification::NotificationKind;
use keel_domain::workflow::state::{flagged_for_rounds, submit_blocked_by_open_suggestions};
use keel_domain::workflow::{PostAction, PostState, Refusal, Relation, sla, transition};

/// What some actions carry.
#[derive(Debug, Clone, Default)]
pub struct ActionInput {
    /// The approver's remark (required to request changes; it becomes an open suggestion).
    pub comment: Option<String>,
    /// For `Schedule`: the publication time (else the post's own `scheduled_at`).
    pub scheduled_at: Option<DateTime<Utc>>,
    /// How the decision arrived when not through a signed-in page or the API (`review_link`),
    /// kept in the audit entry's detail.
    pub via: Option<&'static str>,
}

/// The part of the post row a transition writes.
struct Change {
    state: PostState,
    audit_detail: serde_json::Value,
    /// SQL assignments beyond `state` and `updated_at`, using `$4` = the time of the action.
    extra_sets: &'static str,
    scheduled_at: Option<DateTime<Utc>>,
    notify: Option<NotificationKind>,
    /// (halfway, deadline) timers to start.
    sla_timers: Option<(DateTime<Utc>, DateTime<Utc>)>,
    suggestion: Option<String>,
}

impl Store {
    /// Applies a workflow action (not Edit, Comment or ResolveSuggestion, which have their own
    /// functions) by `actor`, whose relation to the post is `who`, at the current time.
    pub async fn apply_post_action(
        &self,
        post: &PlanPost,
        action: PostAction,
        who: Relation,
        actor: UserId,
        input: &ActionInput,
    ) -> StoreResult<PlanPost> {
        self.apply_post_action_at(post, action, who, actor, input, now()).await
    }

    /// [`Store::apply_post_action`] at a given time (tests and the demo date their actions).
    pub async fn apply_post_action_at(
        &self,
        post: &PlanPost,
        action: PostAction,
        who: Relation,
        actor: UserId,
        input: &ActionInput,
        at: DateTime<Utc>,
    ) -> StoreResult<PlanPost> {
        let at = chrono::SubsecRound::trunc_subsecs(at, 0);
        let from = post.state();
        let to = transition(from, action, who).map_err(refusal)?;
        let comment = input.comment.as_deref().map(str::trim).filter(|c| !c.is_empty());
        let change = match action {
            PostAction::Submit => self.submission(post, at).await?,
            PostAction::Approve => Change {
                state: to,
                audit_detail: serde_json::json!({ "comment": comment }),
                extra_sets: ", approved_at = $4, first_decision_at = COALESCE(first_decision_at, $4)",
                scheduled_at: post.scheduled_at,
                notify: Some(NotificationKind::PostApproved),
                sla_timers: None,
                suggestion: None,
            },
            PostAction::RequestChanges => {
                let comment = comment.ok_or(StoreError::Refused(Refusal::CommentRequired))?;
                let round = post.revision_rounds + 1;
                Change {
                    state: to,
                    audit_detail: serde_json::json!({
                        "comment": comment, "round": round, "flagged": flagged_for_rounds(round as u32),
                    }),
                    extra_sets: ", revision_rounds = revision_rounds + 1, first_decision_at = COALESCE(first_decision_at, $4)",
                    scheduled_at: post.scheduled_at,
                    notify: Some(NotificationKind::ChangesRequested),
                    sla_timers: None,
                    suggestion: Some(comment.to_owned()),
                }
            }
            PostAction::Schedule => {
                let when = input
                    .scheduled_at
                    .or(post.scheduled_at)
                    .ok_or_else(|| StoreError::Unacceptable {
                        en: "field `scheduled_at`: a post is scheduled for a date and time".into(),
                        ru: "поле «когда»: чтобы запланировать пост, укажите дату и время".into(),
                    })?;
                Change {
                    state: to,
                    audit_detail: serde_json::json!({ "scheduled_at": when }),
                    extra_sets: "",
                    scheduled_at: Some(when),
                    notify: None,
                    sla_timers: None,
                    suggestion: None,
                }
            }
            PostAction::MarkPublished | PostAction::MarkFailed | PostAction::BackToDraft => Change {
                state: to,
                audit_detail: serde_json::json!({ "comment": comment, "from": from.as_str() }),
                extra_sets: "",
                scheduled_at: post.scheduled_at,
                notify: None,
                sla_timers: None,
                suggestion: None,
            },
            PostAction::Edit | PostAction::Comment | PostAction::ResolveSuggestion => {
                return Err(StoreError::Invalid(format!("{action:?} is not a state change")));
            }
        };
        let mut change = change;
        if let Some(via) = input.via {
            match &mut change.audit_detail {
                serde_json::Value::Object(map) => {
                    map.insert("via".into(), via.into());
                }
                other => *other = serde_json::json!({ "via": via }),
            }
        }
        self.write_transition(post, from, action, Some(actor), change, at)
            .await?;
        self.plan_post(post.org(), post.id).await?.ok_or(StoreError::NotFound)
    }

    /// Keel schedules an approved post for `at` on its own (an urgent post the project
    /// publishes at once): the same transition as a person's `Schedule` — audited with no actor,
    /// the publishing job queued for `at` — in one transaction. The caller decides when it
    /// applies (`keel_app::workflow`).
    pub async fn schedule_by_keel(&self, post: &PlanPost, at: DateTime<Utc>, why: &str) -> StoreResult<PlanPost> {
        let at = chrono::SubsecRound::trunc_subsecs(at, 0);
        let from = post.state();
        let keel = Relation::new(keel_domain::RoleSet::of(keel_domain::Role::AgencyLead), false);
        let to = transition(from, PostAction::Schedule, keel).map_err(refusal)?;
        let change = Change {
            state: to,
            audit_detail: serde_json::json!({ "scheduled_at": at, "by": "keel", "why": why }),
            extra_sets: "",
            scheduled_at: Some(at),
            notify: None,
            sla_timers: None,
            suggestion: None,
        };
        self.write_transition(post, from, PostAction::Schedule, None, change, at)
            .await?;
        self.plan_post(post.org(), post.id).await?.ok_or(StoreError::NotFound)
    }

    /// Checks a (re)submission and prepares its SLA clock.
    async fn submission(&self, post: &PlanPost, at: DateTime<Utc>) -> StoreResult<Change> {
        let open = self.open_suggestions(post.id).await?;
        if submit_blocked_by_open_suggestions(open) {
            return Err(StoreError::Refused(Refusal::OpenSuggestions(open)));
        }
        let variants = self.plan_variants(post.id).await?;
        let images = self.plan_images(post.id).await?.len();
        let problems = platform_problems(post, &variants, images);
        if !problems.is_empty() {
            let list = |lang| problems.iter().map(|p| p.message(lang)).collect::<Vec<_>>().join("; ");
            return Err(StoreError::Unacceptable {
                en: format!("the post cannot go to review: {}", list(keel_domain::Lang::En)),
                ru: format!("пост нельзя отправить на согласование: {}", list(keel_domain::Lang::Ru)),
            });
        }
        let resubmission = post.state() == PostState::ChangesRequested;
        let (sets, timers, deadline, notify) = if post.urgent {
            let minutes = self.workflow_settings(post.project()).await?.urgent_sla_minutes;
            let deadline = sla::deadline(at, minutes);
            (
                // A new clock: its deadline, and no decision on it yet.
                ", submitted_at = $4, first_submitted_at = COALESCE(first_submitted_at, $4), first_decision_at = NULL",
                Some((sla::halfway(at, minutes), deadline)),
                Some(deadline),
                NotificationKind::UrgentPostSubmitted,
            )
        } else {
            (
                ", submitted_at = $4, first_submitted_at = COALESCE(first_submitted_at, $4)",
                None,
                None,
                NotificationKind::PostSubmitted,
            )
        };
        Ok(Change {
            state: PostState::InReview,
            audit_detail: serde_json::json!({
                "resubmission": resubmission, "urgent": post.urgent, "sla_deadline": deadline,
            }),
            extra_sets: sets,
            scheduled_at: post.scheduled_at,
            notify: Some(notify),
            sla_timers: timers,
            suggestion: None,
        })
    }

    /// Writes one transition — row, audit entry, suggestion, jobs — in one transaction; the
    /// row is updated only if still in `from` (a concurrent change wins, this one is refused).
    async fn write_transition(
        &self,
        post: &PlanPost,
        from: PostState,
        action: PostAction,
        actor: Option<UserId>,
        change: Change,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let sql = format!(
            "UPDATE plan_posts SET state = $1, updated_at = $4, scheduled_at = $6,
                    sla_deadline = COALESCE($5, sla_deadline){} WHERE id = $2 AND state = $3",
            change.extra_sets
        );
        let deadline = change.sla_timers.map(|(_, d)| d);
        on_pool!(&self.pool, p => {
            let mut tx = p.begin().await?;
            let done = sqlx::query(&sql)
                .bind(change.state.as_str())
                .bind(post.id.0)
                .bind(from.as_str())
                .bind(at)
                .bind(deadline)
                .bind(change.scheduled_at)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if done == 0 {
                return Err(StoreError::Refused(Refusal::ChangedMeanwhile));
            }
            append_audit!(&mut *tx, NewAuditEvent {
                org: post.org(),
                project: post.project(),
                subject_kind: "post",
                subject_id: post.id.0,
                actor,
                action: action.audit_verb(),
                detail: change.audit_detail.clone(),
                at,
            })?;
            if let (Some(text), Some(author)) = (&change.suggestion, actor) {
                sqlx::query(
                    "INSERT INTO plan_comments (post_id, author_id, text, advisory, suggestion, created_at)
                     VALUES ($1, $2, $3, FALSE, 'open', $4)",
                )
                .bind(post.id.0)
                .bind(author.0)
                .bind(text)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            }
            if let Some(kind) = change.notify {
                enqueue_job!(&mut *tx, timers::NOTIFY, timers::notify_payload(post.id, kind, actor, at), at)?;
            }
            if let (PostAction::Schedule, Some(when)) = (action, change.scheduled_at) {
                // Publishing runs at the post's time; an earlier job of a rescheduled post finds
                // it not yet due and leaves it to this one.
                let payload = serde_json::json!({ "post_id": post.id });
                enqueue_job!(&mut *tx, super::publications::PUBLISH, payload, when)?;
            }
            if let Some((halfway, deadline)) = change.sla_timers {
                let payload = serde_json::json!({ "post_id": post.id, "submitted_at": at });
                enqueue_job!(&mut *tx, timers::SLA_HALFWAY, payload, halfway)?;
                enqueue_job!(&mut *tx, timers::SLA_EXPIRY, payload, deadline)?;
            }
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })
    }
}
