//! The database job runner on both backends: one claim per job across instances, retries with
//! backoff, leases that let another instance finish a crashed one's job, and jobs that survive
//! a restart. Time is passed in, so nothing sleeps.

use crate::helpers::*;
use chrono::{DateTime, Duration, Utc};
use keel_store::Store;
use keel_store::jobs::{Job, JobFuture, JobHandler, JobRunner};
use std::sync::{Arc, Mutex};

/// Records the ids it runs; fails each job's first `failures` attempts.
#[derive(Default)]
struct Recorder {
    ran: Mutex<Vec<i64>>,
    failures: i32,
}

impl JobHandler for Recorder {
    fn run<'a>(&'a self, _store: &'a Store, job: &'a Job, _as_of: DateTime<Utc>) -> JobFuture<'a> {
        Box::pin(async move {
            if job.attempts <= self.failures {
                return Err(format!("attempt {} fails on purpose", job.attempts));
            }
            // Yield so two runners on one database really interleave.
            tokio::task::yield_now().await;
            self.ran.lock().unwrap().push(job.id);
            Ok(())
        })
    }
}

fn runner(store: &Store, recorder: &Arc<Recorder>) -> JobRunner {
    let mut runner = JobRunner::new(store.clone());
    runner.register("test.record", recorder.clone());
    runner
}

async fn store(backend: Backend, name: &str) -> Option<(TestDb, Store)> {
    let db = TestDb::new(backend, name).await?;
    let store = Store::open(&db.url).await.unwrap();
    Some((db, store))
}

