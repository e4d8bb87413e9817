//! The project health check: each known way to sink a project (PRODUCT.md's table) tested
//! from data. Every check is one independent function over [`HealthInput`] returning one
//! [`Finding`]; adding a check is adding a function to [`CHECKS`] (and, if it needs new
//! facts, a field to `HealthInput`). Pages translate a finding by its `check` name:
//! `health.<check>.title`, `.problem`, `.todo` and `.ok`.

use chrono::NaiveDate;
use serde::Serialize;

/// A goal as the checks see it.
#[derive(Debug, Clone, PartialEq)]
pub struct GoalFacts {
    pub metric: &'static str,
    pub vanity: bool,
    pub agreed_by_client: bool,
    pub agreed_by_agency: bool,
    pub deadline: NaiveDate,
}

/// A suspected purchase of followers (the report's `bot_spikes`).
#[derive(Debug, Clone, PartialEq)]
pub struct SpikeFacts {
    pub account: String,
    pub date: NaiveDate,
    pub gain: i64,
    pub excess: f64,
    pub er_before: Option<f64>,
    pub er_after: Option<f64>,
}

/// A funnel stage against its baseline (the report's `funnel`).
#[derive(Debug, Clone, PartialEq)]
pub struct StageFacts {
    pub stage: &'static str,
    /// `agency` or `client`.
    pub zone: &'static str,
    /// `worse`, `steady`, `better`, or `None` when undefined.
    pub verdict: Option<&'static str>,
    pub conversion: Option<f64>,
    pub baseline: Option<f64>,
    pub z: Option<f64>,
}

/// A content-plan post as the checks see it.
#[derive(Debug, Clone, PartialEq)]
pub struct PostFacts {
    pub id: i64,
    /// The first words of its text, so a person recognises it.
    pub excerpt: String,
    pub revision_rounds: i32,
    /// For an urgent post: when its SLA ran out.
    pub sla_deadline: Option<NaiveDate>,
}

/// What the checks read.
#[derive(Debug, Clone, PartialEq)]
pub struct HealthInput {
    pub today: NaiveDate,
    pub goals: Vec<GoalFacts>,
    /// The latest brief version's date and whether the agency lead acknowledged it.
    pub brief: Option<(NaiveDate, bool)>,
    pub spikes: Vec<SpikeFacts>,
    pub funnel: Vec<StageFacts>,
    /// Days between planned meetings (`None`: no schedule).
    pub meeting_every_days: Option<i64>,
    /// The last meeting marked as held.
    pub last_meeting_held: Option<NaiveDate>,
    /// Planned meetings whose time has passed without being marked held.
    pub meetings_missed: usize,
    /// The project's start date.
    pub started_on: NaiveDate,
    /// Whether the brief ties the agency's pay to a share of sales.
    pub pay_tied_to_sales: bool,
    /// The project's approvers: members holding `client_approver` (core rule 3).
    pub approvers: Vec<String>,
    /// Posts past two revision rounds (core rule 3).
    pub flagged_posts: Vec<PostFacts>,
    /// Urgent posts whose SLA ran out in the last [`SLA_WINDOW_DAYS`] days (core rule 4)…
    pub urgent_recent: usize,
    /// …and those of them whose SLA was missed.
    pub sla_misses: Vec<PostFacts>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Healthy,
    Warning,
    Problem,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Healthy => "healthy",
            Status::Warning => "warning",
            Status::Problem => "problem",
        }
    }
}

/// One fact behind a finding: a translatable label and a value in figures and names. `value`
/// is the English text (the API's); `words` is the same value in pieces, the words among them
/// as translation keys, so a page says it in the reader's language.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Evidence {
    pub label: &'static str,
    pub value: String,
    #[serde(skip)]
    pub words: Vec<Word>,
}

pub use crate::words::Word;
use crate::words::{english, key, text};

fn ev(label: &'static str, value: impl Into<String>) -> Evidence {
    let value = value.into();
    Evidence {
        label,
        words: vec![Word::Text(value.clone())],
        value,
    }
}

/// Evidence whose value holds words to translate.
fn ev_words(label: &'static str, words: Vec<Word>) -> Evidence {
    Evidence {
        label,
        value: english(&words),
        words,
    }
}

fn yes_no(yes: bool) -> Word {
    if yes { key("health", "yes") } else { key("health", "no") }
}

/// The answer of one check: its status and the facts it rests on (for a healthy item, the
/// facts that make it healthy).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Finding {
    pub check: &'static str,
    pub status: Status,
    pub evidence: Vec<Evidence>,
}

pub type Check = fn(&HealthInput) -> Finding;

/// Every check, in the order the page lists them.
pub const CHECKS: &[Check] = &[
    smart_goal,
    vanity_goals,
    approvers,
    revision_rounds,
    urgent_sla,
    purchased_followers,
    sales_stage_zone,
    meetings_held,
    stale_brief,
];

