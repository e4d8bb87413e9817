//! SMART goals: the goals page, the goals API and the goal input both validate with.

pub mod api;
pub mod input;
pub mod page;
