//! People from the web: projects made by an organization admin, invitations by e-mail, their
//! acceptance, passwords (change and reset) and deactivation. The edges send the e-mails;
//! the rules are here.
//!
//! Tenancy: an invitation never attaches a user of another organization. Inviting such an
//! address answers exactly as inviting a stranger does (`invited`, with a link), but no e-mail
//! goes out and the link cannot make an account (the address is taken), so the inviter learns
//! nothing about who uses Keel elsewhere.

use crate::access::ProjectAccess;
use crate::refusal::{AppResult, Refusal};
use chrono::NaiveDate;
use keel_domain::{Email, Lang, ProjectName, Role, Slug, UserId, may_assign, password};
use keel_store::Store;
use keel_store::credentials::{hash_password_blocking, verify_password_blocking};
use keel_store::invitations::{Acceptance, Invitation, NewInvitation};
use keel_store::projects::{NewProject, Project};
use keel_store::users::User;

/// A project as typed into the form or the API.
pub struct ProjectInput<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub client: Option<&'a str>,
    /// `YYYY-MM-DD`; empty: today.
    pub started_on: Option<&'a str>,
}

/// Whether `user` may start projects (`keel_domain::may_create_projects`).
pub async fn may_create_projects(store: &Store, user: &User) -> AppResult<bool> {
    let leads = !user.is_org_admin && store.holds_role_anywhere(user.id(), Role::AgencyLead).await?;
    Ok(keel_domain::may_create_projects(user.is_org_admin, leads))
}

/// Creates a project in the caller's organization (admins and agency leads; the route's guard
/// checks that too). An agency lead who is not an admin becomes the new project's agency lead,
/// or they could not see what they made.
pub async fn create_project(store: &Store, user: &User, input: &ProjectInput<'_>) -> AppResult<Project> {
    if !may_create_projects(store, user).await? {
        return Err(Refusal::Forbidden.into());
    }
    let slug = Slug::parse(input.slug.trim()).map_err(|e| Refusal::invalid("slug", e.to_string()))?;
    let name = ProjectName::parse(input.name).map_err(|e| Refusal::invalid("name", e.to_string()))?;
    let started_on = match input.started_on.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map_err(|_| Refusal::invalid("started_on", format!("`{d}` is not a date (YYYY-MM-DD)")))?,
        None => chrono::Utc::now().date_naive(),
    };
    let client = match input.client.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => Some(store.ensure_client(user.org(), c).await?),
        None => None,
    };
    let project = store
        .create_project(&NewProject {
            org: user.org(),
            slug,
            name,
            started_on,
            client,
        })
        .await?;
    if !user.is_org_admin {
        store
            .add_member(user.org(), project.id(), user.id(), Role::AgencyLead, None)
            .await?;
    }
    store
        .append_audit(&keel_store::audit::NewAuditEvent {
            org: user.org(),
            project: project.id(),
            subject_kind: "project",
            subject_id: project.id,
            actor: Some(user.id()),
            action: "created",
            detail: serde_json::json!({ "slug": project.slug, "name": project.name }),
            at: keel_store::now(),
        })
        .await?;
    Ok(project)
}

/// What adding a person by e-mail did.
pub enum Invited {
    /// A user of the organization: they have the role now.
    Added(User),
    /// Anyone else: an invitation with its link's token. `send_mail` is false when the
    /// address belongs to another organization (nothing may reach or reveal them).
    Invited {
        invitation: Invitation,
        token: String,
        send_mail: bool,
    },
}

/// Adds `email` to the project with `role`: the role for a user of the organization, an
/// invitation (in `lang`) for anyone else.
pub async fn invite(store: &Store, ctx: &ProjectAccess, email: &str, role: &str, lang: Lang) -> AppResult<Invited> {
    let email = Email::parse(email).map_err(|e| Refusal::invalid("email", e.to_string()))?;
    let role: Role = role.parse().map_err(|e| Refusal::invalid("role", format!("{e}")))?;
    if !may_assign(ctx.access, role) {
        return Err(Refusal::Forbidden.into());
    }
    let existing = store.user_by_email(&email).await?;
    if let Some(user) = existing.as_ref().filter(|u| u.org_id == ctx.project.org_id) {
        store
            .add_member(ctx.project.org(), ctx.project.id(), user.id(), role, None)
            .await?;
        return Ok(Invited::Added(user.clone()));
    }
    let new = NewInvitation {
        org: ctx.project.org(),
        project: ctx.project.id(),
        email: &email,
        role,
        lang: lang.code(),
        invited_by: ctx.user.id(),
    };
    let (invitation, token) = store.create_invitation(&new).await?.ok_or(Refusal::NotFound)?;
    Ok(Invited::Invited {
        invitation,
        token,
        send_mail: existing.is_none(),
    })
}