/// Runs every check.
pub fn run(input: &HealthInput) -> Vec<Finding> {
    CHECKS.iter().map(|check| check(input)).collect()
}

/// The worst status among findings (the projects list's column).
pub fn overall(findings: &[Finding]) -> Status {
    findings
        .iter()
        .map(|f| f.status)
        .max_by_key(|s| *s as u8)
        .unwrap_or(Status::Healthy)
}

/// A brief older than this is stale: the business moved on.
pub const STALE_BRIEF_DAYS: i64 = 180;

fn finding(check: &'static str, status: Status, evidence: Vec<Evidence>) -> Finding {
    Finding {
        check,
        status,
        evidence,
    }
}

fn pct(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.2} %")).unwrap_or_else(|| "—".into())
}

/// Core rule 1: a project needs at least one goal agreed by both sides.
pub fn smart_goal(input: &HealthInput) -> Finding {
    let agreed: Vec<&GoalFacts> = input
        .goals
        .iter()
        .filter(|g| g.agreed_by_client && g.agreed_by_agency)
        .collect();
    let mut evidence = vec![
        ev("health.ev.goals", input.goals.len().to_string()),
        ev("health.ev.goals_agreed", agreed.len().to_string()),
    ];
    if let Some(g) = agreed.first() {
        evidence.push(ev_words(
            "health.ev.goal",
            vec![key("metric", g.metric), text(format!(" → {}", g.deadline))],
        ));
    }
    let status = if agreed.is_empty() {
        Status::Problem
    } else {
        Status::Healthy
    };
    finding("smart_goal", status, evidence)
}

/// Followers and likes alone say nothing about the business.
pub fn vanity_goals(input: &HealthInput) -> Finding {
    let metrics: Vec<&str> = input.goals.iter().map(|g| g.metric).collect();
    let all_vanity = !input.goals.is_empty() && input.goals.iter().all(|g| g.vanity);
    let status = if all_vanity { Status::Problem } else { Status::Healthy };
    finding(
        "vanity_goals",
        status,
        vec![ev_words(
            "health.ev.metrics",
            metrics
                .iter()
                .enumerate()
                .flat_map(|(i, m)| {
                    let sep = (i > 0).then(|| text(", "));
                    sep.into_iter().chain([key("metric", m)])
                })
                .collect(),
        )],
    )
}

/// Core rule 3: when everyone weighs in, edits never end. At most two approvers.
pub fn approvers(input: &HealthInput) -> Finding {
    let names = if input.approvers.is_empty() {
        "—".to_owned()
    } else {
        input.approvers.join(", ")
    };
    let status = match input.approvers.len() {
        0 => Status::Warning,
        1 | 2 => Status::Healthy,
        _ => Status::Problem,
    };
    finding(
        "approvers",
        status,
        vec![ev("health.ev.approvers", format!("{}: {names}", input.approvers.len()))],
    )
}

/// How far back the urgent-SLA check looks.
pub const SLA_WINDOW_DAYS: i64 = 90;

fn post_line(p: &PostFacts) -> String {
    format!("#{} «{}»", p.id, p.excerpt)
}

/// Core rule 3: each "changes requested" is a round; past two, the post is flagged.
pub fn revision_rounds(input: &HealthInput) -> Finding {
    if input.flagged_posts.is_empty() {
        return finding("revision_rounds", Status::Healthy, vec![ev("health.ev.flagged", "0")]);
    }
    let evidence = input
        .flagged_posts
        .iter()
        .map(|p| {
            ev(
                "health.ev.flagged_post",
                format!("{}: {}", post_line(p), p.revision_rounds),
            )
        })
        .collect();
    finding("revision_rounds", Status::Problem, evidence)
}

/// Core rule 4: urgent posts are decided within their SLA.
pub fn urgent_sla(input: &HealthInput) -> Finding {
    let mut evidence = vec![
        ev("health.ev.urgent", input.urgent_recent.to_string()),
        ev("health.ev.sla_missed", input.sla_misses.len().to_string()),
    ];
    evidence.extend(input.sla_misses.iter().map(|p| {
        let due = p.sla_deadline.map(|d| d.to_string()).unwrap_or_else(|| "—".into());
        ev("health.ev.sla_miss", format!("{}: {due}", post_line(p)))
    }));
    let status = if input.sla_misses.is_empty() {
        Status::Healthy
    } else {
        Status::Problem
    };
    finding("urgent_sla", status, evidence)
}

