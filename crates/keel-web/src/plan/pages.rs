//! The content plan's pages: the calendar (month, week) and the list, with undated drafts
//! beside them, and creating a post.

use super::calendar::{View, days, neighbours};
use crate::auth::ProjectCtx;
use crate::auth::csrf::CsrfForm;
use crate::layout::Chrome;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use chrono::{NaiveDate, NaiveDateTime};
use keel_domain::local_days::LocalZone;
use keel_domain::workflow::{Platform, PostState};
use keel_domain::{Action, Decision, decide};
use keel_store::plan::posts::{PlanPost, PostDraft};
use serde::Deserialize;

/// One post as a calendar cell or list row shows it.
pub struct PlanItem {
    pub id: i64,
    pub state: String,
    pub state_key: &'static str,
    pub platforms: Vec<Plat>,
    pub excerpt: String,
    pub time: String,
    pub date: String,
    pub urgent: bool,
    pub flagged: bool,
    pub sla_missed: bool,
}

/// A platform as a plan card shows it: a coloured two-letter mark, its name on hover and in
/// the list view.
pub struct Plat {
    pub code: &'static str,
    pub label: &'static str,
    pub mark: &'static str,
}

impl From<keel_domain::workflow::variants::Platform> for Plat {
    fn from(p: keel_domain::workflow::variants::Platform) -> Plat {
        use keel_domain::workflow::variants::Platform;
        let mark = match p {
            Platform::Vk => "VK",
            Platform::Telegram => "TG",
            Platform::Instagram => "IG",
            Platform::Facebook => "FB",
        };
        Plat {
            code: p.as_str(),
            label: p.label(),
            mark,
        }
    }
}

/// Cards a day of the month view shows before "+N more" (the week view shows them all).
const MONTH_CARDS: usize = 3;

pub fn state_key(state: &str) -> &'static str {
    match PostState::parse(state).unwrap_or(PostState::Draft) {
        PostState::Draft => "state.draft",
        PostState::InReview => "state.in_review",
        PostState::ChangesRequested => "state.changes_requested",
        PostState::Approved => "state.approved",
        PostState::Scheduled => "state.scheduled",
        PostState::Published => "state.published",
        PostState::Failed => "state.failed",
    }
}

/// The project's time zone: the plan's days and times are its local ones.
pub(crate) fn zone(ctx: &ProjectCtx) -> LocalZone {
    LocalZone::or_utc(&ctx.project.time_zone)
}

fn item(p: &PlanPost, zone: LocalZone) -> PlanItem {
    let local = p.scheduled_at.map(|t| t.with_timezone(&zone.tz()));
    PlanItem {
        id: p.id.0,
        state: p.state.as_str().to_owned(),
        state_key: state_key(p.state.as_str()),
        platforms: p.platforms().iter().map(|p| Plat::from(*p)).collect(),
        excerpt: p.excerpt(80),
        time: local.map(|t| t.format("%H:%M").to_string()).unwrap_or_default(),
        date: local.map(|t| t.format("%Y-%m-%d").to_string()).unwrap_or_default(),
        urgent: p.urgent,
        flagged: p.flagged(),
        sla_missed: p.sla_missed,
    }
}

pub struct DayCell {
    pub num: u32,
    /// Weekday and date, for the phone's agenda (one day under another).
    pub label: String,
    pub in_month: bool,
    pub today: bool,
    pub items: Vec<PlanItem>,
    /// The day as `YYYY-MM-DD`, for the "+N more" link to its week.
    pub iso: String,
    /// Posts of the day beyond [`MONTH_CARDS`] (month view only), and "+N more" in words.
    pub more: usize,
    pub more_text: String,
}

#[derive(Deserialize, Default)]
pub struct PlanQuery {
    pub view: Option<String>,
    pub date: Option<String>,
    pub state: Option<String>,
    pub platform: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "plan.html")]
pub struct PlanPage {
    chrome: Chrome,
    slug: String,
    name: String,
    tab: &'static str,
    view: &'static str,
    anchor: String,
    title: String,
    prev: String,
    next: String,
    cells: Vec<DayCell>,
    list: Vec<PlanItem>,
    drafts: Vec<PlanItem>,
    can_write: bool,
    state_filter: String,
    platform_filter: String,
    states: Vec<(&'static str, &'static str)>,
    platforms: Vec<(&'static str, &'static str)>,
    total: usize,
    error: Option<String>,
    /// The form field the error belongs to (shown there), empty for the page as a whole.
    error_field: &'static str,
    /// What the new-post form shows: what was typed, after a refused submit.
    form: PostForm,
    /// The project's time zone, whose local times the page shows and the form takes.
    zone_name: &'static str,
}

