//! Keel's file imports: the canonical `posts`, `daily`, `ads` and `leads` CSVs and native
//! exports (so far the UCI `facebook-metrics` file), through one code path shared by the
//! CLI (`keel import`), the web upload and the API.
//!
//! An import streams: the file is parsed row by row on a reading thread and written in
//! batches, never held whole. It is all-or-nothing: one database transaction per file, and
//! a file with any problem is rejected with the line, column and reason of (up to 20 of)
//! its problems, storing nothing. It is idempotent: the natural key decides, so importing a
//! file twice changes nothing the second time, and a row with new values replaces the old.
//! See `crates/keel-import/docs/imports.md` for the formats, how the counts are made, and
//! how rows are written on each engine.

#![forbid(unsafe_code)]

mod canonical;
mod cells;
mod error;
mod facebook;
mod format;
mod pipeline;
mod values;

pub use cells::MAX_TEXT_CHARS;
pub use error::{ImportError, MAX_PROBLEMS, Problem};
pub use format::{Format, UnknownFormat};
pub use keel_store::data::ImportSummary;

use keel_store::Store;
use keel_store::data::ImportMeta;
use keel_store::projects::Project;
use std::io::Read;

/// Choices for the `facebook-metrics` format, whose export carries no year and no account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacebookOptions {
    /// The year the posts were published in (the dataset's is 2014).
    pub year: i32,
    /// The account name the posts are stored under.
    pub account: String,
}

impl Default for FacebookOptions {
    fn default() -> Self {
        FacebookOptions {
            year: 2014,
            account: "page".to_owned(),
        }
    }
}

/// Imports one file into `project` with the default [`FacebookOptions`].
///
/// `source_name` (a file name, `upload`, …) and `actor` (who ran it) go into the `imports`
/// log. `progress` is called with the number of bytes read so far, from the calling task.
/// The reader is parsed on a blocking thread, hence `'static` (a `File`, or a
/// `Cursor` over owned bytes).
pub async fn import(
    store: &Store,
    project: &Project,
    format: Format,
    reader: impl Read + Send + 'static,
    source_name: &str,
    actor: &str,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<ImportSummary, ImportError> {
    let opts = FacebookOptions::default();
    import_with(store, project, format, reader, source_name, actor, opts, progress).await
}

/// [`import`] with explicit [`FacebookOptions`].
#[allow(clippy::too_many_arguments)]
pub async fn import_with(
    store: &Store,
    project: &Project,
    format: Format,
    reader: impl Read + Send + 'static,
    source_name: &str,
    actor: &str,
    facebook: FacebookOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<ImportSummary, ImportError> {
    use pipeline::run;
    let meta = ImportMeta {
        format: format.as_str(),
        source: source_name,
        actor,
    };
    let (s, p, r, f, m) = (store, project, reader, facebook, &meta);
    let summary = match format {
        Format::Posts => run::<canonical::Posts>(s, p, r, f, m, progress).await,
        Format::Daily => run::<canonical::Daily>(s, p, r, f, m, progress).await,
        Format::Ads => run::<canonical::Ads>(s, p, r, f, m, progress).await,
        Format::Leads => run::<canonical::Leads>(s, p, r, f, m, progress).await,
        Format::FacebookMetrics => run::<facebook::FacebookMetrics>(s, p, r, f, m, progress).await,
    }?;
    tracing::info!(
        project = project.slug,
        format = %format,
        source = source_name,
        ?summary,
        "import committed"
    );
    let table = match format {
        Format::Posts | Format::FacebookMetrics => "posts",
        Format::Daily => "daily_stats",
        Format::Ads => "ad_stats",
        Format::Leads => "leads",
    };
    store.refresh_statistics(table, summary.stored + summary.replaced).await;
    Ok(summary)
}
