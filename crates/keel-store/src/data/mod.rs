//! Platform data: posts, daily account figures, ad statistics and leads, written by imports.
//!
//! An import is one transaction. [`Store::stage_rows`] opens it and writes every row a
//! [`RowSource`] yields; the caller then either [`StagedImport::commit`]s (after it has seen
//! the whole input valid) or drops/rolls back, which leaves the store as it was. A process
//! killed mid-import leaves nothing behind either, because nothing was committed.
//!
//! Rows are upserted by their natural key (the table's primary key). What the counts of an
//! [`ImportSummary`] mean, row by row in file order:
//! - *stored*: its key was new to the project (neither stored before nor earlier in the file);
//! - *replaced*: it changed the values held for its key at that point (stored before the
//!   import, or written by an earlier line of the same file — the later line wins);
//! - *unchanged*: everything else, i.e. it repeated the values already held.
//!
//! So `rows_read = stored + replaced + unchanged`, and importing the same file twice gives an
//! all-unchanged second summary. Both engines count this way; see `sqlite.rs` and
//! `postgres.rs` for how each gets the numbers without a lookup per row.

mod counts;
mod encode;
mod keys;
mod money_rows;
mod pg_bulk;
mod pg_sql;
pub mod post_days;
mod post_texts;
mod postgres;
mod rows;
mod sqlite;
mod stage;
mod statistics;

pub use crate::import_log::ImportRecord;
pub use counts::DataCounts;
pub use encode::{CopyRow, date_text, ts_text};
pub use money_rows::{AdRow, LeadRow};
pub use post_texts::{PostKey, PostText};
pub use rows::{DailyRow, DataRow, POST_TEXT_CHARS, PostRow, SqliteQuery, TableSpec};
pub use stage::StagedImport;

use std::future::Future;

/// What one import did; see the module documentation for the exact meaning of each count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ImportSummary {
    /// Data rows in the file (the header not counted).
    pub rows_read: u64,
    /// Rows whose key was new to the project.
    pub stored: u64,
    /// Rows that changed the values held for their key.
    pub replaced: u64,
    /// Rows that repeated the values already held.
    pub unchanged: u64,
}

/// What the `imports` log records about a committed import besides its counts.
#[derive(Debug, Clone, Copy)]
pub struct ImportMeta<'a> {
    /// The format name, e.g. `posts` or `facebook-metrics`.
    pub format: &'a str,
    /// Where the rows came from: a file name, `upload`, an API pull.
    pub source: &'a str,
    /// Who ran it: a user's e-mail, `cli`, …
    pub actor: &'a str,
}

/// Rows to import, in file order, a batch at a time (so a file is never held whole).
pub trait RowSource<R>: Send {
    /// The next batch, or `None` when there is nothing more to write — at the end of the
    /// input, or as soon as the input turned out invalid (the caller then rolls back).
    fn next_batch(&mut self) -> impl Future<Output = Option<Vec<R>>> + Send;
}
