//! The one path every import takes: a reading thread parses the file row by row and hands
//! batches over a small bounded channel to the store, which writes them into one
//! transaction while the next batch is parsed. Memory stays flat whatever the file size.
//!
//! The first problem stops the writing (the batches still in flight are dropped), but the
//! thread keeps scanning so the user sees up to [`MAX_PROBLEMS`] problems at once; then the
//! transaction is rolled back and nothing of the file is stored.

use crate::ImportOptions;
use crate::cells::{Cells, Header};
use crate::error::{ImportError, MAX_PROBLEMS, Problem, Problems, Reason};
use keel_store::data::{DataRow, ImportMeta, ImportSummary, RowSource};
use keel_store::{Store, projects::Project};
use std::io::Read;
use tokio::sync::mpsc;

/// Rows per batch: the store's SQLite statement size, so batches map onto statements.
const BATCH: usize = 500;
/// Batches in flight: enough to keep both sides busy, small enough to bound memory.
const DEPTH: usize = 8;
/// While only scanning for problems, how often to report progress (rows).
const PROGRESS_EVERY: u64 = 50_000;

/// Reads one CSV (or TSV) format's rows.
pub(crate) trait RowParser: Send + Sized + 'static {
    type Row: DataRow;
    /// The field separator.
    const DELIMITER: u8 = b',';
    /// Whether `"` quotes a cell (Yandex Direct's TSV never quotes, and its campaign names
    /// may hold quotes).
    const QUOTING: bool = true;
    /// Finds the columns by name; a missing required column goes into `problems`.
    fn from_header(header: &Header, problems: &mut Problems, opts: &ImportOptions) -> Self;
    /// Reads a row; a bad cell is recorded in `cells` (and the row then discarded).
    fn parse(&mut self, cells: &mut Cells<'_>) -> Self::Row;
    /// A line before the header that is not part of the table (a report's title), skipped.
    fn is_preamble(_first: &csv::ByteRecord) -> bool {
        false
    }
    /// A line after the data that sums it up (a report's "Total rows"), skipped.
    fn is_summary(_record: &csv::ByteRecord) -> bool {
        false
    }
}

enum Msg<R> {
    Rows(Vec<R>, u64),
    Progress(u64),
    End(Result<u64, ImportError>),
}

/// Parses `reader` with `P` on a blocking thread and imports what it yields.
pub(crate) async fn run<P: RowParser>(
    store: &Store,
    project: &Project,
    reader: impl Read + Send + 'static,
    opts: ImportOptions,
    meta: &ImportMeta<'_>,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<ImportSummary, ImportError> {
    run_with::<P::Row>(store, project, meta, progress, move |sink| {
        parse::<P>(reader, &opts, sink)
    })
    .await
}

/// Runs `read` on a blocking thread, storing the rows it hands to its [`Sink`] in one
/// transaction that is committed only when it read the whole file without a problem.
pub(crate) async fn run_with<R: DataRow>(
    store: &Store,
    project: &Project,
    meta: &ImportMeta<'_>,
    progress: &(dyn Fn(u64) + Sync),
    read: impl FnOnce(&mut Sink<R>) -> Result<(), ImportError> + Send + 'static,
) -> Result<ImportSummary, ImportError> {
    let (tx, rx) = mpsc::channel(DEPTH);
    let reading = tokio::task::spawn_blocking(move || {
        let mut sink = Sink {
            tx: tx.clone(),
            batch: Vec::with_capacity(BATCH),
            problems: Problems::default(),
            rows: 0,
            bytes: 0,
            abandoned: false,
        };
        let result = read(&mut sink);
        let verdict = sink.finish(result);
        // A closed channel means the import was abandoned: nobody is left to tell.
        let _ = tx.blocking_send(Msg::End(verdict));
    });
    let mut source = Source {
        rx,
        progress,
        verdict: None,
    };
    let staged = store.stage_rows::<R>(project, &mut source).await?;
    match source.verdict.take() {
        Some(Ok(rows)) if rows == staged.rows_written() => Ok(staged.commit(meta).await?),
        Some(Ok(rows)) => {
            let written = staged.rows_written();
            staged.rollback().await?;
            Err(ImportError::Internal(format!("{rows} rows read but {written} written")))
        }
        Some(Err(e)) => {
            staged.rollback().await?;
            Err(e)
        }
        None => {
            staged.rollback().await?;
            let why = match reading.await {
                Err(e) if e.is_panic() => "the reading thread panicked".to_owned(),
                _ => "the reading thread ended without a verdict".to_owned(),
            };
            Err(ImportError::Internal(why))
        }
    }
}

/// Where a reader puts its rows and problems: rows go to the store in batches while no
/// problem has been seen; after the first, they are only counted.
pub(crate) struct Sink<R> {
    tx: mpsc::Sender<Msg<R>>,
    batch: Vec<R>,
    pub problems: Problems,
    /// Data rows read so far, good or bad.
    pub rows: u64,
    /// Bytes of the file read so far (for progress).
    pub bytes: u64,
    abandoned: bool,
}

