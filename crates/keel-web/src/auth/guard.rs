//! The one place where requests are authenticated and authorized. Each route of the table in
//! `routes.rs` names a [`Guard`]; [`enforce`] runs it before the handler.
//!
//! - API routes (`/api/…`) authenticate with a bearer token only, so a browser's cookies can
//!   never be used against them cross-site; pages use the session cookie.
//! - A project the caller is not on answers 404 (its existence is not disclosed), an action
//!   their role may not take answers 403, an anonymous API call answers 401 and an anonymous
//!   page visit is sent to the login page.

use super::{CurrentUser, SESSION_COOKIE, cookies};
use crate::{AppState, WebError};
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use keel_domain::Action;
use std::sync::Arc;

/// What a route requires of its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guard {
    /// Anyone (login page, health, static files). The user is resolved if signed in.
    Public,
    /// Any signed-in user.
    SignedIn,
    /// A signed-in organization admin (the organization's people); others get 403.
    OrgAdmin,
    /// Someone who may start projects: an organization admin or an agency lead of one of its
    /// projects (`keel_domain::may_create_projects`); others get 403.
    ProjectCreator,
    /// A caller allowed to take this action in the project named by the path's `{slug}`.
    Project(Action),
    /// A caller allowed to take this action in the project of the content-plan post named by
    /// the path's `{id}`. A post of a project the caller cannot see answers 404.
    Post(Action),
}

pub async fn enforce(guard: Guard, State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    match authorize(guard, &state, &mut request).await {
        Ok(()) => next.run(request).await,
        Err(WebError::Unauthorized) if !request.uri().path().starts_with("/api/") => {
            let next_path = request.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
            let target = format!("/login?next={}", urlencode(next_path));
            Redirect::to(&target).into_response()
        }
        Err(e) => {
            // The error page still shows who is signed in (and lets them log out).
            let mut response = e.into_response();
            if let Some(user) = request.extensions().get::<CurrentUser>() {
                response.extensions_mut().insert(user.clone());
            }
            response
        }
    }
}

async fn authorize(guard: Guard, state: &AppState, request: &mut Request) -> Result<(), WebError> {
    let is_api = request.uri().path().starts_with("/api/");
    // A project's address: its project and the caller's roles are read with the caller.
    let slug = match guard {
        Guard::Project(_) => path_param(request, "slug").await,
        _ => None,
    };
    let (user, found) = match caller(state, request.headers(), is_api, slug.as_deref()).await? {
        Some(caller) => {
            let user = Arc::new(caller.user);
            request.extensions_mut().insert(CurrentUser(user.clone()));
            // The top bar's unread count: pages only (read with the session).
            if let Some(unread) = caller.unread {
                request.extensions_mut().insert(crate::plan::UnreadCount(unread));
            }
            (Some(user), caller.project)
        }
        None => (None, None),
    };
    let action = match guard {
        Guard::Public => return Ok(()),
        Guard::SignedIn => return user.map(|_| ()).ok_or(WebError::Unauthorized),
        Guard::OrgAdmin => {
            let user = user.ok_or(WebError::Unauthorized)?;
            return if user.is_org_admin {
                Ok(())
            } else {
                Err(WebError::Forbidden)
            };
        }
        Guard::ProjectCreator => {
            let user = user.ok_or(WebError::Unauthorized)?;
            return if keel_app::people::may_create_projects(&state.store, &user).await? {
                Ok(())
            } else {
                Err(WebError::Forbidden)
            };
        }
        Guard::Project(action) | Guard::Post(action) => action,
    };
    let user = user.ok_or(WebError::Unauthorized)?;
    let ctx = match guard {
        Guard::Post(_) => {
            let (ctx, post) = crate::plan::guard::post_and_project(state, request, user, action).await?;
            request.extensions_mut().insert(post);
            ctx
        }
        _ => {
            if slug.is_none() {
                return Err(WebError::NotFound);
            }
            keel_app::access::to_found_project(user, found, action)?
        }
    };
    request.extensions_mut().insert(ctx);
    Ok(())
}

/// The caller behind the request's credentials — a bearer token under `/api/`, else the
/// session (with the user's unread notifications, which every page shows) — and, for `slug`,
/// the project of that slug in their organization with their roles, all in one statement.
async fn caller(
    state: &AppState,
    headers: &axum::http::HeaderMap,
    is_api: bool,
    slug: Option<&str>,
) -> Result<Option<keel_store::caller::Caller>, WebError> {
    if is_api {
        let bearer = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")));
        Ok(match bearer {
            Some(token) => state.store.token_caller(token.trim(), slug).await?,
            None => None,
        })
    } else {
        Ok(match cookies::get(headers, SESSION_COOKIE) {
            Some(token) => state.store.session_caller(&token, slug).await?,
            None => None,
        })
    }
}

pub(crate) async fn path_param(request: &mut Request, name: &str) -> Option<String> {
    use axum::RequestPartsExt;
    use axum::extract::RawPathParams;
    let (mut parts, body) = std::mem::take(request).into_parts();
    let params = parts.extract::<RawPathParams>().await.ok();
    let value = params.and_then(|p| p.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_owned()));
    *request = Request::from_parts(parts, body);
    value
}

/// Percent-encodes a local path for a `next=` query parameter.
pub fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|q| q[1..].to_owned())
        .unwrap_or_default()
}

/// Only same-site paths may be redirect targets after login (no open redirects).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/projects".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirects_after_login_stay_on_site() {
        assert_eq!(safe_next(Some("/projects/client-a")), "/projects/client-a");
        assert_eq!(safe_next(Some("//evil.example")), "/projects");
        assert_eq!(safe_next(Some("https://evil.example")), "/projects");
        assert_eq!(safe_next(Some("/\\evil.example")), "/projects");
        assert_eq!(safe_next(None), "/projects");
    }

    #[test]
    fn next_paths_are_encoded() {
        assert_eq!(urlencode("/projects/a?x=1"), "%2Fprojects%2Fa%3Fx%3D1");
    }
}
