//! Many heavy requests at once: the report API under a storm of callers, and the cheap
//! requests that must stay quick meanwhile.

use crate::helpers::*;
use reqwest::StatusCode;
use std::time::{Duration, Instant};

on_both_backends! {
    async fn a_report_storm_answers_every_caller_and_healthz_stays_quick(backend) {
        let Some(app) = TestApp::demo(backend, "report_storm").await else { return };
        let token = app.token("member-a@demo.local").await;
        let client = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
        let url = app.url("/api/v1/projects/client-a/report");
        let storm: Vec<_> = (0..64)
            .map(|_| {
                let (client, url, token) = (client.clone(), url.clone(), token.clone());
                tokio::spawn(async move {
                    let response = client.get(url).bearer_auth(token).send().await.unwrap();
                    let status = response.status();
                    let body = response.bytes().await.map(|b| b.len()).unwrap_or(0);
                    (status, body)
                })
            })
            .collect();
        // While the storm runs, the liveness check and a cheap API call answer promptly.
        tokio::time::sleep(Duration::from_millis(50)).await;
        let started = Instant::now();
        let health = client.get(app.url("/healthz")).send().await.unwrap();
        let health_took = started.elapsed();
        let started = Instant::now();
        let projects = client.get(app.url("/api/v1/projects")).bearer_auth(&token).send().await.unwrap();
        let light_took = started.elapsed();
        let mut statuses = Vec::new();
        for request in storm {
            let (status, bytes) = request.await.unwrap();
            assert!(status != StatusCode::OK || bytes > 1000, "a whole report, not {bytes} bytes");
            statuses.push(status);
        }
        let failed: Vec<_> = statuses.iter().filter(|s| **s != StatusCode::OK).collect();
        assert!(failed.is_empty(), "{} of 64 reports failed: {failed:?}", failed.len());
        assert_eq!(health.status(), StatusCode::OK);
        assert_eq!(projects.status(), StatusCode::OK);
        // Generous bounds for a loaded debug build; the stall this guards against took 8–10 s.
        assert!(health_took < Duration::from_secs(3), "/healthz took {health_took:?} during the storm");
        assert!(light_took < Duration::from_secs(3), "a cheap API call took {light_took:?} during the storm");
    }
}
