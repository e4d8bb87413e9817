//! The cache of computed analytics and reports (`keel_web::analytics::cache`): a figure
//! changes right after a write that changes it, on either backend, and two `keel serve`
//! on one PostgreSQL never serve each other's stale figures.

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

const NEW_POST: &str = "platform,account,post_id,published_at,type,likes,comments,shares,saves,views,reach,impressions,followers\n\
                        vk,cache.check,p1,2026-05-05T10:00:00Z,photo,120,10,3,2,,900,1200,5000\n";

async fn report(base: &str, token: &str) -> Value {
    let response = reqwest::Client::new()
        .get(format!("{base}/api/v1/projects/client-a/report"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

fn accounts(report: &Value) -> Vec<String> {
    report["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["account"].as_str().unwrap().to_owned())
        .collect()
}

async fn page(base: &str, session: &str) -> String {
    let response = reqwest::Client::new()
        .get(format!("{base}/projects/client-a/analytics"))
        .header("cookie", format!("keel_session={session}; keel_lang=en"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.unwrap()
}

async fn import_post(base: &str, token: &str) {
    let response = reqwest::Client::new()
        .post(format!(
            "{base}/api/v1/projects/client-a/imports?format=posts&source=cache.csv"
        ))
        .bearer_auth(token)
        .body(NEW_POST)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{}", response.text().await.unwrap());
}

/// The data version of client-a as `store` reads it, with the project and on its own.
async fn version(store: &keel_store::Store) -> i64 {
    let agency = keel_domain::Email::parse("agency@demo.local").unwrap();
    let user = store
        .user_by_email(&agency)
        .await
        .unwrap()
        .expect("the demo's agency lead");
    let project = store
        .project_by_slug(user.org(), "client-a")
        .await
        .unwrap()
        .expect("client-a");
    assert_eq!(store.data_version(project.id()).await.unwrap(), project.data_version);
    project.data_version
}

on_both_backends! {
    async fn a_figure_changes_right_after_an_import_and_a_goal(backend) {
        let Some(app) = TestApp::demo(backend, "figure_cache").await else { return };
        let base = app.url("");
        let token = app.token("agency@demo.local").await;
        let session = app.session("agency@demo.local").await;
        let before = version(&app.store).await;

        // Computed, then answered from the cache: the same bytes.
        let first = report(&base, &token).await;
        assert_eq!(report(&base, &token).await, first);
        assert!(!accounts(&first).contains(&"cache.check".to_owned()));
        assert!(!page(&base, &session).await.contains("cache.check"));
        assert!(!page(&base, &session).await.contains("cache.check"));

        import_post(&base, &token).await;
        assert_eq!(version(&app.store).await, before + 1, "the import bumped the data version");
        let after = report(&base, &token).await;
        assert!(accounts(&after).contains(&"cache.check".to_owned()), "{:?}", accounts(&after));
        assert!(page(&base, &session).await.contains("cache.check"), "the page shows the new account");

        // Goals are read by the report too.
        let goals = after["goals"].as_array().unwrap().len();
        let response = reqwest::Client::new()
            .post(app.url("/api/v1/projects/client-a/goals"))
            .bearer_auth(&token)
            .json(&json!({ "metric": "followers", "target": {"relative_pct": 5},
                           "start": "2026-10-01", "deadline": "2026-10-31", "zone": "agency" }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
        assert_eq!(version(&app.store).await, before + 2, "the goal bumped the data version");
        assert_eq!(report(&base, &token).await["goals"].as_array().unwrap().len(), goals + 1);
    }
}

/// Two instances on one PostgreSQL: each caches, a write through one is seen by the other
/// at once, through the version both read from the database.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_postgres_see_each_others_writes() {
    let Some(app) = TestApp::demo(Backend::Postgres, "figure_cache_two").await else {
        return;
    };
    let other_store = keel_store::Store::open(app.database_url()).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let other = format!("http://{}", listener.local_addr().unwrap());
    let state = keel_web::AppState::new(
        other_store.clone(),
        keel_web::WebConfig {
            secure_cookies: false,
            ..Default::default()
        },
    );
    let server = tokio::spawn(async move {
        keel_web::serve(listener, state, std::future::pending()).await.unwrap();
    });
    let (a, token) = (app.url(""), app.token("agency@demo.local").await);
    let session = app.session("agency@demo.local").await;

    // Both instances compute and cache the same figures (a session made on one works on the
    // other: the page answers 200 there).
    let first = report(&other, &token).await;
    assert_eq!(report(&a, &token).await, first);
    assert!(!page(&other, &session).await.contains("cache.check"));
    let v = version(&other_store).await;

    // A write through the first instance; the second sees the bump and the new figures.
    import_post(&a, &token).await;
    assert_eq!(version(&other_store).await, v + 1, "the other handle reads the bump");
    assert!(accounts(&report(&other, &token).await).contains(&"cache.check".to_owned()));
    assert!(page(&other, &session).await.contains("cache.check"));

    // And the other way round: a write through the second, seen by the first.
    let response = reqwest::Client::new()
        .post(format!("{other}/api/v1/projects/client-a/goals"))
        .bearer_auth(&token)
        .json(&json!({ "metric": "followers", "target": {"relative_pct": 5},
                       "start": "2026-10-01", "deadline": "2026-10-31", "zone": "agency" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(version(&app.store).await, v + 2);
    let seen = report(&a, &token).await;
    assert_eq!(
        seen["goals"].as_array().unwrap().len(),
        first["goals"].as_array().unwrap().len() + 1
    );
    server.abort();
}
