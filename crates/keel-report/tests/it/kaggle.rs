//! Real data: the Kaggle "KAG_conversion_data.csv" Facebook ads (1143 ads of three
//! campaigns), loaded into `ad_stats` and checked against an independent pass over the
//! file. Skipped, with the reason printed, where the shared data folder is absent.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use chrono::Days;
use keel_report::build_report;

use crate::fixtures::{Ad, assert_close, day, insert_ad_on, project};
use crate::harness::on_both;

fn data_file() -> Option<PathBuf> {
    let root = std::env::var_os("KEEL_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    let file = root.join("facebook-ads/KAG_conversion_data.csv");
    file.is_file().then_some(file)
}

/// Per campaign (`xyz_campaign_id`): Σ Spent, Σ Impressions, Σ Clicks, Σ Total_Conversion,
/// summed here in file order, independently of the database.
fn expected(file: &PathBuf) -> anyhow::Result<BTreeMap<String, (f64, i64, i64, i64)>> {
    let mut sums = BTreeMap::new();
    for rec in csv::Reader::from_path(file)?.into_records() {
        let rec = rec?;
        let e = sums.entry(rec[1].to_owned()).or_insert((0.0, 0, 0, 0));
        e.0 += rec[8].parse::<f64>()?;
        e.1 += rec[6].parse::<i64>()?;
        e.2 += rec[7].parse::<i64>()?;
        e.3 += rec[9].parse::<i64>()?;
    }
    Ok(sums)
}

#[tokio::test]
async fn kaggle_facebook_ads_per_campaign() {
    let Some(file) = data_file() else {
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED kaggle_facebook_ads_per_campaign: facebook-ads/KAG_conversion_data.csv not \
             found under KEEL_SHARED_DATA or ../shared/data"
        );
        return;
    };
    on_both("kaggle_facebook_ads", |store| {
        let file = file.clone();
        async move {
            let pr = project(&store, "2017-08-01").await?;
            // The file has no dates, and ad_stats keys rows by (platform, campaign, date):
            // the n-th ad of a campaign is stored on 2017-08-17 + n days, so every ad of the
            // file is one row, and the report (all data) sums them all.
            let mut next_day: BTreeMap<String, u64> = BTreeMap::new();
            for rec in csv::Reader::from_path(&file)?.into_records() {
                let rec = rec?;
                let n = next_day.entry(rec[1].to_owned()).or_insert(0);
                let ad = Ad {
                    platform: "facebook",
                    campaign: rec[1].to_owned(),
                    spend: rec[8].parse()?,
                    impressions: Some(rec[6].parse()?),
                    clicks: Some(rec[7].parse()?),
                    leads: Some(rec[9].parse()?),
                    ..Ad::default()
                };
                insert_ad_on(&store, &pr, &ad, day("2017-08-17") + Days::new(*n)).await?;
                *n += 1;
            }

            let r = build_report(&store, &pr, None, None).await?;
            let want = expected(&file)?;
            // Campaigns sort as text: "1178" < "916" < "936".
            let names: Vec<_> = r.ads.campaigns.iter().map(|c| c.campaign.as_str()).collect();
            assert_eq!(names, ["1178", "916", "936"]);
            for c in &r.ads.campaigns {
                let (spend, imp, clicks, leads) = want[&c.campaign];
                let f = &c.figures;
                assert_close(Some(f.spend), spend, "spend");
                assert_eq!(
                    (f.impressions, f.clicks, f.leads, f.video_views),
                    (imp, clicks, leads, 0)
                );
                assert_close(f.ctr, clicks as f64 / imp as f64 * 100.0, "CTR");
                assert_close(f.cpc, spend / clicks as f64, "CPC");
                assert_close(f.cpl, spend / leads as f64, "CPL");
                assert_close(f.cpm, spend / imp as f64 * 1000.0, "CPM");
                assert_eq!(f.cpv, None, "no video views in the file");
            }
            // Totals as given in facebook-ads/SOURCE.txt: Impressions 213,434,828;
            // Clicks 38,165; Spent 58,705.23 (rounded); Total_Conversion 3,264.
            let t = &r.ads.totals;
            assert_eq!((t.impressions, t.clicks, t.leads), (213_434_828, 38_165, 3_264));
            assert!((t.spend - 58_705.23).abs() < 0.005, "total spend {}", t.spend);
            assert_close(t.cpc, t.spend / 38_165.0, "total CPC");
            assert_close(t.cpl, t.spend / 3_264.0, "total CPL");
            assert_close(t.ctr, 38_165.0 / 213_434_828.0 * 100.0, "total CTR");
            Ok(())
        }
    })
    .await;
}
