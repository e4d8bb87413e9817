//! The forms of a post's page: edit, move (agency), decide (approvers), comment, resolve a
//! suggestion, upload an image; and serving the images. Each answers with the post page again:
//! redirected on success, re-rendered with the reason on a refusal.

use super::guard::PostCtx;
use super::input::relation;
use super::pages::PostForm;
use super::post_page::{MOVES, after, after_typed};
use crate::auth::ProjectCtx;
use crate::auth::csrf::CsrfForm;
use crate::layout::Chrome;
use crate::{AppState, WebError};
use axum::Extension;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use keel_domain::workflow::PostAction;
use keel_store::plan::actions::ActionInput;
use keel_store::plan::comments::Resolution;
use serde::Deserialize;
use std::collections::HashMap;

pub async fn edit(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(ctx): Extension<ProjectCtx>,
    Extension(PostCtx(post)): Extension<PostCtx>,
    CsrfForm(form): CsrfForm<PostForm>,
) -> Result<Response, WebError> {
    let outcome = match form.draft(super::pages::zone(&ctx)) {
        Ok(draft) => state
            .store
            .edit_plan_post(&post, relation(&ctx, &post), ctx.user.id(), &draft)
            .await
            .map_err(WebError::from),
        Err(e) => Err(e.error),
    };
    after_typed(
        &state,
        chrome,
        &ctx,
        post.id.0,
        outcome,
        Some(&form),
        "flash.post_saved",
    )
    .await
}

#[derive(Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    to: String,
    #[serde(default)]
    comment: String,
}

/// The agency's moves: submit, schedule, mark published / failed, back to draft.
pub async fn move_post(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(ctx): Extension<ProjectCtx>,
    Extension(PostCtx(post)): Extension<PostCtx>,
    CsrfForm(form): CsrfForm<MoveForm>,
) -> Result<Response, WebError> {
    let action = MOVES
        .iter()
        .find(|(_, code, _)| *code == form.to)
        .map(|(a, _, _)| *a)
        .ok_or_else(|| {
            WebError::invalid(
                format!("field `to`: unknown move `{}`", form.to),
                format!("поле `to`: неизвестный переход `{}`", form.to),
            )
        })?;
    act(&state, chrome, &ctx, &post, action, form.comment).await
}

#[derive(Deserialize)]
pub struct DecideForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    comment: String,
}

/// The approver's decisions: approve or request changes.
pub async fn decide_post(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(ctx): Extension<ProjectCtx>,
    Extension(PostCtx(post)): Extension<PostCtx>,
    CsrfForm(form): CsrfForm<DecideForm>,
) -> Result<Response, WebError> {
    let action = match form.decision.as_str() {
        "approve" => PostAction::Approve,
        "request_changes" => PostAction::RequestChanges,
        other => {
            return Err(WebError::invalid(
                format!("field `decision`: expected approve or request_changes, not `{other}`"),
                format!("поле `decision`: ожидается approve или request_changes, а не `{other}`"),
            ));
        }
    };
    act(&state, chrome, &ctx, &post, action, form.comment).await
}

async fn act(
    state: &AppState,
    chrome: Chrome,
    ctx: &ProjectCtx,
    post: &keel_store::plan::posts::PlanPost,
    action: PostAction,
    comment: String,
) -> Result<Response, WebError> {
    let input = ActionInput {
        comment: Some(comment),
        scheduled_at: None,
        via: None,
    };
    let outcome = keel_app::workflow::decide(&state.store, ctx, post, action, &input)
        .await
        .map(|_| ());
    after(state, chrome, ctx, post.id.0, outcome, "flash.post_moved").await
}

#[derive(Deserialize)]
pub struct CommentForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    suggestion: Option<String>,
}

pub async fn comment(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(ctx): Extension<ProjectCtx>,
    Extension(PostCtx(post)): Extension<PostCtx>,
    CsrfForm(form): CsrfForm<CommentForm>,
) -> Result<Response, WebError> {
    let outcome = state
        .store
        .add_plan_comment(
            &post,
            relation(&ctx, &post),
            ctx.user.id(),
            &form.text,
            form.suggestion.is_some(),
        )
        .await
        .map(|_| ());
    after(&state, chrome, &ctx, post.id.0, outcome, "flash.comment_added").await
}

#[derive(Deserialize)]
pub struct ResolveForm {
    #[serde(default)]
    resolution: String,
    #[serde(default)]
    reason: String,
}

