//! Publishing to Instagram against a local Graph API server that downloads each image from the
//! URL Keel gives it, as Meta does: the image served at an unguessable, expiring link under
//! `public_url` (JPEG, `nosniff`), the container waited for, `media_publish`, the permalink; a
//! carousel for several images; a container that fails, an image that cannot be downloaded, a
//! revoked token (OAuth 190), an unanswered `media_publish` reconciled through the container
//! and the account's recent media (never published twice). And urgent posts that the project
//! publishes as soon as they are approved.

use super::publishing::{api, app_with_platforms, connect_both, database_text, post_on};
use crate::helpers::*;
use chrono::{Duration, Utc};
use keel_app::publishing::Platforms;
use keel_testkit::instagram_api::{self, InstagramServer};
use keel_web::{AppState, WebConfig};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::sync::Arc;

/// Keel (demo data) served over HTTP, its `public_url` its own address, publishing to the
/// local Instagram server; client-a connected to the Instagram account.
async fn app_with_instagram(backend: Backend, test: &str) -> Option<(TestApp, InstagramServer, Arc<Platforms>)> {
    let instagram = InstagramServer::start().await;
    let base = Platforms {
        instagram_api_url: instagram.url.clone(),
        key: Some(keel_store::sealing::SecretKey::generate()),
        timeout: std::time::Duration::from_secs(2),
        instagram_poll: std::time::Duration::from_millis(30),
        // Set for the connection check; the publishing runner below gets the real address.
        public_url: Some("http://keel.invalid".into()),
        ..Platforms::default()
    };
    let web = base.clone();
    let app = TestApp::with_state(backend, test, move |store| {
        AppState::new(
            store,
            WebConfig {
                platforms: web,
                ..Default::default()
            },
        )
    })
    .await?;
    keel::demo::fill(&app.store).await.expect("demo data");
    let lead = app.token("agency@demo.local").await;
    let (status, body) = api(
        &app,
        &lead,
        "POST",
        "/api/v1/projects/client-a/connections",
        Some(json!({
            "platform": "instagram", "account": instagram_api::USER_ID, "secret": {"access_token": instagram_api::TOKEN},
        })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let platforms = Platforms {
        public_url: Some(app.url("")),
        ..base
    };
    Some((app, instagram, Arc::new(platforms)))
}

fn publication(post: &Value, platform: &str) -> Value {
    post["publications"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["platform"] == platform)
        .cloned()
        .unwrap_or_else(|| panic!("no {platform} publication in {post}"))
}

on_both_backends! {
    async fn a_post_goes_to_instagram_through_an_expiring_image_link_once(backend) {
        let Some((app, ig, platforms)) = app_with_instagram(backend, "publishing_instagram").await else { return };
        let owner = app.token("client-a@demo.local").await;
        let runner = keel_app::jobs::runner_publishing(&app.store, vec![], platforms.clone());

        // One image: one container (Meta downloads the image from Keel), waited for, published.
        let t = Utc::now();
        let text = "Pumpkin spice latte is back <only> this week & next #autumn";
        let id = post_on(&app, text, &["instagram"], 1, Some(t), true).await;
        runner.run_due(t).await.unwrap();
        let (_, post) = api(&app, &owner, "GET", &format!("/api/v1/posts/{id}"), None).await;
        assert_eq!(post["state"], "published", "{post}");
        let published = ig.published();
        assert_eq!(published.len(), 1, "one media: {published:?}");
        assert_eq!(published[0].caption, text, "the caption is the text as written (no markup)");
        assert_eq!(published[0].images, 1);
        let on_ig = publication(&post, "instagram");
        assert_eq!(on_ig["platform_post_id"], published[0].id);
        assert_eq!(on_ig["url"], published[0].permalink);
        assert!(ig.calls_to("status").len() >= 2, "the container was polled until finished");
        let created = ig.calls_to("media");
        assert_eq!(created.len(), 1);
        assert_eq!(created[0]["caption"], text);
        // What Meta downloaded: a JPEG (the post's PNG converted), with nosniff, from an
        // unguessable address under public_url.
        let fetched = ig.fetched.lock().unwrap().clone();
        assert_eq!(fetched.len(), 1);
        let image_url = &fetched[0].url;
        assert_eq!(image_url, &created[0]["image_url"]);
        let token = image_url.strip_prefix(&app.url("/media/")).expect("under public_url");
        assert_eq!(token.len(), 64, "256 random bits: {token}");
        assert_eq!(fetched[0].status, 200);
        assert_eq!(fetched[0].content_type.as_deref(), Some("image/jpeg"));
        assert!(fetched[0].nosniff);
        assert!(fetched[0].bytes.starts_with(&[0xFF, 0xD8, 0xFF]), "a real JPEG");
        assert!(image::load_from_memory(&fetched[0].bytes).is_ok());
        // The link serves that image and nothing else: another token, a changed one, a path
        // beside it are 404; the token is not in the database in clear.
        let client = reqwest::Client::new();
        assert_eq!(client.get(image_url).send().await.unwrap().status(), StatusCode::OK);
        let mut changed = token.to_owned();
        changed.replace_range(0..1, if token.starts_with('0') { "1" } else { "0" });
        for path in [format!("/media/{changed}"), format!("/media/{}", "0".repeat(64)), "/media/..%2Fhealthz".into(), format!("/media/{token}x")] {
            let status = client.get(app.url(&path)).send().await.unwrap().status();
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        }
        let sqlite_path = app.sqlite_path();
        let stored = database_text(&app.store, sqlite_path.as_deref()).await;
        assert!(!stored.windows(token.len()).any(|w| w == token.as_bytes()), "the media token is stored hashed");
        // It expires: a day later the link is dead.
        assert!(app.store.media_link_jpeg(token, Utc::now() + Duration::hours(25)).await.unwrap().is_none(), "expired after a day");
        assert!(app.store.media_link_jpeg(token, Utc::now()).await.unwrap().is_some());

        // Several images: a carousel — an item container per image, then the carousel with
        // the caption — published once.
        let t = Utc::now();
        let carousel = post_on(&app, "Three cups for three moods", &["instagram"], 3, Some(t), true).await;
        runner.run_due(t).await.unwrap();
        let (_, post) = api(&app, &owner, "GET", &format!("/api/v1/posts/{carousel}"), None).await;
        assert_eq!(post["state"], "published", "{post}");
        let created = ig.calls_to("media");
        assert_eq!(created.len(), 1 + 4, "three items and the carousel");
        let items: Vec<_> = created[1..4].iter().collect();
        for item in &items {
            assert_eq!(item["is_carousel_item"], "true");
            assert!(!item.contains_key("caption"), "items carry no caption: {item:?}");
        }
        assert_eq!(created[4]["media_type"], "CAROUSEL");
        assert_eq!(created[4]["caption"], "Three cups for three moods");
        assert_eq!(created[4]["children"].split(',').count(), 3);
        let media = ig.published();
        assert_eq!(media.len(), 2);
        assert_eq!(media[1].images, 3);
        assert_eq!(ig.calls_to("media_publish").len(), 2);
        let fetched = ig.fetched.lock().unwrap().clone();
        let mut distinct: Vec<_> = fetched[1..].iter().map(|f| f.bytes.clone()).collect();
        distinct.dedup();
        assert_eq!(distinct.len(), 3, "each image its own link");

        // Meta cannot process the image: the container ends in ERROR — failed, with the reason.
        *ig.fail_next_container.lock().unwrap() = Some(("ERROR".into(), "ERROR: 2207001 Instagram server error".into()));
        let t = Utc::now();
        let broken = post_on(&app, "Broken image", &["instagram"], 1, Some(t), true).await;
        runner.run_due(t).await.unwrap();
        let (_, post) = api(&app, &owner, "GET", &format!("/api/v1/posts/{broken}"), None).await;
        assert_eq!(post["state"], "failed", "{post}");
        let failed = publication(&post, "instagram");
        assert_eq!(failed["error_code"], "image_not_taken");
        assert!(failed["error"].as_str().unwrap().contains("could not take the post's image (ERROR: 2207001"), "{failed}");
        assert_eq!(ig.calls_to("media_publish").len(), 2, "nothing published");

        // Meta cannot download the image (public_url does not reach Keel): error 9004.
        let unreachable = Platforms { public_url: Some("http://127.0.0.1:9".into()), ..(*platforms).clone() };
        let t = Utc::now();
        let lost = post_on(&app, "Unreachable image", &["instagram"], 1, Some(t), true).await;
        keel_app::jobs::runner_publishing(&app.store, vec![], Arc::new(unreachable)).run_due(t).await.unwrap();
        let (_, post) = api(&app, &owner, "GET", &format!("/api/v1/posts/{lost}"), None).await;
        assert_eq!(post["state"], "failed", "{post}");
        let failed = publication(&post, "instagram");
        assert_eq!(failed["error_code"], "image_not_taken");
        assert!(failed["error"].as_str().unwrap().contains("could not be fetched"), "{failed}");
        assert!(failed["error"].as_str().unwrap().contains("public_url"), "says what to check: {failed}");

        // No answer to media_publish (it went out): unknown, then reconciled a minute later
        // through the container (PUBLISHED) and the account's recent media — not published again.
        ig.hold("media_publish", std::time::Duration::from_secs(3));
        let t = Utc::now();
        let slow = post_on(&app, "Slow publish", &["instagram"], 1, Some(t), true).await;
        runner.run_due(t).await.unwrap();
        let (_, post) = api(&app, &owner, "GET", &format!("/api/v1/posts/{slow}"), None).await;
        assert_eq!(publication(&post, "instagram")["state"], "unknown", "{post}");
        ig.hold("media_publish", std::time::Duration::ZERO);
        let publishes = ig.calls_to("media_publish").len();
        runner.run_due(t + Duration::minutes(2)).await.unwrap();
        let (_, post) = api(&app, &owner, "GET", &format!("/api/v1/posts/{slow}"), None).await;
        assert_eq!(post["state"], "published", "{post}");
        let slow_media: Vec<_> = ig.published().into_iter().filter(|m| m.caption == "Slow publish").collect();
        assert_eq!(slow_media.len(), 1);
        assert_eq!(publication(&post, "instagram")["platform_post_id"], slow_media[0].id);
        assert_eq!(publication(&post, "instagram")["url"], slow_media[0].permalink);
        assert_eq!(ig.calls_to("media_publish").len(), publishes, "not published again");
        assert_eq!(ig.calls_to("list").len(), 1, "found among the recent media");

        // The user revokes the token (OAuth error 190): failed, the connection needs reconnecting.
        ig.revoke(instagram_api::TOKEN);
        let t = Utc::now();
        let revoked = post_on(&app, "After revoking", &["instagram"], 1, Some(t), true).await;
        runner.run_due(t).await.unwrap();
        let (_, post) = api(&app, &owner, "GET", &format!("/api/v1/posts/{revoked}"), None).await;
        assert_eq!(post["state"], "failed", "{post}");
        assert_eq!(publication(&post, "instagram")["error_code"], "token_rejected");
        let (_, list) = api(&app, &owner, "GET", "/api/v1/projects/client-a/connections", None).await;
        let instagram = list.as_array().unwrap().iter().find(|c| c["platform"] == "instagram").unwrap().clone();
        assert_eq!(instagram["status"], "needs_reconnecting", "{instagram}");
        assert_eq!(ig.published().len(), 3);
    }
}

on_both_backends! {
    async fn an_urgent_post_approved_inside_its_sla_goes_out_at_once_when_the_project_says_so(backend) {
        let Some((app, vk, bot, platforms)) = app_with_platforms(backend, "publishing_urgent").await else { return };
        let lead = app.token("agency@demo.local").await;
        let specialist = app.token("specialist@demo.local").await;
        let approver = app.token("approver-a@demo.local").await;
        connect_both(&app, &lead).await;
        let urgent = |text: &'static str| {
            let (app, specialist, approver) = (&app, specialist.clone(), approver.clone());
            async move {
                let (status, post) = api(app, &specialist, "POST", "/api/v1/projects/client-a/posts",
                    Some(json!({"text": text, "platforms": ["vk", "telegram"], "urgent": true}))).await;
                assert_eq!(status, StatusCode::CREATED, "{post}");
                let id = post["id"].as_i64().unwrap();
                let (status, body) = api(app, &specialist, "POST", &format!("/api/v1/posts/{id}/submit"), None).await;
                assert_eq!(status, StatusCode::OK, "{body}");
                assert!(body["sla_deadline"].is_string(), "an SLA clock runs: {body}");
                let (status, body) = api(app, &approver, "POST", &format!("/api/v1/posts/{id}/approve"), None).await;
                assert_eq!(status, StatusCode::OK, "{body}");
                (id, body)
            }
        };

        // The setting off (the default): an approved urgent post waits for a person to schedule it.
        let (status, settings) = api(&app, &lead, "GET", "/api/v1/projects/client-a/workflow", None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(settings["publish_urgent_at_once"], false, "{settings}");
        let (waiting, body) = urgent("Urgent, but the project schedules by hand").await;
        assert_eq!(body["state"], "approved", "{body}");
        keel_app::jobs::runner_publishing(&app.store, vec![], platforms.clone()).run_due(Utc::now()).await.unwrap();
        assert!(vk.wall().is_empty());

        // The lead turns it on: the next urgent post, approved inside its SLA with no date, is
        // scheduled for the moment of approval (by Keel) and goes out on the runner's next pass.
        let (status, settings) = api(&app, &lead, "POST", "/api/v1/projects/client-a/workflow",
            Some(json!({"publish_urgent_at_once": true}))).await;
        assert_eq!(status, StatusCode::OK, "{settings}");
        assert_eq!(settings["publish_urgent_at_once"], true);
        let before = Utc::now() - Duration::seconds(1);
        let (id, body) = urgent("Urgent: the café closes at 15:00 today").await;
        assert_eq!(body["state"], "scheduled", "{body}");
        let at: chrono::DateTime<Utc> = body["scheduled_at"].as_str().unwrap().parse().unwrap();
        assert!(at >= before && at <= Utc::now() + Duration::seconds(1), "scheduled for now: {at}");
        let (_, post) = api(&app, &lead, "GET", &format!("/api/v1/posts/{id}"), None).await;
        let scheduled = post["events"].as_array().unwrap().iter().find(|e| e["action"] == "scheduled").expect("audited");
        assert_eq!(scheduled["actor"], "keel", "{scheduled}");
        keel_app::jobs::runner_publishing(&app.store, vec![], platforms.clone()).run_due(Utc::now() + Duration::seconds(2)).await.unwrap();
        let (_, post) = api(&app, &lead, "GET", &format!("/api/v1/posts/{id}"), None).await;
        assert_eq!(post["state"], "published", "{post}");
        assert_eq!(vk.wall().len(), 1);
        assert_eq!(vk.wall()[0].text, "Urgent: the café closes at 15:00 today");
        assert_eq!(bot.calls_to("sendMessage").len(), 1);
        // The earlier one, approved before the setting, still waits for a person.
        let (_, post) = api(&app, &lead, "GET", &format!("/api/v1/posts/{waiting}"), None).await;
        assert_eq!(post["state"], "approved");

        // A post that is not urgent is not touched.
        let plain = post_on(&app, "Not urgent", &["vk"], 0, None, false).await;
        let (_, post) = api(&app, &lead, "GET", &format!("/api/v1/posts/{plain}"), None).await;
        assert_eq!(post["state"], "approved", "{post}");
    }
}
