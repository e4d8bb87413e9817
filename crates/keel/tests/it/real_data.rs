//! Keel's figures on the real data sets of `shared/data`, against an independent computation
//! written here with nothing but string splitting and arithmetic. Skipped (with the reason
//! printed) where the folder is absent, as on a user's fresh clone.

use crate::helpers::*;
use std::collections::HashSet;
use std::path::PathBuf;

fn shared_data(test: &str) -> Option<PathBuf> {
    let dir = std::env::var("KEEL_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    if dir.is_dir() {
        Some(dir)
    } else {
        skip(
            test,
            "shared-data",
            &format!("real data sets not found at {}", dir.display()),
        );
        None
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

async fn project(app: &TestApp, slug: &str, started_on: &str) -> keel_store::projects::Project {
    keel::commands::create_project(&app.store, slug, slug, Some(started_on), None)
        .await
        .unwrap()
}

on_both_backends! {
    async fn facebook_metrics_figures_match_an_independent_computation(backend) {
        let test = "real_facebook_metrics";
        let Some(data) = shared_data(test) else { return };
        let Some(app) = TestApp::empty(backend, test).await else { return };
        let p = project(&app, "fb", "2014-01-01").await;
        let path = data.join("facebook-metrics/dataset_Facebook.csv");
        let file = std::fs::File::open(&path).unwrap();
        let summary = keel_import::import(&app.store, &p, keel_import::Format::FacebookMetrics, file, "fb.csv", "test", &|_| {}).await.unwrap();
        assert_eq!((summary.rows_read, summary.stored), (500, 500));

        // Independently: I = like + comment + share (blank = 0); followers = Page total likes.
        let text = std::fs::read_to_string(&path).unwrap();
        let (mut sum_er, mut n, mut sum_i, mut sum_reach_i, mut sum_reach) = (0.0, 0, 0i64, 0i64, 0i64);
        for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
            let cells: Vec<&str> = line.split(';').collect();
            let num = |i: usize| cells[i].trim().parse::<i64>().unwrap_or(0);
            let (followers, reach) = (num(0), num(7));
            let interactions = num(15) + num(16) + num(17);
            sum_i += interactions;
            sum_er += interactions as f64 / followers as f64 * 100.0;
            n += 1;
            if reach > 0 {
                sum_reach_i += interactions;
                sum_reach += reach;
            }
        }
        let report = keel_report::build_report(&app.store, &p, None, None).await.unwrap();
        let a = &report.accounts[0];
        assert_eq!(report.accounts.len(), 1);
        assert_eq!((a.posts as i64, a.interactions), (n, sum_i));
        assert!(close(a.er_followers.unwrap(), sum_er / n as f64), "{:?} vs {}", a.er_followers, sum_er / n as f64);
        assert!(close(a.err_reach.unwrap(), sum_reach_i as f64 / sum_reach as f64 * 100.0));
        assert_eq!(a.er_views, None, "the export has no views");
        assert_eq!(report.posts.len(), 500);
    }

    async fn the_olist_funnel_matches_an_independent_computation(backend) {
        let test = "real_olist_funnel";
        let Some(data) = shared_data(test) else { return };
        let Some(app) = TestApp::empty(backend, test).await else { return };
        let p = project(&app, "olist", "2019-01-01").await;
        let leads_text = std::fs::read_to_string(data.join("olist-funnel/olist_marketing_qualified_leads_dataset.csv")).unwrap();
        let deals_text = std::fs::read_to_string(data.join("olist-funnel/olist_closed_deals_dataset.csv")).unwrap();
        let won: HashSet<&str> = deals_text.lines().skip(1).filter_map(|l| l.split(',').next()).collect();
        // The MQLs as Keel's canonical leads file: a lead is won when it closed a deal.
        let mut csv = String::from("lead_id,created_at,source,campaign,status,amount,closed_at,repeat\n");
        let mut days = vec![];
        for line in leads_text.lines().skip(1) {
            let c: Vec<&str> = line.split(',').collect();
            let status = if won.contains(c[0]) { "won" } else { "lost" };
            csv.push_str(&format!("{},{},{},,{status},,,false\n", c[0], c[1], c[3]));
            days.push((chrono::NaiveDate::parse_from_str(c[1], "%Y-%m-%d").unwrap(), status == "won"));
        }
        let reader = std::io::Cursor::new(csv.into_bytes());
        let summary = keel_import::import(&app.store, &p, keel_import::Format::Leads, reader, "olist.csv", "test", &|_| {}).await.unwrap();
        assert_eq!(summary.rows_read, 8000);

        // Independently: the whole period against the first 90 days of data (the 90 days
        // before the project's start hold no leads), pooled two-proportion z.
        let first = days.iter().map(|(d, _)| *d).min().unwrap();
        let in_baseline = |d: &chrono::NaiveDate| *d <= first + chrono::Duration::days(89);
        let (x1, n1) = (days.iter().filter(|(_, w)| *w).count() as f64, days.len() as f64);
        let (x2, n2) = (
            days.iter().filter(|(d, w)| *w && in_baseline(d)).count() as f64,
            days.iter().filter(|(d, _)| in_baseline(d)).count() as f64,
        );
        let pooled = (x1 + x2) / (n1 + n2);
        let z = (x1 / n1 - x2 / n2) / (pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)).sqrt();
        let report = keel_report::build_report(&app.store, &p, None, None).await.unwrap();
        let stage = &report.funnel.iter().find(|s| s.result.stage == keel_domain::metrics::funnel::Stage::LeadsToDeals).unwrap().result;
        assert!(close(stage.conversion.unwrap(), x1 / n1 * 100.0), "{:?}", stage.conversion);
        assert!(close(stage.baseline.unwrap(), x2 / n2 * 100.0), "{:?} vs {}", stage.baseline, x2 / n2 * 100.0);
        assert!(close(stage.z.unwrap(), z), "{:?} vs {z}", stage.z);
        // 842 of 8,000 MQLs closed: 10.525 %.
        assert_eq!(x1 as i64, 842);
    }
}
