//! The `ads` section: two campaigns, totals from summed figures.

use keel_report::build_report;
use keel_store::Store;
use keel_store::projects::Project;

use crate::fixtures::{Ad, assert_close, day, insert_ad, project};
use crate::harness::on_both;

/// facebook/spring: 02-01 (100.0, 10000 imp, 200 clicks, 10 leads, 2000 views) and
/// 02-02 (50.0, 5000, 100, 5, views NULL), plus 03-01 (1000.0, …) outside February;
/// vk/summer: 02-01 (80.0, 4000 imp, 40 clicks, 0 leads, 0 views).
async fn ads_fixture(store: &Store) -> anyhow::Result<Project> {
    let pr = project(store, "2026-01-01").await?;
    let spring = Ad {
        platform: "facebook",
        campaign: "spring".into(),
        ..Ad::default()
    };
    let rows = [
        Ad {
            date: "2026-02-01",
            spend: 100.0,
            impressions: Some(10_000),
            clicks: Some(200),
            leads: Some(10),
            video_views: Some(2000),
            ..spring.clone()
        },
        Ad {
            date: "2026-02-02",
            spend: 50.0,
            impressions: Some(5000),
            clicks: Some(100),
            leads: Some(5),
            ..spring.clone()
        },
        Ad {
            date: "2026-03-01",
            spend: 1000.0,
            impressions: Some(50_000),
            clicks: Some(500),
            leads: Some(50),
            video_views: Some(1000),
            ..spring
        },
        Ad {
            platform: "vk",
            campaign: "summer".into(),
            date: "2026-02-01",
            spend: 80.0,
            impressions: Some(4000),
            clicks: Some(40),
            leads: Some(0),
            video_views: Some(0),
        },
    ];
    for a in &rows {
        insert_ad(store, &pr, a).await?;
    }
    Ok(pr)
}

#[tokio::test]
async fn ads_totals_and_campaigns() {
    on_both("ads_totals_and_campaigns", |store| async move {
        let pr = ads_fixture(&store).await?;
        let r = build_report(&store, &pr, Some(day("2026-02-01")), Some(day("2026-02-28"))).await?;
        let c = &r.ads.campaigns;
        assert_eq!(c.len(), 2);
        assert_eq!((c[0].platform.as_str(), c[0].campaign.as_str()), ("facebook", "spring"));
        assert_eq!((c[1].platform.as_str(), c[1].campaign.as_str()), ("vk", "summer"));

        // spring in February: 150.0 spent, 15000 imp, 300 clicks, 15 leads, 2000 views.
        let s = &c[0].figures;
        assert_eq!(
            (s.spend, s.impressions, s.clicks, s.leads, s.video_views),
            (150.0, 15_000, 300, 15, 2000)
        );
        assert_close(s.ctr, 2.0, "spring CTR 300/15000×100");
        assert_close(s.cpc, 0.5, "spring CPC 150/300");
        assert_close(s.cpl, 10.0, "spring CPL 150/15");
        assert_close(s.cpv, 0.075, "spring CPV 150/2000");
        assert_close(s.cpm, 10.0, "spring CPM 150/15000×1000");

        // summer: 0 leads and 0 views make CPL and CPV undefined (null), not 0.
        let m = &c[1].figures;
        assert_close(m.ctr, 1.0, "summer CTR 40/4000×100");
        assert_close(m.cpc, 2.0, "summer CPC 80/40");
        assert_eq!((m.cpl, m.cpv), (None, None));
        assert_close(m.cpm, 20.0, "summer CPM 80/4000×1000");

        // Totals: 230.0 spent, 19000 imp, 340 clicks, 15 leads, 2000 views.
        let t = &r.ads.totals;
        assert_eq!(
            (t.spend, t.impressions, t.clicks, t.leads, t.video_views),
            (230.0, 19_000, 340, 15, 2000)
        );
        assert_close(t.ctr, 1.789473684210526, "CTR 340/19000×100");
        assert_close(t.cpc, 0.6764705882352942, "CPC 230/340");
        assert_close(t.cpl, 15.333333333333334, "CPL 230/15");
        assert_close(t.cpv, 0.115, "CPV 230/2000");
        assert_close(t.cpm, 12.105263157894736, "CPM 230/19000×1000");

        // The JSON shape: totals at the top of `ads`, campaigns with the same keys.
        let v = serde_json::to_value(&r.ads)?;
        for key in [
            "spend",
            "impressions",
            "clicks",
            "leads",
            "video_views",
            "ctr",
            "cpc",
            "cpl",
            "cpv",
            "cpm",
            "campaigns",
        ] {
            assert!(v.get(key).is_some(), "ads.{key} missing");
        }
        assert_eq!(v["campaigns"][1]["cpl"], serde_json::Value::Null);
        assert_eq!(v["campaigns"][1]["campaign"], "summer");

        // All data adds March: spring 1150.0 spent.
        let all = build_report(&store, &pr, None, None).await?;
        assert_eq!(all.ads.campaigns[0].figures.spend, 1150.0);
        // No ads in the period: zero totals, undefined ratios, no campaigns.
        let none = build_report(&store, &pr, Some(day("2026-05-01")), None).await?;
        assert_eq!(
            (none.ads.totals.spend, none.ads.totals.clicks, none.ads.totals.ctr),
            (0.0, 0, None)
        );
        assert!(none.ads.campaigns.is_empty());
        Ok(())
    })
    .await;
}
