//! A project's calendar feed: secret iCal addresses for calendar apps (made and revoked by the
//! agency lead and the client owner), and the public feed itself at `/ical/{secret}.ics`.

use crate::auth::ProjectCtx;
use crate::auth::csrf::CsrfForm;
use crate::layout::Chrome;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use keel_domain::{Action, Decision, decide};
use keel_store::ical_feeds::IcalFeed;
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "calendar.html")]
pub struct CalendarPage {
    chrome: Chrome,
    slug: String,
    name: String,
    tab: &'static str,
    feeds: Vec<IcalFeed>,
    can_manage: bool,
    /// The address of a feed just made: shown once.
    new_url: Option<String>,
    notice_key: Option<&'static str>,
}

/// The installation's address: the configured public URL, else what the request came to.
pub fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(url) = &state.config.public_url {
        return url.trim_end_matches('/').to_owned();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("localhost");
    let https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"));
    format!("{}://{host}", if https { "https" } else { "http" })
}

async fn render(
    state: &AppState,
    chrome: Chrome,
    ctx: &ProjectCtx,
    new_url: Option<String>,
    notice_key: Option<&'static str>,
) -> Result<CalendarPage, WebError> {
    Ok(CalendarPage {
        chrome,
        slug: ctx.project.slug.clone(),
        name: ctx.project.name.clone(),
        tab: "calendar",
        feeds: state.store.ical_feeds_of(ctx.project.id()).await?,
        can_manage: decide(ctx.access, Action::ManageCalendarFeeds) == Decision::Allow,
        new_url,
        notice_key,
    })
}

#[derive(Deserialize)]
pub struct Notice {
    done: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(ctx): Extension<ProjectCtx>,
    Query(notice): Query<Notice>,
) -> Result<CalendarPage, WebError> {
    let notice_key = (notice.done.as_deref() == Some("revoked")).then_some("calendar.revoked.done");
    render(&state, chrome, &ctx, None, notice_key).await
}

#[derive(Deserialize)]
pub struct CreateForm {
    #[serde(default)]
    label: String,
}

/// Makes a feed and shows its address once (rendered, never redirected to: the secret stays
/// out of browser history and logs).
pub async fn create(
    State(state): State<AppState>,
    chrome: Chrome,
    headers: HeaderMap,
    Extension(ctx): Extension<ProjectCtx>,
    CsrfForm(form): CsrfForm<CreateForm>,
) -> Result<CalendarPage, WebError> {
    let label = form.label.trim();
    let label = if label.is_empty() { "Calendar" } else { label };
    let (_, secret) = state
        .store
        .create_ical_feed(ctx.project.org(), ctx.project.id(), label, ctx.user.id())
        .await?;
    let url = format!("{}/ical/{secret}.ics", base_url(&state, &headers));
    render(&state, chrome, &ctx, Some(url), None).await
}

#[derive(Deserialize)]
pub struct RevokeForm {
    feed_id: i64,
}

pub async fn revoke(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    CsrfForm(form): CsrfForm<RevokeForm>,
) -> Result<Response, WebError> {
    if !state.store.revoke_ical_feed(ctx.project.id(), form.feed_id).await? {
        // Unknown, already revoked, or another project's feed: nothing to revoke here.
        return Err(WebError::NotFound);
    }
    Ok(Redirect::to(&format!("/projects/{}/calendar?done=revoked", ctx.project.slug)).into_response())
}

/// `GET /ical/{secret}.ics`: the project's plan as iCalendar. The secret is the credential;
/// an unknown or revoked one is a 404 like any missing page.
pub async fn feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Result<Response, WebError> {
    let secret = file.strip_suffix(".ics").ok_or(WebError::NotFound)?;
    let target = state
        .store
        .ical_feed_by_secret(secret)
        .await?
        .ok_or(WebError::NotFound)?;
    let base = base_url(&state, &headers);
    let entries = state.calendar.entries(&target, &base).await?;
    let body = keel_notify::ical::render_calendar(&target.project_name, &entries, keel_store::now());
    Ok((
        [
            (header::CONTENT_TYPE, keel_notify::ical::CONTENT_TYPE.to_owned()),
            (header::CACHE_CONTROL, "private, max-age=300".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{}.ics\"", target.project_slug),
            ),
            (header::HeaderName::from_static("x-robots-tag"), "noindex".to_owned()),
        ],
        body,
    )
        .into_response())
}
