//! Projects: one client engagement each, named by a slug unique in its organization.

use crate::{Store, StoreError, StoreResult, now, on_pool};
use chrono::NaiveDate;
use keel_domain::{ClientId, OrgId, ProjectId, ProjectName, ProjectStatus, Slug, UserId};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Project {
    pub id: i64,
    pub org_id: i64,
    pub slug: String,
    pub name: String,
    pub started_on: NaiveDate,
    #[sqlx(try_from = "String")]
    pub status: ProjectStatus,
    pub client_name: Option<String>,
    /// IANA zone whose days, weeks and months its reports and schedules follow.
    pub time_zone: String,
    /// Bumped in the transaction of every write that changes what the analytics and the
    /// report read ([`bump_data_version!`](crate::bump_data_version)); read with the project
    /// on every request, it keys the servers' caches of computed figures.
    pub data_version: i64,
}

impl Project {
    pub fn id(&self) -> ProjectId {
        ProjectId(self.id)
    }
    pub fn org(&self) -> OrgId {
        OrgId(self.org_id)
    }
    pub fn status(&self) -> ProjectStatus {
        self.status
    }
}

#[derive(sqlx::FromRow)]
struct ProjectAndRole {
    #[sqlx(flatten)]
    project: Project,
    member_role: Option<String>,
}

/// Whether project `$1` has a brief saved and a current goal agreed by both sides, and how
/// many posts its content plan holds.
const FIRST_STEPS_SQL: &str = "SELECT EXISTS (SELECT 1 FROM brief_versions b WHERE b.project_id = $1) AS brief_saved,
        EXISTS (SELECT 1 FROM goals g WHERE g.project_id = $1 AND g.archived_at IS NULL
                AND g.agreed_client_at IS NOT NULL AND g.agreed_agency_at IS NOT NULL) AS goal_agreed,
        (SELECT COUNT(*) FROM plan_posts pp JOIN users u ON u.id = pp.author_id WHERE pp.project_id = $1) AS posts_planned";

/// What [`Store::overview_reads`] reads.
#[derive(Debug, Clone)]
pub struct OverviewReads {
    pub members: Vec<crate::members::Member>,
    pub first_steps: FirstStepsFacts,
    pub settings: crate::plan::settings::WorkflowSettings,
    pub health: keel_domain::workflow::health::WorkflowHealth,
    pub action_items: Vec<crate::meetings::ActionItem>,
}

/// See [`Store::first_steps_facts`].
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct FirstStepsFacts {
    pub brief_saved: bool,
    pub goal_agreed: bool,
    pub posts_planned: i64,
}

const PROJECT_SELECT: &str =
    "SELECT p.id, p.org_id, p.slug, p.name, p.started_on, p.status, c.name AS client_name, p.time_zone, p.data_version
     FROM projects p LEFT JOIN clients c ON c.id = p.client_id";

/// What a new project needs.
#[derive(Debug, Clone)]
pub struct NewProject {
    pub org: OrgId,
    pub slug: Slug,
    pub name: ProjectName,
    pub started_on: NaiveDate,
    pub client: Option<ClientId>,
}

/// Bumps the data version of project `$project` (an `i64` id) on `$conn`, inside the
/// transaction of the write that changes its data; evaluates to the driver's `Result`.
/// Call it last before the commit: on PostgreSQL it holds the project row until then.
#[macro_export]
macro_rules! bump_data_version {
    ($conn:expr, $project:expr) => {
        sqlx::query("UPDATE projects SET data_version = data_version + 1 WHERE id = $1")
            .bind($project)
            .execute($conn)
            .await
            .map(|_| ())
    };
}

impl Store {
    /// The data version of `project` as the database holds it now (see
    /// [`Project::data_version`]); one lookup by primary key.
    pub async fn data_version(&self, project: ProjectId) -> StoreResult<i64> {
        on_pool!(&self.pool, p => {
            sqlx::query_scalar::<_, i64>("SELECT data_version FROM projects WHERE id = $1")
                .bind(project.0)
                .fetch_optional(p)
                .await
        })?
        .ok_or(StoreError::NotFound)
    }

    /// Creates a project in status `setup`; a taken slug is a [`StoreError::Conflict`].
    #[tracing::instrument(skip(self))]
    pub async fn create_project(&self, new: &NewProject) -> StoreResult<Project> {
        let id = on_pool!(&self.pool, p => {
            sqlx::query_scalar::<_, i64>(
                "INSERT INTO projects (org_id, client_id, slug, name, started_on, status, created_at, time_zone)
                 VALUES ($1, $2, $3, $4, $5, 'setup', $6, (SELECT time_zone FROM organizations WHERE id = $1)) RETURNING id",
            )
            .bind(new.org.0)
            .bind(new.client.map(|c| c.0))
            .bind(new.slug.as_str())
            .bind(new.name.as_str())
            .bind(new.started_on)
            .bind(now())
            .fetch_one(p)
            .await
        })
        .map_err(|e| StoreError::from(e).on_unique(format!("a project with slug `{}` already exists", new.slug)))?;
        self.project_by_id(ProjectId(id)).await
    }

    pub async fn project_by_id(&self, id: ProjectId) -> StoreResult<Project> {
        let sql = format!("{PROJECT_SELECT} WHERE p.id = $1");
        on_pool!(&self.pool, p => sqlx::query_as::<_, Project>(&sql).bind(id.0).fetch_optional(p).await)?
            .ok_or(StoreError::NotFound)
    }

