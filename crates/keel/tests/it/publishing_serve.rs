//! Issue 10's "Done when", with the `keel` binary as a person runs it: `keel serve` with
//! `KEEL_VK_API_URL` and `KEEL_TELEGRAM_API_URL` pointing at local servers publishes a post
//! connected and scheduled through the API at its time, once to each; killed (SIGKILL) while VK
//! holds its `wall.post`, it leaves the claim committed, a restarted instance does not send
//! again, and the reconciliation finds the post on the wall; the tokens are in neither the
//! database file nor the logs.

use super::publishing::{api_at, database_text, png};
use crate::helpers::*;
use keel_testkit::bot_api::{self, BotServer};
use keel_testkit::vk_api::{self, VkServer};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

struct Serve {
    child: Child,
    base: String,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn keel(db: &TestDb, env: &[(&str, String)], args: &[&str], log: Option<&std::path::Path>) -> Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_keel"));
    command
        .arg("--database")
        .arg(&db.url)
        .args(args)
        .env_remove("KEEL_DATABASE_URL")
        .stdin(Stdio::null())
        .stdout(Stdio::null());
    for (k, v) in env {
        command.env(k, v);
    }
    match log {
        Some(path) => command.stderr(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .unwrap(),
        ),
        None => command.stderr(Stdio::null()),
    };
    command.spawn().expect("run keel")
}

