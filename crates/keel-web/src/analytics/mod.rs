//! A project's analytics: the page of figures and charts over a period, and the sections it
//! shares with the standalone HTML report.

pub mod cache;
mod charted;
pub mod page;
pub(crate) mod view;
