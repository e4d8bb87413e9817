//! What the projects list shows of every project a user sees, read with one statement per
//! kind of row for all of them (not one per project): the caller's roles, the latest brief,
//! the meeting schedule and meetings, the content plan's posts and the members. Each list
//! holds exactly the rows, in the order, that the per-project reads return
//! ([`Store::roles_in`], [`Store::brief_versions`]' first, [`Store::meeting_schedule`],
//! [`Store::meetings`], [`Store::plan_posts_of`], [`Store::members_of`]).

use crate::brief::{BriefVersion, VERSION_SELECT};
use crate::meetings::{Meeting, Schedule};
use crate::members::Member;
use crate::plan::posts::{POST_SELECT, PlanPost};
use crate::{Store, StoreResult, on_pool};
use keel_domain::{OrgId, Role, UserId};
use std::collections::HashMap;

/// One project's rows of a kind, as [`ProjectListRows`] holds them.
#[derive(Debug, Clone, Default)]
pub struct ProjectRows {
    pub roles: Vec<Role>,
    pub latest_brief: Option<BriefVersion>,
    pub schedule: Option<Schedule>,
    pub meetings: Vec<Meeting>,
    pub posts: Vec<PlanPost>,
    pub members: Vec<Member>,
}

/// A row of `T` with the id of the project it belongs to (`project_id` column).
struct ByProject<T>(i64, T);

impl<'r, R, T> sqlx::FromRow<'r, R> for ByProject<T>
where
    R: sqlx::Row,
    T: sqlx::FromRow<'r, R>,
    &'static str: sqlx::ColumnIndex<R>,
    i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    fn from_row(row: &'r R) -> Result<Self, sqlx::Error> {
        Ok(ByProject(row.try_get("list_project_id")?, T::from_row(row)?))
    }
}

/// The projects of organization `$1` that user `$2` sees (`$3`: they are an organization
/// admin), as in [`Store::projects_visible_to`].
const VISIBLE: &str = "SELECT vp.id FROM projects vp WHERE vp.org_id = $1 AND ($3 OR EXISTS (
     SELECT 1 FROM memberships vm WHERE vm.project_id = vp.id AND vm.user_id = $2))";

impl Store {
    /// The rows of every project `user` sees in `org` (see the module), by project id.
    pub async fn project_list_rows(
        &self,
        org: OrgId,
        user: UserId,
        org_admin: bool,
    ) -> StoreResult<HashMap<i64, ProjectRows>> {
        let roles_sql = format!(
            "SELECT project_id AS list_project_id, role FROM memberships
             WHERE user_id = $2 AND project_id IN ({VISIBLE})"
        );
        let briefs_sql = format!(
            "{} WHERE b.project_id IN ({VISIBLE})
               AND b.version = (SELECT MAX(b2.version) FROM brief_versions b2 WHERE b2.project_id = b.project_id)",
            VERSION_SELECT.replacen("SELECT ", "SELECT b.project_id AS list_project_id, ", 1)
        );
        let schedules_sql = format!(
            "SELECT project_id AS list_project_id, title, first_at, recurrence, duration_minutes, link
             FROM meeting_schedules WHERE project_id IN ({VISIBLE})"
        );
        let meetings_sql = format!(
            "SELECT project_id AS list_project_id, id, starts_at, title, agenda, minutes, held FROM meetings
             WHERE project_id IN ({VISIBLE}) ORDER BY project_id, starts_at DESC"
        );
        let posts_sql = format!(
            "{} WHERE p.project_id IN ({VISIBLE})
             ORDER BY p.project_id, CASE WHEN p.scheduled_at IS NULL THEN 1 ELSE 0 END, p.scheduled_at, p.updated_at DESC, p.id",
            POST_SELECT.replacen("SELECT ", "SELECT p.project_id AS list_project_id, ", 1)
        );
        let members_sql = format!(
            "SELECT m.project_id AS list_project_id, u.id AS user_id, u.email, u.display_name, m.role, m.speciality
             FROM memberships m JOIN users u ON u.id = m.user_id
             WHERE m.project_id IN ({VISIBLE}) ORDER BY m.project_id, u.email, m.role"
        );
        let (roles, briefs, schedules, meetings, posts, members) = on_pool!(&self.pool, p => {
            let roles: Vec<(i64, String)> =
                sqlx::query_as(&roles_sql).bind(org.0).bind(user.0).bind(org_admin).fetch_all(p).await?;
            let briefs: Vec<ByProject<BriefVersion>> =
                sqlx::query_as(&briefs_sql).bind(org.0).bind(user.0).bind(org_admin).fetch_all(p).await?;
            let schedules: Vec<ByProject<Schedule>> =
                sqlx::query_as(&schedules_sql).bind(org.0).bind(user.0).bind(org_admin).fetch_all(p).await?;
            let meetings: Vec<ByProject<Meeting>> =
                sqlx::query_as(&meetings_sql).bind(org.0).bind(user.0).bind(org_admin).fetch_all(p).await?;
            let posts: Vec<ByProject<PlanPost>> =
                sqlx::query_as(&posts_sql).bind(org.0).bind(user.0).bind(org_admin).fetch_all(p).await?;
            let members: Vec<ByProject<Member>> =
                sqlx::query_as(&members_sql).bind(org.0).bind(user.0).bind(org_admin).fetch_all(p).await?;
            Ok::<_, sqlx::Error>((roles, briefs, schedules, meetings, posts, members))
        })?;
        let mut out: HashMap<i64, ProjectRows> = HashMap::new();
        for (project, role) in roles {
            if let Ok(role) = role.parse() {
                out.entry(project).or_default().roles.push(role);
            }
        }
        for ByProject(project, brief) in briefs {
            out.entry(project).or_default().latest_brief = Some(brief);
        }
        for ByProject(project, schedule) in schedules {
            out.entry(project).or_default().schedule = Some(schedule);
        }
        for ByProject(project, meeting) in meetings {
            out.entry(project).or_default().meetings.push(meeting);
        }
        for ByProject(project, post) in posts {
            out.entry(project).or_default().posts.push(post);
        }
        for ByProject(project, member) in members {
            out.entry(project).or_default().members.push(member);
        }
        Ok(out)
    }
}
