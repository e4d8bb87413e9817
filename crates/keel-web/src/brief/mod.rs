//! The versioned brief: the brief page and the brief API.

pub mod api;
pub mod page;
