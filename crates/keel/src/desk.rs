//! Decisions taken with the Telegram bot's buttons, carried out by the workflow's own
//! transition function: the same permission checks as `POST /api/v1/posts/{id}/approve` (the
//! person must see the post's project in their organization, hold `client_approver` there and
//! not be its author) and the same audit entry, with the person as actor.

use keel_domain::permission::{Access, Decision, decide};
use keel_domain::workflow::state::Refusal;
use keel_domain::workflow::{PostAction, transition};
use keel_domain::{OrgId, RoleSet, UserId};
use keel_notify::telegram::{ApprovalDesk, DeskFuture};
use keel_store::plan::actions::ActionInput;
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
        let ru = self
            .store
            .recipient(user)
            .await
            .is_ok_and(|r| r.notify_language.as_deref() == Some("ru"));
        let say = |en: String, ru_text: String| if ru { ru_text } else { en };
        let failed = |e: StoreError| {
            tracing::warn!(error = %e, post_id, "a decision from Telegram failed");
            say(
                format!(
                    "Post #{post_id}: Keel could not record the decision ({e}); try again or open the post in Keel."
                ),
                format!(
                    "Публикация #{post_id}: Keel не смог записать решение ({e}); попробуйте ещё раз или откройте публикацию в Keel."
                ),
            )
        };
        let not_found = || {
            say(
                format!("Post #{post_id} was not found: it was deleted, or you have no access to its project."),
                format!("Публикация #{post_id} не найдена: её удалили, или у вас нет доступа к её проекту."),
            )
        };
        let person = match self.store.user_by_id(user).await {
            Ok(person) => person,
            Err(StoreError::NotFound) => return Err(not_found()),
            Err(e) => return Err(failed(e)),
        };
        // Scoped to the person's organization, as every web request is.
        let post = self
            .store
            .plan_post(OrgId(person.org_id), keel_domain::PostId(post_id))
            .await
            .map_err(failed)?
            .ok_or_else(not_found)?;
        let roles: RoleSet = self
            .store
            .roles_in(post.project(), user)
            .await
            .map_err(failed)?
            .into_iter()
            .collect();
        let access = Access {
            roles,
            org_admin: person.is_org_admin,
        };
        match decide(access, keel_domain::permission::Action::DecidePosts) {
            Decision::Allow => {}
            Decision::Invisible => return Err(not_found()),
            Decision::Forbidden => return Err(refusal_text(ru, post_id, Refusal::NotApprover)),
        }
        let relation = self
            .store
            .relation_to(post.project(), user, post.author_id)
            .await
            .map_err(failed)?;
        // The transition is checked here first only to word a refusal in the person's language;
        // `apply_post_action` checks it again inside its transaction.
        transition(post.state(), action, relation).map_err(|r| refusal_text(ru, post_id, r))?;
        let input = ActionInput {
            comment: comment.map(str::to_owned),
            scheduled_at: None,
        };
        match self
            .store
            .apply_post_action(&post, action, relation, user, &input)
            .await
        {
            Ok(_) => {}
            Err(StoreError::Conflict(_)) => return Err(refusal_text(ru, post_id, Refusal::WrongState)),
            Err(StoreError::Invalid(message)) => {
                return Err(say(
                    format!("Post #{post_id}: {message}"),
                    format!("Публикация #{post_id}: {message}"),
                ));
            }
            Err(e) => return Err(failed(e)),
        }
        let excerpt = post.excerpt(60);
        Ok(match action {
            PostAction::Approve => say(
                format!("Approved post #{post_id} «{excerpt}». The author has been told."),
                format!("Публикация #{post_id} «{excerpt}» согласована. Автор получит уведомление."),
            ),
            _ => say(
                format!(
                    "Changes requested on post #{post_id} «{excerpt}». Your comment went to the author as a suggestion."
                ),
                format!(
                    "По публикации #{post_id} «{excerpt}» запрошены правки. Ваш комментарий передан автору как предложение."
                ),
            ),
        })
    }
}

/// Why a decision was refused, in the person's language.
fn refusal_text(ru: bool, post_id: i64, refusal: Refusal) -> String {
    let (en, ru_text) = match refusal {
        Refusal::NotApprover => (
            "only the project's designated approvers may approve or request changes.",
            "согласовывать и запрашивать правки могут только назначенные согласующие проекта.",
        ),
        Refusal::OwnPost => (
            "nobody may approve or send back their own post.",
            "нельзя согласовать или вернуть на доработку собственную публикацию.",
        ),
        Refusal::WrongState => (
            "it is no longer waiting for a decision (someone decided, or it was withdrawn). Open it in Keel to see its state.",
            "она больше не ждёт решения (кто-то уже решил, или её отозвали). Откройте её в Keel, чтобы увидеть состояние.",
        ),
        Refusal::NotAgency | Refusal::ReadOnly => (refusal.message(), refusal.message()),
    };
    if ru {
        format!("Публикация #{post_id}: {ru_text}")
    } else {
        format!("Post #{post_id}: {en}")
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
