//! The notification settings page, Telegram linking from the web, and the project's calendar
//! feeds with the public iCal route — on both backends.

use crate::helpers::*;
use chrono::{TimeZone, Utc};
use keel_domain::calendar::{CalendarEntry, EntryStatus, EventEnd};
use keel_domain::notification::{Channel, NotificationKind};
use keel_domain::{Email, UserId};
use keel_store::ical_feeds::FeedTarget;
use keel_web::calendar_source::{CalendarSource, EntriesFuture};
use keel_web::{AppState, TelegramWeb, WebConfig};
use reqwest::StatusCode;
use std::sync::Arc;

const CSRF: &str = "abababababababababababababababababababababababababababababababab";

/// A signed-in browser for `email`, with a known CSRF cookie.
async fn signed_in(app: &TestApp, email: &str) -> (reqwest::Client, String) {
    let session = app.session(email).await;
    (TestApp::browser(), format!("keel_session={session}; keel_csrf={CSRF}"))
}

async fn user(app: &TestApp, email: &str) -> UserId {
    app.store
        .user_by_email(&Email::parse(email).unwrap())
        .await
        .unwrap()
        .unwrap()
        .id()
}

/// A calendar source standing in for the content plan (the workflow's side of the interface).
struct TwoPosts;

impl CalendarSource for TwoPosts {
    fn entries<'a>(&'a self, feed: &'a FeedTarget, base_url: &'a str) -> EntriesFuture<'a> {
        Box::pin(async move {
            let entry = |id: i64, summary: &str| CalendarEntry {
                uid: format!("post-{id}@keel.test"),
                starts_at: Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap(),
                end: EventEnd::After(chrono::Duration::minutes(30)),
                summary: summary.into(),
                description: String::new(),
                url: Some(format!("{base_url}/projects/{}/posts/{id}", feed.project_slug)),
                status: EntryStatus::Tentative,
                last_modified: Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap(),
            };
            Ok(vec![entry(1, "Зимнее меню, анонс"), entry(2, "Giveaway; rules")])
        })
    }
}

async fn app_with(backend: Backend, name: &str, telegram: bool) -> Option<TestApp> {
    let app = TestApp::with_state(backend, name, move |store| {
        AppState::new(
            store,
            WebConfig {
                public_url: Some("https://keel.agency.test".into()),
                telegram: telegram.then(|| TelegramWeb {
                    bot_username: Some("KeelTestBot".into()),
                }),
                ..Default::default()
            },
        )
        .with_calendar(Arc::new(TwoPosts))
    })
    .await?;
    keel::demo::fill(&app.store).await.unwrap();
    Some(app)
}

