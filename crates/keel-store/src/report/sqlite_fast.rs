//! The fast read path on SQLite, for the two scans that touch a million rows: the
//! period's posts ([`super::sqlite_posts`]) and every account's daily rows
//! ([`super::daily`]).
//!
//! Why: sqlx's SQLite driver hands each row from its worker thread to the caller on its
//! own, copying every value: about 5 µs a row with eight columns, 5 s for a million
//! posts, several times what SQLite itself needs. These scans therefore open their own
//! read-only connection to the same database file with `rusqlite` (the same bundled
//! SQLite library), on a thread of their own, and pass rows over in batches. They run
//! where the store is a SQLite *file*; PostgreSQL has its own fast path (COPY, see
//! [`super::pg_posts`]), and an in-memory SQLite uses plain sqlx queries. All three are
//! covered by the integration tests.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::{Pool, Store};
use rusqlite::{Connection, OpenFlags};
use tokio::sync::mpsc;

/// Rows per batch handed from a reading thread to the report: large enough that the
/// hand-over costs nothing per row, small enough to keep memory flat.
const BATCH: usize = 1024;
/// Batches in flight; the reader waits when the report falls behind.
const BATCHES_IN_FLIGHT: usize = 4;

/// The database file of a SQLite store; `None` for PostgreSQL and in-memory databases.
pub(crate) fn database_file(store: &Store) -> Option<PathBuf> {
    match &store.pool {
        Pool::Sqlite(pool) => {
            let options = pool.connect_options();
            let file = options.get_filename();
            file.is_file().then(|| file.to_path_buf())
        }
        Pool::Postgres(_) => None,
    }
}

/// A read-only connection to `file`, waiting like the store does when a writer holds it.
pub(crate) fn open(file: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    conn.busy_timeout(Duration::from_secs(10))?;
    Ok(conn)
}

/// The receiving end of a reading thread: batches of rows, or the error that stopped it.
pub(crate) type Batches<T> = mpsc::Receiver<anyhow::Result<Vec<T>>>;

/// Collects rows on the reading thread and sends them on in batches.
pub(crate) struct Batcher<T> {
    tx: mpsc::Sender<anyhow::Result<Vec<T>>>,
    buf: Vec<T>,
}

/// The report stopped listening (it failed elsewhere, or its output was closed).
#[derive(Debug, thiserror::Error)]
#[error("the report stopped reading")]
pub(crate) struct Abandoned;

impl<T> Batcher<T> {
    /// Queues `row`; fails with [`Abandoned`] when the report no longer listens, which
    /// ends the reading thread.
    pub fn push(&mut self, row: T) -> anyhow::Result<()> {
        self.buf.push(row);
        if self.buf.len() >= BATCH {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> anyhow::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let batch = std::mem::replace(&mut self.buf, Vec::with_capacity(BATCH));
        self.tx.blocking_send(Ok(batch)).map_err(|_| Abandoned)?;
        Ok(())
    }
}

/// Runs `read` on a thread of its own and returns the batches it produces, then its
/// error if it fails. A thread rather than the async runtime's pool: the read is one long
/// blocking loop, and it overlaps with the report's own work on the other core.
pub(crate) fn spawn_reader<T, F>(read: F) -> Batches<T>
where
    T: Send + 'static,
    F: FnOnce(&mut Batcher<T>) -> anyhow::Result<()> + Send + 'static,
{
    let (tx, rx) = mpsc::channel(BATCHES_IN_FLIGHT);
    std::thread::spawn(move || {
        let mut batcher = Batcher {
            tx,
            buf: Vec::with_capacity(BATCH),
        };
        let result = read(&mut batcher).and_then(|()| batcher.flush());
        if let Err(e) = result
            && !e.is::<Abandoned>()
        {
            // Nobody may be listening any more; then there is no one to tell.
            let _ = batcher.tx.blocking_send(Err(e));
        }
    });
    rx
}

/// Hands every row of `batches` to `each`, in order, stopping at the first error.
pub(crate) async fn drain<T>(
    mut batches: Batches<T>,
    mut each: impl FnMut(T) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    while let Some(batch) = batches.recv().await {
        for row in batch? {
            each(row)?;
        }
    }
    Ok(())
}
