//! Gathers the facts the health checks read (`keel_domain::health`) from the store and the
//! report, and drafts a meeting agenda from the same facts.

use chrono::NaiveDate;
use keel_domain::health::{self, Finding, GoalFacts, HealthInput, PostFacts, SpikeFacts, StageFacts};
use keel_domain::meeting::{AgendaInput, AgendaItem, draft_agenda};
use keel_report::goals::GoalEvaluation;
use keel_store::Store;
use keel_store::project_list::ProjectRows;
use keel_store::projects::Project;
use std::sync::Arc;

use crate::analytics::cache::{Cached, FigureCache, Key, Kind};

/// Everything the health page, the agenda and the projects list need, computed once.
pub struct ProjectFacts {
    pub input: HealthInput,
    pub goals: Vec<GoalEvaluation>,
    /// Posts waiting for the approvers (for the agenda).
    pub awaiting_approval: Vec<PostFacts>,
}

/// What the checks read from the project's data: suspected purchases, the funnel and the
/// goals evaluated — the costly part, read from every row of the project.
pub type DataFacts = (
    Vec<keel_report::SpikeRow>,
    Vec<keel_report::FunnelStage>,
    Vec<GoalEvaluation>,
);

async fn data_facts(store: &Store, project: &Project, today: NaiveDate) -> anyhow::Result<DataFacts> {
    let (bot_spikes, funnel) = keel_report::goals::spikes_and_funnel(store, project).await?;
    let goals = keel_report::goals::evaluate_goals(store, project, today).await?;
    Ok((bot_spikes, funnel, goals))
}

pub async fn gather(store: &Store, project: &Project, today: NaiveDate) -> anyhow::Result<ProjectFacts> {
    let data = data_facts(store, project, today).await?;
    let rows = rows_of(store, project).await?;
    Ok(assemble(project, today, data, rows))
}

/// The rows of one project the checks read besides its data (see [`ProjectRows`]; the
/// projects list reads them for all its projects at once).
async fn rows_of(store: &Store, project: &Project) -> anyhow::Result<ProjectRows> {
    let (briefs, schedule, meetings, posts, members) = tokio::try_join!(
        store.brief_versions(project.id()),
        store.meeting_schedule(project.id()),
        store.meetings(project.id()),
        store.plan_posts_of(project.id()),
        store.members_of(project.id()),
    )?;
    Ok(ProjectRows {
        roles: Vec::new(),
        latest_brief: briefs.into_iter().next(),
        schedule,
        meetings,
        posts,
        members,
    })
}

/// As [`gather`], with the data facts from the cache of computed figures when they were
/// computed at the project's current data version (the projects list gathers the facts
/// of every project shown: 20 projects with a year of data each took 6 s uncached).
pub async fn gather_cached(
    figures: &FigureCache,
    store: &Store,
    project: &Project,
    today: NaiveDate,
) -> anyhow::Result<ProjectFacts> {
    let rows = rows_of(store, project).await?;
    gather_cached_with(figures, store, project, today, rows).await
}

/// As [`gather_cached`], with the project's other rows already read (the projects list reads
/// them for all its projects in one statement per kind).
pub async fn gather_cached_with(
    figures: &FigureCache,
    store: &Store,
    project: &Project,
    today: NaiveDate,
    rows: ProjectRows,
) -> anyhow::Result<ProjectFacts> {
    let key = Key {
        kind: Kind::Health,
        project: project.id,
        version: project.data_version,
        started_on: project.started_on,
        today,
        from: None,
        to: None,
    };
    let data = match figures.get(&key) {
        Some(Cached::Health(data)) => data,
        _ => {
            let data = Arc::new(data_facts(store, project, today).await?);
            figures.insert(key, Cached::Health(data.clone()));
            data
        }
    };
    Ok(assemble(project, today, (*data).clone(), rows))
}

