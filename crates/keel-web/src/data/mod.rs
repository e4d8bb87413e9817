//! A project's data: the data page with its import history and upload form, the import API,
//! and the upload path both share.

pub mod api;
pub mod page;
pub mod upload;
