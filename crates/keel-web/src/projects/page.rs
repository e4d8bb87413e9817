//! The projects list and a project's overview.

use crate::auth::{CurrentUser, ProjectCtx};
use crate::layout::{Chrome, role_key, status_key};
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::State;
use keel_domain::{Role, Side};

/// One project as the list shows it.
pub struct ProjectCard {
    pub slug: String,
    pub name: String,
    pub client: String,
    pub started_on: String,
    pub status_key: &'static str,
    pub status: String,
    pub role_keys: Vec<&'static str>,
    /// The health check's overall status (`healthy`, `warning`, `problem`).
    pub health: &'static str,
    /// The status in words with its count: "2 problems", "1 предупреждение", "Healthy".
    pub badge: String,
    /// The titles (dictionary keys) of the checks at the worst status, for the card to name.
    pub worst: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "projects.html")]
pub struct ProjectsPage {
    chrome: Chrome,
    cards: Vec<ProjectCard>,
    is_admin: bool,
    /// Whether the caller may start a project (the form shows).
    can_create: bool,
}

pub async fn list(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(CurrentUser(user)): Extension<CurrentUser>,
) -> Result<ProjectsPage, WebError> {
    // The projects, then every project's rows of each kind in one statement (not one per
    // project: the list of an agency with 20 projects ran 120 statements).
    let (projects, mut rows, can_create) = tokio::try_join!(
        async {
            Ok::<_, WebError>(
                state
                    .store
                    .projects_visible_to(user.org(), user.id(), user.is_org_admin)
                    .await?,
            )
        },
        async {
            Ok(state
                .store
                .project_list_rows(user.org(), user.id(), user.is_org_admin)
                .await?)
        },
        async { Ok(keel_app::people::may_create_projects(&state.store, &user).await?) },
    )?;
    let mut cards = Vec::with_capacity(projects.len());
    for p in projects {
        let mut project_rows = rows.remove(&p.id).unwrap_or_default();
        let roles = std::mem::take(&mut project_rows.roles);
        let facts = crate::health::facts::gather_cached_with(
            &state.figures,
            &state.store,
            &p,
            keel_report::scope::zone_of(&p).today(),
            project_rows,
        )
        .await
        .map_err(WebError::Internal)?;
        let findings = facts.findings();
        let overall = keel_domain::health::overall(&findings);
        let count = |status| findings.iter().filter(|f| f.status == status).count() as i64;
        cards.push(ProjectCard {
            health: overall.as_str(),
            badge: match (
                count(keel_domain::health::Status::Problem),
                count(keel_domain::health::Status::Warning),
            ) {
                (0, 0) => chrome.t.get_in("health.status", overall.as_str()).to_owned(),
                (0, warnings) => chrome.t.count("count.warnings", warnings),
                (problems, _) => chrome.t.count("count.problems", problems),
            },
            worst: findings
                .iter()
                .filter(|f| f.status == overall && overall != keel_domain::health::Status::Healthy)
                .map(|f| format!("health.{}.title", f.check))
                .collect(),
            status_key: status_key(p.status.as_str()),
            role_keys: roles.iter().map(|r| role_key(r.as_str())).collect(),
            slug: p.slug,
            name: p.name,
            client: p.client_name.unwrap_or_default(),
            started_on: p.started_on.to_string(),
            status: p.status.as_str().to_owned(),
        });
    }
    Ok(ProjectsPage {
        chrome,
        cards,
        is_admin: user.is_org_admin,
        can_create,
    })
}

/// Who is on the project, grouped by side, for the overview.
pub struct PersonLine {
    pub name: String,
    pub role_key: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "project.html")]
pub struct OverviewPage {
    chrome: Chrome,
    slug: String,
    name: String,
    client: String,
    started_on: String,
    status: String,
    status_key: &'static str,
    client_side: Vec<PersonLine>,
    agency_side: Vec<PersonLine>,
    approvers: usize,
    counts: keel_store::data::DataCounts,
    tab: &'static str,
    /// Content plan and approvals.
    workflow: crate::plan::overview::WorkflowCard,
    /// Open action items past their due date.
    overdue: Vec<keel_store::meetings::ActionItem>,
    /// The first-day checklist, shown until every step is done.
    steps: Vec<keel_domain::first_steps::Step>,
    /// The position of the step to do next in `steps`.
    next_step: usize,
}

pub async fn overview(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(ctx): Extension<ProjectCtx>,
) -> Result<OverviewPage, WebError> {
    let p = &ctx.project;
    let today = keel_report::scope::zone_of(p).today();
    // The project's rows over one connection, beside the data counts (cached by version).
    let (reads, counts) = tokio::try_join!(
        state.store.overview_reads(p.id(), keel_store::now()),
        state.figures.counts(&state.store, p),
    )?;
    let keel_store::projects::OverviewReads {
        members,
        first_steps: facts,
        settings,
        health,
        action_items: items,
    } = reads;
    let (mut client_side, mut agency_side) = (vec![], vec![]);
    for m in &members {
        let Some(role) = m.role() else { continue };
        let line = PersonLine {
            name: m.display_name.clone(),
            role_key: role_key(role.as_str()),
        };
        match role.side() {
            Side::Client => client_side.push(line),
            Side::Agency | Side::Neutral => agency_side.push(line),
        }
    }
    let approver_names: Vec<String> = members
        .iter()
        .filter(|m| m.role() == Some(Role::ClientApprover))
        .map(|m| m.display_name.clone())
        .collect();
    let approvers = approver_names.len();
    let progress = keel_domain::first_steps::Progress {
        brief_saved: facts.brief_saved,
        goal_agreed: facts.goal_agreed,
        approvers,
        data_or_connections: counts.posts + counts.daily + counts.ads + counts.leads > 0,
        posts_planned: facts.posts_planned.max(0) as usize,
    };
    let steps = keel_domain::first_steps::steps(&progress);
    let next_step = keel_domain::first_steps::next(&steps).and_then(|n| steps.iter().position(|s| s == n));
    Ok(OverviewPage {
        steps: if next_step.is_some() {
            steps.to_vec()
        } else {
            Vec::new()
        },
        next_step: next_step.unwrap_or(0),
        slug: p.slug.clone(),
        name: p.name.clone(),
        client: p.client_name.clone().unwrap_or_default(),
        started_on: p.started_on.to_string(),
        status: p.status.as_str().to_owned(),
        status_key: status_key(p.status.as_str()),
        client_side,
        agency_side,
        approvers,
        counts,
        tab: "overview",
        workflow: crate::plan::overview::card_of(&ctx, approver_names, settings, health),
        overdue: items.into_iter().filter(|i| i.overdue(today)).collect(),
        chrome,
    })
}
