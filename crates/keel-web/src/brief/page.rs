//! The brief page: the latest version, a form to save the next one, every version with its
//! acknowledgement, and two versions side by side.

use crate::auth::ProjectCtx;
use crate::auth::csrf::CsrfForm;
use crate::form::{Empty, number};
use crate::layout::Chrome;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use keel_domain::brief::{BriefContent, FieldChange, compare};
use keel_domain::{Action, Decision, decide};
use serde::Deserialize;

pub struct VersionLine {
    pub version: i64,
    pub author: String,
    pub saved: String,
    pub acknowledged: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "brief.html")]
pub struct BriefPage {
    chrome: Chrome,
    slug: String,
    name: String,
    tab: &'static str,
    /// (field, translation key, value) of the latest version.
    latest: Vec<(&'static str, String, String)>,
    latest_version: i64,
    form: BriefContent,
    pay_tied: bool,
    versions: Vec<VersionLine>,
    can_edit: bool,
    can_ack: bool,
    comparison: Vec<(String, FieldChange)>,
    left: i64,
    right: i64,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct ComparePair {
    left: Option<i64>,
    right: Option<i64>,
}

pub async fn page(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(ctx): Extension<ProjectCtx>,
    Query(pair): Query<ComparePair>,
) -> Result<BriefPage, WebError> {
    render(&state, chrome, &ctx, pair, None, None).await
}

async fn render(
    state: &AppState,
    chrome: Chrome,
    ctx: &ProjectCtx,
    pair: ComparePair,
    error: Option<String>,
    typed: Option<BriefContent>,
) -> Result<BriefPage, WebError> {
    let versions = state.store.brief_versions(ctx.project.id()).await?;
    let latest = versions.first().map(|v| v.content());
    let f = crate::charts::format::Fmt(chrome.t.0);
    let (left, right) = match (pair.left, pair.right, versions.len()) {
        (Some(l), Some(r), _) => (l, r),
        (_, _, n) if n >= 2 => (versions[1].version, versions[0].version),
        _ => (0, 0),
    };
    let comparison = if left > 0 && right > 0 {
        let l = state.store.brief_version(ctx.project.id(), left).await?;
        let r = state.store.brief_version(ctx.project.id(), right).await?;
        compare(&l.content(), &r.content())
            .into_iter()
            .map(|c| (format!("brief.{}", c.field), c))
            .collect()
    } else {
        vec![]
    };
    Ok(BriefPage {
        slug: ctx.project.slug.clone(),
        name: ctx.project.name.clone(),
        tab: "brief",
        latest: latest
            .as_ref()
            .map(|c| {
                c.fields()
                    .into_iter()
                    .map(|(k, v)| {
                        // The cadence is stored as a code; the page says it in words.
                        let v = if k == "reporting_cadence" && !v.is_empty() {
                            chrome.t.get_in("cadence", &v).to_owned()
                        } else {
                            v
                        };
                        (k, format!("brief.{k}"), v)
                    })
                    .collect()
            })
            .unwrap_or_default(),
        latest_version: versions.first().map(|v| v.version).unwrap_or(0),
        pay_tied: latest.as_ref().is_some_and(|c| c.pay_tied_to_sales()),
        form: typed.or(latest).unwrap_or_default(),
        versions: versions
            .iter()
            .map(|v| VersionLine {
                version: v.version,
                author: v.author_name.clone().unwrap_or_default(),
                saved: f.date(v.created_at.date_naive()),
                acknowledged: v.acknowledged_name.clone().unwrap_or_default(),
            })
            .collect(),
        can_edit: decide(ctx.access, Action::EditBrief) == Decision::Allow,
        can_ack: decide(ctx.access, Action::AcknowledgeBrief) == Decision::Allow,
        comparison,
        left,
        right,
        error,
        chrome,
    })
}

#[derive(Deserialize)]
pub struct BriefForm {
    #[serde(default)]
    business: String,
    #[serde(default)]
    products: String,
    #[serde(default)]
    audience: String,
    #[serde(default)]
    competitors: String,
    #[serde(default)]
    tone_of_voice: String,
    #[serde(default)]
    taboo_topics: String,
    #[serde(default)]
    approvers: String,
    #[serde(default)]
    brand_assets: String,
    #[serde(default)]
    fixed_fee: String,
    #[serde(default)]
    ad_budget: String,
    #[serde(default)]
    reporting_cadence: String,
    #[serde(default)]
    sales_share_pct: String,
}

impl BriefForm {
    fn content(self) -> (BriefContent, Result<(), String>) {
        let mut numbers = Ok(());
        let mut num = |field: &str, text: &str| match number(field, text) {
            Ok(v) => v,
            Err(e) => {
                numbers = Err(e);
                None
            }
        };
        let content = BriefContent {
            fixed_fee: num("fixed_fee", &self.fixed_fee),
            ad_budget: num("ad_budget", &self.ad_budget),
            sales_share_pct: num("sales_share_pct", &self.sales_share_pct),
            business: self.business,
            products: self.products,
            audience: self.audience,
            competitors: self.competitors,
            tone_of_voice: self.tone_of_voice,
            taboo_topics: self.taboo_topics,
            approvers: self.approvers,
            brand_assets: self.brand_assets,
            reporting_cadence: self.reporting_cadence,
        };
        (content, numbers)
    }
}

pub async fn save(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(ctx): Extension<ProjectCtx>,
    CsrfForm(form): CsrfForm<BriefForm>,
) -> Result<Response, WebError> {
    let (content, numbers) = form.content();
    let problem = match numbers {
        Err(message) => Some(message),
        Ok(()) => match keel_app::brief::save(&state.store, &ctx, content.clone()).await {
            Ok(_) => None,
            Err(keel_app::AppError::Refused(refusal)) => Some(refusal.text(chrome.t.0)),
            Err(other) => return Err(other.into()),
        },
    };
    let Some(message) = problem else {
        return Ok(crate::flash::redirect(
            &format!("/projects/{}/brief", ctx.project.slug),
            "flash.brief_saved",
        ));
    };
    let page = render(
        &state,
        chrome,
        &ctx,
        ComparePair::default(),
        Some(message),
        Some(content),
    )
    .await?;
    Ok((StatusCode::BAD_REQUEST, page).into_response())
}

pub async fn acknowledge(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    Path((_, version)): Path<(String, i64)>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, WebError> {
    keel_app::brief::acknowledge(&state.store, &ctx, version).await?;
    Ok(crate::flash::redirect(
        &format!("/projects/{}/brief", ctx.project.slug),
        "flash.brief_acknowledged",
    ))
}
