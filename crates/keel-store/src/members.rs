//! Memberships: who holds which roles in which project.

use crate::{Store, StoreResult, now, on_pool};
use keel_domain::{OrgId, ProjectId, Role, UserId};

/// Everyone on project `$1`, ordered by e-mail then role.
pub(crate) const MEMBERS_SQL: &str = "SELECT u.id AS user_id, u.email, u.display_name, m.role, m.speciality
     FROM memberships m JOIN users u ON u.id = m.user_id
     WHERE m.project_id = $1 ORDER BY u.email, m.role";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Member {
    pub user_id: i64,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub speciality: Option<String>,
}

impl Member {
    pub fn role(&self) -> Option<Role> {
        self.role.parse().ok()
    }
}

impl Store {
    /// Gives `user` `role` in `project`; giving a role they already hold changes nothing.
    /// Returns whether a membership was added.
    #[tracing::instrument(skip(self))]
    pub async fn add_member(
        &self,
        org: OrgId,
        project: ProjectId,
        user: UserId,
        role: Role,
        speciality: Option<&str>,
    ) -> StoreResult<bool> {
        let done = on_pool!(&self.pool, p => {
            sqlx::query(
                "INSERT INTO memberships (org_id, project_id, user_id, role, speciality, created_at)
                 SELECT $1, $2, $3, $4, $5, $6
                 WHERE EXISTS (SELECT 1 FROM projects WHERE id = $2 AND org_id = $1)
                   AND EXISTS (SELECT 1 FROM users WHERE id = $3 AND org_id = $1)
                 ON CONFLICT (project_id, user_id, role) DO NOTHING",
            )
            .bind(org.0)
            .bind(project.0)
            .bind(user.0)
            .bind(role.as_str())
            .bind(speciality)
            .bind(now())
            .execute(p)
            .await.map(|r| r.rows_affected())
        })?;
        Ok(done > 0)
    }

    /// Takes `role` in `project` away from `user`; returns whether they held it.
    pub async fn remove_member(&self, project: ProjectId, user: UserId, role: Role) -> StoreResult<bool> {
        let done = on_pool!(&self.pool, p => {
            sqlx::query("DELETE FROM memberships WHERE project_id = $1 AND user_id = $2 AND role = $3")
                .bind(project.0)
                .bind(user.0)
                .bind(role.as_str())
                .execute(p)
                .await.map(|r| r.rows_affected())
        })?;
        Ok(done > 0)
    }

    /// Removes a membership; with `keep_one`, only while somebody else holds the same role in
    /// the project. The check is part of the `DELETE` itself. (Two people removing the last two
    /// holders at the same instant on PostgreSQL could still both succeed: read committed sees
    /// the other row in each; rare enough for a people page, noted rather than locked.)
    pub async fn remove_member_keeping_one(
        &self,
        project: ProjectId,
        user: UserId,
        role: Role,
        keep_one: bool,
    ) -> StoreResult<Removal> {
        let removed = on_pool!(&self.pool, p => {
            sqlx::query(
                "DELETE FROM memberships WHERE project_id = $1 AND user_id = $2 AND role = $3
                 AND (NOT $4 OR EXISTS (SELECT 1 FROM memberships o
                                        WHERE o.project_id = $1 AND o.role = $3 AND o.user_id <> $2))",
            )
            .bind(project.0)
            .bind(user.0)
            .bind(role.as_str())
            .bind(keep_one)
            .execute(p)
            .await.map(|r| r.rows_affected())
        })?;
        if removed > 0 {
            return Ok(Removal::Removed);
        }
        let holds = self.roles_in(project, user).await?.contains(&role);
        Ok(if holds {
            Removal::LastOfRole
        } else {
            Removal::NotAMember
        })
    }

    /// Everyone on a project, ordered by e-mail then role.
    pub async fn members_of(&self, project: ProjectId) -> StoreResult<Vec<Member>> {
        Ok(on_pool!(&self.pool, p => {
            sqlx::query_as::<_, Member>(MEMBERS_SQL)
            .bind(project.0)
            .fetch_all(p)
            .await
        })?)
    }

    /// The roles `user` holds in `project` (empty when they are not a member).
    pub async fn roles_in(&self, project: ProjectId, user: UserId) -> StoreResult<Vec<Role>> {
        let names: Vec<String> = on_pool!(&self.pool, p => {
            sqlx::query_scalar("SELECT role FROM memberships WHERE project_id = $1 AND user_id = $2")
                .bind(project.0)
                .bind(user.0)
                .fetch_all(p)
                .await
        })?;
        Ok(names.iter().filter_map(|n| n.parse().ok()).collect())
    }

    /// Whether `user` holds `role` in any project.
    pub async fn holds_role_anywhere(&self, user: UserId, role: Role) -> StoreResult<bool> {
        let n: i64 = on_pool!(&self.pool, p => {
            sqlx::query_scalar("SELECT COUNT(*) FROM memberships WHERE user_id = $1 AND role = $2")
                .bind(user.0)
                .bind(role.as_str())
                .fetch_one(p)
                .await
        })?;
        Ok(n > 0)
    }
}

/// What [`Store::remove_member_keeping_one`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    Removed,
    NotAMember,
    /// The person is the only one with the role, which must keep a holder.
    LastOfRole,
}
