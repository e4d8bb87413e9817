//! The project's health check: the facts it reads, its page and its API.

pub mod api;
pub mod facts;
pub mod page;
