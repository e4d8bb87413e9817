//! SMART goals: the goals page and the goals API (both validate through `keel_app::goals`).

pub mod api;
pub mod page;
