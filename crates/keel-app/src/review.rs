//! Guest approvers and their review links: a client's approver who never made an account
//! decides on the posts waiting for them through an expiring, revocable link, by the same
//! rules and with the same audit trail as a signed-in approver (marked "via review link").

use crate::access::ProjectAccess;
use crate::refusal::{AppResult, Refusal};
use keel_domain::permission::may_assign;
use keel_domain::workflow::PostAction;
use keel_domain::{Access, Email, PostId, Role, UserId};
use keel_store::Store;
use keel_store::plan::actions::ActionInput;
use keel_store::plan::posts::PlanPost;
use keel_store::review_links::{REVIEW_LINK_DAYS, ReviewLink};
use keel_store::users::User;
use std::sync::Arc;

/// The longest a link may work.
pub const MAX_LINK_DAYS: i64 = 30;

/// Adds `name <email>` to the project as an approver: an existing person of the organization
/// gets the role; anyone else becomes a guest (a user with no password, who cannot log in
/// until they set one through "forgot password", keeping their history).
pub async fn add_guest_approver(store: &Store, ctx: &ProjectAccess, name: &str, email: &str) -> AppResult<User> {
    if !may_assign(ctx.access, Role::ClientApprover) {
        return Err(Refusal::Forbidden.into());
    }
    let email = Email::parse(email).map_err(|e| Refusal::invalid("email", e.to_string()))?;
    let name = name.trim();
    if name.is_empty() {
        return Err(Refusal::invalid("name", "say the approver's name").into());
    }
    let user = match store.user_by_email(&email).await? {
        Some(user) if user.org_id == ctx.project.org_id => user,
        Some(_) => return Err(Refusal::invalid("email", "this address belongs to another organization").into()),
        // An empty hash verifies no password: the guest cannot log in until they set one.
        None => store.create_user(ctx.project.org(), &email, name, "", false).await?,
    };
    store
        .add_member(
            ctx.project.org(),
            ctx.project.id(),
            user.id(),
            Role::ClientApprover,
            None,
        )
        .await?;
    Ok(user)
}

/// Makes a link for `approver` (an approver of this project) working `days` days (7 when not
/// said, at most 30); the token is returned once.
pub async fn create_link(
    store: &Store,
    ctx: &ProjectAccess,
    approver: UserId,
    days: Option<i64>,
) -> AppResult<(ReviewLink, String)> {
    if !may_assign(ctx.access, Role::ClientApprover) {
        return Err(Refusal::Forbidden.into());
    }
    let days = days.unwrap_or(REVIEW_LINK_DAYS);
    if !(1..=MAX_LINK_DAYS).contains(&days) {
        return Err(Refusal::invalid("days", format!("a link works 1 to {MAX_LINK_DAYS} days, not {days}")).into());
    }
    let roles = store.roles_in(ctx.project.id(), approver).await?;
    if !roles.contains(&Role::ClientApprover) {
        return Err(Refusal::invalid("approver", "a review link is for an approver of this project").into());
    }
    Ok(store
        .create_review_link(ctx.project.org(), ctx.project.id(), approver, ctx.user.id(), days)
        .await?)
}

/// Revokes link `id` of the project; false when there was no live link of that id here
/// (revoking twice is no error: the link is dead either way).
pub async fn revoke_link(store: &Store, ctx: &ProjectAccess, id: i64) -> AppResult<bool> {
    if !may_assign(ctx.access, Role::ClientApprover) {
        return Err(Refusal::Forbidden.into());
    }
    Ok(store
        .revoke_review_link(ctx.project.org(), ctx.project.id(), id, ctx.user.id())
        .await?)
}

/// What a live link opens: its approver's access to its project (exactly their roles there;
/// a link whose person lost the approver role opens nothing).
pub struct Guest {
    pub link: ReviewLink,
    pub access: ProjectAccess,
}

/// The guest behind `token`; an unknown, revoked or expired link is [`Refusal::LinkGone`].
/// `count` records the open (pages), not the form submits.
pub async fn open(store: &Store, token: &str, count: bool) -> AppResult<Guest> {
    let link = if count {
        store.open_review_link(token).await?
    } else {
        store.review_link(token).await?
    };
    let link = link.ok_or(Refusal::LinkGone)?;
    let user = Arc::new(store.user_by_id(UserId(link.user_id)).await?);
    let project = store.project_by_id(keel_domain::ProjectId(link.project_id)).await?;
    let roles = store.roles_in(project.id(), user.id()).await?;
    if !roles.contains(&Role::ClientApprover) {
        return Err(Refusal::LinkGone.into());
    }
    let access = ProjectAccess {
        user,
        project: Arc::new(project),
        // Never the organization's admin rights, whoever the person is: a link decides posts.
        access: Access {
            roles: roles.into_iter().collect(),
            org_admin: false,
        },
    };
    Ok(Guest { link, access })
}

impl Guest {
    /// The posts waiting for this approver: in review, not their own.
    pub async fn waiting(&self, store: &Store) -> AppResult<Vec<PlanPost>> {
        Ok(store
            .plan_posts_of(self.access.project.id())
            .await?
            .into_iter()
            .filter(|p| p.state().as_str() == "in_review" && p.author_id != self.access.user.id().0)
            .collect())
    }

    /// Approves or requests changes on `post` (a post of the link's project), recorded as the
    /// approver's decision via the review link.
    pub async fn decide(
        &self,
        store: &Store,
        post: PostId,
        action: PostAction,
        comment: Option<String>,
    ) -> AppResult<PlanPost> {
        if !matches!(action, PostAction::Approve | PostAction::RequestChanges) {
            return Err(Refusal::Forbidden.into());
        }
        let post = store
            .plan_post(self.access.project.org(), post)
            .await?
            .filter(|p| p.project_id == self.access.project.id().0)
            .ok_or(Refusal::NotFound)?;
        let input = ActionInput {
            comment,
            scheduled_at: None,
            via: Some("review_link"),
        };
        crate::workflow::decide(store, &self.access, &post, action, &input).await
    }
}
