//! A project's connections to the platforms (the Connections tab and
//! `/api/v1/projects/{slug}/connections`), and a person's hand in publishing: retry a failed
//! post, resolve a publication whose outcome is unknown.

pub mod api;
pub mod media;
pub mod page;
