//! The `accounts` section, on the engagement fixture (`engagement`).

use crate::engagement::engagement_fixture;
use crate::fixtures::{assert_close, day};
use crate::harness::on_both;
use keel_report::{AccountRow, build_report};

fn find<'a>(rows: &'a [AccountRow], platform: &str, account: &str) -> &'a AccountRow {
    rows.iter()
        .find(|r| r.platform == platform && r.account == account)
        .unwrap_or_else(|| panic!("account {platform}/{account} missing"))
}

#[tokio::test]
async fn accounts_over_all_data() {
    on_both("accounts_over_all_data", |store| async move {
        let pr = engagement_fixture(&store).await?;
        let r = build_report(&store, &pr, None, None).await?;
        let names: Vec<_> = r
            .accounts
            .iter()
            .map(|a| format!("{}/{}", a.platform, a.account))
            .collect();
        // The union of accounts with posts or daily rows, by platform then account.
        assert_eq!(names, ["instagram/alpha", "telegram/gamma", "vk/beta", "vk/delta"]);

        let a = find(&r.accounts, "instagram", "alpha");
        // Followers 1000 (01-01) → 1040 (01-04): (1040 − 1000) / 1000 × 100 = 4.0
        assert_eq!((a.followers_start, a.followers_end), (Some(1000), Some(1040)));
        assert_close(a.follower_growth_pct, 4.0, "alpha growth");
        // 3 posts, I = 50 + 20 + 30 = 100
        assert_eq!((a.posts, a.interactions), (3, 100));
        // ER = mean(5.0, 1.9801980198019802, 2.5) = 3.16006600660066
        assert_close(a.er_followers, 3.16006600660066, "alpha ER");
        // ERR = (50 + 20) / (500 + 400) × 100 = 7.777777777777778 (a3 has reach 0)
        assert_close(a.err_reach, 7.777777777777778, "alpha ERR");
        // ERV = (50 + 30) / (1000 + 600) × 100 = 5.0 (a2 has no views)
        assert_close(a.er_views, 5.0, "alpha ERV");

        let b = find(&r.accounts, "vk", "beta");
        // 500 (01-01) → 550 (01-03): +10 %
        assert_eq!((b.followers_start, b.followers_end), (Some(500), Some(550)));
        assert_close(b.follower_growth_pct, 10.0, "beta growth");
        // I = 25 + 5 + 11 = 41; ER = mean(5.0, 2.0) = 3.5 (b2 skipped: followers unknown)
        assert_eq!((b.posts, b.interactions), (3, 41));
        assert_close(b.er_followers, 3.5, "beta ER");
        // ERR = (25 + 11) / (250 + 110) × 100 = 10.0; ERV = 11 / 220 × 100 = 5.0
        assert_close(b.err_reach, 10.0, "beta ERR");
        assert_close(b.er_views, 5.0, "beta ERV");

        // gamma: 0 followers: growth from 0 is undefined; no posts: no rates (null, not 0).
        let g = find(&r.accounts, "telegram", "gamma");
        assert_eq!(
            (g.followers_start, g.followers_end, g.follower_growth_pct),
            (Some(0), Some(0), None)
        );
        assert_eq!(
            (g.posts, g.interactions, g.er_followers, g.err_reach, g.er_views),
            (0, 0, None, None, None)
        );

        // delta: a post but no daily rows and no followers, reach or views.
        let d = find(&r.accounts, "vk", "delta");
        assert_eq!(
            (d.followers_start, d.followers_end, d.follower_growth_pct),
            (None, None, None)
        );
        assert_eq!(
            (d.posts, d.interactions, d.er_followers, d.err_reach, d.er_views),
            (1, 7, None, None, None)
        );
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn accounts_over_a_period() {
    on_both("accounts_over_a_period", |store| async move {
        let pr = engagement_fixture(&store).await?;
        let r = build_report(&store, &pr, Some(day("2026-01-02")), Some(day("2026-01-03"))).await?;
        let names: Vec<_> = r.accounts.iter().map(|a| a.account.as_str()).collect();
        // delta's only post is on 01-04: outside, and it has no daily rows.
        assert_eq!(names, ["alpha", "gamma", "beta"]);

        let a = find(&r.accounts, "instagram", "alpha");
        // 1010 (01-02) → 1020 (01-03): 10 / 1010 × 100 = 0.9900990099009901
        assert_eq!((a.followers_start, a.followers_end), (Some(1010), Some(1020)));
        assert_close(a.follower_growth_pct, 0.9900990099009901, "alpha growth");
        // Only a2 (23:30 on 01-02): I 20, ER 1.9801980198019802, ERR 5.0, no views.
        assert_eq!((a.posts, a.interactions), (1, 20));
        assert_close(a.er_followers, 1.9801980198019802, "alpha ER");
        assert_close(a.err_reach, 5.0, "alpha ERR");
        assert_eq!(a.er_views, None);

        let b = find(&r.accounts, "vk", "beta");
        // 01-02's row has no follower count, so the first known day is 01-03: 550 → 550.
        assert_eq!((b.followers_start, b.followers_end), (Some(550), Some(550)));
        assert_eq!(b.follower_growth_pct, Some(0.0));
        // b2 + b3: I 5 + 11 = 16; ER = 2.0 (b2 skipped); ERR 11/110 = 10.0; ERV 11/220 = 5.0
        assert_eq!((b.posts, b.interactions), (2, 16));
        assert_close(b.er_followers, 2.0, "beta ER");
        assert_close(b.err_reach, 10.0, "beta ERR");
        assert_close(b.er_views, 5.0, "beta ERV");
        Ok(())
    })
    .await;
}