pub async fn resolve(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(ctx): Extension<ProjectCtx>,
    Extension(PostCtx(post)): Extension<PostCtx>,
    Path(params): Path<HashMap<String, String>>,
    CsrfForm(form): CsrfForm<ResolveForm>,
) -> Result<Response, WebError> {
    let comment = super::input::comment_id(&params)?;
    let resolution = match form.resolution.as_str() {
        "accepted" => Resolution::Accepted,
        _ => Resolution::Declined { reason: form.reason },
    };
    let outcome = state
        .store
        .resolve_suggestion(
            &post,
            relation(&ctx, &post),
            ctx.user.id(),
            keel_domain::CommentId(comment),
            &resolution,
        )
        .await;
    after(&state, chrome, &ctx, post.id.0, outcome, "flash.saved").await
}

/// The image form: `_csrf` first, then `image` (multipart, as browsers send file forms).
pub async fn upload(
    State(state): State<AppState>,
    chrome: Chrome,
    headers: HeaderMap,
    Extension(ctx): Extension<ProjectCtx>,
    Extension(PostCtx(post)): Extension<PostCtx>,
    mut form: Multipart,
) -> Result<Response, WebError> {
    let cookie = crate::auth::cookies::get(&headers, crate::auth::csrf::CSRF_COOKIE).unwrap_or_default();
    let mut csrf_ok = false;
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| WebError::invalid(format!("malformed upload: {e}"), format!("загрузка повреждена: {e}")))?
    {
        match field.name().unwrap_or("") {
            "_csrf" => csrf_ok = !cookie.is_empty() && field.text().await.unwrap_or_default() == cookie,
            "image" => {
                if !csrf_ok {
                    break;
                }
                let name = field.file_name().unwrap_or("image").to_owned();
                let bytes = field.bytes().await.map_err(|e| {
                    WebError::invalid(
                        format!("the upload was interrupted: {e}"),
                        format!("загрузка прервалась: {e}"),
                    )
                })?;
                let outcome = state
                    .store
                    .add_plan_image(&post, relation(&ctx, &post), ctx.user.id(), &name, &bytes)
                    .await
                    .map(|_| ());
                return after(&state, chrome, &ctx, post.id.0, outcome, "flash.saved").await;
            }
            _ => {}
        }
    }
    if !csrf_ok {
        return Err(WebError::invalid(
            "the form's security token is missing or stale: reload the page and submit it again",
            "защитный токен формы отсутствует или устарел: обновите страницу и отправьте форму ещё раз",
        ));
    }
    Err(WebError::invalid(
        "choose an image file to upload",
        "выберите файл изображения для загрузки",
    ))
}

/// An image's bytes, with its sniffed type; never rendered as anything but an image.
pub async fn image(
    State(state): State<AppState>,
    Extension(ctx): Extension<ProjectCtx>,
    Extension(PostCtx(post)): Extension<PostCtx>,
    Path(params): Path<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let id: i64 = params
        .get("image")
        .and_then(|i| i.parse().ok())
        .ok_or(WebError::NotFound)?;
    // An image answers only under its own post's address, not under any post of the project.
    let images = state.store.plan_images(post.id).await?;
    let Some(image) = images.iter().find(|i| i.id == id) else {
        return Err(WebError::NotFound);
    };
    let (content_type, bytes) = state
        .store
        .plan_image_bytes(ctx.project.org(), ctx.project.id(), id)
        .await?
        .ok_or(WebError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (header::CONTENT_DISPOSITION, inline_disposition(&image.file_name)),
            (header::CACHE_CONTROL, "private, max-age=3600".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

/// `inline` with the uploader's file name, safe whatever it contains: an ASCII `filename`
/// with quotes, backslashes, control and non-ASCII characters replaced by `_`, and the exact
/// name percent-encoded as `filename*` (RFC 6266, RFC 5987) for browsers that read it.
fn inline_disposition(name: &str) -> String {
    let plain: String = name
        .chars()
        .map(|c| {
            if (c.is_ascii_graphic() && c != '"' && c != '\\') || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("inline; filename=\"{plain}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::inline_disposition;

    #[test]
    fn a_file_name_cannot_break_out_of_the_header() {
        assert_eq!(
            inline_disposition("a\"b\\c\r\nd;.png"),
            "inline; filename=\"a_b_c__d;.png\"; filename*=UTF-8''a%22b%5Cc%0D%0Ad%3B.png"
        );
        assert_eq!(
            inline_disposition("фото 1.png"),
            "inline; filename=\"____ 1.png\"; filename*=UTF-8''%D1%84%D0%BE%D1%82%D0%BE%201.png"
        );
    }
}
