//! Projects: the caller's projects list and a project's overview as pages, and the projects
//! API (the projects, one project, its members).

pub mod api;
pub mod create;
pub mod page;
