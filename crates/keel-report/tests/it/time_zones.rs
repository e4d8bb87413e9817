//! A project's days are the local days of its time zone: a report's `from ..= to`, a post's
//! publication day (and so the follower count its ER is taken against), the daily series,
//! the leads of the funnel and a metric's day-by-day points. Checked at the day boundary
//! in Europe/Moscow (UTC+3 all year) and across the end of daylight saving in
//! America/New_York (2026-11-01: EDT −4 until 06:00 UTC, then EST −5), against the same
//! rows read in UTC; every figure worked out by hand in the comments.

use keel_domain::goals::Metric;
use keel_domain::metrics::funnel::Stage;
use keel_report::metric_series::metric_series;
use keel_report::series::build_analytics;
use keel_report::{Report, build_report};
use keel_store::Store;
use keel_store::projects::Project;

use crate::fixtures::{Post, assert_close, day, insert_daily, insert_lead, insert_post, project};
use crate::harness::on_both;

/// Moves `pr` to `zone` (recounting its day sums) and reads it back as the report sees it.
async fn in_zone(store: &Store, pr: &Project, zone: &str) -> anyhow::Result<Project> {
    store.set_project_time_zone(pr.id(), zone).await?;
    Ok(store.project_by_id(pr.id()).await?)
}

fn post(id: &str, at: &'static str, likes: i64) -> Post {
    Post {
        platform: "vk",
        account: "club",
        id: id.to_owned(),
        at,
        likes: Some(likes),
        ..Post::default()
    }
}

fn ids(r: &Report) -> Vec<&str> {
    r.posts.iter().map(|p| p.post_id.as_str()).collect()
}

fn leads_to_deals_trials(r: &Report) -> i64 {
    r.funnel
        .iter()
        .find(|s| s.result.stage == Stage::LeadsToDeals)
        .map_or(-1, |s| s.trials)
}

#[tokio::test]
async fn a_moscow_day_begins_at_21_utc() {
    on_both("tz_moscow", |store| async move {
        let pr = project(&store, "2026-10-01").await?;
        insert_daily(&store, &pr, ("vk", "club"), day("2026-10-31"), Some(1000)).await?;
        insert_daily(&store, &pr, ("vk", "club"), day("2026-11-01"), Some(2000)).await?;
        // 23:00 on 31 October in Moscow; 01:30 on 1 November in Moscow (22:30 UTC the day before).
        insert_post(&store, &pr, &post("late-october", "2026-10-31T20:00:00Z", 10)).await?;
        insert_post(&store, &pr, &post("early-november", "2026-10-31T22:30:00Z", 40)).await?;
        insert_lead(&store, &pr, "l-oct", "2026-10-31T20:30:00Z", "new").await?;
        insert_lead(&store, &pr, "l-nov", "2026-10-31T21:30:00Z", "won").await?;
        let november = (Some(day("2026-11-01")), Some(day("2026-11-30")));
        let october = (Some(day("2026-10-01")), Some(day("2026-10-31")));

        // In UTC both posts and both leads are October's; each post's ER is against 31 October's
        // 1000 followers: 10 / 1000 × 100 = 1.0 and 40 / 1000 × 100 = 4.0.
        let utc = build_report(&store, &pr, october.0, october.1).await?;
        assert_eq!(ids(&utc), ["late-october", "early-november"]);
        assert_close(utc.posts[1].er, 4.0, "UTC: 40 / 1000");
        assert_eq!(leads_to_deals_trials(&utc), 2);
        assert!(
            build_report(&store, &pr, november.0, november.1)
                .await?
                .posts
                .is_empty()
        );

        // In Moscow the second post and lead are November's; its ER is against 1 November's
        // 2000 followers: 40 / 2000 × 100 = 2.0.
        let pr = in_zone(&store, &pr, "Europe/Moscow").await?;
        let nov = build_report(&store, &pr, november.0, november.1).await?;
        assert_eq!(ids(&nov), ["early-november"]);
        assert_close(nov.posts[0].er, 2.0, "Moscow: 40 / 2000");
        assert_eq!(leads_to_deals_trials(&nov), 1);
        let oct = build_report(&store, &pr, october.0, october.1).await?;
        assert_eq!(ids(&oct), ["late-october"]);
        assert_eq!(leads_to_deals_trials(&oct), 1);

        // The analytics (day sums recounted in the zone when it was set) agree.
        let a = build_analytics(&store, &pr, november.0, november.1, 5).await?;
        let days = &a.series[0].days;
        assert_eq!(
            (days[0].date, days[0].posts, days[0].interactions),
            (day("2026-11-01"), 1, 40)
        );
        assert_close(days[0].daily_er, 2.0, "Moscow daily ER of 1 November");
        assert_eq!(
            a.best_posts.iter().map(|p| p.post_id.as_str()).collect::<Vec<_>>(),
            ["early-november"]
        );

        // A metric's points are local days too: interactions 10 on 31 October, 40 on 1 November.
        let series = metric_series(&store, &pr, Metric::Interactions).await?;
        let points: Vec<_> = series.days().iter().map(|d| (d.date, d.num)).collect();
        assert_eq!(points, [(day("2026-10-31"), 10.0), (day("2026-11-01"), 40.0)]);
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn new_york_days_follow_the_end_of_daylight_saving() {
    on_both("tz_new_york", |store| async move {
        let pr = project(&store, "2026-10-01").await?;
        // 23:30 EDT on 31 October; 00:30 EDT and 23:30 EST on 1 November (a 25-hour day);
        // 00:30 EST on 2 November.
        insert_post(&store, &pr, &post("n0", "2026-11-01T03:30:00Z", 1)).await?;
        insert_post(&store, &pr, &post("n1", "2026-11-01T04:30:00Z", 2)).await?;
        insert_post(&store, &pr, &post("n2", "2026-11-02T04:30:00Z", 4)).await?;
        insert_post(&store, &pr, &post("n3", "2026-11-02T05:30:00Z", 8)).await?;
        insert_daily(&store, &pr, ("vk", "club"), day("2026-11-01"), Some(100)).await?;
        let pr = in_zone(&store, &pr, "America/New_York").await?;
        let first = Some(day("2026-11-01"));

        let r = build_report(&store, &pr, first, first).await?;
        assert_eq!(ids(&r), ["n1", "n2"]);
        // Both against 1 November's 100 followers: 2 % and 4 %.
        assert_close(r.posts[0].er, 2.0, "n1");
        assert_close(r.posts[1].er, 4.0, "n2");

        let a = build_analytics(&store, &pr, first, first, 5).await?;
        let d = &a.series[0].days[0];
        // (2 + 4) / 100 × 100 = 6.
        assert_eq!((d.date, d.posts, d.interactions), (day("2026-11-01"), 2, 6));
        assert_close(d.daily_er, 6.0, "New York daily ER of 1 November");

        let series = metric_series(&store, &pr, Metric::Interactions).await?;
        let points: Vec<_> = series.days().iter().map(|d| (d.date, d.num)).collect();
        assert_eq!(
            points,
            [
                (day("2026-10-31"), 1.0),
                (day("2026-11-01"), 6.0),
                (day("2026-11-02"), 8.0)
            ]
        );
        Ok(())
    })
    .await;
}