impl PlanPage {
    /// Whether the new-post form has `platform` ticked.
    pub fn ticked(&self, platform: &str) -> bool {
        match platform {
            "vk" => self.form.vk.is_some(),
            "telegram" => self.form.telegram.is_some(),
            "instagram" => self.form.instagram.is_some(),
            "facebook" => self.form.facebook.is_some(),
            _ => false,
        }
    }
}

const WEEKDAYS: [&str; 7] = [
    "plan.day.mon",
    "plan.day.tue",
    "plan.day.wed",
    "plan.day.thu",
    "plan.day.fri",
    "plan.day.sat",
    "plan.day.sun",
];

impl PlanPage {
    fn weekdays(&self) -> [&'static str; 7] {
        WEEKDAYS
    }
}

pub async fn plan(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(ctx): Extension<ProjectCtx>,
    Query(query): Query<PlanQuery>,
) -> Result<PlanPage, WebError> {
    render(&state, chrome, &ctx, &query, None, PostForm::default()).await
}

async fn render(
    state: &AppState,
    chrome: Chrome,
    ctx: &ProjectCtx,
    query: &PlanQuery,
    error: Option<String>,
    form: PostForm,
) -> Result<PlanPage, WebError> {
    let view = View::parse(query.view.as_deref());
    let zone = zone(ctx);
    let today = zone.today();
    let anchor = query
        .date
        .as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .unwrap_or(today);
    let state_filter = query
        .state
        .clone()
        .filter(|s| PostState::parse(s).is_some())
        .unwrap_or_default();
    let platform = query.platform.as_deref().and_then(Platform::parse);
    let posts: Vec<PlanPost> = state
        .store
        .plan_posts_of(ctx.project.id())
        .await?
        .into_iter()
        .filter(|p| state_filter.is_empty() || p.state.as_str() == state_filter)
        .filter(|p| platform.is_none_or(|pl| p.platforms().contains(&pl)))
        .collect();
    let grid = days(view, anchor);
    let cells = grid
        .iter()
        .map(|day| {
            let mut items: Vec<PlanItem> = posts
                .iter()
                .filter(|p| p.scheduled_at.map(|t| zone.day_of(t)) == Some(*day))
                .map(|p| item(p, zone))
                .collect();
            let more = if view == View::Month {
                items.len().saturating_sub(MONTH_CARDS)
            } else {
                0
            };
            items.truncate(items.len() - more);
            DayCell {
                iso: day.to_string(),
                more_text: chrome.t.count("count.more", more as i64),
                more,
                items,
                num: chrono::Datelike::day(day),
                label: format!(
                    "{}, {}",
                    chrome
                        .t
                        .get(WEEKDAYS[chrono::Datelike::weekday(day).num_days_from_monday() as usize]),
                    crate::charts::format::Fmt(chrome.t.0).day_month(*day)
                ),
                in_month: view == View::Week || chrono::Datelike::month(day) == chrono::Datelike::month(&anchor),
                today: *day == today,
            }
        })
        .collect();
    let (prev, next) = neighbours(view, anchor);
    let title = match view {
        View::Week => {
            let fmt = crate::charts::format::Fmt(chrome.t.0);
            format!("{} – {}", fmt.date(grid[0]), fmt.date(grid[6]))
        }
        _ => crate::charts::format::Fmt(chrome.t.0).month_title(anchor),
    };
    let can_write = decide(ctx.access, Action::WritePosts) == Decision::Allow;
    Ok(PlanPage {
        chrome,
        slug: ctx.project.slug.clone(),
        name: ctx.project.name.clone(),
        tab: "plan",
        view: view.as_str(),
        anchor: anchor.to_string(),
        title,
        prev: prev.to_string(),
        next: next.to_string(),
        cells,
        list: posts
            .iter()
            .filter(|p| p.scheduled_at.is_some())
            .map(|p| item(p, zone))
            .collect(),
        drafts: posts
            .iter()
            .filter(|p| p.scheduled_at.is_none())
            .map(|p| item(p, zone))
            .collect(),
        can_write,
        states: PostState::ALL
            .iter()
            .map(|s| (s.as_str(), state_key(s.as_str())))
            .collect(),
        platforms: Platform::ALL.iter().map(|p| (p.as_str(), p.label())).collect(),
        platform_filter: platform.map(|p| p.as_str().to_owned()).unwrap_or_default(),
        state_filter,
        total: posts.len(),
        error,
        error_field: "",
        form,
        zone_name: zone.name(),
    })
}

