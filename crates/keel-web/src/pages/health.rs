//! The project's health check page: every check with its status, its evidence, and what to
//! do (or why it is healthy).

use super::layout::Chrome;
use crate::auth::ProjectCtx;
use crate::planning::health::gather;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::State;
use keel_domain::health::{Finding, Status, overall};

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
}

pub async fn page(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(ctx): Extension<ProjectCtx>,
) -> Result<HealthPage, WebError> {
    let facts = gather(&state.store, &ctx.project, chrono::Utc::now().date_naive())
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
