//! The `funnel` section: a stage worse than its baseline, a steady one, and a baseline
//! that falls back to the first 90 days of data.

use keel_report::build_report;
use keel_store::Store;
use keel_store::projects::Project;

use crate::fixtures::{Ad, assert_close, day, insert_ad, insert_lead, project};
use crate::harness::on_both;

/// Started 2026-04-01; ads on 02-15 (100 000 impressions, 2000 clicks, 200 leads) and on
/// 04-10 (100 000, 1500, 150); leads: ten created 04-02 (3 won, 2 lost, 5 new) and ten
/// created 05-15 (8 won, 2 lost).
async fn funnel_fixture(store: &Store) -> anyhow::Result<Project> {
    let pr = project(store, "2026-04-01").await?;
    let brand = Ad {
        platform: "facebook",
        campaign: "brand".into(),
        spend: 500.0,
        ..Ad::default()
    };
    insert_ad(
        store,
        &pr,
        &Ad {
            date: "2026-02-15",
            impressions: Some(100_000),
            clicks: Some(2000),
            leads: Some(200),
            ..brand.clone()
        },
    )
    .await?;
    insert_ad(
        store,
        &pr,
        &Ad {
            date: "2026-04-10",
            impressions: Some(100_000),
            clicks: Some(1500),
            leads: Some(150),
            ..brand
        },
    )
    .await?;
    let april = ["won", "won", "won", "lost", "lost", "new", "new", "new", "new", "new"];
    for (i, status) in april.iter().enumerate() {
        insert_lead(store, &pr, &format!("apr-{i}"), "2026-04-02T09:00:00Z", status).await?;
    }
    let may = ["won", "won", "won", "won", "won", "won", "won", "won", "lost", "lost"];
    for (i, status) in may.iter().enumerate() {
        insert_lead(store, &pr, &format!("may-{i}"), "2026-05-15T09:00:00Z", status).await?;
    }
    Ok(pr)
}

#[tokio::test]
async fn funnel_stages_against_their_baselines() {
    on_both("funnel_stages_against_baselines", |store| async move {
        let pr = funnel_fixture(&store).await?;
        let r = build_report(&store, &pr, Some(day("2026-04-01")), Some(day("2026-04-30"))).await?;
        let v = serde_json::to_value(&r.funnel)?;
        let stages: Vec<_> = v.as_array().expect("list").iter().map(|s| s["stage"].clone()).collect();
        assert_eq!(stages, ["impressions_to_clicks", "clicks_to_leads", "leads_to_deals"]);

        // impressions → clicks: period 1500 / 100 000 = 1.5 %; baseline window = the 90 days
        // before 04-01 = 01-01 … 03-31, holding 02-15: 2000 / 100 000 = 2.0 %.
        // Pooled p = 3500 / 200 000 = 0.0175; se = √(0.0175 × 0.9825 × (1/100 000 + 1/100 000))
        // = √3.43875e-7 = 5.86408e-4; z = (0.015 − 0.020) / 5.86408e-4 = −8.526478526309363
        // (python3), |z| > 2.58 and negative: worse, in the agency's zone.
        let s = &r.funnel[0];
        assert_close(s.result.conversion, 1.5, "CTR period");
        assert_close(s.result.baseline, 2.0, "CTR baseline");
        assert_close(s.result.z, -8.526478526309363, "CTR z");
        assert_eq!(v[0]["verdict"], "worse");
        assert_eq!(v[0]["zone"], "agency");
        assert_eq!((s.baseline_from, s.baseline_to), (day("2026-01-01"), day("2026-03-31")));
        assert_eq!(
            (s.successes, s.trials, s.baseline_successes, s.baseline_trials),
            (1500, 100_000, 2000, 100_000)
        );

        // clicks → leads: 150 / 1500 = 10 % against 200 / 2000 = 10 %: z = 0, steady.
        let s = &r.funnel[1];
        assert_close(s.result.conversion, 10.0, "CR period");
        assert_close(s.result.baseline, 10.0, "CR baseline");
        assert_eq!(s.result.z, Some(0.0));
        assert_eq!(v[1]["verdict"], "steady");

        // leads → deals: period = leads created in April: 3 won of 10 = 30 %. No lead was
        // created in 01-01 … 03-31 (0 trials: "no data"), so the baseline is the first 90
        // days of lead data, 04-02 … 06-30: (3 + 8) won of 20 = 55 %.
        // Pooled p = (3 + 11) / (10 + 20) = 0.4666…; se = √(p(1−p)(1/10 + 1/20))
        // = 0.19321835661585918; z = (0.30 − 0.55) / se = −1.2938729237669144: steady,
        // and the zone is the client's.
        let s = &r.funnel[2];
        assert_close(s.result.conversion, 30.0, "deals period");
        assert_close(s.result.baseline, 55.0, "deals baseline");
        assert_close(s.result.z, -1.2938729237669144, "deals z");
        assert_eq!(v[2]["verdict"], "steady");
        assert_eq!(v[2]["zone"], "client");
        assert_eq!((s.baseline_from, s.baseline_to), (day("2026-04-02"), day("2026-06-30")));
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn a_project_without_data_has_an_undefined_funnel() {
    on_both("project_without_data", |store| async move {
        let pr = project(&store, "2026-01-01").await?;
        let r = build_report(&store, &pr, None, None).await?;
        let v = serde_json::to_value(&r)?;
        for stage in v["funnel"].as_array().expect("list") {
            for key in ["conversion", "baseline", "z", "verdict"] {
                assert_eq!(stage[key], serde_json::Value::Null, "{key} of {stage}");
            }
        }
        assert_eq!(v["ads"]["ctr"], serde_json::Value::Null);
        assert_eq!(v["goals"], serde_json::json!([]));
        assert_eq!(v["period"], serde_json::json!({"from": null, "to": null}));
        assert_eq!(v["project"], "report");
        Ok(())
    })
    .await;
}
