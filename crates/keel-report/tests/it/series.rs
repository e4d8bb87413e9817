//! The analytics series (`keel_report::series`): day-by-day figures, the best and worst
//! posts by ER, and the summary report, checked by hand on the engagement fixture and
//! against the full report (`build_report`) on a larger generated one.

use chrono::Days;
use keel_report::series::{Analytics, build_analytics, build_summary, data_span};
use keel_report::{PostRow, Report, build_report};
use keel_store::Store;
use keel_store::projects::Project;

use crate::engagement::engagement_fixture;
use crate::fixtures::{Post, assert_close, day, insert_daily, insert_post_at, midnight_plus, project};
use crate::harness::on_both;

#[tokio::test]
async fn each_account_gets_its_days_with_posts_and_daily_er() {
    on_both("series_days", |store| async move {
        let pr = engagement_fixture(&store).await?;
        let a = build_analytics(&store, &pr, None, None, 3).await?;
        let accounts: Vec<_> = a
            .series
            .iter()
            .map(|s| format!("{}/{}", s.platform, s.account))
            .collect();
        assert_eq!(accounts, ["instagram/alpha", "telegram/gamma", "vk/beta", "vk/delta"]);

        let alpha = &a.series[0].days;
        let dates: Vec<String> = alpha.iter().map(|d| d.date.to_string()).collect();
        // 01-05 has a post (a3) but no daily row: it is a day of the series all the same.
        assert_eq!(
            dates,
            ["2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04", "2026-01-05"]
        );
        assert_eq!(
            (alpha[0].followers, alpha[0].posts, alpha[0].interactions),
            (Some(1000), 1, 50)
        );
        assert_close(alpha[0].daily_er, 5.0, "alpha 01-01 daily ER");
        // a2 at 23:30 UTC belongs to 01-02: 20 / 1010 × 100.
        assert_close(alpha[1].daily_er, 1.9801980198019802, "alpha 01-02 daily ER");
        // No posts: no daily ER (not 0). Posts but no follower count: none either.
        assert_eq!((alpha[2].posts, alpha[2].daily_er), (0, None));
        assert_eq!((alpha[4].posts, alpha[4].followers, alpha[4].daily_er), (1, None, None));
        assert_eq!(alpha[0].post_reach, 500);

        let beta = &a.series[2].days;
        assert_close(beta[0].daily_er, 5.0, "beta 01-01");
        assert_eq!((beta[1].followers, beta[1].daily_er), (None, None));
        assert_close(beta[2].daily_er, 2.0, "beta 01-03: 11 / 550");
        let gamma = &a.series[1].days;
        assert_eq!((gamma.len(), gamma[0].followers, gamma[0].posts), (1, Some(0), 0));

        // Best: a1 and b1 tie at 5.0 (same instant; instagram before vk), then a3 at 2.5.
        assert_eq!(ids(&a.best_posts), ["a1", "b1", "a3"]);
        // Worst: a2 1.98, b3 2.0, a3 2.5; b2 and d1 have no ER and are not ranked.
        assert_eq!(ids(&a.worst_posts), ["a2", "b3", "a3"]);
        assert_close(a.worst_posts[0].er, 1.9801980198019802, "a2 ER");
        assert_same_as_report(&store, &pr, None, None, 3).await
    })
    .await;
}

