//! The `bot_spikes` section: a follower purchase in a 60-day series.

use chrono::Days;
use keel_report::build_report;
use keel_store::Store;
use keel_store::projects::Project;

use crate::fixtures::{Post, assert_close, day, insert_daily, insert_post_at, midnight_plus, project};
use crate::harness::on_both;

/// Followers of day k (k = 0 … 59, day 0 = 2026-03-01): F_0 = 10 000, then daily gains
/// g_k = 20 + (k mod 3), except g_40 = 1020 on 2026-04-10 (the purchase).
fn followers(k: u64) -> i64 {
    (1..=k).fold(10_000, |f, j| f + if j == 40 { 1020 } else { 20 + (j % 3) as i64 })
}

/// Two accounts with that same series and one post a day on days 1 … 59: "bought" posts
/// 200 interactions a day before day 40 and 100 from it on (real followers would keep
/// ER up); "viral" posts 200 before and 300 after (the jump brought real people).
pub async fn spikes_fixture(store: &Store) -> anyhow::Result<Project> {
    let pr = project(store, "2026-03-01").await?;
    for (account, after) in [("bought", 100), ("viral", 300)] {
        for k in 0..60u64 {
            let date = day("2026-03-01") + Days::new(k);
            insert_daily(store, &pr, ("instagram", account), date, Some(followers(k))).await?;
            if k >= 1 {
                let post = Post {
                    platform: "instagram",
                    account,
                    id: format!("{account}-{k}"),
                    likes: Some(if k < 40 { 200 } else { after }),
                    ..Post::default()
                };
                insert_post_at(store, &pr, &post, midnight_plus(date, 12)).await?;
            }
        }
    }
    Ok(pr)
}

#[tokio::test]
async fn a_follower_purchase_is_flagged() {
    on_both("a_follower_purchase_is_flagged", |store| async move {
        let pr = spikes_fixture(&store).await?;
        let r = build_report(&store, &pr, None, None).await?;
        assert_eq!(r.bot_spikes.len(), 1, "{:?}", r.bot_spikes);
        let s = &r.bot_spikes[0];
        assert_eq!((s.platform.as_str(), s.account.as_str()), ("instagram", "bought"));
        assert_eq!(s.date, day("2026-04-10"));
        assert_eq!(s.gain, 1020);
        // The 28 gains before day 40 are days 12 … 39: ten 20s (k ≡ 0), nine 21s, nine 22s.
        // Median m = mean of the 14th and 15th = (21 + 21) / 2 = 21; deviations: nineteen 1s
        // and nine 0s, MAD = 1; threshold 6 × max(1 × 1.4826, 1) = 8.8956.
        // excess = 1020 − 21 = 999 > 8.8956, and 1020 > 0.005 × F_39 = 0.005 × 10 819.
        assert_eq!(s.excess, 999.0);
        // er_before = mean over k = 26 … 39 of 200 / F_k × 100; er_after = mean over
        // k = 41 … 54 of 100 / F_k × 100 (values from python3 over the same series):
        let mean = |ks: std::ops::RangeInclusive<u64>, i: f64| {
            ks.clone().map(|k| i / followers(k) as f64 * 100.0).sum::<f64>() / ks.count() as f64
        };
        assert_close(s.er_before, mean(26..=39, 200.0), "er_before");
        assert_close(s.er_before, 1.872275783567481, "er_before (python3)");
        assert_close(s.er_after, mean(41..=54, 100.0), "er_after");
        assert_close(s.er_after, 0.833593109552911, "er_after (python3)");
        // "viral" has the same jump, but its ER after (2.500779328658733) did not drop.

        let json = serde_json::to_value(&r.bot_spikes)?;
        assert_eq!(json[0]["date"], "2026-04-10");
        assert_eq!(json[0]["account"], "bought");
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn spikes_use_history_outside_the_period_but_report_inside_only() {
    on_both("spikes_history_outside_period", |store| async move {
        let pr = spikes_fixture(&store).await?;
        // The 28 baseline gains lie before 04-01 and the 14 days after lie after 04-10:
        // both are read, and the spike is reported with the same figures.
        let r = build_report(&store, &pr, Some(day("2026-04-01")), Some(day("2026-04-10"))).await?;
        assert_eq!(r.bot_spikes.len(), 1);
        assert_eq!(
            (r.bot_spikes[0].date, r.bot_spikes[0].excess),
            (day("2026-04-10"), 999.0)
        );
        assert_close(r.bot_spikes[0].er_after, 0.833593109552911, "er_after");
        // A period that ends the day before, or starts the day after: no spike.
        let r = build_report(&store, &pr, Some(day("2026-04-01")), Some(day("2026-04-09"))).await?;
        assert!(r.bot_spikes.is_empty());
        let r = build_report(&store, &pr, Some(day("2026-04-11")), None).await?;
        assert!(r.bot_spikes.is_empty());
        Ok(())
    })
    .await;
}
