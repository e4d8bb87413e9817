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
    let specialist = app.token("specialist@demo.local").await;
    let approver = app.token("approver-a@demo.local").await;
    let (status, post) = api(
        app,
        &specialist,
        "POST",
        "/api/v1/projects/client-a/posts",
        Some(json!({
            "text": text, "platforms": ["vk", "telegram"],
        })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{post}");
    let id = post["id"].as_i64().unwrap();
    if image {
        let response = reqwest::Client::new()
            .post(app.url(&format!("/api/v1/posts/{id}/images?name=latte.png")))
            .bearer_auth(&specialist)
            .body(png())
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success(), "{}", response.text().await.unwrap());
    }
    let (status, body) = api(app, &specialist, "POST", &format!("/api/v1/posts/{id}/submit"), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = api(app, &approver, "POST", &format!("/api/v1/posts/{id}/approve"), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
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
