//! Team matrix and meetings: the meetings page and the meetings API.

pub mod api;
pub mod page;
