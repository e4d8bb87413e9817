//! The project's side of review links, on the members page: add a guest approver (who gets a
//! link at once, by e-mail when mail is set up), make a link for an approver, revoke one.

use crate::auth::ProjectCtx;
use crate::auth::csrf::CsrfForm;
use crate::layout::Chrome;
use crate::{AppState, WebError};
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use keel_domain::{Lang, UserId};
use keel_store::review_links::ReviewLink;
use serde::Deserialize;

/// A link as the members page lists it.
pub struct LinkRow {
    pub id: i64,
    pub approver: String,
    pub until: String,
    pub live: bool,
    pub revoked: bool,
    pub opened: i64,
}

pub(crate) async fn rows(state: &AppState, ctx: &ProjectCtx, lang: Lang) -> Result<Vec<LinkRow>, WebError> {
    let f = crate::charts::format::Fmt(lang);
    let now = chrono::Utc::now();
    let mut out = Vec::new();
    for link in state
        .store
        .review_links_of(ctx.project.id())
        .await?
        .into_iter()
        .take(20)
    {
        let approver = state.store.user_by_id(UserId(link.user_id)).await?.display_name;
        out.push(LinkRow {
            id: link.id,
            approver,
            until: f.date(link.expires_at.date_naive()),
            live: link.live(now),
            revoked: link.revoked_at.is_some(),
            opened: link.opened,
        });
    }
    Ok(out)
}

pub fn link_url(base: &str, token: &str) -> String {
    format!("{base}/review/{token}")
}

/// Mails the link in the background (a slow mail server must not hold the request; the link
/// is on the page anyway).
fn mail(state: &AppState, to: String, lang: Lang, project: String, sender: String, link: &ReviewLink, url: String) {
    let Some(mail) = state.mail.clone() else {
        tracing::info!(
            link = link.id,
            "no SMTP configured: the review link is shown, not mailed"
        );
        return;
    };
    let until = crate::charts::format::Fmt(lang).date(link.expires_at.date_naive());
    let id = link.id;
    tokio::spawn(async move {
        match mail.review_link(&to, lang, &project, &sender, &until, &url).await {
            Ok(()) => tracing::info!(link = id, "review link mailed"),
            Err(e) => tracing::warn!(link = id, error = %e, "mailing the review link failed"),
        }
    });
}

#[derive(Deserialize)]
pub struct GuestForm {
    name: String,
    email: String,
    #[serde(default)]
    days: String,
}

#[derive(Deserialize)]
pub struct LinkForm {
    approver: i64,
    #[serde(default)]
    days: String,
}

fn days(text: &str) -> Result<Option<i64>, WebError> {
    match text.trim() {
        "" => Ok(None),
        t => t.parse().map(Some).map_err(|_| {
            WebError::invalid(
                format!("field `days`: `{t}` is not a whole number of days"),
                format!("поле `days`: `{t}` — не целое число дней"),
            )
        }),
    }
}

/// Shows the members page with the new link, or with the refusal's reason.
async fn answer(
    state: &AppState,
    chrome: Chrome,
    ctx: &ProjectCtx,
    headers: &HeaderMap,
    made: Result<(ReviewLink, String), keel_app::AppError>,
    to: Option<(String, String)>,
) -> Result<Response, WebError> {
    let lang = chrome.t.0;
    match made {
        Ok((link, token)) => {
            let url = link_url(&crate::calendar_feeds::page::base_url(state, headers), &token);
            if let Some((email, _)) = to {
                mail(
                    state,
                    email,
                    lang,
                    ctx.project.name.clone(),
                    ctx.user.display_name.clone(),
                    &link,
                    url.clone(),
                );
            }
            let mut page = crate::team::page::page(state, chrome, ctx, Some("review.link.made"), None).await?;
            page.new_review_link = Some(url);
            Ok(page.into_response())
        }
        Err(keel_app::AppError::Refused(r)) if r.kind() == keel_app::RefusalKind::Invalid => {
            let page = crate::team::page::page(state, chrome, ctx, None, Some(r.text(lang))).await?;
            Ok((StatusCode::BAD_REQUEST, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /projects/{slug}/guests`: a guest approver and their first link, mailed.
pub async fn add_guest(
    State(state): State<AppState>,
    chrome: Chrome,
    headers: HeaderMap,
    Extension(ctx): Extension<ProjectCtx>,
    CsrfForm(form): CsrfForm<GuestForm>,
) -> Result<Response, WebError> {
    let days = days(&form.days)?;
    let made = match keel_app::review::add_guest_approver(&state.store, &ctx, &form.name, &form.email).await {
        Ok(user) => keel_app::review::create_link(&state.store, &ctx, user.id(), days)
            .await
            .map(|made| (made, Some((user.email.clone(), user.display_name.clone())))),
        Err(e) => Err(e),
    };
    match made {
        Ok((made, to)) => answer(&state, chrome, &ctx, &headers, Ok(made), to).await,
        Err(e) => answer(&state, chrome, &ctx, &headers, Err(e), None).await,
    }
}

/// `POST /projects/{slug}/review-links`: a new link for an approver of the project, mailed.
pub async fn create(
    State(state): State<AppState>,
    chrome: Chrome,
    headers: HeaderMap,
    Extension(ctx): Extension<ProjectCtx>,
    CsrfForm(form): CsrfForm<LinkForm>,
) -> Result<Response, WebError> {
    let days = days(&form.days)?;
    let made = keel_app::review::create_link(&state.store, &ctx, UserId(form.approver), days).await;
    let to = match &made {
        Ok(_) => state
            .store
            .user_by_id(UserId(form.approver))
            .await
            .ok()
            .map(|u| (u.email, u.display_name)),
        Err(_) => None,
    };
    answer(&state, chrome, &ctx, &headers, made, to).await
}

/// `POST /projects/{slug}/review-links/{id}/revoke`.
pub async fn revoke(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    Path((_, id)): Path<(String, i64)>,
    CsrfForm(_): CsrfForm<crate::form::Empty>,
) -> Result<Response, WebError> {
    keel_app::review::revoke_link(&state.store, &ctx, id).await?;
    Ok(Redirect::to(&format!("/projects/{}/members?done=link_revoked", ctx.project.slug)).into_response())
}