/// The new-post form (also the edit form's fields, see `post_page`).
#[derive(Deserialize, Default)]
pub struct PostForm {
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub rubric: String,
    #[serde(default)]
    pub vk: Option<String>,
    #[serde(default)]
    pub telegram: Option<String>,
    #[serde(default)]
    pub instagram: Option<String>,
    #[serde(default)]
    pub facebook: Option<String>,
    /// `YYYY-MM-DDTHH:MM` from a datetime-local input, a local time of the project's zone;
    /// empty for no date.
    #[serde(default)]
    pub scheduled_at: String,
    #[serde(default)]
    pub urgent: Option<String>,
    #[serde(default)]
    pub variant_vk: String,
    #[serde(default)]
    pub variant_telegram: String,
    #[serde(default)]
    pub variant_instagram: String,
    #[serde(default)]
    pub variant_facebook: String,
}

/// A form's problem with the field it belongs to, so the page shows it there.
pub struct FieldError {
    pub field: &'static str,
    pub error: WebError,
}

impl PostForm {
    /// The draft the form describes, or what is wrong with it, at its field.
    pub fn draft(&self, zone: LocalZone) -> Result<PostDraft, FieldError> {
        let chosen = [
            (Platform::Vk, &self.vk, &self.variant_vk),
            (Platform::Telegram, &self.telegram, &self.variant_telegram),
            (Platform::Instagram, &self.instagram, &self.variant_instagram),
            (Platform::Facebook, &self.facebook, &self.variant_facebook),
        ];
        let platforms: Vec<Platform> = chosen
            .iter()
            .filter(|(_, on, _)| on.is_some())
            .map(|(p, _, _)| *p)
            .collect();
        let variants = chosen
            .iter()
            .filter(|(_, on, text)| on.is_some() && !text.trim().is_empty())
            .map(|(p, _, text)| (*p, (*text).clone()))
            .collect();
        let scheduled_at = match self.scheduled_at.trim() {
            "" => None,
            text => {
                let parsed = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
                    .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
                    .map_err(|_| FieldError {
                        field: "scheduled_at",
                        error: WebError::invalid(
                            format!("publication time `{text}`: expected YYYY-MM-DDTHH:MM"),
                            format!("время публикации `{text}`: нужна дата и время в виде ГГГГ-ММ-ДДTЧЧ:ММ"),
                        ),
                    })?;
                Some(keel_domain::report_schedule::instant(
                    parsed.date(),
                    parsed.time(),
                    zone.tz(),
                ))
            }
        };
        let text = self.text.replace("\r\n", "\n");
        if let Some(problem) = keel_domain::workflow::draft::draft_problem(&platforms, &text, &variants) {
            return Err(FieldError {
                field: problem.field(),
                error: WebError::invalid(
                    problem.reason(keel_domain::Lang::En),
                    problem.reason(keel_domain::Lang::Ru),
                ),
            });
        }
        Ok(PostDraft {
            text,
            rubric: self.rubric.clone(),
            platforms,
            scheduled_at,
            urgent: self.urgent.is_some(),
            variants,
        })
    }
}

pub async fn create(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(ctx): Extension<ProjectCtx>,
    CsrfForm(form): CsrfForm<PostForm>,
) -> Result<Response, WebError> {
    let outcome = match form.draft(zone(&ctx)) {
        Ok(draft) => state
            .store
            .create_plan_post(ctx.project.org(), ctx.project.id(), ctx.user.id(), &draft)
            .await
            .map_err(|e| FieldError {
                field: "",
                error: e.into(),
            }),
        Err(e) => Err(e),
    };
    match outcome {
        Ok(post) => Ok(crate::flash::redirect(
            &format!("/projects/{}/posts/{}", ctx.project.slug, post.id),
            "flash.post_created",
        )),
        Err(FieldError { field, error }) => {
            let status = error.status();
            let message = error.text(chrome.t.0);
            let mut page = render(&state, chrome, &ctx, &PlanQuery::default(), Some(message), form).await?;
            page.error_field = field;
            Ok((status, page).into_response())
        }
    }
}