impl<R> Sink<R> {
    /// A data row read without a problem.
    pub fn push(&mut self, row: R) {
        self.rows += 1;
        if !self.problems.is_empty() || self.abandoned {
            self.progress();
            return;
        }
        self.batch.push(row);
        if self.batch.len() == BATCH {
            let full = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
            if self.tx.blocking_send(Msg::Rows(full, self.bytes)).is_err() {
                self.abandoned = true;
            }
        }
    }

    /// A data row read with a problem (already recorded): counted, not stored.
    pub fn skip(&mut self) {
        self.rows += 1;
        self.progress();
    }

    /// While only scanning for problems, report progress now and then.
    fn progress(&mut self) {
        if self.rows.is_multiple_of(PROGRESS_EVERY)
            && !self.abandoned
            && self.tx.blocking_send(Msg::Progress(self.bytes)).is_err()
        {
            self.abandoned = true;
        }
    }

    /// Whether reading on is pointless: nobody listens, or enough problems are collected.
    pub fn done(&self) -> bool {
        self.abandoned || self.problems.full()
    }

    /// The reader's verdict: the number of data rows, or why the file is refused.
    fn finish(mut self, result: Result<(), ImportError>) -> Result<u64, ImportError> {
        result?;
        if self.abandoned {
            return Ok(self.rows);
        }
        if !self.problems.is_empty() {
            debug_assert!(self.problems.len() <= MAX_PROBLEMS);
            return Err(ImportError::Invalid(std::mem::take(&mut self.problems).into_vec()));
        }
        if !self.batch.is_empty() {
            let batch = std::mem::take(&mut self.batch);
            let _ = self.tx.blocking_send(Msg::Rows(batch, self.bytes));
        }
        Ok(self.rows)
    }
}

/// Hands the parsed batches to the store and keeps the reader's final word.
struct Source<'p, R> {
    rx: mpsc::Receiver<Msg<R>>,
    progress: &'p (dyn Fn(u64) + Sync),
    verdict: Option<Result<u64, ImportError>>,
}

impl<R: DataRow> RowSource<R> for Source<'_, R> {
    async fn next_batch(&mut self) -> Option<Vec<R>> {
        if self.verdict.is_some() {
            return None;
        }
        loop {
            match self.rx.recv().await? {
                Msg::Rows(rows, bytes) => {
                    (self.progress)(bytes);
                    return Some(rows);
                }
                Msg::Progress(bytes) => (self.progress)(bytes),
                Msg::End(verdict) => {
                    self.verdict = Some(verdict);
                    return None;
                }
            }
        }
    }
}

/// The reading thread of a CSV format: rows into `sink`, problems into its list.
fn parse<P: RowParser>(reader: impl Read, opts: &ImportOptions, sink: &mut Sink<P::Row>) -> Result<(), ImportError> {
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(P::DELIMITER)
        .quoting(P::QUOTING)
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_reader(reader);
    let mut record = csv::ByteRecord::new();
    let mut has_header = read(&mut csv, &mut record)?;
    if has_header && P::is_preamble(&record) {
        has_header = read(&mut csv, &mut record)?;
    }
    let header = Header::new(&record);
    let mut parser = P::from_header(&header, &mut sink.problems, opts);
    if !has_header || !sink.problems.is_empty() {
        if sink.problems.is_empty() {
            sink.problems
                .push(1, "", Reason::new("the file is empty", "файл пустой"));
        }
        return Ok(());
    }
    let header_line = record.position().map_or(1, |p| p.line());

    while read(&mut csv, &mut record)? {
        // Spreadsheets pad files with rows of empty cells; they carry nothing.
        if record.iter().all(|cell| cell.trim_ascii().is_empty()) || P::is_summary(&record) {
            continue;
        }
        let line = record.position().map_or(sink.rows + 2, |p| p.line());
        let mut cells = Cells {
            record: &record,
            line,
            problems: &mut sink.problems,
            ok: true,
        };
        let row = parser.parse(&mut cells);
        sink.bytes = csv.position().byte();
        if sink.problems.is_empty() {
            sink.push(row);
        } else {
            sink.skip();
            if sink.done() {
                break;
            }
        }
    }
    sink.bytes = csv.position().byte();
    if sink.rows == 0 && sink.problems.is_empty() {
        // A header alone is most often the wrong export or a cut file; storing "nothing"
        // would log an import that did not happen.
        sink.problems.push(
            header_line + 1,
            "",
            Reason::new(
                "the file has a header but no data rows under it",
                "в файле есть строка заголовков, но под ней нет ни одной строки данных",
            ),
        );
    }
    Ok(())
}

/// Reads the next record; `false` at the end of the input.
fn read<R: Read>(csv: &mut csv::Reader<R>, record: &mut csv::ByteRecord) -> Result<bool, ImportError> {
    csv.read_byte_record(record).map_err(|e| match e.into_kind() {
        csv::ErrorKind::Io(io) => ImportError::Io(io),
        other => ImportError::Invalid(vec![Problem {
            line: record.position().map_or(0, |p| p.line()),
            column: String::new(),
            reason: format!("unreadable CSV: {other:?}"),
            reason_ru: format!("CSV не читается: {other:?}"),
            at_path: false,
        }]),
    })
}