#[tokio::test]
async fn the_series_keep_to_the_period() {
    on_both("series_period", |store| async move {
        let pr = engagement_fixture(&store).await?;
        let a = build_analytics(&store, &pr, Some(day("2026-01-02")), Some(day("2026-01-03")), 5).await?;
        let alpha = &a.series[0].days;
        assert_eq!(alpha.len(), 2);
        assert_eq!(ids(&a.best_posts), ["b3", "a2"]);
        assert_same_as_report(&store, &pr, Some(day("2026-01-02")), Some(day("2026-01-03")), 5).await?;
        // Nothing in the period: empty everything, no error.
        let empty = build_analytics(&store, &pr, Some(day("2027-01-01")), None, 5).await?;
        assert!(empty.series.is_empty() && empty.best_posts.is_empty() && empty.report.accounts.is_empty());
        assert!(
            build_analytics(&store, &pr, Some(day("2026-01-03")), Some(day("2026-01-02")), 5)
                .await
                .is_err()
        );
        assert_eq!(
            data_span(&store, &pr).await?,
            Some((day("2026-01-01"), day("2026-01-05")))
        );
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn the_summary_is_the_report_without_its_posts() {
    on_both("series_summary", |store| async move {
        let pr = many_posts(&store).await?;
        let summary = build_summary(&store, &pr, None, None).await?;
        assert!(summary.posts.is_empty());
        assert_eq!(summary.accounts.len(), 2);
        for n in [1, 3, 7, 40] {
            assert_same_as_report(&store, &pr, None, None, n).await?;
        }
        assert_same_as_report(&store, &pr, Some(day("2026-02-03")), Some(day("2026-02-06")), 4).await
    })
    .await;
}

/// Two accounts over ten days, six posts a day each, with interactions that repeat (ties)
/// and follower counts from the daily row (days 0–6), from the posts themselves (days 7–8:
/// no daily row), or 0 (day 9 of `two`: every ER undefined).
async fn many_posts(store: &Store) -> anyhow::Result<Project> {
    let pr = project(store, "2026-02-01").await?;
    for (account, base) in [("one", 1000), ("two", 4000)] {
        for k in 0..10u64 {
            let date = day("2026-02-01") + Days::new(k);
            let followers = base + 10 * k as i64;
            if k < 7 {
                insert_daily(store, &pr, ("instagram", account), date, Some(followers)).await?;
            } else if k == 9 && account == "two" {
                insert_daily(store, &pr, ("instagram", account), date, Some(0)).await?;
            }
            for j in 0..6u32 {
                let post = Post {
                    platform: "instagram",
                    account,
                    id: format!("{account}-{k}-{j}"),
                    likes: Some(((k * 37 + u64::from(j) * 11) % 23) as i64 * 5),
                    comments: Some(i64::from(j % 2)),
                    reach: (j != 3).then_some(500),
                    views: (j % 2 == 0).then_some(800),
                    followers: Some(followers + i64::from(j)),
                    ..Post::default()
                };
                insert_post_at(store, &pr, &post, midnight_plus(date, 2 + 3 * j)).await?;
            }
        }
    }
    Ok(pr)
}

fn ids(posts: &[PostRow]) -> Vec<&str> {
    posts.iter().map(|p| p.post_id.as_str()).collect()
}

/// The analytics agree with the full report: every section but `posts` (rates to 1e-9),
/// the series sum to the accounts' posts and interactions, and the rankings are the
/// report's posts sorted by ER (stable, so ties keep report order).
async fn assert_same_as_report(
    store: &Store,
    pr: &Project,
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
    n: u32,
) -> anyhow::Result<()> {
    let full: Report = build_report(store, pr, from, to).await?;
    let a: Analytics = build_analytics(store, pr, from, to, n).await?;
    let r = &a.report;
    assert!(r.posts.is_empty());
    assert_eq!((&r.project, r.period), (&full.project, full.period));
    assert_eq!(
        (&r.bot_spikes, &r.ads, &r.funnel),
        (&full.bot_spikes, &full.ads, &full.funnel)
    );
    assert_eq!(r.accounts.len(), full.accounts.len());
    for (got, want) in r.accounts.iter().zip(&full.accounts) {
        let what = format!("{}/{}", want.platform, want.account);
        assert_eq!(
            (
                &got.platform,
                &got.account,
                got.followers_start,
                got.followers_end,
                got.posts,
                got.interactions
            ),
            (
                &want.platform,
                &want.account,
                want.followers_start,
                want.followers_end,
                want.posts,
                want.interactions
            ),
            "{what}"
        );
        for (g, w, name) in [
            (got.follower_growth_pct, want.follower_growth_pct, "growth"),
            (got.er_followers, want.er_followers, "ER"),
            (got.err_reach, want.err_reach, "ERR"),
            (got.er_views, want.er_views, "ERV"),
        ] {
            match w {
                Some(w) => assert_close(g, w, &format!("{what} {name}")),
                None => assert_eq!(g, None, "{what} {name}"),
            }
        }
        let series = a
            .series
            .iter()
            .find(|s| s.platform == want.platform && s.account == want.account)
            .expect("a series per account");
        let posts: i64 = series.days.iter().map(|d| d.posts).sum();
        let interactions: i64 = series.days.iter().map(|d| d.interactions).sum();
        assert_eq!((posts, interactions), (want.posts, want.interactions), "{what} series");
    }

    let mut rated: Vec<&PostRow> = full.posts.iter().filter(|p| p.er.is_some()).collect();
    rated.sort_by(|x, y| y.er.partial_cmp(&x.er).expect("finite ER"));
    let best: Vec<&str> = rated.iter().take(n as usize).map(|p| p.post_id.as_str()).collect();
    assert_eq!(ids(&a.best_posts), best, "best {n}");
    let mut worst: Vec<&PostRow> = full.posts.iter().filter(|p| p.er.is_some()).collect();
    worst.sort_by(|x, y| x.er.partial_cmp(&y.er).expect("finite ER"));
    let worst: Vec<&str> = worst.iter().take(n as usize).map(|p| p.post_id.as_str()).collect();
    assert_eq!(ids(&a.worst_posts), worst, "worst {n}");
    for p in a.best_posts.iter().chain(&a.worst_posts) {
        let same = full
            .posts
            .iter()
            .find(|q| q.post_id == p.post_id)
            .expect("a post of the report");
        assert_eq!(p, same, "ranked post {} as in the report", p.post_id);
    }
    Ok(())
}
