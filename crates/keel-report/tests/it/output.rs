//! The streaming writers: JSON equal to `build_report`'s, and the CSV layout.

use keel_report::{build_report, write_report_csv, write_report_json};

use crate::engagement::engagement_fixture;
use crate::fixtures::{Ad, day, insert_ad, insert_lead};
use crate::harness::on_both;

#[tokio::test]
async fn streamed_json_equals_the_built_report() {
    on_both("streamed_json_equals_built", |store| async move {
        let pr = engagement_fixture(&store).await?;
        insert_ad(
            &store,
            &pr,
            &Ad {
                platform: "vk",
                campaign: "c".into(),
                date: "2026-01-02",
                spend: 12.5,
                impressions: Some(1000),
                clicks: Some(25),
                ..Ad::default()
            },
        )
        .await?;
        insert_lead(&store, &pr, "l1", "2026-01-02T08:00:00Z", "won").await?;
        for (from, to) in [(None, None), (Some(day("2026-01-02")), Some(day("2026-01-03")))] {
            let built = serde_json::to_string(&build_report(&store, &pr, from, to).await?)?;
            let mut out = Vec::new();
            write_report_json(&store, &pr, from, to, &mut out).await?;
            // Byte for byte (keys in the same order), plus the closing newline. Text, not
            // parsed values: serde_json's default parser may round the last digit.
            assert_eq!(String::from_utf8(out.clone())?, format!("{built}\n"));
            let streamed: serde_json::Value = serde_json::from_slice(&out)?;
            // Every key of PRODUCT.md's `keel report` is there.
            for key in ["accounts", "posts", "bot_spikes", "ads", "funnel", "goals"] {
                assert!(streamed.get(key).is_some(), "{key} missing");
            }
        }
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn csv_has_one_row_per_item_with_a_section_column() {
    on_both("csv_one_row_per_item", |store| async move {
        let pr = engagement_fixture(&store).await?;
        let mut out = Vec::new();
        write_report_csv(&store, &pr, None, None, &mut out).await?;
        let mut reader = csv::Reader::from_reader(out.as_slice());
        let header = reader.headers()?.clone();
        assert_eq!(&header[0], "section");
        let col = |name: &str| header.iter().position(|h| h == name).expect(name);
        let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>()?;
        let count = |s: &str| rows.iter().filter(|r| &r[0] == s).count();
        // 4 accounts, 7 posts, no spikes, the ads total, no campaigns, 3 funnel stages.
        assert_eq!(
            [
                count("account"),
                count("post"),
                count("bot_spike"),
                count("ads_total"),
                count("ads_campaign"),
                count("funnel")
            ],
            [4, 7, 0, 1, 0, 3]
        );
        // The first post (a1): ER 50 / 1000 × 100 = 5.0; the second (b1): ERV undefined,
        // an empty cell.
        let posts: Vec<_> = rows.iter().filter(|r| &r[0] == "post").collect();
        assert_eq!(&posts[0][col("post_id")], "a1");
        assert_eq!(&posts[0][col("published_at")], "2026-01-01T10:00:00Z");
        assert_eq!(posts[0][col("er")].parse::<f64>()?, 5.0);
        assert_eq!(&posts[1][col("erv")], "");
        let alpha = rows
            .iter()
            .find(|r| &r[0] == "account" && &r[col("account")] == "alpha")
            .expect("alpha");
        assert_eq!(&alpha[col("followers_start")], "1000");
        assert_eq!(alpha[col("follower_growth_pct")].parse::<f64>()?, 4.0);
        let stage = rows.iter().find(|r| &r[0] == "funnel").expect("stage");
        assert_eq!(
            (&stage[col("stage")], &stage[col("zone")]),
            ("impressions_to_clicks", "agency")
        );
        Ok(())
    })
    .await;
}
