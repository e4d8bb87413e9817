//! `keel demo`: the "Demo Agency" organization of PRODUCT.md. Running it twice changes
//! nothing: every step finds what is already there before making anything, and the demo year
//! is imported through the idempotent importer.

// Content plan in every workflow state.
pub mod plan;
mod planning;
mod random;
pub mod year;

use chrono::NaiveDate;
use keel_domain::{Email, OrgId, ProjectName, Role, Slug};
use keel_store::Store;
use keel_store::credentials::hash_password_blocking;
use keel_store::projects::{NewProject, Project};
use keel_store::users::User;
use std::fmt;

pub const DEMO_PASSWORD: &str = "demo-password";
pub const DEMO_ORG_SLUG: &str = "demo-agency";

/// (e-mail, display name, organization admin)
const USERS: &[(&str, &str, bool)] = &[
    ("agency@demo.local", "Anna Lead (agency)", true),
    ("specialist@demo.local", "Sergey Specialist (agency)", false),
    ("client-a@demo.local", "Alexei Owner (Client A)", false),
    ("approver-a@demo.local", "Olga Approver (Client A)", false),
    ("member-a@demo.local", "Maxim Sales (Client A)", false),
    ("client-b@demo.local", "Boris Owner (Client B)", false),
];

/// (project slug, e-mail, role, speciality)
const MEMBERSHIPS: &[(&str, &str, Role, Option<&str>)] = &[
    ("client-a", "agency@demo.local", Role::AgencyLead, None),
    ("client-b", "agency@demo.local", Role::AgencyLead, None),
    (
        "client-a",
        "specialist@demo.local",
        Role::Specialist,
        Some("copywriter, targetologist"),
    ),
    (
        "client-b",
        "specialist@demo.local",
        Role::Specialist,
        Some("copywriter, targetologist"),
    ),
    ("client-a", "client-a@demo.local", Role::ClientOwner, None),
    ("client-a", "approver-a@demo.local", Role::ClientApprover, None),
    ("client-a", "member-a@demo.local", Role::ClientMember, Some("sales")),
    ("client-b", "client-b@demo.local", Role::ClientOwner, None),
    ("client-b", "client-b@demo.local", Role::ClientApprover, None),
];

/// Both demo projects start on a fixed date, so the demo year (and every figure computed from
/// it) is the same on every machine and every day.
pub fn demo_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 11, 1).expect("constant date")
}

/// What `keel demo` made (or found).
#[derive(Debug, Default)]
pub struct DemoSummary {
    pub users_created: usize,
    pub projects_created: usize,
    pub memberships_added: usize,
    pub rows_imported: u64,
    pub plan_posts_created: usize,
}

impl fmt::Display for DemoSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "demo organization \"Demo Agency\": {} users, {} projects, {} memberships, {} data rows added, {} content-plan posts (all users have password {DEMO_PASSWORD})",
            self.users_created,
            self.projects_created,
            self.memberships_added,
            self.rows_imported,
            self.plan_posts_created
        )
    }
}

/// Whether the database holds no organization at all (for `serve --demo`).
pub async fn is_empty(store: &Store) -> anyhow::Result<bool> {
    Ok(store.org_count().await? == 0)
}

/// The demo organization's time zone.
pub const DEMO_TIME_ZONE: &str = "Europe/Moscow";

pub async fn fill(store: &Store) -> anyhow::Result<DemoSummary> {
    let mut summary = DemoSummary::default();
    let org = store.ensure_org(DEMO_ORG_SLUG, "Demo Agency").await?;
    // The demo agency works in Moscow: its projects' reports and schedules follow Moscow days.
    store.set_org_time_zone(org.id(), DEMO_TIME_ZONE).await?;
    for (email, name, admin) in USERS {
        if ensure_user(store, org.id(), email, name, *admin).await?.1 {
            summary.users_created += 1;
        }
    }
    for (slug, name, client) in [
        ("client-a", "Client A — coffee roastery", "Client A"),
        ("client-b", "Client B — fitness studio", "Client B"),
    ] {
        if ensure_project(store, org.id(), slug, name, client).await?.1 {
            summary.projects_created += 1;
        }
    }
    for (slug, email, role, speciality) in MEMBERSHIPS {
        let project = store.project_by_slug(org.id(), slug).await?.expect("made above");
        let user = store.user_by_email(&Email::parse(email)?).await?.expect("made above");
        if store
            .add_member(org.id(), project.id(), user.id(), *role, *speciality)
            .await?
        {
            summary.memberships_added += 1;
        }
    }
    for (slug, files) in [("client-a", year::client_a()), ("client-b", year::client_b())] {
        let project = store.project_by_slug(org.id(), slug).await?.expect("made above");
        summary.rows_imported += import_year(store, &project, files).await?;
    }
    let mut projects = vec![];
    for slug in ["client-a", "client-b"] {
        projects.push(store.project_by_slug(org.id(), slug).await?.expect("made above"));
    }
    summary.plan_posts_created = plan::fill(store, &projects).await?;
    // Brief, agreed goals, team and meetings: after the data, so goals measure it.
    for slug in ["client-a", "client-b"] {
        let project = store.project_by_slug(org.id(), slug).await?.expect("made above");
        planning::fill(store, &project).await?;
    }
    Ok(summary)
}

/// Loads the demo year through the importer, each kind of data only into a project that has
/// none yet: a second `keel demo` neither changes rows nor adds import-log entries.
async fn import_year(store: &Store, project: &Project, files: year::DemoFiles) -> anyhow::Result<u64> {
    use keel_import::Format;
    let held = store.data_counts(project).await?;
    let mut stored = 0;
    for (format, held, text) in [
        (Format::Daily, held.daily, files.daily),
        (Format::Posts, held.posts, files.posts),
        (Format::Ads, held.ads, files.ads),
        (Format::Leads, held.leads, files.leads),
    ] {
        if held > 0 {
            continue;
        }
        let source = format!("demo-{}.csv", format.as_str());
        let reader = std::io::Cursor::new(text.into_bytes());
        let summary = keel_import::import(store, project, format, reader, &source, "keel demo", &|_| {}).await?;
        stored += summary.stored;
    }
    Ok(stored)
}

async fn ensure_user(store: &Store, org: OrgId, email: &str, name: &str, admin: bool) -> anyhow::Result<(User, bool)> {
    let email = Email::parse(email)?;
    if let Some(user) = store.user_by_email(&email).await? {
        return Ok((user, false));
    }
    let hash = hash_password_blocking(DEMO_PASSWORD.to_owned()).await?;
    Ok((store.create_user(org, &email, name, &hash, admin).await?, true))
}

async fn ensure_project(
    store: &Store,
    org: OrgId,
    slug: &str,
    name: &str,
    client: &str,
) -> anyhow::Result<(Project, bool)> {
    if let Some(p) = store.project_by_slug(org, slug).await? {
        return Ok((p, false));
    }
    let client = store.ensure_client(org, client).await?;
    let new = NewProject {
        org,
        slug: Slug::parse(slug)?,
        name: ProjectName::parse(name)?,
        started_on: demo_start(),
        client: Some(client),
    };
    Ok((store.create_project(&new).await?, true))
}
