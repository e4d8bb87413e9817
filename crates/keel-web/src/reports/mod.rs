//! A project's report: the report API, the downloads (JSON, CSV, HTML) and the standalone HTML
//! report of `keel report --format html`.

pub mod api;
pub mod document;
pub mod download;
pub mod share;
pub mod standalone;