/// Follower spikes without matching activity (PRODUCT.md "Suspected purchased followers").
pub fn purchased_followers(input: &HealthInput) -> Finding {
    let evidence = if input.spikes.is_empty() {
        vec![ev("health.ev.spikes", "0")]
    } else {
        input
            .spikes
            .iter()
            .map(|s| {
                ev(
                    "health.ev.spike",
                    format!(
                        "{} {}: +{} (≈{:.0} bots), ER {} → {}",
                        s.account,
                        s.date,
                        s.gain,
                        s.excess,
                        pct(s.er_before),
                        pct(s.er_after)
                    ),
                )
            })
            .collect()
    };
    let status = if input.spikes.is_empty() {
        Status::Healthy
    } else {
        Status::Problem
    };
    finding("purchased_followers", status, evidence)
}

/// Core rule 6: a sales-stage drop belongs to the client's zone. The finding names the
/// stage, its zone and the agency's stages beside it, and is a problem when a stage is
/// worse than baseline or the agency's pay is tied to sales the client's team controls.
pub fn sales_stage_zone(input: &HealthInput) -> Finding {
    let mut evidence: Vec<Evidence> = input
        .funnel
        .iter()
        .map(|s| {
            let z = s.z.map(|z| format!("{z:.2}")).unwrap_or_else(|| "—".into());
            ev_words(
                "health.ev.stage",
                vec![
                    key("funnel", s.stage),
                    text(" ("),
                    key("funnel.zone", s.zone),
                    text(format!("): {} / {} ", pct(s.conversion), pct(s.baseline))),
                    s.verdict.map(|v| key("funnel", v)).unwrap_or_else(|| text("—")),
                    text(format!(", z = {z}")),
                ],
            )
        })
        .collect();
    let client_worse = input
        .funnel
        .iter()
        .any(|s| s.zone == "client" && s.verdict == Some("worse"));
    if input.pay_tied_to_sales {
        evidence.push(ev_words("health.ev.pay_tied", vec![yes_no(true)]));
    }
    let status = if client_worse || input.pay_tied_to_sales {
        Status::Problem
    } else if input.funnel.iter().any(|s| s.verdict == Some("worse")) {
        Status::Warning
    } else {
        Status::Healthy
    };
    finding("sales_stage_zone", status, evidence)
}

/// Meetings on a schedule, and held.
pub fn meetings_held(input: &HealthInput) -> Finding {
    let Some(every) = input.meeting_every_days else {
        return finding("meetings_held", Status::Problem, vec![ev("health.ev.schedule", "—")]);
    };
    let mut evidence = vec![
        ev("health.ev.schedule", format!("{every}")),
        ev(
            "health.ev.last_held",
            input
                .last_meeting_held
                .map(|d| d.to_string())
                .unwrap_or_else(|| "—".into()),
        ),
        ev("health.ev.missed", input.meetings_missed.to_string()),
    ];
    let since = input.last_meeting_held.unwrap_or(input.started_on);
    let overdue = (input.today - since).num_days() > 2 * every;
    if overdue {
        evidence.push(ev("health.ev.days_since", (input.today - since).num_days().to_string()));
    }
    let status = if overdue {
        Status::Problem
    } else if input.meetings_missed > 0 {
        Status::Warning
    } else {
        Status::Healthy
    };
    finding("meetings_held", status, evidence)
}

