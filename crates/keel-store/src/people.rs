//! The organization's people as its settings page lists them: admins, who is deactivated,
//! last login, and the projects each one is on.

use crate::{Store, StoreResult, on_pool};
use chrono::{DateTime, Utc};
use keel_domain::OrgId;

/// One person of the organization.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Person {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub is_org_admin: bool,
    pub deactivated_at: Option<DateTime<Utc>>,
    pub last_login_at: Option<DateTime<Utc>>,
}

/// One membership of a person, by project name.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PersonProject {
    pub user_id: i64,
    pub project: String,
    pub role: String,
}

impl Store {
    /// Everyone in `org`, by e-mail.
    pub async fn people_of(&self, org: OrgId) -> StoreResult<Vec<Person>> {
        Ok(on_pool!(&self.pool, p => {
            sqlx::query_as::<_, Person>(
                "SELECT id, email, display_name, is_org_admin, deactivated_at, last_login_at
                 FROM users WHERE org_id = $1 ORDER BY email",
            )
            .bind(org.0)
            .fetch_all(p)
            .await
        })?)
    }

    /// Every membership in `org`'s projects, by project name.
    pub async fn memberships_in_org(&self, org: OrgId) -> StoreResult<Vec<PersonProject>> {
        Ok(on_pool!(&self.pool, p => {
            sqlx::query_as::<_, PersonProject>(
                "SELECT m.user_id, p.name AS project, m.role FROM memberships m JOIN projects p ON p.id = m.project_id
                 WHERE p.org_id = $1 ORDER BY p.name, m.role",
            )
            .bind(org.0)
            .fetch_all(p)
            .await
        })?)
    }
}
