//! Organizations (tenants) and their clients.

use crate::error::OrNotFound;
use crate::{Store, StoreResult, now, on_pool};
use keel_domain::{ClientId, OrgId};

/// The organization that admin commands (`keel project create`, `keel user create`) act in
/// when none is named: the first one created.
pub const DEFAULT_ORG_SLUG: &str = "default";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Org {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

impl Org {
    pub fn id(&self) -> OrgId {
        OrgId(self.id)
    }
}

impl Store {
    /// Returns the organization with `slug`, creating it with `name` if missing.
    #[tracing::instrument(skip(self))]
    pub async fn ensure_org(&self, slug: &str, name: &str) -> StoreResult<Org> {
        on_pool!(&self.pool, p => {
            sqlx::query(
                "INSERT INTO organizations (slug, name, created_at) VALUES ($1, $2, $3)
                 ON CONFLICT (slug) DO NOTHING",
            )
            .bind(slug)
            .bind(name)
            .bind(now())
            .execute(p)
            .await.map(|r| r.rows_affected())?;
            sqlx::query_as::<_, Org>("SELECT id, slug, name FROM organizations WHERE slug = $1")
                .bind(slug)
                .fetch_optional(p)
                .await
                .or_not_found()
        })
    }

    /// The organization admin commands act in: the oldest one, or a new "default" one.
    pub async fn default_org(&self) -> StoreResult<Org> {
        let first = on_pool!(&self.pool, p => {
            sqlx::query_as::<_, Org>("SELECT id, slug, name FROM organizations ORDER BY id LIMIT 1")
                .fetch_optional(p)
                .await
        })?;
        match first {
            Some(org) => Ok(org),
            None => self.ensure_org(DEFAULT_ORG_SLUG, "Default organization").await,
        }
    }

    pub async fn org_by_id(&self, id: OrgId) -> StoreResult<Org> {
        on_pool!(&self.pool, p => {
            sqlx::query_as::<_, Org>("SELECT id, slug, name FROM organizations WHERE id = $1")
                .bind(id.0)
                .fetch_optional(p)
                .await
                .or_not_found()
        })
    }

    /// Returns the client named `name` in `org`, creating it if missing.
    pub async fn ensure_client(&self, org: OrgId, name: &str) -> StoreResult<ClientId> {
        on_pool!(&self.pool, p => {
            sqlx::query(
                "INSERT INTO clients (org_id, name, created_at) VALUES ($1, $2, $3)
                 ON CONFLICT (org_id, name) DO NOTHING",
            )
            .bind(org.0)
            .bind(name)
            .bind(now())
            .execute(p)
            .await.map(|r| r.rows_affected())?;
            let id: i64 = sqlx::query_scalar("SELECT id FROM clients WHERE org_id = $1 AND name = $2")
                .bind(org.0)
                .bind(name)
                .fetch_one(p)
                .await?;
            Ok(ClientId(id))
        })
    }
}

impl Store {
    /// How many organizations exist (zero means a fresh database).
    pub async fn org_count(&self) -> StoreResult<i64> {
        Ok(on_pool!(&self.pool, p => {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM organizations").fetch_one(p).await
        })?)
    }

    /// Makes a new organization and its first user, an admin, in one transaction. A taken
    /// slug or e-mail is a [`StoreError::Conflict`] and leaves nothing behind.
    #[tracing::instrument(skip(self, password_hash))]
    pub async fn create_org_with_admin(
        &self,
        slug: &str,
        name: &str,
        email: &keel_domain::Email,
        display_name: &str,
        password_hash: &str,
    ) -> StoreResult<crate::users::User> {
        let at = now();
        // An async block, so the `?`s below end it (not this function) and a unique-key
        // violation still becomes a conflict.
        let user = on_pool!(&self.pool, p => async {
            let mut tx = p.begin().await?;
            let org: i64 = sqlx::query_scalar("INSERT INTO organizations (slug, name, created_at) VALUES ($1, $2, $3) RETURNING id")
                .bind(slug)
                .bind(name)
                .bind(at)
                .fetch_one(&mut *tx)
                .await?;
            let user = sqlx::query_as::<_, crate::users::User>(
                "INSERT INTO users (org_id, email, display_name, password_hash, is_org_admin, created_at)
                 VALUES ($1, $2, $3, $4, TRUE, $5) RETURNING id, org_id, email, display_name, is_org_admin",
            )
            .bind(org)
            .bind(email.as_str())
            .bind(display_name)
            .bind(password_hash)
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(user)
        }.await)
        .map_err(|e| crate::StoreError::from(e).on_unique("this organization or e-mail is already registered"))?;
        Ok(user)
    }

    /// Renames organization `org` (its slug, used by nothing people see, stays).
    pub async fn rename_org(&self, org: OrgId, name: &str) -> StoreResult<()> {
        on_pool!(&self.pool, p => {
            sqlx::query("UPDATE organizations SET name = $1 WHERE id = $2")
                .bind(name)
                .bind(org.0)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }
}
