//! The project's health check page: every check with its status, its evidence, and what to
//! do (or why it is healthy).

use crate::auth::ProjectCtx;
use crate::health::facts::gather_cached;
use crate::layout::Chrome;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::State;
use keel_domain::health::{Evidence, Finding, Status, overall};

#[derive(Template, WebTemplate)]
#[template(path = "health.html")]
pub struct HealthPage {
    chrome: Chrome,
    slug: String,
    name: String,
    tab: &'static str,
    findings: Vec<Finding>,
    overall_status: &'static str,
}

impl HealthPage {
    /// The finding's text: `health.<check>.<part>`.
    fn text(&self, f: &Finding, part: &str) -> &'static str {
        self.chrome.t.get(&format!("health.{}.{part}", f.check))
    }

    fn healthy(&self, f: &Finding) -> bool {
        f.status == Status::Healthy
    }

    /// An evidence value in the reader's language: its words translated, figures as they are.
    fn say(&self, e: &Evidence) -> String {
        say(self.chrome.t, e)
    }
}

/// `e`'s value with its words in `t`'s language.
pub fn say(t: crate::i18n::Tr, e: &Evidence) -> String {
    keel_domain::words::render(&e.words, |k| t.get(k))
}

pub async fn page(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(ctx): Extension<ProjectCtx>,
) -> Result<HealthPage, WebError> {
    let facts = gather_cached(
        &state.figures,
        &state.store,
        &ctx.project,
        keel_report::scope::zone_of(&ctx.project).today(),
    )
    .await
    .map_err(WebError::Internal)?;
    let findings = facts.findings();
    Ok(HealthPage {
        chrome,
        slug: ctx.project.slug.clone(),
        name: ctx.project.name.clone(),
        tab: "health",
        overall_status: overall(&findings).as_str(),
        findings,
    })
}

#[cfg(test)]
mod tests {
    use crate::i18n::{Lang, LangExt};
    use keel_domain::health::{GoalFacts, HealthInput, PostFacts, SpikeFacts, StageFacts, run};

    /// Keys built from data (`health.<check>.<part>`, evidence labels, metric and area names)
    /// escape the template key test: check them here, in both languages.
    #[test]
    fn every_key_built_from_data_is_translated() {
        let d = |s: &str| s.parse().unwrap();
        let post = PostFacts {
            id: 1,
            excerpt: "x".into(),
            revision_rounds: 3,
            sla_deadline: Some(d("2026-10-30")),
        };
        let input = HealthInput {
            today: d("2026-11-01"),
            goals: vec![GoalFacts {
                metric: "followers",
                vanity: true,
                agreed_by_client: true,
                agreed_by_agency: true,
                deadline: d("2026-12-01"),
            }],
            brief: Some((d("2026-01-01"), false)),
            spikes: vec![SpikeFacts {
                account: "a".into(),
                date: d("2026-06-01"),
                gain: 1,
                excess: 1.0,
                er_before: None,
                er_after: None,
            }],
            funnel: vec![StageFacts {
                stage: "leads_to_deals",
                zone: "client",
                verdict: Some("worse"),
                conversion: None,
                baseline: None,
                z: None,
            }],
            meeting_every_days: Some(7),
            last_meeting_held: None,
            meetings_missed: 1,
            started_on: d("2026-01-01"),
            pay_tied_to_sales: true,
            approvers: vec![],
            flagged_posts: vec![post.clone()],
            urgent_recent: 1,
            sla_misses: vec![post],
        };
        let mut keys: Vec<String> = vec![];
        for f in run(&input) {
            for part in ["title", "problem", "todo", "ok"] {
                keys.push(format!("health.{}.{part}", f.check));
            }
            keys.extend(f.evidence.iter().map(|e| e.label.to_owned()));
            for e in &f.evidence {
                keys.extend(e.words.iter().filter_map(|w| match w {
                    keel_domain::health::Word::Key(key, _) => Some(key.clone()),
                    keel_domain::health::Word::Text(_) => None,
                }));
            }
        }
        keys.extend(["healthy", "warning", "problem"].map(|s| format!("health.status.{s}")));
        keys.extend(keel_domain::goals::Metric::ALL.map(|m| format!("metric.{m}")));
        keys.extend(keel_domain::goals::GoalType::ALL.map(|t| format!("goals.type.{}", t.as_str())));
        keys.extend(keel_domain::meeting::TEAM_AREAS.map(|a| format!("team.{a}")));
        keys.extend(keel_domain::meeting::Recurrence::ALL.map(|r| format!("cadence.{}", r.as_str())));
        keys.extend(
            [
                "goal_off_track",
                "suspected_purchase",
                "funnel_stage",
                "awaiting_approval",
                "sla_missed",
            ]
            .map(|k| format!("agenda.{k}")),
        );
        keys.extend(
            keel_domain::brief::BriefContent::default()
                .fields()
                .into_iter()
                .map(|(f, _)| format!("brief.{f}")),
        );
        keys.extend(["realistic", "unrealistic"].map(|v| format!("goals.verdict.{v}")));
        for lang in [Lang::En, Lang::Ru] {
            for key in &keys {
                assert_ne!(lang.tr().get(key), "?", "{key} has no {lang:?} text");
            }
        }
    }
}
