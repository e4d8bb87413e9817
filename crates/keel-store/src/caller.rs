//! Who is calling and, for a project's address, that project and their roles in it — in one
//! statement per request: the guard every page and API call passes reads the session (with
//! the unread count the top bar shows) or the API token together with the project named by
//! the address' slug (looked up only in the caller's own organization) and the caller's
//! memberships in it. Each part equals its separate read: [`Store::session_user`] and
//! [`Store::unread_count`] or [`Store::token_user`], and [`Store::project_by_slug_with_roles`].

use crate::credentials::secret_hash;
use crate::projects::Project;
use crate::users::User;
use crate::{Store, StoreResult, now, on_pool};
use chrono::{DateTime, NaiveDate, Utc};
use keel_domain::Role;

/// The caller and, when a slug was asked for, the project (if it exists in their
/// organization) with the roles they hold there (empty when they are not a member).
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: User,
    /// Unread notifications (sessions only; `None` for an API token).
    pub unread: Option<i64>,
    pub project: Option<(Project, Vec<Role>)>,
}

#[derive(sqlx::FromRow)]
struct ProjectCols {
    p_id: Option<i64>,
    p_org_id: Option<i64>,
    p_slug: Option<String>,
    p_name: Option<String>,
    p_started_on: Option<NaiveDate>,
    p_status: Option<String>,
    p_client_name: Option<String>,
    p_time_zone: Option<String>,
    p_data_version: Option<i64>,
    member_role: Option<String>,
}

impl ProjectCols {
    fn project(self) -> Option<Project> {
        Some(Project {
            id: self.p_id?,
            org_id: self.p_org_id?,
            slug: self.p_slug?,
            name: self.p_name?,
            started_on: self.p_started_on?,
            status: self.p_status?.try_into().ok()?,
            client_name: self.p_client_name,
            time_zone: self.p_time_zone?,
            data_version: self.p_data_version?,
        })
    }
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    #[sqlx(flatten)]
    user: User,
    unread: i64,
    #[sqlx(flatten)]
    project: ProjectCols,
}

#[derive(sqlx::FromRow)]
struct TokenRow {
    #[sqlx(flatten)]
    user: User,
    last_used_at: Option<DateTime<Utc>>,
    #[sqlx(flatten)]
    project: ProjectCols,
}

/// The project part: the project of slug `$SLUG` in the user's organization, its client and
/// the user's memberships in it (a row per role).
fn project_part(slug_param: &str) -> (String, String) {
    (
        "p.id AS p_id, p.org_id AS p_org_id, p.slug AS p_slug, p.name AS p_name, p.started_on AS p_started_on,
         p.status AS p_status, c.name AS p_client_name, p.time_zone AS p_time_zone, p.data_version AS p_data_version,
         m.role AS member_role"
            .to_owned(),
        format!(
            "LEFT JOIN projects p ON p.org_id = u.org_id AND p.slug = {slug_param}
             LEFT JOIN clients c ON c.id = p.client_id
             LEFT JOIN memberships m ON m.project_id = p.id AND m.user_id = u.id"
        ),
    )
}

/// The project and roles of a caller's rows (one row per role held, or one without).
fn project_of(rows: Vec<ProjectCols>) -> Option<(Project, Vec<Role>)> {
    let roles = rows
        .iter()
        .filter_map(|r| r.member_role.as_deref()?.parse().ok())
        .collect();
    let project = rows.into_iter().next()?.project()?;
    Some((project, roles))
}

impl Store {
    /// The user of an unexpired session cookie with their unread count and, if `slug` is
    /// given, the project of that slug in their organization and their roles in it.
    pub async fn session_caller(&self, token: &str, slug: Option<&str>) -> StoreResult<Option<Caller>> {
        let (cols, joins) = project_part("$3");
        let sql = format!(
            "SELECT u.id, u.org_id, u.email, u.display_name, u.is_org_admin,
                    (SELECT COUNT(*) FROM notifications n WHERE n.recipient_id = u.id AND n.read_at IS NULL) AS unread,
                    {cols}
             FROM sessions s JOIN users u ON u.id = s.user_id
             {joins}
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.deactivated_at IS NULL"
        );
        let rows: Vec<SessionRow> = on_pool!(&self.pool, p => {
            sqlx::query_as(&sql).bind(secret_hash(token)).bind(now()).bind(slug).fetch_all(p).await
        })?;
        let Some(first) = rows.first() else { return Ok(None) };
        let (user, unread) = (first.user.clone(), first.unread);
        let project = project_of(rows.into_iter().map(|r| r.project).collect());
        Ok(Some(Caller {
            user,
            unread: Some(unread),
            project,
        }))
    }

    /// The user of a live API token and, if `slug` is given, the project of that slug in
    /// their organization and their roles in it; records the token's use as
    /// [`Store::token_user`] does.
    pub async fn token_caller(&self, secret: &str, slug: Option<&str>) -> StoreResult<Option<Caller>> {
        let hash = secret_hash(secret);
        let (cols, joins) = project_part("$2");
        let sql = format!(
            "SELECT u.id, u.org_id, u.email, u.display_name, u.is_org_admin, t.last_used_at, {cols}
             FROM api_tokens t JOIN users u ON u.id = t.user_id
             {joins}
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.deactivated_at IS NULL"
        );
        let rows: Vec<TokenRow> = on_pool!(&self.pool, p => {
            sqlx::query_as(&sql).bind(&hash).bind(slug).fetch_all(p).await
        })?;
        let Some(first) = rows.first() else { return Ok(None) };
        let (user, last_used_at) = (first.user.clone(), first.last_used_at);
        self.record_token_use(&hash, last_used_at).await?;
        let project = project_of(rows.into_iter().map(|r| r.project).collect());
        Ok(Some(Caller {
            user,
            unread: None,
            project,
        }))
    }
}
