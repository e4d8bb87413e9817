//! The content plan and approvals: the JSON API and its OpenAPI shapes, the guard that
//! resolves a post's project, and the pages (calendar, list, post, workflow card, audit).

pub mod api;
pub mod calendar;
pub mod guard;
pub mod input;
pub mod overview;
pub mod pages;
pub mod post_forms;
pub mod post_page;
pub mod records;
pub mod view;

/// The signed-in user's unread notifications, for the top bar (inserted by the guard on page
/// requests).
#[derive(Clone, Copy, Debug)]
pub struct UnreadCount(pub i64);
