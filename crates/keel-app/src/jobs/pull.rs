//! The sync job: one sync of one connection (`payload`: `connection_id`, `from`, `to`,
//! `kind`, `actor`), enqueued by the schedule (`pulls::plan_due`), "sync now" and the API.
//! A sync that failed because the platform asked to slow down or did not answer is tried
//! again with the runner's backoff; any other outcome is final (and recorded in `syncs`).

use crate::publishing::Platforms;
use crate::pulls::{SyncKind, SyncRequest, sync_connection};
use chrono::{DateTime, NaiveDate, Utc};
use keel_store::Store;
use keel_store::jobs::{Job, JobFuture, JobHandler};
use std::sync::Arc;

pub struct PullJob {
    pub platforms: Arc<Platforms>,
}

impl JobHandler for PullJob {
    fn run<'a>(&'a self, store: &'a Store, job: &'a Job, as_of: DateTime<Utc>) -> JobFuture<'a> {
        Box::pin(async move {
            let id = super::field(job, "connection_id")?
                .as_i64()
                .ok_or("connection_id is not a number")?;
            let Some(connection) = store.connection(id).await.map_err(|e| e.to_string())? else {
                // Removed since: nothing to do.
                return Ok(());
            };
            let date = |name: &str| -> Result<NaiveDate, String> {
                super::field(job, name)?
                    .as_str()
                    .and_then(|d| d.parse().ok())
                    .ok_or_else(|| format!("`{name}` is not a date"))
            };
            let project = store
                .project_by_id(connection.project())
                .await
                .map_err(|e| e.to_string())?;
            let request = SyncRequest {
                from: date("from")?,
                to: date("to")?,
                today: crate::pulls::zone_of(&project).day_of(as_of),
                kind: job
                    .payload
                    .get("kind")
                    .and_then(|k| k.as_str())
                    .and_then(SyncKind::parse)
                    .unwrap_or(SyncKind::Manual),
                actor: job
                    .payload
                    .get("actor")
                    .and_then(|a| a.as_str())
                    .unwrap_or("schedule")
                    .to_owned(),
            };
            let synced = sync_connection(store, &self.platforms, &connection, &request, &|_, _| {})
                .await
                .map_err(|e| e.to_string())?;
            match synced.record.error {
                Some(error) if synced.passing_failure => Err(error),
                _ => Ok(()),
            }
        })
    }
}