on_both_backends! {
    async fn a_user_chooses_kinds_channels_and_language(backend) {
        let Some(app) = TestApp::demo(backend, "notify_settings").await else { return };
        let (client, cookie) = signed_in(&app, "approver-a@demo.local").await;
        let page = client.get(app.url("/settings/notifications")).header("cookie", &cookie).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.unwrap();
        assert_eq!(html.matches("type=\"checkbox\"").count(), 24, "8 kinds × 3 channels");
        assert_eq!(html.matches(" checked>").count(), 8, "everything is on by default");
        assert_eq!(html.matches(" checked disabled>").count(), 16, "e-mail and Telegram are not set up here: shown, not changeable");
        assert!(html.contains("telegram_bot_token"), "Telegram is not configured here, and the page says so");
        assert!(html.contains("data-test=\"email-off\"") && html.contains("smtp_url"), "so is e-mail");

        let saved = client
            .post(app.url("/settings/notifications"))
            .header("cookie", &cookie)
            .form(&[("_csrf", CSRF), ("p.post_submitted.email", "on"), ("p.sla_missed.in_app", "on"), ("language", "ru")])
            .send()
            .await
            .unwrap();
        assert_eq!(saved.status(), StatusCode::SEE_OTHER);
        assert_eq!(saved.headers()["location"], "/settings/notifications?done=saved");
        let me = user(&app, "approver-a@demo.local").await;
        let grid = app.store.notification_preferences(me).await.unwrap();
        assert!(grid.wants(NotificationKind::SlaMissed, Channel::InApp));
        assert!(!grid.wants(NotificationKind::PostSubmitted, Channel::InApp));
        // Channels that are not set up keep what was stored (the disabled boxes are never sent).
        assert!(grid.wants(NotificationKind::PostSubmitted, Channel::Email));
        assert!(grid.wants(NotificationKind::CommentAdded, Channel::Telegram));
        assert_eq!(app.store.recipient(me).await.unwrap().notify_language.as_deref(), Some("ru"));
        let html = client.get(app.url("/settings/notifications?done=saved")).header("cookie", &cookie).send().await.unwrap().text().await.unwrap();
        assert_eq!(html.matches(" checked>").count(), 1);
        assert!(html.contains("<option value=\"ru\" selected>"));

        // No CSRF token, no change; a bad language is refused with the reason.
        let forged = client.post(app.url("/settings/notifications")).header("cookie", &cookie)
            .form(&[("_csrf", "x")]).send().await.unwrap();
        assert_eq!(forged.status(), StatusCode::BAD_REQUEST);
        assert_eq!(app.store.notification_preferences(me).await.unwrap(), grid);
        let bad = client.post(app.url("/settings/notifications")).header("cookie", &cookie)
            .form(&[("_csrf", CSRF), ("language", "de")]).send().await.unwrap();
        assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
        assert!(bad.text().await.unwrap().contains("`de`"));
        // Anonymous visitors are sent to the login page.
        let anonymous = TestApp::browser().get(app.url("/settings/notifications")).send().await.unwrap();
        assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
    }

    async fn linking_telegram_shows_a_one_time_code_and_a_bot_link(backend) {
        let Some(app) = app_with(backend, "notify_tg_web", true).await else { return };
        let (client, cookie) = signed_in(&app, "approver-a@demo.local").await;
        let html = client.post(app.url("/settings/notifications/telegram/code")).header("cookie", &cookie)
            .form(&[("_csrf", CSRF)]).send().await.unwrap().text().await.unwrap();
        let at = html.find("https://t.me/KeelTestBot?start=").expect("a t.me link");
        let code: String = html[at + 31..].chars().take_while(|c| c.is_ascii_hexdigit()).collect();
        assert_eq!(code.len(), 32, "{html}");
        assert!(html.contains(&format!("/start {code}")));
        // The bot redeems it (as the bot loop does on `/start CODE`).
        let me = user(&app, "approver-a@demo.local").await;
        assert_eq!(app.store.redeem_telegram_link_code(&code, 4242, Some("anna_a")).await.unwrap(), Some(me));
        let html = client.get(app.url("/settings/notifications")).header("cookie", &cookie).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("@anna_a"), "{html}");
        let unlinked = client.post(app.url("/settings/notifications/telegram/unlink")).header("cookie", &cookie)
            .form(&[("_csrf", CSRF)]).send().await.unwrap();
        assert_eq!(unlinked.status(), StatusCode::SEE_OTHER);
        assert_eq!(app.store.telegram_link_of(me).await.unwrap(), None);
    }

    async fn without_a_bot_no_link_code_is_made(backend) {
        let Some(app) = TestApp::demo(backend, "notify_tg_off").await else { return };
        let (client, cookie) = signed_in(&app, "approver-a@demo.local").await;
        let refused = client.post(app.url("/settings/notifications/telegram/code")).header("cookie", &cookie)
            .form(&[("_csrf", CSRF)]).send().await.unwrap();
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
        let count: i64 = keel_store::on_pool!(app.store.raw_pool_for_tests(), p => {
            sqlx::query_scalar("SELECT COUNT(*) FROM telegram_link_codes").fetch_one(p).await
        }).unwrap();
        assert_eq!(count, 0);
    }

    async fn a_calendar_feed_is_made_read_and_revoked(backend) {
        let Some(app) = app_with(backend, "notify_feed_web", false).await else { return };
        let (lead, lead_cookie) = signed_in(&app, "agency@demo.local").await;
        let page = lead.get(app.url("/projects/client-a/calendar")).header("cookie", &lead_cookie).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("No calendar feed yet."), "{page}");
        let html = lead.post(app.url("/projects/client-a/calendar")).header("cookie", &lead_cookie)
            .form(&[("_csrf", CSRF), ("label", "Anna's phone")]).send().await.unwrap().text().await.unwrap();
        let at = html.find("https://keel.agency.test/ical/").expect("the new address");
        let url: String = html[at..].chars().take_while(|c| *c != '<').collect();
        assert!(url.ends_with(".ics"), "{url}");
        assert!(html.contains("Anna&#39;s phone") || html.contains("Anna&#x27;s phone"), "{html}");
        let path = url.trim_start_matches("https://keel.agency.test");

        // Anyone with the address reads the plan, without logging in.
        let feed = reqwest::get(app.url(path)).await.unwrap();
        assert_eq!(feed.status(), StatusCode::OK);
        assert_eq!(feed.headers()["content-type"], "text/calendar; charset=utf-8");
        let body = feed.text().await.unwrap();
        assert!(body.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"), "{body}");
        assert!(body.ends_with("END:VCALENDAR\r\n"));
        assert!(body.contains("X-WR-CALNAME:Client A"), "{body}");
        assert_eq!(body.matches("BEGIN:VEVENT").count(), 2);
        assert!(body.contains("SUMMARY:Зимнее меню\\, анонс\r\n"), "{body}");
        assert!(body.contains("SUMMARY:Giveaway\\; rules\r\n"), "{body}");
        assert!(body.contains("URL:https://keel.agency.test/projects/client-a/posts/1\r\n"), "{body}");

        // The specialist sees the list but may not make or revoke addresses.
        let (specialist, spec_cookie) = signed_in(&app, "specialist@demo.local").await;
        let list = specialist.get(app.url("/projects/client-a/calendar")).header("cookie", &spec_cookie).send().await.unwrap().text().await.unwrap();
        assert!(list.contains("Anna&#39;s phone") || list.contains("Anna&#x27;s phone"));
        assert!(!list.contains("/calendar/revoke"), "no revoke button for the specialist");
        let feed_id = app.store.ical_feeds_of(project_id(&app, "client-a").await).await.unwrap()[0].id;
        let denied = specialist.post(app.url("/projects/client-a/calendar/revoke")).header("cookie", &spec_cookie)
            .form(&[("_csrf", CSRF), ("feed_id", &feed_id.to_string())]).send().await.unwrap();
        assert_eq!(denied.status(), StatusCode::FORBIDDEN);
        // Client B's owner does not see Client A's calendar at all.
        let (b, b_cookie) = signed_in(&app, "client-b@demo.local").await;
        let hidden = b.get(app.url("/projects/client-a/calendar")).header("cookie", &b_cookie).send().await.unwrap();
        assert_eq!(hidden.status(), StatusCode::NOT_FOUND);
        // …nor revoke its feed through their own project.
        let elsewhere = b.post(app.url("/projects/client-b/calendar/revoke")).header("cookie", &b_cookie)
            .form(&[("_csrf", CSRF), ("feed_id", &feed_id.to_string())]).send().await.unwrap();
        assert_eq!(elsewhere.status(), StatusCode::NOT_FOUND);
        assert_eq!(reqwest::get(app.url(path)).await.unwrap().status(), StatusCode::OK);

        // The client owner revokes it: the address stops working.
        let (owner, owner_cookie) = signed_in(&app, "client-a@demo.local").await;
        let revoked = owner.post(app.url("/projects/client-a/calendar/revoke")).header("cookie", &owner_cookie)
            .form(&[("_csrf", CSRF), ("feed_id", &feed_id.to_string())]).send().await.unwrap();
        assert_eq!(revoked.status(), StatusCode::SEE_OTHER);
        assert_eq!(reqwest::get(app.url(path)).await.unwrap().status(), StatusCode::NOT_FOUND);
        let page = owner.get(app.url("/projects/client-a/calendar?done=revoked")).header("cookie", &owner_cookie).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Revoked"));
    }

    async fn unknown_feed_addresses_are_not_found(backend) {
        let Some(app) = TestApp::demo(backend, "notify_feed_404").await else { return };
        for path in ["/ical/keelcal_nope.ics", "/ical/nothing", "/ical/.ics"] {
            assert_eq!(reqwest::get(app.url(path)).await.unwrap().status(), StatusCode::NOT_FOUND, "{path}");
        }
        // A real feed answers a calendar; without `.ics` the address is unknown.
        let org = app.store.ensure_org(keel::demo::DEMO_ORG_SLUG, "Demo Agency").await.unwrap();
        let project = app.store.project_by_slug(org.id(), "client-b").await.unwrap().unwrap();
        let creator = user(&app, "client-b@demo.local").await;
        let (_, secret) = app.store.create_ical_feed(org.id(), project.id(), "x", creator).await.unwrap();
        let body = reqwest::get(app.url(&format!("/ical/{secret}.ics"))).await.unwrap().text().await.unwrap();
        assert!(body.starts_with("BEGIN:VCALENDAR\r\n") && body.ends_with("END:VCALENDAR\r\n"), "{body}");
        assert_eq!(reqwest::get(app.url(&format!("/ical/{secret}"))).await.unwrap().status(), StatusCode::NOT_FOUND);
    }
}

async fn project_id(app: &TestApp, slug: &str) -> keel_domain::ProjectId {
    let org = app
        .store
        .ensure_org(keel::demo::DEMO_ORG_SLUG, "Demo Agency")
        .await
        .unwrap();
    app.store.project_by_slug(org.id(), slug).await.unwrap().unwrap().id()
}
