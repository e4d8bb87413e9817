//! The Telegram bot's buttons as decisions: each press goes through `keel_app::workflow`
//! (the same access, rules and audit entry as on the web, with the person as actor) and is
//! answered in the person's language.

use keel_app::wording::chat;
use keel_app::workflow::{self, ActionInput};
use keel_app::{AppError, Refusal};
use keel_domain::UserId;
use keel_domain::workflow::PostAction;
use keel_notify::telegram::{ApprovalDesk, DeskFuture};
use keel_store::{Store, StoreError};

/// The workflow as the bot's [`ApprovalDesk`].
pub struct WorkflowDesk {
    store: Store,
}

impl WorkflowDesk {
    pub fn new(store: Store) -> WorkflowDesk {
        WorkflowDesk { store }
    }

    async fn decide(
        &self,
        user: UserId,
        post_id: i64,
        action: PostAction,
        comment: Option<&str>,
    ) -> Result<String, String> {
        let lang = workflow::language_of(&self.store, user).await;
        let input = ActionInput {
            comment: comment.map(str::to_owned),
            scheduled_at: None,
            via: None,
        };
        match workflow::decide_as(&self.store, user, keel_domain::PostId(post_id), action, &input).await {
            Ok(post) => Ok(chat::done(lang, post_id, action, &post.excerpt(60))),
            Err(AppError::Refused(refusal)) => Err(chat::refused(lang, post_id, &refusal)),
            Err(AppError::Store(StoreError::Conflict(_))) => Err(chat::refused(lang, post_id, &Refusal::WrongState)),
            Err(AppError::Store(StoreError::Invalid(message))) => Err(chat::invalid(lang, post_id, &message)),
            Err(AppError::Store(StoreError::Unacceptable { en, ru })) => {
                let message = if lang == keel_domain::Lang::Ru { ru } else { en };
                Err(chat::invalid(lang, post_id, &message))
            }
            Err(e) => {
                tracing::warn!(error = %e, post_id, "a decision from Telegram failed");
                Err(chat::failed(lang, post_id, &e))
            }
        }
    }
}

impl ApprovalDesk for WorkflowDesk {
    fn approve(&self, user: UserId, post_id: i64) -> DeskFuture<'_> {
        Box::pin(self.decide(user, post_id, PostAction::Approve, None))
    }

    fn request_changes<'a>(&'a self, user: UserId, post_id: i64, comment: &'a str) -> DeskFuture<'a> {
        Box::pin(self.decide(user, post_id, PostAction::RequestChanges, Some(comment)))
    }
}
