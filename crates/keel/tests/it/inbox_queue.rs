//! The inbox as a queue: what waits for the reader, once per post, urgent first; decided
//! posts drop out; opening a post reads what the reader was told about it — on both backends.

use crate::helpers::*;
use keel_domain::{Email, PostId};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn api(app: &TestApp, token: &str, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
    let mut req = reqwest::Client::new().request(method, app.url(path)).bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let r = req.send().await.unwrap();
    assert!(r.status().is_success(), "{path}: {}", r.status());
    r.json().await.unwrap()
}

/// The post ids the inbox lists as waiting, in order.
fn waiting_ids(html: &str) -> Vec<i64> {
    html.split("data-test=\"waiting-post\"")
        .skip(1)
        .map(|li| {
            let link = li.split("href=\"").nth(1).unwrap().split('"').next().unwrap();
            link.rsplit('/').next().unwrap().parse().unwrap()
        })
        .collect()
}

on_both_backends! {
    async fn the_approvers_queue_lists_each_waiting_post_once_urgent_first(backend) {
        let Some(app) = TestApp::demo(backend, "inbox_queue").await else { return };
        let token = app.token("approver-a@demo.local").await;
        let lead = app.token("agency@demo.local").await;
        // An urgent post sent for approval now, with its SLA clock running.
        let urgent = api(&app, &lead, reqwest::Method::POST, "/api/v1/projects/client-a/posts",
            Some(json!({"text": "Flash sale today only", "platforms": ["vk"], "urgent": true}))).await;
        let urgent_id = urgent["id"].as_i64().unwrap();
        api(&app, &lead, reqwest::Method::POST, &format!("/api/v1/posts/{urgent_id}/submit"), Some(json!({}))).await;
        keel_app::jobs::runner(&app.store).run_due(chrono::Utc::now()).await.unwrap();

        let posts = api(&app, &token, reqwest::Method::GET, "/api/v1/projects/client-a/posts?state=in_review", None).await;
        let mut expected: Vec<i64> = posts.as_array().unwrap().iter().map(|p| p["id"].as_i64().unwrap()).collect();
        expected.sort_unstable();
        assert!(expected.len() >= 2, "the demo has posts under review: {posts}");

        let browser = TestApp::browser();
        app.login(&browser, "approver-a@demo.local", DEMO_PASSWORD).await;
        let html = browser.get(app.url("/inbox")).send().await.unwrap().text().await.unwrap();
        let listed = waiting_ids(&html);
        // Urgent posts under a running SLA first, nearest deadline first.
        let mut clocks: Vec<(String, i64)> = posts.as_array().unwrap().iter()
            .filter_map(|p| p["sla_deadline"].as_str().map(|d| (d.to_owned(), p["id"].as_i64().unwrap())))
            .collect();
        clocks.sort();
        assert!(clocks.iter().any(|(_, id)| *id == urgent_id), "{clocks:?}");
        let urgent_first: Vec<i64> = clocks.iter().map(|(_, id)| *id).collect();
        assert_eq!(listed[..urgent_first.len()], urgent_first[..], "urgent first, by deadline");
        assert!(html.contains("data-deadline=\""), "the urgent post shows its time left");
        let mut sorted = listed.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, expected, "each post under review once, nothing else");

        // Opening the post reads what approver-a was told about it.
        let approver = app.store.user_by_email(&Email::parse("approver-a@demo.local").unwrap()).await.unwrap().unwrap();
        let unread_of = |items: &[keel_store::plan::inbox::InboxItem]| {
            items.iter().filter(|n| n.link_path.ends_with(&format!("/posts/{urgent_id}")) && n.read_at.is_none()).count()
        };
        assert!(unread_of(&app.store.inbox(approver.id(), 500).await.unwrap()) > 0, "told of the urgent post");
        let r = browser.get(app.url(&format!("/projects/client-a/posts/{urgent_id}"))).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(unread_of(&app.store.inbox(approver.id(), 500).await.unwrap()), 0, "read when opened");

        // Decided, it drops out of the queue (the log keeps it).
        api(&app, &token, reqwest::Method::POST, &format!("/api/v1/posts/{urgent_id}/approve"), Some(json!({}))).await;
        let html = browser.get(app.url("/inbox")).send().await.unwrap().text().await.unwrap();
        assert!(!waiting_ids(&html).contains(&urgent_id));
        assert_eq!(waiting_ids(&html).len(), expected.len() - 1);
        let post = app.store.plan_post_any(PostId(urgent_id)).await.unwrap().unwrap();
        assert_eq!(post.state().as_str(), "approved");

        // In Russian, the queue speaks Russian.
        browser.get(app.url("/lang/ru")).send().await.unwrap();
        let html = browser.get(app.url("/inbox")).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("Ждут вас") && html.contains("Нужно ваше решение"));
    }

    async fn an_author_sees_posts_sent_back_to_them(backend) {
        let Some(app) = TestApp::demo(backend, "inbox_author").await else { return };
        let token = app.token("specialist@demo.local").await;
        let mine = api(&app, &token, reqwest::Method::GET, "/api/v1/projects/client-a/posts?state=changes_requested", None).await;
        let browser = TestApp::browser();
        app.login(&browser, "specialist@demo.local", DEMO_PASSWORD).await;
        let html = browser.get(app.url("/inbox")).send().await.unwrap().text().await.unwrap();
        let listed = waiting_ids(&html);
        let specialist = app.store.user_by_email(&Email::parse("specialist@demo.local").unwrap()).await.unwrap().unwrap();
        for p in mine.as_array().unwrap() {
            let id = p["id"].as_i64().unwrap();
            let author = app.store.plan_post_any(PostId(id)).await.unwrap().unwrap().author_id;
            assert_eq!(listed.contains(&id), author == specialist.id().0, "post {id}");
        }
        assert!(html.contains("data-test=\"waiting\""));
    }
}
