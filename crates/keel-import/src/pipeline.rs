//! The one path every import takes: a reading thread parses the file row by row and hands
//! batches over a small bounded channel to the store, which writes them into one
//! transaction while the next batch is parsed. Memory stays flat whatever the file size.
//!
//! The first problem stops the writing (the batches still in flight are dropped), but the
//! thread keeps scanning so the user sees up to [`MAX_PROBLEMS`] problems at once; then the
//! transaction is rolled back and nothing of the file is stored.

use crate::FacebookOptions;
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

/// Reads one format's rows.
pub(crate) trait RowParser: Send + Sized + 'static {
    type Row: DataRow;
    /// The field separator.
    const DELIMITER: u8 = b',';
    /// Finds the columns by name; a missing required column goes into `problems`.
    fn from_header(header: &Header, problems: &mut Problems, opts: &FacebookOptions) -> Self;
    /// Reads a row; a bad cell is recorded in `cells` (and the row then discarded).
    fn parse(&mut self, cells: &mut Cells<'_>) -> Self::Row;
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
    opts: FacebookOptions,
    meta: &ImportMeta<'_>,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<ImportSummary, ImportError> {
    let (tx, rx) = mpsc::channel(DEPTH);
    let reading = tokio::task::spawn_blocking(move || {
        let verdict = parse::<P>(reader, &opts, &tx);
        // A closed channel means the import was abandoned: nobody is left to tell.
        let _ = tx.blocking_send(Msg::End(verdict));
    });
    let mut source = Source {
        rx,
        progress,
        verdict: None,
    };
    let staged = store.stage_rows::<P::Row>(project, &mut source).await?;
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

/// The reading thread: the number of data rows, or why the file is refused. Batches go to
/// `tx` only while no problem has been seen.
fn parse<P: RowParser>(
    reader: impl Read,
    opts: &FacebookOptions,
    tx: &mpsc::Sender<Msg<P::Row>>,
) -> Result<u64, ImportError> {
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(P::DELIMITER)
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_reader(reader);
    let mut record = csv::ByteRecord::new();
    let mut problems = Problems::default();
    let has_header = read(&mut csv, &mut record)?;
    let header = Header::new(&record);
    let mut parser = P::from_header(&header, &mut problems, opts);
    if !has_header || !problems.is_empty() {
        return Err(ImportError::Invalid(problems.into_vec()));
    }

    let mut rows = 0u64;
    let mut batch = Vec::with_capacity(BATCH);
    while read(&mut csv, &mut record)? {
        // Spreadsheets pad files with rows of empty cells; they carry nothing.
        if record.iter().all(|cell| cell.trim_ascii().is_empty()) {
            continue;
        }
        rows += 1;
        let line = record.position().map_or(rows + 1, |p| p.line());
        let mut cells = Cells {
            record: &record,
            line,
            problems: &mut problems,
            ok: true,
        };
        let row = parser.parse(&mut cells);
        let bytes = csv.position().byte();
        if !problems.is_empty() {
            if problems.full() {
                break;
            }
            if rows.is_multiple_of(PROGRESS_EVERY) && tx.blocking_send(Msg::Progress(bytes)).is_err() {
                return Ok(rows);
            }
            continue;
        }
        batch.push(row);
        if batch.len() == BATCH {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
            if tx.blocking_send(Msg::Rows(full, bytes)).is_err() {
                return Ok(rows); // abandoned
            }
        }
    }
    if !problems.is_empty() {
        debug_assert!(problems.len() <= MAX_PROBLEMS);
        return Err(ImportError::Invalid(problems.into_vec()));
    }
    if rows == 0 {
        // A header alone is most often the wrong export or a cut file; storing "nothing"
        // would log an import that did not happen.
        problems.push(
            2,
            "",
            Reason::new(
                "the file has a header but no data rows under it",
                "в файле есть строка заголовков, но под ней нет ни одной строки данных",
            ),
        );
        return Err(ImportError::Invalid(problems.into_vec()));
    }
    if !batch.is_empty() {
        let _ = tx.blocking_send(Msg::Rows(batch, csv.position().byte()));
    }
    Ok(rows)
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
        }]),
    })
}
