//! A post's page: the editor with per-platform variants and live character counts, previews,
//! images, comments and suggestions, the actions the viewer may take, and the audit trail.
//! The forms it posts are handled in `post_forms`.

use super::guard::PostCtx;
use super::input::relation;
use super::pages::{PostForm, state_key};
use super::records::{EventLine, event_line};
use super::view::PostView;
use crate::auth::ProjectCtx;
use crate::layout::Chrome;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use keel_domain::workflow::{Platform, PostAction, transition};
use keel_domain::{Action, Decision, decide};

/// One platform's editor field and preview.
pub struct PlatformBox {
    pub code: &'static str,
    pub label: &'static str,
    pub chosen: bool,
    pub variant: String,
    /// What goes out: the variant, else the main text.
    pub text: String,
    pub length: usize,
    pub limit: usize,
    pub over: bool,
}

/// One platform's publication by Keel, as the page shows it.
pub struct PublicationLine {
    pub platform: &'static str,
    pub label: &'static str,
    pub state: &'static str,
    pub state_key: &'static str,
    pub url: Option<String>,
    /// Why it failed or is in doubt, in the reader's language.
    pub reason: Option<String>,
    /// A person may resolve it (send again, or mark published with its address).
    pub resolvable: bool,
    /// The figures pulled (or imported) for the platform's post of this publication, matched
    /// by the platform's own post id.
    pub figures: Option<keel_store::syncs::PulledFigures>,
}

impl PublicationLine {
    /// A count, or "—" when the platform gave none.
    pub fn count(value: &Option<i64>) -> String {
        value.map(|v| v.to_string()).unwrap_or_else(|| "—".into())
    }
}

pub struct CommentLine {
    pub id: i64,
    pub author: String,
    pub text: String,
    pub advisory: bool,
    pub suggestion_key: Option<&'static str>,
    pub open: bool,
    pub reason: Option<String>,
    pub at: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "post.html")]
pub struct PostPage {
    chrome: Chrome,
    /// The project's time zone, whose local time the page shows and the form takes.
    zone_name: &'static str,
    slug: String,
    name: String,
    tab: &'static str,
    id: i64,
    state: String,
    state_key: &'static str,
    text: String,
    rubric: String,
    scheduled_at: String,
    urgent: bool,
    author: String,
    rounds: i32,
    flagged: bool,
    sla_deadline: Option<String>,
    sla_missed: bool,
    boxes: Vec<PlatformBox>,
    images: Vec<(i64, String)>,
    problems: Vec<String>,
    comments: Vec<CommentLine>,
    publications: Vec<PublicationLine>,
    events: Vec<EventLine>,
    editable: bool,
    can_decide: bool,
    own_post: bool,
    can_comment: bool,
    can_resolve: bool,
    /// (move, label key) the viewer may take now.
    moves: Vec<(&'static str, &'static str)>,
    error: Option<String>,
}

/// The agency's moves that are not editing, in the order the page offers them.
pub(super) const MOVES: [(PostAction, &str, &str); 5] = [
    (PostAction::Submit, "submit", "post.submit"),
    (PostAction::Schedule, "schedule", "post.schedule"),
    (PostAction::MarkPublished, "mark_published", "post.mark_published"),
    (PostAction::MarkFailed, "mark_failed", "post.mark_failed"),
    (PostAction::BackToDraft, "back_to_draft", "post.back_to_draft"),
];