    /// The project with `slug` in `org`, if any. Slugs never resolve across organizations.
    pub async fn project_by_slug(&self, org: OrgId, slug: &str) -> StoreResult<Option<Project>> {
        let sql = format!("{PROJECT_SELECT} WHERE p.org_id = $1 AND p.slug = $2");
        Ok(on_pool!(&self.pool, p => {
            sqlx::query_as::<_, Project>(&sql).bind(org.0).bind(slug).fetch_optional(p).await
        })?)
    }

    /// The project with `slug` in `org` and the roles `user` holds in it (empty when they
    /// are not a member): [`Store::project_by_slug`] and [`Store::roles_in`] in one round
    /// trip, for the guard every project page and API call passes.
    pub async fn project_by_slug_with_roles(
        &self,
        org: OrgId,
        slug: &str,
        user: UserId,
    ) -> StoreResult<Option<(Project, Vec<keel_domain::Role>)>> {
        let sql = "SELECT p.id, p.org_id, p.slug, p.name, p.started_on, p.status, c.name AS client_name, p.time_zone,
                          p.data_version, m.role AS member_role
                   FROM projects p LEFT JOIN clients c ON c.id = p.client_id
                   LEFT JOIN memberships m ON m.project_id = p.id AND m.user_id = $3
                   WHERE p.org_id = $1 AND p.slug = $2";
        let rows: Vec<ProjectAndRole> = on_pool!(&self.pool, p => {
            sqlx::query_as::<_, ProjectAndRole>(sql).bind(org.0).bind(slug).bind(user.0).fetch_all(p).await
        })?;
        let roles = rows
            .iter()
            .filter_map(|r| r.member_role.as_deref()?.parse().ok())
            .collect();
        Ok(rows.into_iter().next().map(|r| (r.project, roles)))
    }

    /// What the overview's first-day checklist reads of the project, in one round trip:
    /// whether a brief is saved, whether a current goal is agreed by both sides, and how many
    /// posts the content plan holds.
    pub async fn first_steps_facts(&self, project: ProjectId) -> StoreResult<FirstStepsFacts> {
        Ok(on_pool!(&self.pool, p => {
            sqlx::query_as::<_, FirstStepsFacts>(FIRST_STEPS_SQL)
            .bind(project.0)
            .fetch_one(p)
            .await
        })?)
    }

    /// Everything the overview reads of the project but its data counts, over one connection
    /// (each statement one round trip; the pool's ping on return once, not per statement).
    pub async fn overview_reads(
        &self,
        project: ProjectId,
        as_of: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<OverviewReads> {
        Ok(on_pool!(&self.pool, p => {
            let mut c = p.acquire().await?;
            let members = sqlx::query_as(crate::members::MEMBERS_SQL).bind(project.0).fetch_all(&mut *c).await?;
            let first_steps = sqlx::query_as(FIRST_STEPS_SQL).bind(project.0).fetch_one(&mut *c).await?;
            let settings = sqlx::query_as(crate::plan::settings::SETTINGS_SQL).bind(project.0).fetch_optional(&mut *c).await?;
            let health = sqlx::query_as(crate::plan::health::HEALTH_ROWS_SQL).bind(project.0).fetch_all(&mut *c).await?;
            let action_items = sqlx::query_as(crate::meetings::ACTION_ITEMS_SQL).bind(project.0).fetch_all(&mut *c).await?;
            Ok::<_, sqlx::Error>(OverviewReads {
                members,
                first_steps,
                settings: crate::plan::settings::settings_of(settings),
                health: crate::plan::health::health_of(health, as_of),
                action_items,
            })
        })?)
    }

    /// The projects a user sees: those they are a member of, and — for an organization
    /// admin — every project of their organization.
    pub async fn projects_visible_to(&self, org: OrgId, user: UserId, org_admin: bool) -> StoreResult<Vec<Project>> {
        let sql = format!(
            "{PROJECT_SELECT} WHERE p.org_id = $1 AND ($3 OR EXISTS (
                 SELECT 1 FROM memberships m WHERE m.project_id = p.id AND m.user_id = $2))
             ORDER BY p.name"
        );
        Ok(on_pool!(&self.pool, p => {
            sqlx::query_as::<_, Project>(&sql).bind(org.0).bind(user.0).bind(org_admin).fetch_all(p).await
        })?)
    }

    /// Sets the organization's time zone, which new projects take.
    pub async fn set_org_time_zone(&self, org: OrgId, zone: &str) -> StoreResult<()> {
        on_pool!(&self.pool, p => {
            sqlx::query("UPDATE organizations SET time_zone = $1 WHERE id = $2").bind(zone).bind(org.0).execute(p).await.map(|_| ())
        })?;
        Ok(())
    }

    pub async fn set_project_status(&self, id: ProjectId, status: ProjectStatus) -> StoreResult<()> {
        on_pool!(&self.pool, p => {
            sqlx::query("UPDATE projects SET status = $1 WHERE id = $2")
                .bind(status.as_str())
                .bind(id.0)
                .execute(p)
                .await.map(|r| r.rows_affected())
        })?;
        Ok(())
    }
}
