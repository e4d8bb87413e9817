//! The demo projects' brief, agreed goals (so both are `active`), team matrix, meeting
//! schedule and one held meeting with decisions and action items. Each part is
//! made only when the project has none of it yet, so a second `keel demo` changes nothing.

use chrono::{DateTime, NaiveDate, Utc};
use keel_domain::brief::BriefContent;
use keel_domain::goals::{Metric, Target};
use keel_domain::{Email, UserId};
use keel_store::Store;
use keel_store::goals::{AgreeSide, GoalInput};
use keel_store::meetings::{MeetingInput, NewActionItem, Schedule, TeamAssignment};
use keel_store::projects::Project;

fn date(s: &str) -> NaiveDate {
    s.parse().expect("constant date")
}

fn at(s: &str) -> DateTime<Utc> {
    s.parse().expect("constant instant")
}

async fn user(store: &Store, email: &str) -> anyhow::Result<UserId> {
    let found = store.user_by_email(&Email::parse(email)?).await?;
    Ok(found.ok_or_else(|| anyhow::anyhow!("demo user {email} missing"))?.id())
}

struct Plan {
    owner: &'static str,
    brief: BriefContent,
    goals: Vec<(Metric, Target)>,
}

fn plan(slug: &str) -> Plan {
    if slug == "client-a" {
        Plan {
            owner: "client-a@demo.local",
            brief: BriefContent {
                business: "Specialty coffee roastery with two cafés and an online shop.".into(),
                products: "Single-origin beans, subscriptions, brewing courses.".into(),
                audience: "Home brewers 25–45 in the city; office managers ordering for teams.".into(),
                competitors: "Big chain cafés; two local roasteries.".into(),
                tone_of_voice: "Warm, expert, never snobbish.".into(),
                taboo_topics: "Politics; discounts deeper than 20 %.".into(),
                approvers: "Olga (marketing)".into(),
                brand_assets: "Logo and fonts: https://example.com/brand/client-a".into(),
                fixed_fee: Some(1500.0),
                ad_budget: Some(900.0),
                reporting_cadence: "monthly".into(),
                sales_share_pct: None,
            },
            goals: vec![
                (Metric::ErFollowers, Target::Absolute(6.0)),
                (Metric::Leads, Target::RelativePct(15.0)),
            ],
        }
    } else {
        Plan {
            owner: "client-b@demo.local",
            brief: BriefContent {
                business: "Boutique fitness studio: group classes and personal training.".into(),
                products: "Memberships, 10-class passes, a 6-week starter programme.".into(),
                audience: "Women 25–40 living or working within 3 km.".into(),
                competitors: "Chain gyms; yoga studios nearby.".into(),
                tone_of_voice: "Energetic, encouraging, body-positive.".into(),
                taboo_topics: "Before/after photos; diet shaming.".into(),
                approvers: "Boris (owner)".into(),
                brand_assets: "Brand book: https://example.com/brand/client-b".into(),
                fixed_fee: Some(1200.0),
                ad_budget: Some(600.0),
                reporting_cadence: "biweekly".into(),
                sales_share_pct: None,
            },
            goals: vec![(Metric::Followers, Target::RelativePct(10.0))],
        }
    }
}

/// Adds what is missing; returns the number of things made.
pub async fn fill(store: &Store, project: &Project) -> anyhow::Result<usize> {
    let plan = plan(&project.slug);
    let (org, id) = (project.org(), project.id());
    let owner = user(store, plan.owner).await?;
    let lead = user(store, "agency@demo.local").await?;
    let specialist = user(store, "specialist@demo.local").await?;
    let mut made = 0;
    if store.brief_versions(id).await?.is_empty() {
        let v = store
            .save_brief(
                org,
                id,
                &plan.brief.clone().validated().map_err(anyhow::Error::msg)?,
                owner,
            )
            .await?;
        store.acknowledge_brief(org, id, v.version, lead).await?;
        made += 1;
    }
    if store.goals_of(id).await?.is_empty() {
        for (metric, target) in plan.goals {
            let input = GoalInput {
                metric,
                target,
                start_on: date("2026-09-01"),
                deadline: date("2026-12-31"),
                zone: metric.info().zone.as_str(),
                baseline_entered: None,
            };
            let goal = store.create_goal(org, id, &input, lead).await?;
            store.agree_goal(org, id, goal.id, &[AgreeSide::Client], owner).await?;
            store.agree_goal(org, id, goal.id, &[AgreeSide::Agency], lead).await?;
            made += 1;
        }
    }
    if store.team_matrix(id).await?.is_empty() {
        for (area, side, who) in [
            ("strategy", "agency", Some(lead)),
            ("copy", "agency", Some(specialist)),
            ("targeting", "agency", Some(specialist)),
            ("analytics", "agency", Some(lead)),
            ("approvals", "client", Some(owner)),
            ("sales_follow_up", "client", None),
        ] {
            let a = TeamAssignment {
                area,
                side,
                user: who,
                note: "",
            };
            store.set_team_area(org, id, &a, lead).await?;
        }
        made += 1;
    }
    if store.meeting_schedule(id).await?.is_none() {
        let schedule = Schedule {
            title: "Biweekly status".into(),
            first_at: at("2026-09-01T10:00:00Z"),
            recurrence: "biweekly".into(),
            duration_minutes: 45,
            link: "https://meet.example.com/keel-demo".into(),
        };
        store.set_meeting_schedule(org, id, &schedule, lead).await?;
        made += 1;
    }
    if store.meetings(id).await?.is_empty() {
        let meeting = store
            .record_meeting(
                org,
                id,
                &MeetingInput {
                    starts_at: at("2026-10-13T10:00:00Z"),
                    title: "Biweekly status".into(),
                    agenda: "Goals progress; funnel; content plan for November.".into(),
                    minutes: "Reviewed September figures and the funnel by zone. Agreed next steps below.".into(),
                    held: true,
                },
                lead,
            )
            .await?;
        store
            .add_decision(
                org,
                id,
                meeting.id,
                "Judge the account by ER, not follower counts.",
                lead,
            )
            .await?;
        store
            .add_decision(
                org,
                id,
                meeting.id,
                "The sales team reviews lead handling times.",
                owner,
            )
            .await?;
        for (text, who, due) in [
            ("Send the November content plan", specialist, "2026-10-20"),
            ("Share CRM lead statuses weekly", owner, "2026-11-01"),
        ] {
            let item = NewActionItem {
                meeting: meeting.id,
                text,
                owner: Some(who),
                due_on: date(due),
            };
            let item_id = store.add_action_item(org, id, &item, lead).await?;
            if who == specialist {
                store.complete_action_item(org, id, item_id, specialist).await?;
            }
        }
        made += 1;
    }
    Ok(made)
}
