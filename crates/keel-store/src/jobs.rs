//! Background jobs stored in the database, so timers survive a restart and several `keel`
//! instances share the work.
//!
//! - **Claiming** is one statement: PostgreSQL picks a due row `FOR UPDATE SKIP LOCKED` (two
//!   instances never take the same job, and neither waits for the other); SQLite has a single
//!   writer, so one `UPDATE … RETURNING` is atomic by itself.
//! - **Leases**: a claimed job is `running` until `locked_until`. An instance that crashes
//!   mid-job never finishes it, its lease runs out, and the next claim takes the job again.
//! - **Retries**: a handler's `Err` puts the job back with exponential backoff (30 s, 1 min,
//!   2 min, … capped at an hour) until `max_attempts`, then it stays `failed` with its error.
//! - **Time is a parameter**: [`JobRunner::run_due`] runs what is due *as of* the instant it is
//!   given, so tests move the clock instead of sleeping; `keel serve` passes the wall clock.
//! - **Kinds** are strings with a handler registered per kind ([`JobRunner::register`]), so any
//!   crate adds its own.

use crate::{Store, StoreResult, now, on_pool};
use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// A claimed job, handed to its handler.
#[derive(Debug, Clone)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub payload: serde_json::Value,
    /// Attempts so far, this one included.
    pub attempts: i32,
    /// When it was due (handlers date what they record with it, not with the wall clock).
    pub run_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct JobRow {
    id: i64,
    kind: String,
    payload: String,
    attempts: i32,
    run_at: DateTime<Utc>,
}

/// A job's row, for inspection (tests, an operations page).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct JobRecord {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub state: String,
    pub run_at: DateTime<Utc>,
    pub attempts: i32,
    pub last_error: Option<String>,
}

pub type JobFuture<'a> = Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>>;

/// Runs one kind of job. `as_of` is the runner's notion of now.
pub trait JobHandler: Send + Sync {
    fn run<'a>(&'a self, store: &'a Store, job: &'a Job, as_of: DateTime<Utc>) -> JobFuture<'a>;
}

/// Inserts a job through `$exec` (usually the transaction whose change makes the job needed,
/// so the job exists exactly when the change does). Evaluates to the driver's `Result`.
#[macro_export]
macro_rules! enqueue_job {
    ($exec:expr, $kind:expr, $payload:expr, $run_at:expr) => {{
        let payload: &serde_json::Value = &$payload;
        let run_at: chrono::DateTime<chrono::Utc> = $run_at;
        sqlx::query("INSERT INTO jobs (kind, payload, run_at, created_at) VALUES ($1, $2, $3, $4)")
            .bind($kind)
            .bind(payload.to_string())
            .bind(chrono::SubsecRound::trunc_subsecs(run_at, 0))
            .bind($crate::now())
            .execute($exec)
            .await
            .map(|_| ())
    }};
}

/// What one [`JobRunner::run_due`] pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RunSummary {
    pub succeeded: usize,
    pub retried: usize,
    pub failed: usize,
}

/// How long a claimed job may run before another instance may take it over.
pub const DEFAULT_LEASE: Duration = Duration::minutes(5);

const DUE: &str = "(state = 'pending' AND run_at <= $1) OR (state = 'running' AND locked_until < $1)";

pub struct JobRunner {
    store: Store,
    handlers: HashMap<String, Arc<dyn JobHandler>>,
    worker: String,
    lease: Duration,
}

impl JobRunner {
    pub fn new(store: Store) -> JobRunner {
        let mut bytes = [0u8; 6];
        let _ = getrandom::fill(&mut bytes);
        JobRunner {
            store,
            handlers: HashMap::new(),
            worker: format!("keel-{}-{}", std::process::id(), hex::encode(bytes)),
            lease: DEFAULT_LEASE,
        }
    }

    pub fn with_lease(mut self, lease: Duration) -> JobRunner {
        self.lease = lease;
        self
    }

    /// Routes jobs of `kind` to `handler` (a later registration of the same kind replaces it).
    pub fn register(&mut self, kind: &str, handler: Arc<dyn JobHandler>) {
        self.handlers.insert(kind.to_owned(), handler);
    }

