//! What every page shares: language, the signed-in user, the CSRF token, the stylesheet.

use crate::assets::{css_url, post_js_url};
use crate::auth::CurrentUser;
use crate::auth::csrf::CsrfToken;
use crate::i18n::{Lang, LangExt, Tr};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use std::convert::Infallible;

/// The frame around every page, extracted from the request.
#[derive(Clone, Debug)]
pub struct Chrome {
    pub t: Tr,
    pub user_email: Option<String>,
    pub csrf: String,
    pub css: &'static str,
    /// The post page's script (live character counts), with its content hash.
    pub post_js: &'static str,
    /// The current path, for the language switcher's way back.
    pub path: String,
    /// Unread notifications of the signed-in user.
    pub unread: i64,
    /// A one-time message after the action that led here (a `flash.*` key).
    pub flash: Option<&'static str>,
}

impl Chrome {
    pub fn other_lang(&self) -> (&'static str, &'static str) {
        match self.t.0 {
            Lang::En => ("ru", "Русский"),
            Lang::Ru => ("en", "English"),
        }
    }

    pub fn path_encoded(&self) -> String {
        crate::auth::guard::urlencode(&self.path)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Chrome {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Chrome {
            t: Lang::from_headers(&parts.headers).tr(),
            user_email: parts.extensions.get::<CurrentUser>().map(|u| u.0.email.clone()),
            csrf: parts
                .extensions
                .get::<CsrfToken>()
                .map(|t| t.0.clone())
                .unwrap_or_default(),
            css: css_url(),
            post_js: post_js_url(),
            path: parts
                .uri
                .path_and_query()
                .map(|p| p.as_str().to_owned())
                .unwrap_or_else(|| "/".into()),
            unread: parts
                .extensions
                .get::<crate::plan::UnreadCount>()
                .map(|u| u.0)
                .unwrap_or(0),
            flash: parts.extensions.get::<crate::flash::Shown>().map(|s| s.0),
        })
    }
}

/// The page shown for any error outside the API.
#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub chrome: Chrome,
    pub status: u16,
    pub title_key: &'static str,
    pub hint_key: Option<&'static str>,
    pub message: String,
}

impl ErrorPage {
    pub fn render(
        lang: Lang,
        status: StatusCode,
        message: String,
        user_email: Option<String>,
        csrf: String,
    ) -> Response {
        let (title_key, hint_key) = match status.as_u16() {
            404 => ("error.404", Some("error.404.hint")),
            403 => ("error.403", Some("error.403.hint")),
            400 | 413 | 422 => ("error.400", None),
            500..=599 => ("error.500", Some("error.500.hint")),
            _ => ("error.other", None),
        };
        let chrome = Chrome {
            t: lang.tr(),
            user_email,
            csrf,
            css: css_url(),
            post_js: post_js_url(),
            path: "/projects".into(),
            unread: 0,
            flash: None,
        };
        // The specific message adds nothing to the translated 404/403 texts.
        let message = if hint_key.is_some() { String::new() } else { message };
        let page = ErrorPage {
            chrome,
            status: status.as_u16(),
            title_key,
            hint_key,
            message,
        };
        (status, page).into_response()
    }
}

/// Translation key of a role's display name.
pub fn role_key(role: &str) -> &'static str {
    match role {
        "client_owner" => "role.client_owner",
        "client_approver" => "role.client_approver",
        "client_member" => "role.client_member",
        "agency_lead" => "role.agency_lead",
        "specialist" => "role.specialist",
        _ => "role.viewer",
    }
}

/// Translation key of a project status.
pub fn status_key(status: &str) -> &'static str {
    match status {
        "active" => "status.active",
        "paused" => "status.paused",
        "closed" => "status.closed",
        _ => "status.setup",
    }
}