async fn render(
    state: &AppState,
    chrome: Chrome,
    ctx: &ProjectCtx,
    id: i64,
    error: Option<String>,
) -> Result<PostPage, WebError> {
    let post = state
        .store
        .plan_post(ctx.project.org(), keel_domain::PostId(id))
        .await?
        .ok_or(WebError::NotFound)?;
    let who = relation(ctx, &post);
    let view = PostView::load(&state.store, post).await?;
    let mut figures = std::collections::HashMap::new();
    for publication in &view.publications {
        if let Some(platform_post) = &publication.platform_post_id
            && let Some(found) = state
                .store
                .pulled_figures(ctx.project.id(), &publication.platform, platform_post)
                .await?
        {
            figures.insert(publication.platform.clone(), found);
        }
    }
    let p = &view.post;
    let st = p.state();
    let chosen = p.platforms();
    let boxes = Platform::ALL
        .iter()
        .map(|&platform| {
            let variant = view
                .variants
                .iter()
                .find(|(pl, _)| *pl == platform)
                .map(|(_, t)| t.clone())
                .unwrap_or_default();
            let text = if variant.is_empty() {
                p.text.clone()
            } else {
                variant.clone()
            };
            let length = platform.length(&text);
            let limit = platform.text_limit(!view.images.is_empty());
            PlatformBox {
                code: platform.as_str(),
                label: platform.label(),
                chosen: chosen.contains(&platform),
                variant,
                text,
                length,
                limit,
                over: length > limit,
            }
        })
        .collect();
    let allowed = |action| transition(st, action, who).is_ok();
    let slug = ctx.project.slug.clone();
    let lang = chrome.t.0;
    Ok(PostPage {
        chrome,
        zone_name: super::pages::zone(ctx).name(),
        name: ctx.project.name.clone(),
        tab: "plan",
        id: p.id.0,
        state: p.state.as_str().to_owned(),
        state_key: state_key(p.state.as_str()),
        text: p.text.clone(),
        rubric: p.rubric.clone(),
        scheduled_at: p
            .scheduled_at
            .map(|t| {
                t.with_timezone(&super::pages::zone(ctx).tz())
                    .format("%Y-%m-%dT%H:%M")
                    .to_string()
            })
            .unwrap_or_default(),
        urgent: p.urgent,
        author: p.author_name.clone(),
        rounds: p.revision_rounds,
        flagged: p.flagged(),
        sla_deadline: p
            .running_sla_deadline()
            .map(|d| d.format("%Y-%m-%d %H:%M UTC").to_string()),
        sla_missed: p.sla_missed,
        boxes,
        images: view
            .images
            .iter()
            .map(|i| (i.id, format!("/projects/{slug}/posts/{}/images/{}", p.id, i.id)))
            .collect(),
        problems: view.problems().iter().map(ToString::to_string).collect(),
        comments: view
            .comments
            .iter()
            .map(|c| CommentLine {
                id: c.id.0,
                author: c.author_name.clone(),
                text: c.text.clone(),
                advisory: c.advisory,
                suggestion_key: c.suggestion.as_deref().map(|s| match s {
                    "accepted" => "post.suggestion.accepted",
                    "declined" => "post.suggestion.declined",
                    _ => "post.suggestion.open",
                }),
                open: c.suggestion.as_deref() == Some("open"),
                reason: c.decline_reason.clone(),
                at: c.created_at.format("%Y-%m-%d %H:%M").to_string(),
            })
            .collect(),
        publications: view
            .publications
            .iter()
            .filter_map(|publication| {
                let platform = publication.platform()?;
                let state = publication.state.as_str();
                Some(PublicationLine {
                    platform: platform.as_str(),
                    label: platform.label(),
                    state,
                    state_key: match state {
                        "pending" => "publication.state.pending",
                        "sending" => "publication.state.sending",
                        "published" => "publication.state.published",
                        "failed" => "publication.state.failed",
                        _ => "publication.state.unknown",
                    },
                    url: publication.url.clone(),
                    reason: keel_app::publishing::words::stored_reason(
                        publication.error_key.as_deref(),
                        publication.error.as_deref(),
                        platform,
                        lang,
                    ),
                    resolvable: matches!(state, "failed" | "unknown")
                        && decide(ctx.access, Action::WritePosts) == Decision::Allow,
                    figures: figures.remove(&publication.platform),
                })
            })
            .collect(),
        events: view.events.iter().map(event_line).collect(),
        editable: allowed(PostAction::Edit),
        can_decide: allowed(PostAction::Approve),
        own_post: who.approver && who.author,
        can_comment: decide(ctx.access, Action::CommentPosts) == Decision::Allow,
        can_resolve: allowed(PostAction::ResolveSuggestion),
        moves: MOVES
            .iter()
            .filter(|(action, _, _)| allowed(*action))
            .map(|(_, code, key)| (*code, *key))
            .collect(),
        error,
        slug,
    })
}

impl PostPage {
    /// Shows `form` as typed in the edit fields (text, platforms, variants, time, urgency,
    /// rubric) in place of what is stored.
    fn keep_typed(&mut self, form: &PostForm) {
        self.text = form.text.clone();
        self.rubric = form.rubric.clone();
        self.scheduled_at = form.scheduled_at.clone();
        self.urgent = form.urgent.is_some();
        for b in &mut self.boxes {
            let (on, variant) = match b.code {
                "vk" => (&form.vk, &form.variant_vk),
                "telegram" => (&form.telegram, &form.variant_telegram),
                "instagram" => (&form.instagram, &form.variant_instagram),
                _ => (&form.facebook, &form.variant_facebook),
            };
            b.chosen = on.is_some();
            b.variant = variant.clone();
        }
    }
}

pub async fn page(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(ctx): Extension<ProjectCtx>,
    Extension(PostCtx(post)): Extension<PostCtx>,
) -> Result<PostPage, WebError> {
    // Opening the post is reading what the reader was told about it.
    state.store.mark_post_notifications_read(ctx.user.id(), post.id).await?;
    render(&state, chrome, &ctx, post.id.0, None).await
}

/// After a form: back to the post saying `done`, or the page again with the error
/// (400/403/409).
pub(super) async fn after(
    state: &AppState,
    chrome: Chrome,
    ctx: &ProjectCtx,
    id: i64,
    outcome: Result<(), impl Into<WebError>>,
    done: &'static str,
) -> Result<Response, WebError> {
    after_typed(state, chrome, ctx, id, outcome, None, done).await
}

/// [`after`] for the edit form: a refused edit shows the page with what was typed, not with
/// the stored post, so nothing typed is lost.
pub(super) async fn after_typed(
    state: &AppState,
    chrome: Chrome,
    ctx: &ProjectCtx,
    id: i64,
    outcome: Result<(), impl Into<WebError>>,
    typed: Option<&PostForm>,
    done: &'static str,
) -> Result<Response, WebError> {
    match outcome {
        Ok(()) => Ok(crate::flash::redirect(
            &format!("/projects/{}/posts/{id}", ctx.project.slug),
            done,
        )),
        Err(e) => {
            let error: WebError = e.into();
            let status = error.status();
            if status.is_server_error() || status == StatusCode::NOT_FOUND {
                return Err(error);
            }
            // The page again, saying what went wrong, with the error's own status.
            let message = error.text(chrome.t.0);
            let mut page = render(state, chrome, ctx, id, Some(message)).await?;
            if let Some(form) = typed {
                page.keep_typed(form);
            }
            Ok((status, page).into_response())
        }
    }
}
