//! Meta Ads: the campaigns' insights per day of the range (`level=campaign`,
//! `time_increment=1`), numbers as strings as Meta sends them, every page (the cursor `after`
//! while the answer has `paging.next`) to the `meta-ads` format as one JSON array — one batch,
//! one import, nothing stored until every page is in.
//!
//! A range longer than [`ASYNC_AFTER_DAYS`] is asked as an asynchronous report run, as Meta
//! advises for large requests: `POST …/insights` gives a `report_run_id`, its
//! `async_status` is polled (the wait doubling, up to the configured cap) until
//! "Job Completed", then the run's rows are read page by page. Starting a run is not retried
//! after a lost answer (it would be a second job); reads are.

use super::PullCx;
use super::run::{PullError, SyncRequest, secret_text};
use keel_import::{Format, ImportOptions};
use keel_platforms::meta::{InsightsQuery, MetaApi};
use keel_platforms::{Failure, Pace, patiently};
use serde_json::Value;
use std::time::Duration;

/// Ranges longer than this many days go through an asynchronous report run.
pub const ASYNC_AFTER_DAYS: i64 = 31;
/// How many times a report run is polled before the sync gives up (the next one asks again).
pub const MAX_POLLS: u32 = 120;

pub async fn pull(cx: &mut PullCx<'_>, secret: &Value, request: &SyncRequest) -> Result<(), PullError> {
    let token = secret_text(secret, "access_token")?;
    let api = MetaApi::new(&cx.platforms.meta_api_url, &token).with_timeout(cx.platforms.timeout);
    let pace = Pace::per_second(cx.platforms.rates.meta);
    let query = InsightsQuery {
        account: cx.connection.account.clone(),
        since: request.from,
        until: request.to,
    };
    let run = if (request.to - request.from).num_days() + 1 > ASYNC_AFTER_DAYS {
        Some(report_run(cx, &api, &pace, &query).await?)
    } else {
        None
    };
    let mut pages: Vec<Value> = vec![];
    let mut after: Option<String> = None;
    let mut rows = 0u64;
    loop {
        (cx.progress)("Meta insights", Some((rows, 0)));
        let cursor = after.clone();
        let page = match &run {
            Some(run) => patiently(&pace, || api.report_run_page(run, cursor.as_deref())).await?,
            None => patiently(&pace, || api.insights_page(&query, cursor.as_deref())).await?,
        };
        rows += page.rows as u64;
        if page.rows > 0 {
            pages.push(page.page);
        }
        after = page.after;
        if after.is_none() {
            break;
        }
    }
    if rows > 0 {
        let bytes = serde_json::to_vec(&pages).map_err(|e| PullError::Import("meta-ads", e.to_string()))?;
        cx.import(Format::MetaAds, bytes, ImportOptions::default()).await?;
    }
    Ok(())
}

/// Starts a report run and waits until Meta has completed it; its id.
async fn report_run(cx: &PullCx<'_>, api: &MetaApi, pace: &Pace, query: &InsightsQuery) -> Result<String, PullError> {
    (cx.progress)("Meta report run", None);
    pace.wait().await;
    let run = api.start_report_run(query).await?;
    let mut wait = cx.platforms.report_poll_cap.min(Duration::from_secs(1));
    for _ in 0..MAX_POLLS {
        let status = patiently(pace, || api.report_run(&run)).await?;
        (cx.progress)(
            "Meta report run",
            Some((status.async_percent_completion.max(0) as u64, 100)),
        );
        match status.async_status.as_str() {
            "Job Completed" => return Ok(run),
            "Job Failed" | "Job Skipped" => {
                return Err(PullError::Platform(
                    Failure::PlatformDown,
                    format!("Meta report run {run}: {}", status.async_status),
                ));
            }
            _ => {}
        }
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(cx.platforms.report_poll_cap);
    }
    Err(PullError::Platform(
        Failure::RetryLater { after: None },
        format!("Meta report run {run} was not completed after {MAX_POLLS} checks"),
    ))
}