/// A brief exists, is recent, and the agency acknowledged it.
pub fn stale_brief(input: &HealthInput) -> Finding {
    let Some((saved, acknowledged)) = input.brief else {
        return finding("stale_brief", Status::Problem, vec![ev("health.ev.brief", "—")]);
    };
    let age = (input.today - saved).num_days();
    let evidence = vec![
        ev("health.ev.brief", saved.to_string()),
        ev("health.ev.brief_age", age.to_string()),
        ev_words("health.ev.acknowledged", vec![yes_no(acknowledged)]),
    ];
    let status = if age > STALE_BRIEF_DAYS {
        Status::Problem
    } else if !acknowledged {
        Status::Warning
    } else {
        Status::Healthy
    };
    finding("stale_brief", status, evidence)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn healthy_input() -> HealthInput {
        HealthInput {
            today: date("2026-11-01"),
            goals: vec![GoalFacts {
                metric: "er_followers",
                vanity: false,
                agreed_by_client: true,
                agreed_by_agency: true,
                deadline: date("2026-12-31"),
            }],
            brief: Some((date("2026-10-01"), true)),
            spikes: vec![],
            funnel: vec![StageFacts {
                stage: "leads_to_deals",
                zone: "client",
                verdict: Some("steady"),
                conversion: Some(20.0),
                baseline: Some(21.0),
                z: Some(-0.5),
            }],
            meeting_every_days: Some(14),
            last_meeting_held: Some(date("2026-10-25")),
            meetings_missed: 0,
            started_on: date("2026-01-01"),
            pay_tied_to_sales: false,
            approvers: vec!["Olga".into()],
            flagged_posts: vec![],
            urgent_recent: 2,
            sla_misses: vec![],
        }
    }

    #[test]
    fn a_healthy_project_says_why_for_every_check() {
        let findings = run(&healthy_input());
        assert_eq!(findings.len(), CHECKS.len());
        for f in &findings {
            assert_eq!(f.status, Status::Healthy, "{f:?}");
            assert!(!f.evidence.is_empty(), "{} must say why it is healthy", f.check);
        }
        assert_eq!(overall(&findings), Status::Healthy);
    }

    #[test]
    fn each_way_to_sink_a_project_is_found_with_evidence() {
        let mut input = healthy_input();
        input.goals[0].agreed_by_agency = false;
        input.goals[0].vanity = true;
        input.spikes.push(SpikeFacts {
            account: "instagram/b".into(),
            date: date("2026-06-12"),
            gain: 6200,
            excess: 6000.0,
            er_before: Some(3.0),
            er_after: Some(1.5),
        });
        input.funnel[0].verdict = Some("worse");
        input.last_meeting_held = Some(date("2026-09-01"));
        input.brief = Some((date("2026-01-01"), true));
        input.approvers = vec!["A".into(), "B".into(), "C".into()];
        let stuck = PostFacts {
            id: 3,
            excerpt: "Autumn blend".into(),
            revision_rounds: 3,
            sla_deadline: Some(date("2026-10-30")),
        };
        input.flagged_posts.push(stuck.clone());
        input.sla_misses.push(stuck);
        let findings = run(&input);
        for f in &findings {
            assert_eq!(f.status, Status::Problem, "{f:?}");
        }
        assert_eq!(findings[2].evidence[0].value, "3: A, B, C");
        let spike = &findings[5].evidence[0].value;
        assert!(
            spike.contains("2026-06-12") && spike.contains("6000") && spike.contains("3.00 %"),
            "{spike}"
        );
        assert!(findings[6].evidence[0].value.contains("leads_to_deals (client)"));
        assert_eq!(overall(&findings), Status::Problem);
    }

    #[test]
    fn an_agency_stage_drop_is_a_warning_and_pay_on_sales_a_problem() {
        let mut input = healthy_input();
        input.funnel[0] = StageFacts {
            stage: "clicks_to_leads",
            zone: "agency",
            verdict: Some("worse"),
            ..input.funnel[0].clone()
        };
        assert_eq!(sales_stage_zone(&input).status, Status::Warning);
        input.funnel[0].verdict = Some("steady");
        input.pay_tied_to_sales = true;
        assert_eq!(sales_stage_zone(&input).status, Status::Problem);
    }

    #[test]
    fn meetings_without_a_schedule_or_missed_are_found() {
        let mut input = healthy_input();
        input.meetings_missed = 1;
        assert_eq!(meetings_held(&input).status, Status::Warning);
        input.meeting_every_days = None;
        assert_eq!(meetings_held(&input).status, Status::Problem);
    }

    #[test]
    fn an_unacknowledged_brief_is_a_warning_and_none_a_problem() {
        let mut input = healthy_input();
        input.brief = Some((date("2026-10-01"), false));
        assert_eq!(stale_brief(&input).status, Status::Warning);
        input.brief = None;
        assert_eq!(stale_brief(&input).status, Status::Problem);
    }

    #[test]
    fn one_or_two_approvers_are_healthy_none_a_warning_three_a_problem() {
        let mut input = healthy_input();
        for (names, status) in [
            (vec![], Status::Warning),
            (vec!["A", "B"], Status::Healthy),
            (vec!["A", "B", "C"], Status::Problem),
        ] {
            input.approvers = names.into_iter().map(String::from).collect();
            assert_eq!(approvers(&input).status, status);
        }
    }

    #[test]
    fn posts_past_two_rounds_and_missed_slas_are_problems_with_their_posts_as_evidence() {
        let healthy = healthy_input();
        assert_eq!(revision_rounds(&healthy).status, Status::Healthy);
        assert_eq!(urgent_sla(&healthy).status, Status::Healthy);
        assert_eq!(
            urgent_sla(&healthy).evidence[0].value,
            "2",
            "how many urgent posts were judged"
        );
        let post = PostFacts {
            id: 7,
            excerpt: "Spring menu".into(),
            revision_rounds: 3,
            sla_deadline: Some(date("2026-10-20")),
        };
        let input = HealthInput {
            flagged_posts: vec![post.clone()],
            sla_misses: vec![post],
            ..healthy
        };
        let rounds = revision_rounds(&input);
        assert_eq!(rounds.status, Status::Problem);
        assert_eq!(rounds.evidence[0].value, "#7 «Spring menu»: 3");
        let sla = urgent_sla(&input);
        assert_eq!(sla.status, Status::Problem);
        assert_eq!(sla.evidence[1].value, "1");
        assert_eq!(sla.evidence[2].value, "#7 «Spring menu»: 2026-10-20");
    }
}