async fn serve(db: &TestDb, env: &[(&str, String)], log: &std::path::Path) -> Serve {
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    // Killed and waited for when dropped, however the test ends.
    let served = Serve {
        child: keel(db, env, &["serve", "--listen", &listen], Some(log)),
        base: format!("http://{listen}"),
    };
    for _ in 0..150 {
        if reqwest::get(format!("{}/healthz", served.base))
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return served;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("keel serve did not start");
}

async fn wait_for(what: &str, mut done: impl AsyncFnMut() -> bool) {
    for _ in 0..300 {
        if done().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("waited 30 s for {what}");
}

async fn schedule(base: &str, specialist: &str, approver: &str, text: &str, at: chrono::DateTime<chrono::Utc>) -> i64 {
    let (status, post) = api_at(
        base,
        specialist,
        "POST",
        "/api/v1/projects/client-a/posts",
        Some(json!({"text": text, "platforms": ["vk", "telegram"]})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{post}");
    let id = post["id"].as_i64().unwrap();
    let response = reqwest::Client::new()
        .post(format!("{base}/api/v1/posts/{id}/images?name=latte.png"))
        .bearer_auth(specialist)
        .body(png())
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success());
    assert_eq!(
        api_at(base, specialist, "POST", &format!("/api/v1/posts/{id}/submit"), None)
            .await
            .0,
        StatusCode::OK
    );
    assert_eq!(
        api_at(base, approver, "POST", &format!("/api/v1/posts/{id}/approve"), None)
            .await
            .0,
        StatusCode::OK
    );
    let (status, body) = api_at(
        base,
        specialist,
        "POST",
        &format!("/api/v1/posts/{id}/schedule"),
        Some(json!({"scheduled_at": at})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    id
}

fn publication(post: &Value, platform: &str) -> Value {
    post["publications"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["platform"] == platform)
        .cloned()
        .unwrap_or(Value::Null)
}

on_both_backends! {
    async fn keel_serve_publishes_once_and_survives_a_kill(backend) {
        let Some(db) = TestDb::new(backend, "publishing_serve").await else { return };
        let vk = VkServer::start().await;
        let (bot, _) = BotServer::start().await;
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("keel.log");
        let mut env = vec![
            ("KEEL_VK_API_URL", vk.url.clone()),
            ("KEEL_TELEGRAM_API_URL", bot.url.clone()),
            ("KEEL_LOG", "debug".to_owned()),
        ];
        // SQLite: the key file Keel makes beside the database. PostgreSQL: the key from the
        // environment, as every instance on one database must share it.
        let pg_key = keel_store::sealing::SecretKey::generate();
        if backend == Backend::Postgres {
            env.push(("KEEL_SECRET_KEY", pg_key.to_base64()));
        }
        assert!(keel(&db, &env, &["demo"], None).wait().unwrap().success());
        let token = |email: &str| {
            let out = Command::new(env!("CARGO_BIN_EXE_keel"))
                .args(["--database", &db.url, "token", "create", "--user", email])
                .env_remove("KEEL_DATABASE_URL")
                .output()
                .unwrap();
            assert!(out.status.success());
            String::from_utf8(out.stdout).unwrap().trim().to_owned()
        };
        let (lead, specialist, approver) = (token("agency@demo.local"), token("specialist@demo.local"), token("approver-a@demo.local"));

        let first = serve(&db, &env, &log).await;
        let base = first.base.clone();
        let (status, body) = api_at(&base, &lead, "POST", "/api/v1/projects/client-a/connections", Some(json!({
            "platform": "vk", "account": vk_api::GROUP_ID.to_string(), "secret": {"access_token": vk_api::TOKEN},
        }))).await;
        assert_eq!(status, StatusCode::CREATED, "{body}\n{}", String::from_utf8_lossy(&std::fs::read(&log).unwrap_or_default()));
        let (status, body) = api_at(&base, &lead, "POST", "/api/v1/projects/client-a/connections", Some(json!({
            "platform": "telegram", "account": bot_api::CHANNEL, "secret": {"bot_token": bot_api::TOKEN},
        }))).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        if backend == Backend::Sqlite {
            let key_file = std::path::PathBuf::from(format!("{}.key", db.url.trim_start_matches("sqlite://")));
            assert!(key_file.exists(), "the key file beside the database");
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                assert_eq!(std::fs::metadata(&key_file).unwrap().permissions().mode() & 0o777, 0o600);
            }
        }

        // Scheduled a few seconds ahead: keel serve publishes it at its time, once to each.
        let id = schedule(&base, &specialist, &approver, "Autumn menu", chrono::Utc::now() + chrono::Duration::seconds(3)).await;
        wait_for("the post to be published", async || {
            api_at(&base, &lead, "GET", &format!("/api/v1/posts/{id}"), None).await.1["state"] == "published"
        }).await;
        tokio::time::sleep(Duration::from_secs(6)).await; // another pass of the runner: nothing more
        assert_eq!(vk.wall().len(), 1);
        assert!(vk.wall()[0].from_group && vk.wall()[0].attachments.len() == 1, "{:?}", vk.wall());
        assert_eq!(bot.calls_to("sendPhoto").len(), 1);
        let (_, post) = api_at(&base, &lead, "GET", &format!("/api/v1/posts/{id}"), None).await;
        assert_eq!(publication(&post, "vk")["url"], format!("https://vk.com/wall-{}_{}", vk_api::GROUP_ID, vk.wall()[0].id));
        assert!(publication(&post, "telegram")["url"].as_str().unwrap().starts_with("https://t.me/keel_test_channel/"));

        // Killed while VK holds the wall.post of the next post.
        vk.hold("wall.post", Duration::from_secs(20));
        let second = schedule(&base, &specialist, &approver, "Winter menu", chrono::Utc::now()).await;
        wait_for("the second wall.post", async || vk.calls_to("wall.post").len() == 2).await;
        drop(first); // SIGKILL
        let store = keel_store::Store::open(&db.url).await.unwrap();
        let publications = store.publications_of(keel_domain::PostId(second)).await.unwrap();
        let on_vk = publications.iter().find(|p| p.platform == "vk").unwrap();
        assert_eq!(on_vk.state.as_str(), "sending", "the claim was committed before the call");
        vk.hold("wall.post", Duration::ZERO);

        // A new instance starts; the claim is not stale yet, so nothing is sent again.
        let second_run = serve(&db, &env, &log).await;
        tokio::time::sleep(Duration::from_secs(8)).await;
        assert_eq!(vk.calls_to("wall.post").len(), 2, "a restarted instance does not send again");
        // Past the lease and the claim (another instance, its clock moved on): VK is reconciled.
        let key = match backend {
            Backend::Sqlite => keel_store::sealing::SecretKey::load_or_create(
                std::path::Path::new(&format!("{}.key", db.url.trim_start_matches("sqlite://")))).unwrap(),
            Backend::Postgres => pg_key.clone(),
        };
        let platforms = keel_app::publishing::Platforms {
            vk_api_url: vk.url.clone(),
            telegram_api_url: bot.url.clone(),
            key: Some(key),
            timeout: Duration::from_secs(2),
            ..Default::default()
        };
        keel_app::jobs::runner_publishing(&store, vec![], std::sync::Arc::new(platforms))
            .run_due(chrono::Utc::now() + chrono::Duration::minutes(6))
            .await
            .unwrap();
        let winter: Vec<_> = vk.wall().into_iter().filter(|p| p.text == "Winter menu").collect();
        assert_eq!(winter.len(), 1, "one post on the wall");
        assert_eq!(vk.calls_to("wall.post").len(), 2, "found on the wall, not sent again");
        let (_, post) = api_at(&second_run.base, &lead, "GET", &format!("/api/v1/posts/{second}"), None).await;
        assert_eq!(post["state"], "published", "{post}");
        assert_eq!(bot.calls_to("sendPhoto").len(), 2);
        drop(second_run);

        // The tokens: not in the database, not in the logs.
        let sqlite = db.url.strip_prefix("sqlite://").map(std::path::PathBuf::from);
        let stored = database_text(&store, sqlite.as_deref()).await;
        let logs = std::fs::read(&log).unwrap();
        assert!(logs.len() > 1000, "keel logged ({} bytes)", logs.len());
        assert!(String::from_utf8_lossy(&logs).contains("published"), "the logs tell of publishing");
        for token in [vk_api::TOKEN, bot_api::TOKEN] {
            let hidden = &token[..token.len() - 4];
            assert!(!stored.windows(hidden.len()).any(|w| w == hidden.as_bytes()), "token in the database");
            assert!(!logs.windows(hidden.len()).any(|w| w == hidden.as_bytes()), "token in the logs");
        }
        store.close().await;
    }
}

/// Two `keel serve` processes on one PostgreSQL database (several instances behind a load
/// balancer): a batch of posts scheduled through both is published exactly once to each
/// platform — counted at the local VK and Bot API servers — whichever instance's runner takes
/// each job.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_keel_serve_instances_on_one_postgres_publish_each_post_once() {
    let Some(db) = TestDb::new(Backend::Postgres, "publishing_two_instances").await else {
        return;
    };
    let vk = VkServer::start().await;
    let (bot, _) = BotServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let key = keel_store::sealing::SecretKey::generate();
    let env = vec![
        ("KEEL_VK_API_URL", vk.url.clone()),
        ("KEEL_TELEGRAM_API_URL", bot.url.clone()),
        ("KEEL_SECRET_KEY", key.to_base64()),
        ("KEEL_LOG", "info".to_owned()),
    ];
    assert!(keel(&db, &env, &["demo"], None).wait().unwrap().success());
    let token = |email: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_keel"))
            .args(["--database", &db.url, "token", "create", "--user", email])
            .env_remove("KEEL_DATABASE_URL")
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    };
    let (lead, specialist, approver) = (
        token("agency@demo.local"),
        token("specialist@demo.local"),
        token("approver-a@demo.local"),
    );
    let a = serve(&db, &env, &dir.path().join("a.log")).await;
    let b = serve(&db, &env, &dir.path().join("b.log")).await;
    for (platform, account, secret) in [
        (
            "vk",
            vk_api::GROUP_ID.to_string(),
            json!({"access_token": vk_api::TOKEN}),
        ),
        (
            "telegram",
            bot_api::CHANNEL.to_owned(),
            json!({"bot_token": bot_api::TOKEN}),
        ),
    ] {
        let (status, body) = api_at(
            &a.base,
            &lead,
            "POST",
            "/api/v1/projects/client-a/connections",
            Some(json!({"platform": platform, "account": account, "secret": secret})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }

    // Eight posts, made half through each instance, all due at the same moment.
    let at = chrono::Utc::now() + chrono::Duration::seconds(8);
    let mut posts = vec![];
    for n in 0..8 {
        let base = if n % 2 == 0 { &a.base } else { &b.base };
        let text = format!("Batch post {n}");
        posts.push((schedule(base, &specialist, &approver, &text, at).await, text));
    }
    wait_for("every post to be published", async || {
        for (id, _) in &posts {
            if api_at(&b.base, &lead, "GET", &format!("/api/v1/posts/{id}"), None)
                .await
                .1["state"]
                != "published"
            {
                return false;
            }
        }
        true
    })
    .await;
    // More passes of both runners: nothing more goes out.
    tokio::time::sleep(Duration::from_secs(11)).await;
    assert_eq!(vk.calls_to("wall.post").len(), posts.len(), "one wall.post per post");
    assert_eq!(bot.calls_to("sendPhoto").len(), posts.len(), "one sendPhoto per post");
    assert_eq!(
        vk.uploads.lock().unwrap().len(),
        posts.len(),
        "one photo upload per post"
    );
    let sent_photos = bot.calls_to("sendPhoto");
    for (id, text) in &posts {
        assert_eq!(
            vk.wall().iter().filter(|p| &p.text == text).count(),
            1,
            "{text} once on VK"
        );
        assert_eq!(
            sent_photos.iter().filter(|c| c["caption"] == text.as_str()).count(),
            1,
            "{text} once on Telegram"
        );
        let (_, post) = api_at(&a.base, &lead, "GET", &format!("/api/v1/posts/{id}"), None).await;
        assert_eq!(publication(&post, "vk")["attempts"], 1, "{post}");
        assert_eq!(publication(&post, "telegram")["attempts"], 1, "{post}");
    }
    // Which instance sent what (both runners poll the same queue; either may take any job).
    let store = keel_store::Store::open(&db.url).await.unwrap();
    let keel_store::Pool::Postgres(pool) = store.raw_pool_for_tests() else {
        unreachable!()
    };
    let workers: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT claimed_by FROM plan_publications WHERE claimed_by IS NOT NULL")
            .fetch_all(pool)
            .await
            .unwrap();
    eprintln!(
        "publications were claimed by {} instance(s): {workers:?}",
        workers.len()
    );
    assert!(!workers.is_empty());
    store.close().await;
    drop(a);
    drop(b);
}
