//! Who the caller is (session cookie or bearer token) and what they may do in the project of
//! the path. The checks run in [`guard::enforce`], attached to each route from the route table.

pub mod cookies;
pub mod csrf;
pub mod guard;

use keel_store::users::User;
use std::sync::Arc;

pub const SESSION_COOKIE: &str = "keel_session";

/// The signed-in user of this request (inserted by the guard).
#[derive(Clone, Debug)]
pub struct CurrentUser(pub Arc<User>);

/// A project the caller may see, with their access to it (inserted by the guard; resolved
/// by the use-case layer's `access`).
pub use keel_app::ProjectAccess as ProjectCtx;
