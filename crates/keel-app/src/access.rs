//! A caller's access to a project or a post: the project is looked up only inside the
//! caller's organization, a project they are not on is "not found" (its existence is not
//! disclosed), and an action their roles do not allow is "forbidden".

use crate::refusal::{AppResult, Refusal};
use keel_domain::workflow::Relation;
use keel_domain::{Access, Action, Decision, PostId, RoleSet, decide};
use keel_store::Store;
use keel_store::plan::posts::PlanPost;
use keel_store::projects::Project;
use keel_store::users::User;
use std::sync::Arc;

/// A project the caller may see, with their access to it.
#[derive(Clone, Debug)]
pub struct ProjectAccess {
    /// The caller; recorded as the actor of what they change.
    pub user: Arc<User>,
    pub project: Arc<Project>,
    pub access: Access,
}

impl ProjectAccess {
    /// The caller's relation to a post of this project.
    pub fn relation(&self, post: &PlanPost) -> Relation {
        Relation::new(self.access.roles, self.user.id().0 == post.author_id)
    }

    /// Whether the caller may take `action` here.
    pub fn allows(&self, action: Action) -> bool {
        decide(self.access, action) == Decision::Allow
    }
}

/// The caller's access to `project`, if they may take `action` there.
pub async fn to_project(store: &Store, user: Arc<User>, project: Project, action: Action) -> AppResult<ProjectAccess> {
    let roles: RoleSet = store.roles_in(project.id(), user.id()).await?.into_iter().collect();
    decide_access(user, project, roles, action)
}

fn decide_access(user: Arc<User>, project: Project, roles: RoleSet, action: Action) -> AppResult<ProjectAccess> {
    let access = Access {
        roles,
        org_admin: user.is_org_admin,
    };
    match decide(access, action) {
        Decision::Allow => Ok(ProjectAccess {
            user,
            project: Arc::new(project),
            access,
        }),
        Decision::Forbidden => Err(Refusal::Forbidden.into()),
        Decision::Invisible => Err(Refusal::NotFound.into()),
    }
}

/// The project of `slug` in the caller's organization, if they may take `action` there.
pub async fn to_project_by_slug(
    store: &Store,
    user: Arc<User>,
    slug: &str,
    action: Action,
) -> AppResult<ProjectAccess> {
    // Slugs resolve only inside the caller's own organization: nothing crosses tenants.
    // The project and the caller's roles in it come in one round trip.
    let (project, roles) = store
        .project_by_slug_with_roles(user.org(), slug, user.id())
        .await?
        .ok_or(Refusal::NotFound)?;
    decide_access(user, project, roles.into_iter().collect(), action)
}

/// The caller's access to a project already read with its roles (`found`: the project of the
/// address' slug in the caller's organization, if any — see
/// `keel_store::Store::session_caller`), if they may take `action` there.
pub fn to_found_project(
    user: Arc<User>,
    found: Option<(Project, Vec<keel_domain::Role>)>,
    action: Action,
) -> AppResult<ProjectAccess> {
    let (project, roles) = found.ok_or(Refusal::NotFound)?;
    decide_access(user, project, roles.into_iter().collect(), action)
}

/// The post `post_id` in the caller's organization and their access to its project, if they
/// may take `action` there. Where the address also names a project (`slug`), the post must
/// belong to it: one post, one address.
pub async fn to_post(
    store: &Store,
    user: Arc<User>,
    post_id: PostId,
    slug: Option<&str>,
    action: Action,
) -> AppResult<(ProjectAccess, PlanPost)> {
    let post = store.plan_post(user.org(), post_id).await?.ok_or(Refusal::NotFound)?;
    let project = store.project_by_id(post.project()).await?;
    if slug.is_some_and(|s| s != project.slug) {
        return Err(Refusal::NotFound.into());
    }
    let access = to_project(store, user, project, action).await?;
    Ok((access, post))
}
