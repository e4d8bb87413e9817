//! `/settings/tokens`: the caller's personal API tokens — make one (its secret shown once),
//! see them with their last use, revoke one.

use crate::auth::CurrentUser;
use crate::auth::csrf::CsrfForm;
use crate::layout::Chrome;
use crate::{AppState, WebError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use keel_domain::TokenId;
use keel_store::tokens::TokenInfo;
use keel_store::users::User;
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "tokens.html")]
pub struct TokensPage {
    chrome: Chrome,
    tokens: Vec<TokenInfo>,
    /// The secret of a token just made: shown this once, never again.
    new_secret: Option<String>,
}

async fn render(
    state: &AppState,
    chrome: Chrome,
    user: &User,
    new_secret: Option<String>,
) -> Result<TokensPage, WebError> {
    Ok(TokensPage {
        chrome,
        tokens: state.store.tokens_of(user.id()).await?,
        new_secret,
    })
}

pub async fn page(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(CurrentUser(user)): Extension<CurrentUser>,
) -> Result<TokensPage, WebError> {
    render(&state, chrome, &user, None).await
}

#[derive(Deserialize)]
pub struct NewTokenForm {
    #[serde(default)]
    name: String,
}

pub async fn create(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(CurrentUser(user)): Extension<CurrentUser>,
    CsrfForm(form): CsrfForm<NewTokenForm>,
) -> Result<TokensPage, WebError> {
    let name = form.name.trim();
    let name = if name.is_empty() { "web" } else { name };
    if name.chars().count() > 80 {
        return Err(WebError::invalid(
            "the token's name is longer than 80 characters",
            "название токена длиннее 80 символов",
        ));
    }
    let (_, secret) = state.store.create_token(&user, name).await?;
    render(&state, chrome, &user, Some(secret)).await
}

#[derive(Deserialize)]
pub struct RevokeForm {
    token_id: i64,
}

pub async fn revoke(
    State(state): State<AppState>,
    Extension(CurrentUser(user)): Extension<CurrentUser>,
    CsrfForm(form): CsrfForm<RevokeForm>,
) -> Result<Response, WebError> {
    if !state.store.revoke_token(user.id(), TokenId(form.token_id)).await? {
        return Err(WebError::NotFound);
    }
    Ok(Redirect::to("/settings/tokens").into_response())
}
