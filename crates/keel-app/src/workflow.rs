//! The decisions on a post — approve, request changes (with a comment), submit, schedule,
//! mark published or failed, back to draft — taken the same way from every edge: the web
//! page, the API, the Telegram bot (and review links). The state machine is the domain's;
//! the transition with its audit entry, notifications and timers is written by the store in
//! one transaction.

use crate::access::{self, ProjectAccess};
use crate::refusal::{AppResult, Refusal};
use keel_domain::workflow::{PostAction, transition};
use keel_domain::{Action, Lang, PostId, UserId};
use keel_store::Store;
use keel_store::plan::posts::PlanPost;
use std::sync::Arc;

pub use keel_store::plan::actions::ActionInput;

/// The permission (of the project's roles) an action on a post needs.
pub fn permission_for(action: PostAction) -> Action {
    match action {
        PostAction::Approve | PostAction::RequestChanges => Action::DecidePosts,
        PostAction::Comment => Action::CommentPosts,
        PostAction::Edit
        | PostAction::Submit
        | PostAction::ResolveSuggestion
        | PostAction::Schedule
        | PostAction::MarkPublished
        | PostAction::MarkFailed
        | PostAction::BackToDraft => Action::WritePosts,
    }
}

/// `who` moves `post` by `action`; the post as it is afterwards. A person whose roles do not
/// allow the action hears the workflow's reason (not an approver, not the agency, …).
pub async fn decide(
    store: &Store,
    who: &ProjectAccess,
    post: &PlanPost,
    action: PostAction,
    input: &ActionInput,
) -> AppResult<PlanPost> {
    let relation = who.relation(post);
    if !who.allows(permission_for(action)) {
        let reason = transition(post.state(), action, relation)
            .err()
            .filter(|r| r.is_permission())
            .map_or(Refusal::Forbidden, Refusal::from);
        return Err(reason.into());
    }
    let after = store
        .apply_post_action(post, action, relation, who.user.id(), input)
        .await?;
    if action == PostAction::Approve {
        return urgent_at_once(store, after).await;
    }
    Ok(after)
}

/// Whether an approved post goes out at once: the project says so, the post is urgent, has no
/// date, and was approved inside its SLA (by its deadline).
pub fn goes_out_at_once(post: &PlanPost, publish_urgent_at_once: bool) -> bool {
    post.state() == keel_domain::workflow::PostState::Approved
        && at_once(
            publish_urgent_at_once,
            post.urgent,
            post.scheduled_at.is_some(),
            post.approved_at,
            post.sla_deadline,
        )
}

fn at_once(
    setting: bool,
    urgent: bool,
    dated: bool,
    approved_at: Option<chrono::DateTime<chrono::Utc>>,
    deadline: Option<chrono::DateTime<chrono::Utc>>,
) -> bool {
    setting && urgent && !dated && matches!((approved_at, deadline), (Some(at), Some(deadline)) if at <= deadline)
}

/// After an approval: an urgent post the project publishes at once is scheduled for now, which
/// queues its publishing job (the publications then go out on the runner's next pass).
async fn urgent_at_once(store: &Store, post: PlanPost) -> AppResult<PlanPost> {
    let settings = store.workflow_settings(post.project()).await?;
    if !goes_out_at_once(&post, settings.publish_urgent_at_once) {
        return Ok(post);
    }
    let at = post.approved_at.unwrap_or_else(keel_store::now);
    match store
        .schedule_by_keel(&post, at.max(keel_store::now()), "urgent_approved_inside_sla")
        .await
    {
        Ok(scheduled) => Ok(scheduled),
        // Someone moved the post meanwhile (scheduled it, sent it back): theirs stands.
        Err(keel_store::StoreError::Refused(_)) => Ok(post),
        Err(e) => Err(e.into()),
    }
}

/// [`decide`] for a person known only by id (a chat, a link): the post is looked up in their
/// organization, and one of a project they are not on is "not found".
pub async fn decide_as(
    store: &Store,
    user: UserId,
    post_id: PostId,
    action: PostAction,
    input: &ActionInput,
) -> AppResult<PlanPost> {
    let user = Arc::new(store.user_by_id(user).await?);
    let (who, post) = access::to_post(store, user, post_id, None, Action::View).await?;
    decide(store, &who, &post, action, input).await
}

/// The language a person chose for what Keel sends them (English unless they chose Russian).
pub async fn language_of(store: &Store, user: UserId) -> Lang {
    store
        .recipient(user)
        .await
        .map(|r| Lang::from_code(r.notify_language.as_deref()))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::at_once;
    use chrono::{Duration, TimeZone, Utc};

    #[test]
    fn only_an_undated_urgent_post_approved_by_its_deadline_goes_out_at_once() {
        let deadline = Utc.with_ymd_and_hms(2026, 12, 4, 9, 30, 0).unwrap();
        let inside = Some(deadline - Duration::minutes(5));
        assert!(at_once(true, true, false, inside, Some(deadline)));
        assert!(
            at_once(true, true, false, Some(deadline), Some(deadline)),
            "at the deadline is inside"
        );
        assert!(
            !at_once(false, true, false, inside, Some(deadline)),
            "the project did not ask"
        );
        assert!(!at_once(true, false, false, inside, Some(deadline)), "not urgent");
        assert!(!at_once(true, true, true, inside, Some(deadline)), "it has its date");
        assert!(
            !at_once(true, true, false, Some(deadline + Duration::seconds(1)), Some(deadline)),
            "late"
        );
        assert!(!at_once(true, true, false, inside, None), "no SLA clock");
        assert!(!at_once(true, true, false, None, Some(deadline)), "not approved");
    }
}
