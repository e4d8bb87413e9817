//! Connections and publishing, end to end (issue 10's "Done when"): client-a connects a VK
//! community and a Telegram channel through the API (checked against local servers that answer
//! as VK and the Bot API do); an approved post with an image, scheduled a minute ahead, is
//! published at its time exactly once to each; a revoked VK token fails the next post with the
//! reason in words and marks the connection; an instance killed mid-publish never makes a second
//! post; the tokens are nowhere in the database in clear. Time is the runner's parameter.

use crate::helpers::*;
use chrono::{Duration, Utc};
use keel_app::publishing::Platforms;
use keel_store::Store;
use keel_testkit::bot_api::{self, BotServer};
use keel_testkit::vk_api::{self, VkServer};
use keel_web::{AppState, WebConfig};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::sync::Arc;

pub async fn api(app: &TestApp, token: &str, method: &str, path: &str, body: Option<Value>) -> (StatusCode, Value) {
    api_at(&app.url(""), token, method, path, body).await
}

/// An API call to the Keel at `base` (`http://127.0.0.1:PORT`).
pub async fn api_at(base: &str, token: &str, method: &str, path: &str, body: Option<Value>) -> (StatusCode, Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut request = reqwest::Client::new()
        .request(method, format!("{base}{path}"))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// A small real PNG.
pub fn png() -> Vec<u8> {
    let picture = image::RgbImage::from_fn(32, 32, |x, y| image::Rgb([x as u8 * 8, y as u8 * 8, 128]));
    let mut out = std::io::Cursor::new(Vec::new());
    picture.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// Keel (demo data) whose platforms are the local VK and Bot API servers.
pub async fn app_with_platforms(
    backend: Backend,
    test: &str,
) -> Option<(TestApp, VkServer, BotServer, Arc<Platforms>)> {
    let vk = VkServer::start().await;
    let (bot, _) = BotServer::start().await;
    let platforms = Platforms {
        vk_api_url: vk.url.clone(),
        telegram_api_url: bot.url.clone(),
        key: Some(keel_store::sealing::SecretKey::generate()),
        timeout: std::time::Duration::from_secs(2),
        ..Platforms::default()
    };
    let shared = Arc::new(platforms.clone());
    let app = TestApp::with_state(backend, test, move |store| {
        AppState::new(
            store,
            WebConfig {
                platforms,
                ..Default::default()
            },
        )
    })
    .await?;
    keel::demo::fill(&app.store).await.expect("demo data");
    Some((app, vk, bot, shared))
}

/// Connects client-a's VK community and Telegram channel as the agency lead.
pub async fn connect_both(app: &TestApp, lead: &str) -> (i64, i64) {
    let (status, vk) = api(
        app,
        lead,
        "POST",
        "/api/v1/projects/client-a/connections",
        Some(json!({
            "platform": "vk", "account": vk_api::GROUP_ID.to_string(), "secret": {"access_token": vk_api::TOKEN},
        })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{vk}");
    let (status, tg) = api(
        app,
        lead,
        "POST",
        "/api/v1/projects/client-a/connections",
        Some(json!({
            "platform": "telegram", "account": bot_api::CHANNEL, "secret": {"bot_token": bot_api::TOKEN},
        })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{tg}");
    (vk["id"].as_i64().unwrap(), tg["id"].as_i64().unwrap())
}

/// A post to VK and Telegram with one image, written, approved and scheduled for `at`.
pub async fn scheduled_post(app: &TestApp, text: &str, at: chrono::DateTime<Utc>, image: bool) -> i64 {
    approved_or_scheduled(app, text, at, image, true).await
}

/// A post to VK and Telegram with one image, dated `at`, written and approved (not scheduled).
pub async fn approved_post(app: &TestApp, text: &str, at: chrono::DateTime<Utc>) -> i64 {
    approved_or_scheduled(app, text, at, true, false).await
}

async fn approved_or_scheduled(
    app: &TestApp,
    text: &str,
    at: chrono::DateTime<Utc>,
    image: bool,
    schedule: bool,
) -> i64 {
    post_on(app, text, &["vk", "telegram"], usize::from(image), Some(at), schedule).await
}

/// A post to `platforms` with `images` distinct images, written and approved, dated `at`, and
/// scheduled for it when `schedule`.
pub async fn post_on(
    app: &TestApp,
    text: &str,
    platforms: &[&str],
    images: usize,
    at: Option<chrono::DateTime<Utc>>,
    schedule: bool,
) -> i64 {
    let specialist = app.token("specialist@demo.local").await;
    let approver = app.token("approver-a@demo.local").await;
    let (status, post) = api(
        app,
        &specialist,
        "POST",
        "/api/v1/projects/client-a/posts",
        Some(json!({
            "text": text, "platforms": platforms, "scheduled_at": at,
        })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{post}");
    let id = post["id"].as_i64().unwrap();
    for n in 0..images {
        let response = reqwest::Client::new()
            .post(app.url(&format!("/api/v1/posts/{id}/images?name=latte-{n}.png")))
            .bearer_auth(&specialist)
            .body(png_numbered(n))
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success(), "{}", response.text().await.unwrap());
    }
    let (status, body) = api(app, &specialist, "POST", &format!("/api/v1/posts/{id}/submit"), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = api(app, &approver, "POST", &format!("/api/v1/posts/{id}/approve"), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    if !schedule {
        return id;
    }
    let (status, body) = api(
        app,
        &specialist,
        "POST",
        &format!("/api/v1/posts/{id}/schedule"),
        Some(json!({"scheduled_at": at})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["state"], "scheduled");
    id
}

/// A small real PNG, different for each `n` (0 is [`png`]).
pub fn png_numbered(n: usize) -> Vec<u8> {
    if n == 0 {
        return png();
    }
    let picture = image::RgbImage::from_fn(32, 32, |x, y| image::Rgb([x as u8 * 8, y as u8 * 8, (n * 20) as u8]));
    let mut out = std::io::Cursor::new(Vec::new());
    picture.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn publication<'a>(post: &'a Value, platform: &str) -> &'a Value {
    post["publications"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["platform"] == platform)
        .unwrap_or_else(|| panic!("no {platform} publication in {post}"))
}

/// Every byte of the database where a token could hide, as text (SQLite: the file and its WAL;
/// PostgreSQL: every row of every table as text).
pub async fn database_text(store: &Store, sqlite_path: Option<&std::path::Path>) -> Vec<u8> {
    if let Some(path) = sqlite_path {
        let mut bytes = std::fs::read(path).unwrap_or_default();
        bytes.extend(std::fs::read(format!("{}-wal", path.display())).unwrap_or_default());
        return bytes;
    }
    let keel_store::Pool::Postgres(pool) = store.raw_pool_for_tests() else {
        unreachable!()
    };
    let tables: Vec<String> = sqlx::query_scalar("SELECT tablename::text FROM pg_tables WHERE schemaname = 'public'")
        .fetch_all(pool)
        .await
        .unwrap();
    let mut out = vec![];
    for table in tables {
        let rows: Vec<String> = sqlx::query_scalar(&format!("SELECT t::text FROM \"{table}\" t"))
            .fetch_all(pool)
            .await
            .unwrap();
        for row in rows {
            out.extend(row.into_bytes());
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

on_both_backends! {
    async fn an_approved_post_goes_out_once_to_vk_and_telegram_and_failures_are_told(backend) {
        let Some((app, vk, bot, platforms)) = app_with_platforms(backend, "publishing_done_when").await else { return };
        let lead = app.token("agency@demo.local").await;
        let owner = app.token("client-a@demo.local").await;

        // The checks speak in words: a VK ID token, a channel where the bot may not post.
        let (status, body) = api(&app, &lead, "POST", "/api/v1/projects/client-a/connections", Some(json!({
            "platform": "vk", "account": vk_api::GROUP_ID.to_string(), "secret": {"access_token": vk_api::VK_ID_TOKEN},
        }))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body.to_string().contains("VK ID") && body.to_string().contains("vk1.a."), "{body}");
        let (status, body) = api(&app, &lead, "POST", "/api/v1/projects/client-a/connections", Some(json!({
            "platform": "vk", "account": vk_api::OTHER_GROUP_ID.to_string(), "secret": {"access_token": vk_api::TOKEN},
        }))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body.to_string().contains("not an administrator or editor"), "{body}");
        let (status, body) = api(&app, &lead, "POST", "/api/v1/projects/client-a/connections", Some(json!({
            "platform": "telegram", "account": bot_api::CHANNEL_NOT_ADMIN, "secret": {"bot_token": bot_api::TOKEN},
        }))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body.to_string().contains("not an administrator"), "{body}");
        // Only the agency lead connects; the client owner sees the status.
        let (status, _) = api(&app, &owner, "POST", "/api/v1/projects/client-a/connections", Some(json!({
            "platform": "vk", "account": "1", "secret": {"access_token": vk_api::TOKEN},
        }))).await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        let (vk_connection, _) = connect_both(&app, &lead).await;
        let (status, list) = api(&app, &owner, "GET", "/api/v1/projects/client-a/connections", None).await;
        assert_eq!(status, StatusCode::OK, "{list}");
        let list = list.as_array().unwrap().clone();
        assert_eq!(list.len(), 2);
        for c in &list {
            assert_eq!(c["status"], "ok", "{c}");
            assert!(c.get("secret").is_none(), "{c}");
        }
        let vk_json = list.iter().find(|c| c["platform"] == "vk").unwrap();
        assert_eq!(vk_json["secret_hint"], &vk_api::TOKEN[vk_api::TOKEN.len() - 4..]);
        assert_eq!(vk_json["account_name"], "Coffee House");
        assert!(!list.iter().any(|c| c.to_string().contains(vk_api::TOKEN) || c.to_string().contains(bot_api::TOKEN)));

        // A post with an image, approved and scheduled a minute ahead.
        let t0 = Utc::now();
        let text = "Pumpkin spice latte is back <only> this week & next";
        let id = scheduled_post(&app, text, t0 + Duration::seconds(60), true).await;
        let runner = keel_app::jobs::runner_publishing(&app.store, vec![], platforms.clone());
        runner.run_due(t0).await.unwrap();
        assert!(vk.calls_to("wall.post").is_empty(), "nothing goes out before its time");
        assert!(bot.calls_to("sendPhoto").is_empty());
        runner.run_due(t0 + Duration::seconds(61)).await.unwrap();
        // Again later, and as a second instance: nothing more is sent.
        runner.run_due(t0 + Duration::minutes(10)).await.unwrap();
        keel_app::jobs::runner_publishing(&app.store, vec![], platforms.clone())
            .run_due(t0 + Duration::minutes(11))
            .await
            .unwrap();

        let wall = vk.wall();
        assert_eq!(wall.len(), 1, "exactly one wall post: {wall:?}");
        assert_eq!(vk.calls_to("wall.post").len(), 1);
        let posted = &wall[0];
        assert!(posted.from_group, "posted as the community (from_group=1)");
        assert_eq!(posted.owner_id, -vk_api::GROUP_ID);
        assert_eq!(posted.text, text);
        assert_eq!(posted.attachments.len(), 1, "{posted:?}");
        assert!(posted.attachments[0].starts_with(&format!("photo-{}_", vk_api::GROUP_ID)), "{posted:?}");
        assert_eq!(vk.uploads.lock().unwrap().len(), 1);
        assert_eq!(vk.uploads.lock().unwrap()[0].1, png(), "the post's image itself was uploaded");
        let photos = bot.calls_to("sendPhoto");
        assert_eq!(photos.len(), 1, "exactly one sendPhoto");
        assert_eq!(photos[0]["caption"], "Pumpkin spice latte is back &lt;only&gt; this week &amp; next");
        assert_eq!(photos[0]["parse_mode"], "HTML");
        assert_eq!(photos[0]["chat_id"], bot_api::CHANNEL_ID);
        assert_eq!(photos[0]["photo"]["size"], png().len());
        assert!(bot.calls_to("sendMessage").is_empty());

        let (_, post) = api(&app, &owner, "GET", &format!("/api/v1/posts/{id}"), None).await;
        assert_eq!(post["state"], "published", "{post}");
        let on_vk = publication(&post, "vk");
        assert_eq!(on_vk["state"], "published");
        assert_eq!(on_vk["platform_post_id"], format!("-{}_{}", vk_api::GROUP_ID, posted.id));
        assert_eq!(on_vk["url"], format!("https://vk.com/wall-{}_{}", vk_api::GROUP_ID, posted.id));
        let on_tg = publication(&post, "telegram");
        assert_eq!(on_tg["state"], "published");
        assert!(on_tg["platform_post_id"].as_str().unwrap().parse::<i64>().is_ok(), "{on_tg}");
        assert_eq!(on_tg["url"], format!("https://t.me/keel_test_channel/{}", on_tg["platform_post_id"].as_str().unwrap()));
        let published = post["events"].as_array().unwrap().iter().find(|e| e["action"] == "published").expect("audited");
        assert_eq!(published["actor"], "keel", "Keel published it: {published}");

        // The user revokes the VK token: the next post fails on VK (error 5) with the reason in
        // words, the connection needs reconnecting, and the lead and the author hear of it.
        vk.revoke(vk_api::TOKEN);
        let t1 = t0 + Duration::minutes(20);
        let second = scheduled_post(&app, "Second post: new cups", t1, true).await;
        runner.run_due(t1).await.unwrap();
        let (_, post) = api(&app, &owner, "GET", &format!("/api/v1/posts/{second}"), None).await;
        assert_eq!(post["state"], "failed", "{post}");
        let failed = publication(&post, "vk");
        assert_eq!(failed["state"], "failed");
        assert_eq!(failed["error_code"], "token_rejected");
        assert!(failed["error"].as_str().unwrap().contains("VK no longer accepts the connection's token"), "{failed}");
        assert_eq!(publication(&post, "telegram")["state"], "published");
        assert_eq!(vk.wall().len(), 1, "nothing more on the wall");
        let (_, list) = api(&app, &owner, "GET", "/api/v1/projects/client-a/connections", None).await;
        let vk_json = list.as_array().unwrap().iter().find(|c| c["platform"] == "vk").unwrap().clone();
        assert_eq!(vk_json["status"], "needs_reconnecting", "{vk_json}");
        assert!(vk_json["last_error"].as_str().unwrap().contains("reconnects"), "{vk_json}");
        runner.run_due(t1 + Duration::seconds(5)).await.unwrap();
        for who in ["agency@demo.local", "specialist@demo.local"] {
            let token = app.token(who).await;
            let (_, inbox) = api(&app, &token, "GET", "/api/v1/notifications", None).await;
            assert!(inbox.to_string().contains("publish_failed"), "{who}: {inbox}");
        }

        // Reconnected (the user authorized again) and retried by a person: it goes out.
        vk.restore(vk_api::TOKEN);
        let (status, body) = api(&app, &lead, "POST", &format!("/api/v1/projects/client-a/connections/{vk_connection}/reconnect"),
            Some(json!({"secret": {"access_token": vk_api::TOKEN}}))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["status"], "ok");
        let specialist = app.token("specialist@demo.local").await;
        let (status, body) = api(&app, &specialist, "POST", &format!("/api/v1/posts/{second}/retry-publishing"), None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        runner.run_due(t1 + Duration::minutes(1)).await.unwrap();
        let (_, post) = api(&app, &owner, "GET", &format!("/api/v1/posts/{second}"), None).await;
        assert_eq!(post["state"], "published", "{post}");
        assert_eq!(vk.wall().len(), 2);
        assert_eq!(bot.calls_to("sendPhoto").len(), 2, "Telegram, already published, was not sent again");

        // Killed mid-publish: the VK and Telegram servers hold their answers, the instance dies.
        vk.hold("wall.post", std::time::Duration::from_secs(3));
        bot.hold("sendPhoto", std::time::Duration::from_secs(3));
        // (Due now by the wall clock: VK dates the wall's posts with it, and reconciling compares.)
        let t2 = Utc::now();
        let third = scheduled_post(&app, "Third post: autumn hours", t2, true).await;
        let dying = keel_app::jobs::runner_publishing(&app.store, vec![], platforms.clone());
        let task = tokio::spawn(async move { dying.run_due(t2).await });
        let waited = std::time::Instant::now();
        while vk.calls_to("wall.post").len() < 3 && waited.elapsed() < std::time::Duration::from_secs(10) {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        assert_eq!(vk.calls_to("wall.post").len(), 3, "the third wall.post is on its way");
        task.abort();
        let _ = task.await;
        let (_, post) = api(&app, &owner, "GET", &format!("/api/v1/posts/{third}"), None).await;
        assert_eq!(publication(&post, "vk")["state"], "sending", "claimed before the call: {post}");
        // Before the claim is stale, another instance leaves it alone.
        vk.hold("wall.post", std::time::Duration::ZERO);
        bot.hold("sendPhoto", std::time::Duration::ZERO);
        let other = keel_app::jobs::runner_publishing(&app.store, vec![], platforms.clone());
        other.run_due(t2 + Duration::minutes(1)).await.unwrap();
        assert_eq!(vk.calls_to("wall.post").len(), 3);
        // After the lease and the claim ran out, VK is reconciled from the wall; Telegram,
        // which cannot be asked, is left for a person.
        other.run_due(t2 + Duration::minutes(6)).await.unwrap();
        other.run_due(t2 + Duration::minutes(20)).await.unwrap();
        let on_wall: Vec<_> = vk.wall().into_iter().filter(|p| p.text == "Third post: autumn hours").collect();
        assert_eq!(on_wall.len(), 1, "never a second post: {on_wall:?}");
        assert_eq!(vk.calls_to("wall.post").len(), 3, "found on the wall, not sent again");
        let telegram_sends = bot.calls_to("sendPhoto").len();
        assert!(telegram_sends <= 3, "at most the one interrupted send: {telegram_sends}");
        let (_, post) = api(&app, &owner, "GET", &format!("/api/v1/posts/{third}"), None).await;
        assert_eq!(publication(&post, "vk")["state"], "published", "{post}");
        assert_eq!(publication(&post, "vk")["platform_post_id"], format!("-{}_{}", vk_api::GROUP_ID, on_wall[0].id));
        let unknown = publication(&post, "telegram");
        assert_eq!(unknown["state"], "unknown", "{post}");
        assert!(unknown["error"].as_str().unwrap().contains("look at the channel"), "{unknown}");
        assert_eq!(post["state"], "scheduled");
        // A person finds it on the channel and gives its address: the post is published.
        let (status, post) = api(&app, &specialist, "POST", &format!("/api/v1/posts/{third}/publications/telegram/resolve"),
            Some(json!({"url": "https://t.me/keel_test_channel/77"}))).await;
        assert_eq!(status, StatusCode::OK, "{post}");
        assert_eq!(post["state"], "published", "{post}");
        assert_eq!(bot.calls_to("sendPhoto").len(), telegram_sends, "nothing was sent again");

        // The tokens are nowhere in the database in clear.
        let sqlite_path = match backend {
            Backend::Sqlite => app_db_path(&app),
            Backend::Postgres => None,
        };
        let text = database_text(&app.store, sqlite_path.as_deref()).await;
        assert!(text.len() > 10_000, "the database was read ({} bytes)", text.len());
        assert!(contains(&text, "Coffee House"), "the reader sees stored text");
        for token in [vk_api::TOKEN, bot_api::TOKEN] {
            assert!(!contains(&text, token), "a token is stored in clear");
            assert!(!contains(&text, &token[..token.len() - 4]), "all but the shown last four characters are hidden");
        }
    }
}

/// The SQLite file of a test app, if it runs on SQLite.
fn app_db_path(app: &TestApp) -> Option<std::path::PathBuf> {
    app.sqlite_path()
}

on_both_backends! {
    async fn platform_failures_wait_fail_or_stay_unknown_and_two_instances_send_once(backend) {
        let Some((app, vk, bot, platforms)) = app_with_platforms(backend, "publishing_failures").await else { return };
        let lead = app.token("agency@demo.local").await;
        let owner = app.token("client-a@demo.local").await;
        connect_both(&app, &lead).await;

        // Telegram 429 with retry_after: nothing is published, the post is tried again after
        // the wait, and goes out once.
        bot.script("sendMessage", 429, json!({"ok": false, "error_code": 429,
            "description": "Too Many Requests: retry after 40", "parameters": {"retry_after": 40}}));
        let t = Utc::now();
        let id = scheduled_post(&app, "Rate limited", t, false).await;
        let runner = keel_app::jobs::runner_publishing(&app.store, vec![], platforms.clone());
        runner.run_due(t).await.unwrap();
        let (_, post) = api(&app, &owner, "GET", &format!("/api/v1/posts/{id}"), None).await;
        assert_eq!(publication(&post, "telegram")["state"], "pending", "{post}");
        assert_eq!(publication(&post, "vk")["state"], "published");
        runner.run_due(t + Duration::seconds(30)).await.unwrap();
        assert_eq!(bot.calls_to("sendMessage").len(), 1, "not before retry_after");
        runner.run_due(t + Duration::seconds(41)).await.unwrap();
        let (_, post) = api(&app, &owner, "GET", &format!("/api/v1/posts/{id}"), None).await;
        assert_eq!(post["state"], "published", "{post}");
        assert_eq!(bot.calls_to("sendMessage").len(), 2);
        assert_eq!(publication(&post, "telegram")["attempts"], 2);

        // A slow VK past the timeout: the post was made but unanswered — unknown, then found on
        // the wall once the claim is stale; never posted twice.
        vk.hold("wall.post", std::time::Duration::from_secs(3));
        let t = Utc::now();
        let slow = scheduled_post(&app, "Slow answer", t, false).await;
        runner.run_due(t).await.unwrap();
        let (_, post) = api(&app, &owner, "GET", &format!("/api/v1/posts/{slow}"), None).await;
        let on_vk = publication(&post, "vk");
        assert_eq!(on_vk["state"], "unknown", "no answer within the 2 s timeout: {post}");
        assert_eq!(on_vk["error_code"], "outcome_unknown");
        vk.hold("wall.post", std::time::Duration::ZERO);
        // A minute later (the platform had time to show it) VK is asked, not sent to again:
        // the post is found on the wall.
        let sent = vk.calls_to("wall.post").len();
        runner.run_due(t + Duration::seconds(20)).await.unwrap();
        let (_, post) = api(&app, &owner, "GET", &format!("/api/v1/posts/{slow}"), None).await;
        assert_eq!(publication(&post, "vk")["state"], "unknown", "not asked before the recheck: {post}");
        assert!(vk.calls_to("wall.get").is_empty());
        runner.run_due(t + Duration::minutes(2)).await.unwrap();
        let (_, post) = api(&app, &owner, "GET", &format!("/api/v1/posts/{slow}"), None).await;
        assert_eq!(post["state"], "published", "reconciled: {post}");
        let on_wall: Vec<_> = vk.wall().into_iter().filter(|p| p.text == "Slow answer").collect();
        assert_eq!(on_wall.len(), 1);
        assert_eq!(publication(&post, "vk")["platform_post_id"], format!("-{}_{}", vk_api::GROUP_ID, on_wall[0].id));
        assert_eq!(vk.calls_to("wall.post").len(), sent, "found on the wall, not sent again");
        assert_eq!(vk.calls_to("wall.get").len(), 1);
        // Later passes leave it alone.
        runner.run_due(t + Duration::minutes(10)).await.unwrap();
        assert_eq!(vk.calls_to("wall.post").len(), sent);

        // The bot was removed from the channel (403): failed, the connection needs reconnecting.
        bot.script("sendMessage", 403, json!({"ok": false, "error_code": 403,
            "description": "Forbidden: bot is not a member of the channel chat"}));
        let t = Utc::now();
        let removed = scheduled_post(&app, "Bot removed", t, false).await;
        runner.run_due(t).await.unwrap();
        let (_, post) = api(&app, &owner, "GET", &format!("/api/v1/posts/{removed}"), None).await;
        assert_eq!(post["state"], "failed", "{post}");
        assert_eq!(publication(&post, "telegram")["error_code"], "bot_removed");
        let (_, list) = api(&app, &owner, "GET", "/api/v1/projects/client-a/connections", None).await;
        let telegram = list.as_array().unwrap().iter().find(|c| c["platform"] == "telegram").unwrap().clone();
        assert_eq!(telegram["status"], "needs_reconnecting");
        // Later posts fail at once with that reason, nothing is sent to Telegram.
        let sent = bot.calls_to("sendMessage").len();
        let t = Utc::now();
        let next = scheduled_post(&app, "After removal", t, false).await;
        runner.run_due(t).await.unwrap();
        let (_, post) = api(&app, &owner, "GET", &format!("/api/v1/posts/{next}"), None).await;
        assert_eq!(publication(&post, "telegram")["error_code"], "needs_reconnecting", "{post}");
        assert_eq!(bot.calls_to("sendMessage").len(), sent);

        // Two instances on one database, racing for the same due posts: each goes out once.
        let (status, body) = api(&app, &lead, "POST", "/api/v1/projects/client-a/connections", Some(json!({
            "platform": "telegram", "account": bot_api::CHANNEL, "secret": {"bot_token": bot_api::TOKEN},
        }))).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let t = Utc::now();
        let mut ids = vec![];
        for n in 0..4 {
            ids.push(scheduled_post(&app, &format!("Race {n}"), t, false).await);
        }
        let a = keel_app::jobs::runner_publishing(&app.store, vec![], platforms.clone());
        let b = keel_app::jobs::runner_publishing(&app.store, vec![], platforms.clone());
        let (ra, rb) = tokio::join!(a.run_due(t), b.run_due(t));
        ra.unwrap();
        rb.unwrap();
        for n in 0..4 {
            let text = format!("Race {n}");
            assert_eq!(vk.wall().iter().filter(|p| p.text == text).count(), 1, "{text} on VK once");
            let on_telegram = bot.calls_to("sendMessage").iter().filter(|c| c["text"] == text.as_str()).count();
            assert_eq!(on_telegram, 1, "{text} on Telegram once");
        }
        for id in ids {
            let (_, post) = api(&app, &owner, "GET", &format!("/api/v1/posts/{id}"), None).await;
            assert_eq!(post["state"], "published", "{post}");
        }
    }
}

async fn signed_in(app: &TestApp, email: &str, path: &str) -> (reqwest::Client, String, String) {
    let browser = TestApp::browser();
    app.login(&browser, email, DEMO_PASSWORD).await;
    let response = browser.get(app.url(path)).send().await.unwrap();
    let status = response.status();
    let html = response.text().await.unwrap();
    let csrf = if status.is_success() && html.contains("name=\"_csrf\"") {
        csrf_of(&html)
    } else {
        String::new()
    };
    (browser, html, csrf)
}

on_both_backends! {
    async fn the_connections_tab_lets_the_lead_connect_and_shows_everyone_else_the_status(backend) {
        let Some((app, vk, bot, platforms)) = app_with_platforms(backend, "connections_tab").await else { return };
        let (lead, html, csrf) = signed_in(&app, "agency@demo.local", "/projects/client-a/connections").await;
        assert!(html.contains("data-test=\"connect-form\""), "the lead may connect");
        assert!(html.contains("No account is connected yet"), "{html}");
        // A VK ID token: the page says why, keeps what was typed, never echoes the token.
        let page = lead.post(app.url("/projects/client-a/connections"))
            .form(&[("_csrf", csrf.as_str()), ("platform", "vk"), ("account", &vk_api::GROUP_ID.to_string()), ("token", vk_api::VK_ID_TOKEN)])
            .send().await.unwrap().text().await.unwrap();
        assert!(page.contains("data-test=\"connect-problem\"") && page.contains("VK ID"), "{page}");
        assert!(page.contains(&format!("value=\"{}\"", vk_api::GROUP_ID)));
        assert!(!page.contains(vk_api::VK_ID_TOKEN));
        let done = lead.post(app.url("/projects/client-a/connections"))
            .form(&[("_csrf", csrf.as_str()), ("platform", "vk"), ("account", &vk_api::GROUP_ID.to_string()), ("token", vk_api::TOKEN)])
            .send().await.unwrap();
        assert_eq!(done.status(), StatusCode::SEE_OTHER);
        let done = lead.post(app.url("/projects/client-a/connections"))
            .form(&[("_csrf", csrf.as_str()), ("platform", "telegram"), ("account", bot_api::CHANNEL), ("token", bot_api::TOKEN)])
            .send().await.unwrap();
        assert_eq!(done.status(), StatusCode::SEE_OTHER);
        let html = lead.get(app.url("/projects/client-a/connections?done=connected")).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("Coffee House") && html.contains("Coffee House news (@keel_test_channel)"), "{html}");
        assert!(html.contains(&format!("…{}", &vk_api::TOKEN[vk_api::TOKEN.len() - 4..])));
        assert!(!html.contains(vk_api::TOKEN) && !html.contains(bot_api::TOKEN));

        // The client owner sees the status, in Russian too, and cannot connect; an approver
        // does not see the tab's content at all.
        let (owner, html, _) = signed_in(&app, "client-a@demo.local", "/projects/client-a/connections").await;
        assert!(html.contains("data-test=\"connections\"") && !html.contains("data-test=\"connect-form\""), "{html}");
        owner.get(app.url("/lang/ru")).send().await.unwrap();
        let html = owner.get(app.url("/projects/client-a/connections")).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("Подключения") && html.contains("Работает"), "{html}");
        let (approver, _, _) = signed_in(&app, "approver-a@demo.local", "/projects/client-a").await;
        let status = approver.get(app.url("/projects/client-a/connections")).send().await.unwrap().status();
        assert_eq!(status, StatusCode::FORBIDDEN);

        // A published post's page shows each platform with its link.
        let t = Utc::now();
        let id = scheduled_post(&app, "Shown on the page", t, true).await;
        keel_app::jobs::runner_publishing(&app.store, vec![], platforms).run_due(t).await.unwrap();
        let html = lead.get(app.url(&format!("/projects/client-a/posts/{id}"))).send().await.unwrap().text().await.unwrap();
        let vk_post = vk.wall().last().unwrap().id;
        assert!(html.contains("data-test=\"publications\""), "{html}");
        assert!(html.contains(&format!("https://vk.com/wall-{}_{vk_post}", vk_api::GROUP_ID)), "{html}");
        assert!(html.contains("https://t.me/keel_test_channel/"), "{html}");
        assert_eq!(bot.calls_to("sendPhoto").len(), 1);
    }
}

on_both_backends! {
    async fn an_instagram_account_is_checked_on_connect(backend) {
        use keel_testkit::instagram_api::{self, InstagramServer};
        let instagram = InstagramServer::start().await;
        let base = Platforms {
            instagram_api_url: instagram.url.clone(),
            key: Some(keel_store::sealing::SecretKey::generate()),
            timeout: std::time::Duration::from_secs(2),
            ..Platforms::default()
        };
        let with_url = Platforms { public_url: Some("https://keel.agency.example".into()), ..base.clone() };
        // Without public_url Meta could not fetch the images: refused in words (a rule refusal: 422).
        for (platforms, expect) in [(base, StatusCode::UNPROCESSABLE_ENTITY), (with_url, StatusCode::CREATED)] {
            let Some(app) = TestApp::with_state(backend, "instagram_connect", move |store| {
                AppState::new(store, WebConfig { platforms, ..Default::default() })
            }).await else { return };
            keel::demo::fill(&app.store).await.unwrap();
            let lead = app.token("agency@demo.local").await;
            let connect = |token: &'static str| json!({
                "platform": "instagram", "account": instagram_api::USER_ID, "secret": {"access_token": token},
            });
            let (status, body) = api(&app, &lead, "POST", "/api/v1/projects/client-a/connections", Some(connect(instagram_api::TOKEN))).await;
            assert_eq!(status, expect, "{body}");
            if expect == StatusCode::UNPROCESSABLE_ENTITY {
                assert!(body["error"].as_str().unwrap().contains("public_url"), "{body}");
                continue;
            }
            assert_eq!(body["account_name"], "@coffee.house");
            assert_eq!(body["status"], "ok");
            // A revoked token (OAuth error 190) and a spent quota are told in words.
            let (status, body) = api(&app, &lead, "POST", "/api/v1/projects/client-a/connections", Some(connect("IGAA-revoked"))).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(body["error"].as_str().unwrap().contains("did not accept the token"), "{body}");
            *instagram.quota_usage.lock().unwrap() = 100;
            let (status, body) = api(&app, &lead, "POST", "/api/v1/projects/client-a/connections", Some(connect(instagram_api::TOKEN))).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(body["error"].as_str().unwrap().contains("quota"), "{body}");
        }
    }
}

on_both_backends! {
    async fn vk_rate_limits_wait_with_a_growing_backoff_and_an_album_goes_to_telegram_in_one_call(backend) {
        let Some((app, vk, bot, platforms)) = app_with_platforms(backend, "publishing_backoff").await else { return };
        let lead = app.token("agency@demo.local").await;
        let owner = app.token("client-a@demo.local").await;
        connect_both(&app, &lead).await;
        let runner = keel_app::jobs::runner_publishing(&app.store, vec![], platforms.clone());

        // VK answers 6 (too many requests per second), then 9 (flood control), then 29 (rate
        // limit reached) — each HTTP 200 with {"error": …}; Keel waits 30 s, 60 s, 120 s, then
        // publishes once.
        vk.fail_next("wall.post", 6, "Too many requests per second");
        vk.fail_next("wall.post", 9, "Flood control: too much captcha requests");
        vk.fail_next("wall.post", 29, "Rate limit reached");
        let t = Utc::now();
        let id = scheduled_post(&app, "Busy VK", t, false).await;
        let state = async |id: i64| {
            let (_, post) = api(&app, &owner, "GET", &format!("/api/v1/posts/{id}"), None).await;
            post
        };
        let steps: [(i64, usize, &str); 7] = [
            (0, 1, "pending"),    // error 6: wait 30 s
            (29, 1, "pending"),   // not before
            (31, 2, "pending"),   // error 9: wait 60 s
            (85, 2, "pending"),   // not before (31 + 60)
            (92, 3, "pending"),   // error 29: wait 120 s
            (200, 3, "pending"),  // not before (92 + 120)
            (213, 4, "published"),
        ];
        for (after, calls, expected) in steps {
            runner.run_due(t + Duration::seconds(after)).await.unwrap();
            assert_eq!(vk.calls_to("wall.post").len(), calls, "at +{after} s");
            let post = state(id).await;
            let on_vk = publication(&post, "vk");
            assert_eq!(on_vk["state"], expected, "at +{after} s: {post}");
            if expected == "pending" {
                assert_eq!(on_vk["error_code"], "rate_limited", "{on_vk}");
            }
        }
        let post = state(id).await;
        assert_eq!(post["state"], "published", "{post}");
        assert_eq!(publication(&post, "vk")["attempts"], 4);
        assert_eq!(vk.wall().iter().filter(|p| p.text == "Busy VK").count(), 1, "published exactly once");
        assert_eq!(bot.calls_to("sendMessage").len(), 1, "Telegram went out once, at the first pass");

        // Several images: one sendMediaGroup, the caption (HTML-escaped) on the first photo only.
        let t = Utc::now();
        let text = "Three <new> cups & saucers";
        let album = post_on(&app, text, &["telegram"], 3, Some(t), true).await;
        runner.run_due(t).await.unwrap();
        let post = state(album).await;
        assert_eq!(post["state"], "published", "{post}");
        let groups = bot.calls_to("sendMediaGroup");
        assert_eq!(groups.len(), 1, "one call for the album");
        assert!(bot.calls_to("sendPhoto").is_empty());
        let media = groups[0]["media"].as_array().unwrap();
        assert_eq!(media.len(), 3);
        assert_eq!(media[0]["caption"], "Three &lt;new&gt; cups &amp; saucers");
        assert_eq!(media[0]["parse_mode"], "HTML");
        for (n, item) in media.iter().enumerate() {
            assert_eq!(item["type"], "photo");
            if n > 0 {
                assert!(item.get("caption").is_none(), "one caption, on the first: {item}");
            }
            let attached = item["media"].as_str().unwrap().strip_prefix("attach://").expect("uploaded with the call");
            assert_eq!(groups[0][attached]["size"], png_numbered(n).len(), "image {n} in its place");
        }
        let on_tg = publication(&post, "telegram");
        assert!(on_tg["url"].as_str().unwrap().starts_with("https://t.me/keel_test_channel/"), "{on_tg}");
    }
}

/// The local VK server's answers — successes of every method publishing calls, and the errors
/// Keel acts on — validate against VK's own API schema (`../shared/data/vk-api-schema`, or
/// `KEEL_SHARED_DATA`), checked by `keel_testkit::vk_schema` (skipped without the schema unless
/// `KEEL_TEST_REQUIRE` names `vk-api-schema`).
#[tokio::test]
async fn the_vk_fixture_answers_as_vks_api_schema_says() {
    let Some(mut schema) =
        keel_testkit::vk_schema::VkSchema::load_or_skip("the_vk_fixture_answers_as_vks_api_schema_says")
    else {
        return;
    };
    let vk = VkServer::start().await;
    let client = reqwest::Client::new();
    let call = async |method: &str, token: &str, fields: &[(&str, String)]| -> Value {
        let mut form: Vec<(&str, String)> = vec![("access_token", token.to_owned()), ("v", "5.199".to_owned())];
        form.extend(fields.iter().cloned());
        client
            .post(format!("{}/{method}", vk.url))
            .form(&form)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    };
    let group = vk_api::GROUP_ID.to_string();
    let owner = format!("-{group}");
    call("groups.getById", vk_api::TOKEN, &[("group_id", group.clone())]).await;
    let server = call(
        "photos.getWallUploadServer",
        vk_api::TOKEN,
        &[("group_id", group.clone())],
    )
    .await;
    let upload_url = server["response"]["upload_url"].as_str().unwrap().to_owned();
    let part = reqwest::multipart::Part::bytes(png())
        .file_name("latte.png")
        .mime_str("image/png")
        .unwrap();
    let uploaded: Value = client
        .post(upload_url)
        .multipart(reqwest::multipart::Form::new().part("photo", part))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    call(
        "photos.saveWallPhoto",
        vk_api::TOKEN,
        &[
            ("group_id", group.clone()),
            ("photo", uploaded["photo"].as_str().unwrap().to_owned()),
            ("server", uploaded["server"].to_string()),
            ("hash", uploaded["hash"].as_str().unwrap().to_owned()),
        ],
    )
    .await;
    let post = [
        ("owner_id", owner.clone()),
        ("from_group", "1".to_owned()),
        ("message", "Schema".to_owned()),
        ("guid", "g-1".to_owned()),
    ];
    call("wall.post", vk_api::TOKEN, &post).await;
    call(
        "wall.get",
        vk_api::TOKEN,
        &[("owner_id", owner.clone()), ("count", "20".to_owned())],
    )
    .await;
    // The errors: 6, 9 and 29 (wait), 5 (a revoked token), 1051 (a VK ID token), 100, 214.
    for (code, message) in [
        (6, "Too many requests per second"),
        (9, "Flood control"),
        (29, "Rate limit reached"),
    ] {
        vk.fail_next("wall.post", code, message);
        call("wall.post", vk_api::TOKEN, &post).await;
    }
    call("wall.post", vk_api::VK_ID_TOKEN, &post).await;
    call("wall.post", "vk1.a.revoked", &post).await;
    call("groups.getById", vk_api::TOKEN, &[("group_id", "1".to_owned())]).await;
    call(
        "wall.post",
        vk_api::TOKEN,
        &[("owner_id", "-5".to_owned()), ("message", "x".to_owned())],
    )
    .await;
    let answers = vk.answers.lock().unwrap().clone();
    assert_eq!(answers.len(), 12);
    let codes: Vec<i64> = answers
        .iter()
        .filter_map(|(_, answer)| answer["error"]["error_code"].as_i64())
        .collect();
    assert_eq!(codes, [6, 9, 29, 1051, 5, 100, 214]);
    for (method, answer) in &answers {
        let problems = schema.check(method, answer);
        assert!(
            problems.is_empty(),
            "the VK fixture's {method} does not match VK's schema: {problems:?}\n{answer}"
        );
    }
}