on_both_backends! {
    async fn two_instances_never_run_the_same_job_twice(backend) {
        let Some((_db, store)) = store(backend, "jobs_claim").await else { return };
        let t = keel_store::now();
        for i in 0..30 {
            store.enqueue_job("test.record", &serde_json::json!({ "n": i }), t).await.unwrap();
        }
        let recorder = Arc::new(Recorder::default());
        let (a, b) = (runner(&store, &recorder), runner(&store, &recorder));
        let (ra, rb) = tokio::join!(a.run_due(t), b.run_due(t));
        let (ra, rb) = (ra.unwrap(), rb.unwrap());
        assert_eq!(ra.succeeded + rb.succeeded, 30);
        let mut ran = recorder.ran.lock().unwrap().clone();
        ran.sort_unstable();
        ran.dedup();
        assert_eq!(ran.len(), 30, "every job ran exactly once");
        assert_eq!(recorder.ran.lock().unwrap().len(), 30);
        assert!(store.jobs_of_kind("test.record").await.unwrap().iter().all(|j| j.state == "done"));
        // Finished jobs are pruned only once old enough; pending ones never.
        store.enqueue_job("test.record", &serde_json::json!({}), t + Duration::days(1)).await.unwrap();
        assert_eq!(store.prune_finished_jobs(t).await.unwrap(), 0);
        assert_eq!(store.prune_finished_jobs(t + Duration::seconds(1)).await.unwrap(), 30);
        assert_eq!(store.jobs_of_kind("test.record").await.unwrap().len(), 1);
    }

    async fn a_failing_job_is_retried_with_exponential_backoff(backend) {
        let Some((_db, store)) = store(backend, "jobs_retry").await else { return };
        let t = keel_store::now();
        store.enqueue_job("test.record", &serde_json::json!({}), t).await.unwrap();
        let recorder = Arc::new(Recorder { failures: 2, ..Default::default() });
        let runner = runner(&store, &recorder);
        assert_eq!(runner.run_due(t).await.unwrap().retried, 1);
        let job = &store.jobs_of_kind("test.record").await.unwrap()[0];
        assert_eq!((job.state.as_str(), job.attempts), ("pending", 1));
        assert_eq!(job.run_at, t + Duration::seconds(30));
        assert!(job.last_error.as_deref().unwrap().contains("on purpose"));
        // Not due again before its backoff …
        assert_eq!(runner.run_due(t + Duration::seconds(29)).await.unwrap().retried, 0);
        assert_eq!(runner.run_due(t + Duration::seconds(30)).await.unwrap().retried, 1);
        // … which doubles.
        let job = &store.jobs_of_kind("test.record").await.unwrap()[0];
        assert_eq!(job.run_at, t + Duration::seconds(30 + 60));
        assert_eq!(runner.run_due(t + Duration::seconds(90)).await.unwrap().succeeded, 1);
        assert_eq!(store.jobs_of_kind("test.record").await.unwrap()[0].state, "done");
    }

    async fn a_job_without_a_handler_waits_and_then_fails_for_good(backend) {
        let Some((_db, store)) = store(backend, "jobs_unknown").await else { return };
        let t = keel_store::now();
        store.enqueue_job("test.nobody", &serde_json::json!({}), t).await.unwrap();
        let runner = JobRunner::new(store.clone());
        let mut at = t;
        let mut failed = 0;
        for _ in 0..8 {
            failed += runner.run_due(at).await.unwrap().failed;
            at += Duration::hours(2);
        }
        assert_eq!(failed, 1, "eight attempts, then failed");
        let job = &store.jobs_of_kind("test.nobody").await.unwrap()[0];
        assert_eq!((job.state.as_str(), job.attempts), ("failed", 8));
        assert!(job.last_error.as_deref().unwrap().contains("no handler registered for job kind `test.nobody`"));
    }

    async fn a_crashed_instances_job_runs_again_when_its_lease_expires(backend) {
        let Some((_db, store)) = store(backend, "jobs_lease").await else { return };
        let t = keel_store::now();
        store.enqueue_job("test.record", &serde_json::json!({}), t).await.unwrap();
        let recorder = Arc::new(Recorder::default());
        // Instance A claims the job and "crashes": it never finishes it.
        let crashed = runner(&store, &recorder).with_lease(Duration::minutes(5));
        assert!(crashed.claim(t).await.unwrap().is_some());
        drop(crashed);
        let other = runner(&store, &recorder);
        assert_eq!(other.run_due(t + Duration::minutes(4)).await.unwrap().succeeded, 0, "still leased");
        assert_eq!(other.run_due(t + Duration::minutes(5) + Duration::seconds(1)).await.unwrap().succeeded, 1);
        let job = &store.jobs_of_kind("test.record").await.unwrap()[0];
        assert_eq!((job.state.as_str(), job.attempts), ("done", 2));
    }

    async fn jobs_survive_a_restart(backend) {
        let Some((db, store)) = store(backend, "jobs_restart").await else { return };
        let t = keel_store::now() + Duration::minutes(30);
        store.enqueue_job("test.record", &serde_json::json!({}), t).await.unwrap();
        store.close().await;
        let reopened = Store::open(&db.url).await.unwrap();
        let recorder = Arc::new(Recorder::default());
        let runner = runner(&reopened, &recorder);
        assert_eq!(runner.run_due(t - Duration::seconds(1)).await.unwrap().succeeded, 0);
        assert_eq!(runner.run_due(t).await.unwrap().succeeded, 1);
        reopened.close().await;
    }
}

/// Kills the `keel serve` this test started when the test ends, however it ends.
struct Served(std::process::Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

on_both_backends! {
    async fn keel_serve_runs_the_queue(backend) {
        let Some(db) = TestDb::new(backend, "jobs_serve").await else { return };
        let run = |args: &[&str]| {
            std::process::Command::new(env!("CARGO_BIN_EXE_keel"))
                .arg("--database").arg(&db.url).args(args)
                .env_remove("KEEL_DATABASE_URL")
                .stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null())
                .spawn().expect("run keel")
        };
        // The demo's submissions leave notification jobs due now.
        assert!(run(&["demo"]).wait().unwrap().success());
        let store = Store::open(&db.url).await.unwrap();
        assert!(store.jobs_of_kind("workflow.notify").await.unwrap().iter().all(|j| j.state == "pending"));
        let _served = Served(run(&["serve", "--listen", "127.0.0.1:0"]));
        let mut delivered = 0;
        for _ in 0..100 {
            delivered = keel_store::on_pool!(store.raw_pool_for_tests(), p => {
                sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM notifications").fetch_one(p).await
            }).unwrap();
            let notify = store.jobs_of_kind("workflow.notify").await.unwrap();
            if delivered > 0 && notify.iter().all(|j| j.state == "done") {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        assert!(delivered > 0, "keel serve delivered the demo's notifications to the inbox");
        assert!(store.jobs_of_kind("workflow.notify").await.unwrap().iter().all(|j| j.state == "done"));
        store.close().await;
    }
}
