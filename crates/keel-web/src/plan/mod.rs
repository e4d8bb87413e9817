//! The content plan and approvals on the web (issue 4): the JSON API, the guard that resolves
//! a post's project, and the pages (calendar, list, post, audit, inbox).

pub mod api;
pub mod guard;
pub mod input;
pub mod openapi;
pub mod view;
