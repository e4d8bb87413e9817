//! A one-time message after an action ("Saved", "Approved"): the handler that redirects names
//! it, a cookie carries it across the redirect, and the next page shows it once. Only keys of
//! the dictionary under `flash.` travel — never text from the request — so the cookie cannot
//! be used to put words on a page.

use crate::AppState;
use crate::auth::cookies;
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

const COOKIE: &str = "keel_flash";

/// A message for the next page, set on a response by [`redirect`].
#[derive(Clone, Copy, Debug)]
struct Pending(&'static str);

/// The message this page shows (its dictionary key), if the request carried one.
#[derive(Clone, Copy, Debug)]
pub struct Shown(pub &'static str);

/// A redirect to `to` that says `key` (a `flash.*` dictionary key) on the page it lands on.
pub fn redirect(to: &str, key: &'static str) -> Response {
    debug_assert!(key.starts_with("flash."), "{key}");
    let mut response = Redirect::to(to).into_response();
    response.extensions_mut().insert(Pending(key));
    response
}

/// The known key among the dictionary's `flash.*` entries, as a `'static` str.
fn known(key: &str) -> Option<&'static str> {
    crate::i18n::Tr::known_key(key).filter(|k| k.starts_with("flash."))
}

/// Reads the message a request carries (for [`crate::layout::Chrome`]) and clears it once a
/// page has shown it; turns a handler's pending message into the cookie.
pub async fn carry(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let secure = cookies::is_secure(request.headers(), state.config.secure_cookies);
    let carried = cookies::get(request.headers(), COOKIE).and_then(|k| known(&k));
    if let Some(key) = carried {
        request.extensions_mut().insert(Shown(key));
    }
    let mut response = next.run(request).await;
    let is_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if let Some(Pending(key)) = response.extensions().get::<Pending>().copied() {
        let cookie = cookies::set(COOKIE, key, Some(60), "Lax", secure);
        response.headers_mut().append(header::SET_COOKIE, cookie);
    } else if carried.is_some() && is_page {
        let cookie = cookies::set(COOKIE, "", Some(0), "Lax", secure);
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}
