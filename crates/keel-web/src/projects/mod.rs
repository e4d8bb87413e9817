//! Projects: the caller's projects list and a project's overview, as pages and over the API.

pub mod api;
pub mod page;
