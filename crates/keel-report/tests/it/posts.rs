//! The `posts` section on the engagement fixture (`accounts::engagement_fixture`).

use keel_report::build_report;

use crate::engagement::engagement_fixture;
use crate::fixtures::{assert_close, day};
use crate::harness::on_both;

#[tokio::test]
async fn posts_in_report_order_with_their_rates() {
    on_both("posts_in_report_order", |store| async move {
        let pr = engagement_fixture(&store).await?;
        let r = build_report(&store, &pr, None, None).await?;
        let order: Vec<_> = r.posts.iter().map(|p| p.post_id.as_str()).collect();
        // By time; a1 and b1 share 01-01T10:00Z and are ordered by platform (instagram < vk).
        assert_eq!(order, ["a1", "b1", "b2", "a2", "b3", "d1", "a3"]);
        let json = serde_json::to_value(&r.posts[0])?;
        assert_eq!(json["published_at"], "2026-01-01T10:00:00Z");
        assert_eq!(json["platform"], "instagram");

        let p = |id: &str| r.posts.iter().find(|p| p.post_id == id).expect("post");
        // a1: I 50 over 1000 daily followers (own 990 ignored), reach 500, views 1000.
        assert_eq!(p("a1").interactions, 50);
        assert_close(p("a1").er, 5.0, "a1 ER");
        assert_close(p("a1").err, 10.0, "a1 ERR");
        assert_close(p("a1").erv, 5.0, "a1 ERV");
        // b1: views 0 → ERV undefined, not 0.
        assert_eq!((p("b1").interactions, p("b1").erv), (25, None));
        assert_close(p("b1").er, 5.0, "b1 ER");
        // b2: daily row without followers and no own followers: ER unknown.
        assert_eq!(
            (p("b2").interactions, p("b2").er, p("b2").err, p("b2").erv),
            (5, None, None, None)
        );
        // a2: 20 / 1010 × 100
        assert_close(p("a2").er, 1.9801980198019802, "a2 ER");
        // b3: daily 550 wins over own 9999: 11 / 550 × 100 = 2.0
        assert_close(p("b3").er, 2.0, "b3 ER");
        // a3: no daily row on 01-05, own followers 1200: 30 / 1200 × 100 = 2.5; reach 0.
        assert_close(p("a3").er, 2.5, "a3 ER");
        assert_eq!(p("a3").err, None);
        assert_eq!((p("d1").interactions, p("d1").er), (7, None));
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn the_period_holds_whole_utc_days() {
    on_both("the_period_holds_whole_utc_days", |store| async move {
        let pr = engagement_fixture(&store).await?;
        // 01-02 ..= 01-02 keeps b2 (12:00) and a2 (23:30), nothing of 01-01 or 01-03.
        let r = build_report(&store, &pr, Some(day("2026-01-02")), Some(day("2026-01-02"))).await?;
        let order: Vec<_> = r.posts.iter().map(|p| p.post_id.as_str()).collect();
        assert_eq!(order, ["b2", "a2"]);
        // Open start, closed end; and open end, closed start.
        let r = build_report(&store, &pr, None, Some(day("2026-01-01"))).await?;
        assert_eq!(r.posts.len(), 2);
        let r = build_report(&store, &pr, Some(day("2026-01-04")), None).await?;
        let order: Vec<_> = r.posts.iter().map(|p| p.post_id.as_str()).collect();
        assert_eq!(order, ["d1", "a3"]);
        // A period after all data: empty lists, undefined rates, no error.
        let r = build_report(&store, &pr, Some(day("2027-01-01")), Some(day("2027-01-31"))).await?;
        assert!(r.posts.is_empty() && r.accounts.is_empty() && r.bot_spikes.is_empty());
        // from after to is refused.
        assert!(
            build_report(&store, &pr, Some(day("2026-01-03")), Some(day("2026-01-02")))
                .await
                .is_err()
        );
        Ok(())
    })
    .await;
}