    /// This runner's name (process id and a random part), recorded on what it claims.
    pub fn worker(&self) -> &str {
        &self.worker
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Claims and runs every job due as of `as_of`, one after another, until none is left.
    /// Jobs a handler schedules for `as_of` or earlier run in the same pass.
    pub async fn run_due(&self, as_of: DateTime<Utc>) -> StoreResult<RunSummary> {
        let mut summary = RunSummary::default();
        while let Some(job) = self.claim(as_of).await? {
            let outcome = match self.handlers.get(&job.kind) {
                Some(handler) => handler.run(&self.store, &job, as_of).await,
                // Another instance (a newer keel) may know the kind: retry rather than drop.
                None => Err(format!("no handler registered for job kind `{}`", job.kind)),
            };
            match outcome {
                Ok(()) => {
                    self.finish(job.id, as_of).await?;
                    summary.succeeded += 1;
                }
                Err(error) => {
                    tracing::warn!(job = job.id, kind = %job.kind, attempt = job.attempts, %error, "job failed");
                    if self.retry_or_fail(&job, &error, as_of).await? {
                        summary.retried += 1;
                    } else {
                        summary.failed += 1;
                    }
                }
            }
        }
        Ok(summary)
    }

    /// Takes one due job (or one whose lease ran out), marking it running under a new lease.
    pub async fn claim(&self, as_of: DateTime<Utc>) -> StoreResult<Option<Job>> {
        let as_of = as_of.trunc_secs();
        let lock = match self.store.backend() {
            crate::Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            crate::Backend::Sqlite => "",
        };
        let sql = format!(
            "UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_until = $2, locked_by = $3
             WHERE id = (SELECT id FROM jobs WHERE {DUE} ORDER BY run_at, id LIMIT 1{lock})
             RETURNING id, kind, payload, attempts, run_at"
        );
        let row = on_pool!(&self.store.pool, p => {
            sqlx::query_as::<_, JobRow>(&sql)
                .bind(as_of)
                .bind(as_of + self.lease)
                .bind(&self.worker)
                .fetch_optional(p)
                .await
        })?;
        Ok(row.map(|r| Job {
            id: r.id,
            kind: r.kind,
            payload: serde_json::from_str(&r.payload).unwrap_or(serde_json::Value::Null),
            attempts: r.attempts,
            run_at: r.run_at,
        }))
    }

    async fn finish(&self, id: i64, as_of: DateTime<Utc>) -> StoreResult<()> {
        on_pool!(&self.store.pool, p => {
            sqlx::query("UPDATE jobs SET state = 'done', finished_at = $2, locked_until = NULL, last_error = NULL WHERE id = $1")
                .bind(id)
                .bind(as_of.trunc_secs())
                .execute(p)
                .await
                .map(|_| ())
        })?;
        Ok(())
    }

    /// Puts the job back with backoff; returns false when it has used up its attempts.
    async fn retry_or_fail(&self, job: &Job, error: &str, as_of: DateTime<Utc>) -> StoreResult<bool> {
        let next = as_of.trunc_secs() + backoff(job.attempts);
        let state = on_pool!(&self.store.pool, p => {
            sqlx::query_scalar::<_, String>(
                "UPDATE jobs SET
                    state = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'pending' END,
                    run_at = $2, locked_until = NULL, last_error = $3,
                    finished_at = CASE WHEN attempts >= max_attempts THEN $4 ELSE NULL END
                 WHERE id = $1 RETURNING state",
            )
            .bind(job.id)
            .bind(next)
            .bind(error)
            .bind(as_of.trunc_secs())
            .fetch_one(p)
            .await
        })?;
        Ok(state == "pending")
    }

    /// Runs due jobs against the wall clock every `every` until the task is dropped; a failed
    /// pass is logged and tried again at the next tick.
    pub fn spawn(self: Arc<Self>, every: std::time::Duration) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if let Err(e) = self.run_due(now()).await {
                    tracing::warn!(error = %e, "job runner pass failed");
                }
            }
        })
    }
}

/// 30 s after the first failure, doubling each time, at most an hour.
pub fn backoff(attempts: i32) -> Duration {
    let exponent = attempts.clamp(1, 8) - 1;
    Duration::seconds((30i64 << exponent).min(3600))
}

trait TruncSecs {
    fn trunc_secs(self) -> Self;
}

impl TruncSecs for DateTime<Utc> {
    fn trunc_secs(self) -> Self {
        chrono::SubsecRound::trunc_subsecs(self, 0)
    }
}

impl Store {
    /// Queues a job on its own (not part of another change).
    pub async fn enqueue_job(&self, kind: &str, payload: &serde_json::Value, run_at: DateTime<Utc>) -> StoreResult<()> {
        on_pool!(&self.pool, p => enqueue_job!(p, kind, *payload, run_at))?;
        Ok(())
    }

    /// Deletes finished jobs (done or failed) that ended before `before`; returns how many.
    /// Pending and running jobs are never touched.
    pub async fn prune_finished_jobs(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        Ok(on_pool!(&self.pool, p => {
            sqlx::query("DELETE FROM jobs WHERE state IN ('done', 'failed') AND finished_at < $1")
                .bind(before.trunc_secs())
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?)
    }

    /// Jobs of `kind`, oldest first.
    pub async fn jobs_of_kind(&self, kind: &str) -> StoreResult<Vec<JobRecord>> {
        Ok(on_pool!(&self.pool, p => {
            sqlx::query_as::<_, JobRecord>(
                "SELECT id, kind, payload, state, run_at, attempts, last_error FROM jobs WHERE kind = $1 ORDER BY id",
            )
            .bind(kind)
            .fetch_all(p)
            .await
        })?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_thirty_seconds_to_an_hour() {
        let secs: Vec<i64> = (1..=9).map(|a| backoff(a).num_seconds()).collect();
        assert_eq!(secs, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
    }
}
