//! Keel's file imports: the canonical `posts`, `daily`, `ads` and `leads` CSVs and native
//! formats (the UCI `facebook-metrics` file, and the answers and exports of VK, Telegram,
//! Instagram, Yandex Direct, Meta Ads, amoCRM and Bitrix24), through one code path shared by
//! the CLI (`keel import`), the web upload, the API and the platform connectors.
//!
//! An import streams: the file is parsed row by row on a reading thread and written in
//! batches, never held whole. It is all-or-nothing: one database transaction per file, and
//! a file with any problem is rejected with the line, column and reason of (up to 20 of)
//! its problems, storing nothing. It is idempotent: the natural key decides, so importing a
//! file twice changes nothing the second time, and a row with new values replaces the old.
//! See `crates/keel-import/docs/imports.md` for the formats, how the counts are made, and
//! how rows are written on each engine.

#![forbid(unsafe_code)]

mod amocrm;
mod bitrix;
mod canonical;
mod cells;
mod error;
mod facebook;
mod format;
mod instagram;
mod json;
mod meta;
mod pipeline;
mod telegram;
mod values;
mod vk;
mod yandex;

pub use cells::MAX_TEXT_CHARS;
pub use error::{ImportError, MAX_PROBLEMS, Problem};
pub use format::{Format, UnknownFormat};
pub use keel_store::data::ImportSummary;

use keel_store::Store;
use keel_store::data::ImportMeta;
use keel_store::projects::Project;
use std::io::Read;

/// Choices a file does not carry itself, for the formats that need them. Every field has a
/// default that imports the format's sample as it is; see `docs/imports.md` for which format
/// reads which field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportOptions {
    /// `facebook-metrics`: the year the posts were published in (the dataset's is 2014).
    pub year: i32,
    /// The account the posts are stored under, replacing the one the file implies:
    /// `facebook-metrics` (default `page`), `vk-wall` (default: the community's number, as a
    /// VK connection stores it, or `id<N>` for a person's wall), `telegram-export` (default:
    /// the channel's Bot API id, `-100<id>`), `instagram-media` (default: the media's
    /// `owner.id`, the Instagram user id a connection stores). Ignored by the ads and leads
    /// formats, whose natural keys have no account.
    pub account: Option<String>,
    /// The currency of the money in an ads file: `yandex-direct` (default `RUB`; the report
    /// carries none), `meta-ads` (default: each row's `account_currency`, else `USD`).
    pub currency: Option<String>,
    /// `yandex-direct`: the report's money is in micros (millionths: the Reports service's
    /// default without `returnMoneyInMicros: false`). Default `false`: currency units.
    pub money_in_micros: bool,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            year: 2014,
            account: None,
            currency: None,
            money_in_micros: false,
        }
    }
}

/// Choices for the `facebook-metrics` format, whose export carries no year and no account
/// (kept for the callers written before [`ImportOptions`]; it converts into one).
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

impl From<FacebookOptions> for ImportOptions {
    fn from(f: FacebookOptions) -> Self {
        ImportOptions {
            year: f.year,
            account: Some(f.account),
            ..ImportOptions::default()
        }
    }
}

/// Imports one file into `project` with the default [`ImportOptions`].
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
    let opts = ImportOptions::default();
    import_with(store, project, format, reader, source_name, actor, opts, progress).await
}

/// [`import`] with explicit options: an [`ImportOptions`] (or a [`FacebookOptions`]).
///
/// A connector feeds what it pulled through here as the bytes of the matching native format
/// (e.g. `Format::VkWall` with a `Cursor` over a JSON array of `wall.get` and
/// `stats.getPostReach` answers), so a pulled page and a saved file give the same rows.
#[allow(clippy::too_many_arguments)]
pub async fn import_with(
    store: &Store,
    project: &Project,
    format: Format,
    reader: impl Read + Send + 'static,
    source_name: &str,
    actor: &str,
    options: impl Into<ImportOptions>,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<ImportSummary, ImportError> {
    use json::run_json;
    use pipeline::run;
    let meta = ImportMeta {
        format: format.as_str(),
        source: source_name,
        actor,
    };
    let (s, p, r, f, m) = (store, project, reader, options.into(), &meta);
    let summary = match format {
        Format::Posts => run::<canonical::Posts>(s, p, r, f, m, progress).await,
        Format::Daily => run::<canonical::Daily>(s, p, r, f, m, progress).await,
        Format::Ads => run::<canonical::Ads>(s, p, r, f, m, progress).await,
        Format::Leads => run::<canonical::Leads>(s, p, r, f, m, progress).await,
        Format::FacebookMetrics => run::<facebook::FacebookMetrics>(s, p, r, f, m, progress).await,
        Format::VkWall => run_json::<vk::VkWall>(s, p, r, f, m, progress).await,
        Format::TelegramExport => run_json::<telegram::TelegramExport>(s, p, r, f, m, progress).await,
        Format::InstagramMedia => run_json::<instagram::InstagramMedia>(s, p, r, f, m, progress).await,
        Format::YandexDirect => run::<yandex::YandexDirect>(s, p, r, f, m, progress).await,
        Format::MetaAds => run_json::<meta::MetaAds>(s, p, r, f, m, progress).await,
        Format::Amocrm => run_json::<amocrm::Amocrm>(s, p, r, f, m, progress).await,
        Format::Bitrix24 => run_json::<bitrix::Bitrix24>(s, p, r, f, m, progress).await,
    }?;
    tracing::info!(
        project = project.slug,
        format = %format,
        source = source_name,
        ?summary,
        "import committed"
    );
    let table = match format {
        Format::Posts | Format::FacebookMetrics | Format::VkWall | Format::TelegramExport | Format::InstagramMedia => {
            "posts"
        }
        Format::Daily => "daily_stats",
        Format::Ads | Format::YandexDirect | Format::MetaAds => "ad_stats",
        Format::Leads | Format::Amocrm | Format::Bitrix24 => "leads",
    };
    store.refresh_statistics(table, summary.stored + summary.replaced).await;
    Ok(summary)
}
