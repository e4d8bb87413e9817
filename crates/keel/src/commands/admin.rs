//! Admin tooling: projects, users, memberships and API tokens from the command line.
//! These act in the default organization (the first one), as PRODUCT.md specifies.

use crate::cli::TokenCommand;
use anyhow::{Context, bail};
use chrono::NaiveDate;
use keel_domain::{Email, ProjectName, Role, Slug, TokenId};
use keel_store::credentials::hash_password_blocking;
use keel_store::projects::{NewProject, Project};
use keel_store::users::User;
use keel_store::{Store, StoreError};

pub async fn create_project(
    store: &Store,
    slug: &str,
    name: &str,
    started_on: Option<&str>,
    client: Option<&str>,
) -> anyhow::Result<Project> {
    let slug = Slug::parse(slug)?;
    let name = ProjectName::parse(name)?;
    let started_on = match started_on {
        Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .with_context(|| format!("--started-on `{d}` is not a date (YYYY-MM-DD)"))?,
        None => chrono::Utc::now().date_naive(),
    };
    let org = store.default_org().await?;
    let client = match client {
        Some(c) if !c.trim().is_empty() => Some(store.ensure_client(org.id(), c.trim()).await?),
        _ => None,
    };
    Ok(store
        .create_project(&NewProject {
            org: org.id(),
            slug,
            name,
            started_on,
            client,
        })
        .await?)
}

pub async fn create_user(
    store: &Store,
    email: &str,
    password: &str,
    name: Option<&str>,
    admin: bool,
) -> anyhow::Result<User> {
    let email = Email::parse(email)?;
    let name = name
        .map(str::to_owned)
        .unwrap_or_else(|| email.as_str().split('@').next().unwrap_or("").to_owned());
    let hash = hash_password_blocking(password.to_owned()).await?;
    let org = store.default_org().await?;
    Ok(store.create_user(org.id(), &email, &name, &hash, admin).await?)
}

/// Returns whether the membership is new.
pub async fn add_member(
    store: &Store,
    slug: &str,
    email: &str,
    role: &str,
    speciality: Option<&str>,
) -> anyhow::Result<bool> {
    let role: Role = role.parse()?;
    let user = find_user(store, email).await?;
    let Some(project) = store.project_by_slug(user.org(), slug).await? else {
        bail!(
            "no project `{slug}` in {}'s organization (see `keel project create`)",
            user.email
        );
    };
    Ok(store
        .add_member(project.org(), project.id(), user.id(), role, speciality)
        .await?)
}

pub async fn create_token(store: &Store, email: &str, name: &str) -> anyhow::Result<String> {
    let user = find_user(store, email).await?;
    let (_, secret) = store.create_token(&user, name).await?;
    Ok(secret)
}

async fn find_user(store: &Store, email: &str) -> anyhow::Result<User> {
    let email = Email::parse(email)?;
    match store.user_by_email(&email).await? {
        Some(u) => Ok(u),
        None => {
            bail!("no user {email} (create one with `keel user create {email} --password-stdin`)")
        }
    }
}

pub async fn token(store: &Store, command: TokenCommand) -> anyhow::Result<()> {
    match command {
        TokenCommand::Create { user, name } => {
            // The secret alone on stdout, so `TOKEN=$(keel token create --user …)` works.
            println!("{}", create_token(store, &user, &name).await?);
        }
        TokenCommand::List { user } => {
            let user = find_user(store, &user).await?;
            for t in store.tokens_of(user.id()).await? {
                let state = match t.revoked_at {
                    Some(at) => format!("revoked {at}"),
                    None => format!(
                        "last used {}",
                        t.last_used_at.map(|a| a.to_string()).unwrap_or_else(|| "never".into())
                    ),
                };
                println!("{}\t{}\tcreated {}\t{state}", t.id, t.name, t.created_at);
            }
        }
        TokenCommand::Revoke { user, id } => {
            let user = find_user(store, &user).await?;
            match store.revoke_token(user.id(), TokenId(id)).await {
                Ok(true) => println!("revoked token {id}"),
                Ok(false) | Err(StoreError::NotFound) => bail!(
                    "{} has no live token {id} (see `keel token list --user {}`)",
                    user.email,
                    user.email
                ),
                Err(e) => return Err(e.into()),
            }
        }
    }
    Ok(())
}