/// Removes `user`'s `role` from the project. The last agency lead and the last client owner
/// stay: a project without them has nobody to run it or to answer for the client.
pub async fn remove_member(store: &Store, ctx: &ProjectAccess, user: UserId, role: Role) -> AppResult<()> {
    if !may_assign(ctx.access, role) {
        return Err(Refusal::Forbidden.into());
    }
    let leading = matches!(role, Role::AgencyLead | Role::ClientOwner);
    match store
        .remove_member_keeping_one(ctx.project.id(), user, role, leading)
        .await?
    {
        keel_store::members::Removal::Removed => Ok(()),
        keel_store::members::Removal::NotAMember => Err(Refusal::NotFound.into()),
        keel_store::members::Removal::LastOfRole => Err(Refusal::LastLead(role).into()),
    }
}

/// Revokes invitation `id` if the caller may manage the people of its project (else, and for
/// an invitation of another organization, it is "not found").
pub async fn revoke(store: &Store, user: std::sync::Arc<User>, id: i64) -> AppResult<Invitation> {
    let invitation = store
        .invitation_in_org(user.org(), id)
        .await?
        .ok_or(Refusal::NotFound)?;
    let project = store.project_by_id(invitation.project()).await?;
    let ctx = crate::access::to_project(store, user, project, keel_domain::Action::ManageMembers).await?;
    let role = invitation.role().ok_or(Refusal::NotFound)?;
    if !may_assign(ctx.access, role) {
        return Err(Refusal::Forbidden.into());
    }
    store
        .revoke_invitation_by(ctx.project.id(), id, Some(ctx.user.id()))
        .await?
        .ok_or_else(|| Refusal::NotFound.into())
}

/// Checks and hashes a password someone is about to set (Argon2id, off the executor).
pub async fn new_password_hash(password: &str) -> AppResult<String> {
    password::check(password).map_err(Refusal::WeakPassword)?;
    hash_password_blocking(password.to_owned())
        .await
        .map_err(crate::AppError::Internal)
}

/// Accepts an invitation: the invitee becomes a user with `name` and `password` and gets the
/// role. Returns the new user and the project they were invited to.
pub async fn accept(store: &Store, token: &str, name: &str, password: &str) -> AppResult<(UserId, Project)> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        return Err(Refusal::invalid("name", "between 1 and 120 characters").into());
    }
    if store.invitation_by_token(token).await?.is_none() {
        return Err(Refusal::LinkGone.into());
    }
    let hash = new_password_hash(password).await?;
    match store.accept_invitation(token, name, &hash).await? {
        Acceptance::Accepted { invitation, user } => Ok((user, store.project_by_id(invitation.project()).await?)),
        // An address that already has an account (here or elsewhere) answers like a dead
        // link: the page must not tell anyone that the address uses Keel.
        Acceptance::Gone | Acceptance::AddressTaken => Err(Refusal::LinkGone.into()),
    }
}

/// Changes the caller's password after checking the current one.
pub async fn change_password(store: &Store, user: &User, current: &str, new: &str) -> AppResult<()> {
    let stored = store.password_hash(user.id()).await?;
    if !verify_password_blocking(current.to_owned(), stored).await {
        return Err(Refusal::invalid("current_password", "does not match").into());
    }
    let hash = new_password_hash(new).await?;
    store.set_password_hash(user.id(), &hash).await?;
    Ok(())
}

/// Sets a new password through a reset link, once; every session of the user ends.
pub async fn reset_password(store: &Store, token: &str, password: &str) -> AppResult<UserId> {
    if store.password_reset_user(token).await?.is_none() {
        return Err(Refusal::LinkGone.into());
    }
    let hash = new_password_hash(password).await?;
    store
        .use_password_reset(token, &hash)
        .await?
        .ok_or_else(|| Refusal::LinkGone.into())
}

/// A new organization as typed on the sign-up page.
pub struct SignUp<'a> {
    pub organization: &'a str,
    pub name: &'a str,
    pub email: &'a str,
    pub password: &'a str,
}

/// Signs up a new organization whose first user is its admin; returns that user. An address
/// already in use is refused without saying whose it is.
pub async fn sign_up(store: &Store, input: &SignUp<'_>) -> AppResult<User> {
    let organization = input.organization.trim();
    if organization.is_empty() || organization.chars().count() > 120 {
        return Err(Refusal::invalid("organization", "between 1 and 120 characters").into());
    }
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        return Err(Refusal::invalid("name", "between 1 and 120 characters").into());
    }
    let email = Email::parse(input.email).map_err(|e| Refusal::invalid("email", e.to_string()))?;
    let hash = new_password_hash(input.password).await?;
    // The slug is internal (nothing shows it), so a random tail keeps two "Acme"s apart.
    let stem: String = organization
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|p| !p.is_empty())
        .take(4)
        .collect::<Vec<_>>()
        .join("-");
    let slug = format!(
        "{}-{}",
        if stem.is_empty() { "org" } else { &stem },
        &keel_store::credentials::random_secret("")[..8]
    );
    store
        .create_org_with_admin(&slug, organization, &email, name, &hash)
        .await
        .map_err(|e| match e {
            keel_store::StoreError::Conflict(_) => Refusal::invalid(
                "email",
                "this address cannot sign up here; if it is yours, log in or reset the password",
            )
            .into(),
            other => other.into(),
        })
}