fn assemble(
    project: &Project,
    today: NaiveDate,
    (bot_spikes, funnel, goals): DataFacts,
    rows: ProjectRows,
) -> ProjectFacts {
    let ProjectRows {
        latest_brief: brief,
        schedule,
        meetings,
        posts,
        members,
        ..
    } = rows;
    let last_held = meetings
        .iter()
        .filter(|m| m.held)
        .map(|m| m.starts_at.date_naive())
        .max();
    let missed = match &schedule {
        Some(s) => {
            let from = s.first_at;
            let to = today.and_time(chrono::NaiveTime::MIN).and_utc();
            s.recurrence()
                .occurrences(s.first_at, from, to)
                .iter()
                .filter(|t| {
                    !meetings
                        .iter()
                        .any(|m| m.held && m.starts_at.date_naive() == t.date_naive())
                })
                .count()
        }
        None => 0,
    };
    let since = today - chrono::Days::new(health::SLA_WINDOW_DAYS as u64);
    let urgent_recent: Vec<&keel_store::plan::posts::PlanPost> = posts
        .iter()
        .filter(|p| p.urgent)
        .filter(|p| {
            p.sla_deadline
                .is_some_and(|d| d.date_naive() >= since && d.date_naive() <= today)
        })
        .collect();
    let input = HealthInput {
        today,
        goals: goals
            .iter()
            .filter_map(|g| {
                let metric = g.row.metric.parse::<keel_domain::goals::Metric>().ok()?;
                Some(GoalFacts {
                    metric: metric.as_str(),
                    vanity: g.row.vanity,
                    agreed_by_client: g.row.agreed_by_client.is_some(),
                    agreed_by_agency: g.row.agreed_by_agency.is_some(),
                    deadline: g.row.deadline,
                })
            })
            .collect(),
        brief: brief
            .as_ref()
            .map(|b| (b.created_at.date_naive(), b.acknowledged_at.is_some())),
        spikes: bot_spikes
            .iter()
            .map(|s| SpikeFacts {
                account: format!("{}/{}", s.platform, s.account),
                date: s.date,
                gain: s.gain,
                excess: s.excess,
                er_before: s.er_before,
                er_after: s.er_after,
            })
            .collect(),
        funnel: funnel
            .iter()
            .map(|s| StageFacts {
                stage: s.result.stage.as_str(),
                zone: s.result.zone.as_str(),
                verdict: s.result.verdict.map(|v| v.as_str()),
                conversion: s.result.conversion,
                baseline: s.result.baseline,
                z: s.result.z,
            })
            .collect(),
        meeting_every_days: schedule.as_ref().map(|s| s.recurrence().days()),
        last_meeting_held: last_held,
        meetings_missed: missed,
        started_on: project.started_on,
        pay_tied_to_sales: brief.is_some_and(|b| b.content().pay_tied_to_sales()),
        approvers: members
            .into_iter()
            .filter(|m| m.role() == Some(keel_domain::Role::ClientApprover))
            .map(|m| m.display_name)
            .collect(),
        flagged_posts: posts.iter().filter(|p| p.flagged()).map(post_facts).collect(),
        urgent_recent: urgent_recent.len(),
        sla_misses: urgent_recent
            .iter()
            .filter(|p| p.sla_missed)
            .map(|p| post_facts(p))
            .collect(),
    };
    let awaiting_approval = posts
        .iter()
        .filter(|p| p.state == keel_domain::workflow::PostState::InReview)
        .map(post_facts)
        .collect();
    ProjectFacts {
        input,
        goals,
        awaiting_approval,
    }
}

fn post_facts(post: &keel_store::plan::posts::PlanPost) -> PostFacts {
    PostFacts {
        id: post.id.0,
        excerpt: excerpt(&post.text),
        revision_rounds: post.revision_rounds,
        sla_deadline: post.sla_deadline.map(|d| d.date_naive()),
    }
}

/// The first few words of a post, enough to recognise it in a list.
fn excerpt(text: &str) -> String {
    const MAX_CHARS: usize = 40;
    let line = text.lines().next().unwrap_or_default().trim();
    if line.chars().count() <= MAX_CHARS {
        return line.to_owned();
    }
    let cut: String = line.chars().take(MAX_CHARS).collect();
    format!("{}…", cut.trim_end())
}

impl ProjectFacts {
    pub fn findings(&self) -> Vec<Finding> {
        health::run(&self.input)
    }

    /// The agenda Keel drafts for the next meeting from the same facts.
    pub fn agenda(&self) -> Vec<AgendaItem> {
        let input = AgendaInput {
            goals: self
                .goals
                .iter()
                .map(|g| {
                    (
                        g.row.metric.clone(),
                        g.row.progress_pct,
                        g.row.forecast.map(|f| f.on_track),
                    )
                })
                .collect(),
            spikes: self
                .input
                .spikes
                .iter()
                .map(|s| (s.account.clone(), s.date.to_string(), s.excess))
                .collect(),
            stages_off: self
                .input
                .funnel
                .iter()
                .filter(|s| matches!(s.verdict, Some("worse") | Some("better")))
                .map(|s| {
                    (
                        s.stage.to_owned(),
                        s.zone.to_owned(),
                        s.verdict.unwrap_or_default().to_owned(),
                    )
                })
                .collect(),
            awaiting_approval: self
                .awaiting_approval
                .iter()
                .map(|p| (p.id, p.excerpt.clone()))
                .collect(),
            sla_misses: self
                .input
                .sla_misses
                .iter()
                .map(|p| (p.id, p.excerpt.clone()))
                .collect(),
        };
        draft_agenda(&input)
    }
}
