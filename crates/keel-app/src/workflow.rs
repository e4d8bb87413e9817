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
    Ok(store
        .apply_post_action(post, action, relation, who.user.id(), input)
        .await?)
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
