//! `/review/{token}`: the posts waiting for one guest approver, each as it will look on its
//! platforms with its images, comments and suggestions; approve, or request changes with a
//! comment. Nothing else of the project is reachable from here. Pages carry `noindex`.

use crate::auth::csrf::CsrfForm;
use crate::layout::Chrome;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use keel_app::review::{self, Guest};
use keel_domain::PostId;
use keel_domain::workflow::PostAction;
use keel_store::plan::posts::text_for;
use serde::Deserialize;

/// One platform's look of a post.
pub struct Preview {
    pub platform: &'static str,
    pub label: &'static str,
    pub text: String,
}

pub struct ReviewPost {
    pub id: i64,
    pub urgent: bool,
    pub deadline: Option<String>,
    pub previews: Vec<Preview>,
    pub images: Vec<i64>,
    /// (author, text, open suggestion)
    pub comments: Vec<(String, String, bool)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "review.html")]
pub struct ReviewPage {
    chrome: Chrome,
    token: String,
    project: String,
    approver: String,
    until: String,
    posts: Vec<ReviewPost>,
    /// What the last decision did (a dictionary key).
    done: Option<&'static str>,
    /// Why the last decision was refused, in the reader's language.
    error: Option<String>,
}

fn noindex(mut response: Response) -> Response {
    response.headers_mut().insert(
        HeaderName::from_static("x-robots-tag"),
        HeaderValue::from_static("noindex, nofollow"),
    );
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
        .headers_mut()
        .insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    response
}

async fn guest(state: &AppState, token: &str, count: bool) -> Result<Guest, WebError> {
    review::open(&state.store, token, count).await.map_err(|e| match e {
        // An unknown, revoked or expired link is simply not there.
        keel_app::AppError::Refused(_) => WebError::NotFound,
        other => other.into(),
    })
}

async fn render(
    state: &AppState,
    chrome: Chrome,
    token: String,
    g: &Guest,
    done: Option<&'static str>,
) -> Result<ReviewPage, WebError> {
    let f = crate::charts::format::Fmt(chrome.t.0);
    let mut posts = Vec::new();
    for post in g.waiting(&state.store).await? {
        let variants = state.store.plan_variants(post.id).await?;
        let previews = post
            .platforms()
            .into_iter()
            .map(|p| Preview {
                platform: p.as_str(),
                label: p.label(),
                text: text_for(&post, &variants, p).to_owned(),
            })
            .collect();
        let images = state.store.plan_images(post.id).await?.iter().map(|i| i.id).collect();
        let comments = state
            .store
            .plan_comments(post.id)
            .await?
            .into_iter()
            .map(|c| (c.author_name, c.text, c.suggestion.as_deref() == Some("open")))
            .collect();
        posts.push(ReviewPost {
            id: post.id.0,
            urgent: post.urgent,
            deadline: post.sla_deadline.map(|d| f.moment(d)),
            previews,
            images,
            comments,
        });
    }
    Ok(ReviewPage {
        token,
        project: g.access.project.name.clone(),
        approver: g.access.user.display_name.clone(),
        until: f.date(g.link.expires_at.date_naive()),
        posts,
        done,
        error: None,
        chrome,
    })
}

/// `GET /review/{token}`: the page; every open is counted.
pub async fn page(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    let g = guest(&state, &token, true).await?;
    let done = None;
    Ok(noindex(render(&state, chrome, token, &g, done).await?.into_response()))
}

/// `GET /review/{token}/done/{what}`: the page after a decision, saying what happened.
pub async fn after(
    State(state): State<AppState>,
    chrome: Chrome,
    Path((token, what)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let g = guest(&state, &token, false).await?;
    let done = match what.as_str() {
        "approved" => Some("review.done.approved"),
        "changes" => Some("review.done.changes"),
        _ => None,
    };
    Ok(noindex(render(&state, chrome, token, &g, done).await?.into_response()))
}

#[derive(Deserialize)]
pub struct DecisionForm {
    decision: String,
    #[serde(default)]
    comment: String,
}

/// `POST /review/{token}/posts/{id}`: approve, or request changes with a comment.
pub async fn decide(
    State(state): State<AppState>,
    chrome: Chrome,
    Path((token, id)): Path<(String, i64)>,
    CsrfForm(form): CsrfForm<DecisionForm>,
) -> Result<Response, WebError> {
    let g = guest(&state, &token, false).await?;
    let (action, done) = match form.decision.as_str() {
        "approve" => (PostAction::Approve, "approved"),
        "request_changes" => (PostAction::RequestChanges, "changes"),
        other => {
            return Err(WebError::invalid(
                format!("field `decision`: expected approve or request_changes, not `{other}`"),
                format!("поле `decision`: ожидается approve или request_changes, а не `{other}`"),
            ));
        }
    };
    let comment = Some(form.comment).filter(|c| !c.trim().is_empty());
    match g.decide(&state.store, PostId(id), action, comment).await {
        Ok(_) => Ok(noindex(
            Redirect::to(&format!("/review/{token}/done/{done}")).into_response(),
        )),
        Err(keel_app::AppError::Refused(r)) if r != keel_app::Refusal::NotFound => {
            // The rule's reason on the same page, in the reader's language.
            let message = r.text(chrome.t.0);
            let status = WebError::Refusal(r).status();
            let mut page = render(&state, chrome, token, &g, None).await?;
            page.error = Some(message);
            Ok(noindex((status, page).into_response()))
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /review/{token}/images/{id}`: an image of a post waiting for this approver, and no other.
pub async fn image(
    State(state): State<AppState>,
    Path((token, id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let g = guest(&state, &token, false).await?;
    let mut found = None;
    for post in g.waiting(&state.store).await? {
        if let Some(i) = state.store.plan_images(post.id).await?.into_iter().find(|i| i.id == id) {
            found = Some(i);
            break;
        }
    }
    let image = found.ok_or(WebError::NotFound)?;
    let (content_type, bytes) = state
        .store
        .plan_image_bytes(g.access.project.org(), g.access.project.id(), id)
        .await?
        .ok_or(WebError::NotFound)?;
    Ok(noindex(
        (
            [
                (header::CONTENT_TYPE, content_type),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("inline; filename=\"image-{}\"", image.id),
                ),
            ],
            bytes,
        )
            .into_response(),
    ))
}
