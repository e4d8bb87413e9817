//! A demo project's iCal feed as a calendar app reads it (the `ical` crate): its dated,
//! committed posts with their state, and its meetings; a revoked feed is gone.

use crate::helpers::*;
use chrono::{DateTime, Duration, NaiveDateTime, TimeZone, Utc};
use reqwest::StatusCode;
use std::io::BufReader;

struct Event {
    uid: String,
    summary: String,
    start: DateTime<Utc>,
    end: Option<DateTime<Utc>>,
    status: String,
}

fn events(body: &str) -> Vec<Event> {
    let mut calendars = ical::IcalParser::new(BufReader::new(body.as_bytes()));
    let calendar = calendars.next().expect("one calendar").expect("the feed parses");
    let time = |v: &str| Utc.from_utc_datetime(&NaiveDateTime::parse_from_str(v, "%Y%m%dT%H%M%SZ").unwrap());
    calendar
        .events
        .iter()
        .map(|e| {
            let prop = |name: &str| {
                e.properties
                    .iter()
                    .find(|p| p.name == name)
                    .and_then(|p| p.value.clone())
            };
            Event {
                uid: prop("UID").unwrap(),
                summary: prop("SUMMARY").unwrap().replace("\\,", ",").replace("\\;", ";"),
                start: time(&prop("DTSTART").unwrap()),
                end: prop("DTEND").map(|v| time(&v)),
                status: prop("STATUS").unwrap_or_default(),
            }
        })
        .collect()
}

on_both_backends! {
    async fn a_demo_projects_feed_holds_its_dated_posts_and_meetings(backend) {
        let Some(app) = TestApp::demo(backend, "calendar_feed").await else { return };
        let org = app.store.ensure_org(keel::demo::DEMO_ORG_SLUG, "Demo Agency").await.unwrap();
        let project = app.store.project_by_slug(org.id(), "client-a").await.unwrap().unwrap();
        let owner = app.store.user_by_email(&keel_domain::Email::parse("agency@demo.local").unwrap()).await.unwrap().unwrap().id();
        let (feed_id, secret) = app.store.create_ical_feed(org.id(), project.id(), "phone", owner).await.unwrap();
        let response = reqwest::get(app.url(&format!("/ical/{secret}.ics"))).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let all = events(&response.text().await.unwrap());

        // Posts: the demo's approved, scheduled and published client-a posts — no drafts, no
        // posts in review or sent back, no failed post.
        let mut posts: Vec<&str> = all.iter().filter(|e| e.uid.starts_with("post-")).map(|e| e.summary.as_str()).collect();
        posts.sort_unstable();
        assert_eq!(posts, vec![
            "[Approved] Brewing guide #3: the AeroPress, upside down. (Telegram)",
            "[Published] Behind the scenes: a 12 kg batch leaving the drum. (Instagram)",
            // Summaries carry the first 60 characters of the text.
            "[Scheduled] Cupping session on Saturday, 11:00 — free entry, bring a fri… (VK, Telegram)",
        ]);
        for post in all.iter().filter(|e| e.uid.starts_with("post-")) {
            assert_eq!(post.status, "CONFIRMED");
        }
        // Meetings: the biweekly status from 2026-09-01 10:00 UTC, 45 minutes each.
        let first = Utc.with_ymd_and_hms(2026, 9, 1, 10, 0, 0).unwrap();
        let meetings: Vec<&Event> = all.iter().filter(|e| e.uid.starts_with("meeting-")).collect();
        assert!(meetings.iter().any(|m| m.start > keel_store::now()), "an upcoming meeting");
        for m in &meetings {
            assert_eq!(m.summary, "Biweekly status");
            assert_eq!((m.start - first).num_seconds() % Duration::days(14).num_seconds(), 0, "on the schedule");
            assert_eq!(m.end, Some(m.start + Duration::minutes(45)));
        }
        let mut uids: Vec<&str> = all.iter().map(|e| e.uid.as_str()).collect();
        uids.dedup();
        assert_eq!(uids.len(), all.len(), "every event has its own uid");

        // Revoked: the address is gone.
        assert!(app.store.revoke_ical_feed(project.id(), feed_id).await.unwrap());
        assert_eq!(reqwest::get(app.url(&format!("/ical/{secret}.ics"))).await.unwrap().status(), StatusCode::NOT_FOUND);
    }
}
