//! The content plan's approvals through the API as the demo roles, end to end.

use crate::helpers::*;
use chrono::{DateTime, Duration, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn api(app: &TestApp, token: &str, method: &str, path: &str, body: Option<Value>) -> (StatusCode, Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut request = reqwest::Client::new().request(method, app.url(path)).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// The demo's first client-a post: in review, written by the specialist.
async fn demo_post_in_review(app: &TestApp, token: &str) -> Value {
    let (status, posts) = api(
        app,
        token,
        "GET",
        "/api/v1/projects/client-a/posts?state=in_review",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{posts}");
    posts
        .as_array()
        .unwrap()
        .iter()
        .find(|p| !p["urgent"].as_bool().unwrap())
        .expect("a post in review")
        .clone()
}

async fn new_post(app: &TestApp, token: &str, urgent: bool) -> i64 {
    let body = json!({ "text": "Pumpkin spice latte is back", "platforms": ["vk", "telegram"], "urgent": urgent,
                       "variants": { "telegram": "Pumpkin spice latte is back ☕" } });
    let (status, post) = api(app, token, "POST", "/api/v1/projects/client-a/posts", Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{post}");
    assert_eq!(post["state"], "draft");
    assert_eq!(post["revision_rounds"], 0);
    post["id"].as_i64().unwrap()
}

fn events(post: &Value) -> Vec<(String, String)> {
    post["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_owned(),
                e["actor"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn time(v: &Value) -> DateTime<Utc> {
    v.as_str().expect("a timestamp").parse().unwrap()
}

on_both_backends! {
    async fn a_members_approval_is_refused_and_their_comment_is_advisory(backend) {
        let Some(app) = TestApp::demo(backend, "wf_member").await else { return };
        let member = app.token("member-a@demo.local").await;
        let post = demo_post_in_review(&app, &member).await;
        let id = post["id"].as_i64().unwrap();
        let (status, body) = api(&app, &member, "POST", &format!("/api/v1/posts/{id}/approve"), None).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        let (status, _) = api(&app, &member, "POST", &format!("/api/v1/posts/{id}/request-changes"), Some(json!({"comment": "no"}))).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        // The client owner is not a designated approver either.
        let owner = app.token("client-a@demo.local").await;
        assert_eq!(api(&app, &owner, "POST", &format!("/api/v1/posts/{id}/approve"), None).await.0, StatusCode::FORBIDDEN);
        let (status, comment) = api(&app, &member, "POST", &format!("/api/v1/posts/{id}/comments"), Some(json!({"text": "Add the shop address?"}))).await;
        assert_eq!(status, StatusCode::CREATED, "{comment}");
        assert_eq!(comment["advisory"], true);
        // A member cannot turn a remark into a binding suggestion.
        let (status, _) = api(&app, &member, "POST", &format!("/api/v1/posts/{id}/comments"), Some(json!({"text": "x", "suggestion": true}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let approver = app.token("approver-a@demo.local").await;
        let (_, comment) = api(&app, &approver, "POST", &format!("/api/v1/posts/{id}/comments"), Some(json!({"text": "Fine by me"}))).await;
        assert_eq!(comment["advisory"], false);
        // Nothing moved, and the refused approvals left no trace.
        let (_, post) = api(&app, &member, "GET", &format!("/api/v1/posts/{id}"), None).await;
        assert_eq!(post["state"], "in_review");
        assert!(!events(&post).iter().any(|(a, _)| a == "approved"));
    }

    async fn request_changes_then_resubmit_counts_one_round_and_approval_is_on_the_record(backend) {
        let Some(app) = TestApp::demo(backend, "wf_round").await else { return };
        let specialist = app.token("specialist@demo.local").await;
        let approver = app.token("approver-a@demo.local").await;
        let id = new_post(&app, &specialist, false).await;
        let (status, post) = api(&app, &specialist, "POST", &format!("/api/v1/posts/{id}/submit"), None).await;
        assert_eq!((status, post["state"].as_str()), (StatusCode::OK, Some("in_review")), "{post}");
        assert_eq!(post["sla_deadline"], Value::Null, "only urgent posts have an SLA");
        // Changes need a comment, which becomes an open suggestion.
        let (status, _) = api(&app, &approver, "POST", &format!("/api/v1/posts/{id}/request-changes"), Some(json!({}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (status, post) = api(&app, &approver, "POST", &format!("/api/v1/posts/{id}/request-changes"), Some(json!({"comment": "Say «coffee house»"}))).await;
        assert_eq!(status, StatusCode::OK, "{post}");
        assert_eq!(post["state"], "changes_requested");
        assert_eq!(post["revision_rounds"], 1);
        let suggestion = post["comments"].as_array().unwrap().iter().find(|c| c["suggestion"] == "open").unwrap()["id"].as_i64().unwrap();
        // Resubmitting with the suggestion unanswered is refused; declining needs a reason.
        let (status, body) = api(&app, &specialist, "POST", &format!("/api/v1/posts/{id}/submit"), None).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert!(body["error"].as_str().unwrap().contains("suggestion"), "{body}");
        let path = format!("/api/v1/posts/{id}/suggestions/{suggestion}");
        assert_eq!(api(&app, &specialist, "POST", &path, Some(json!({"resolution": "declined"}))).await.0, StatusCode::UNPROCESSABLE_ENTITY);
        let (status, _) = api(&app, &specialist, "POST", &path, Some(json!({"resolution": "declined", "reason": "Brand book says café"}))).await;
        assert_eq!(status, StatusCode::OK);
        let (status, post) = api(&app, &specialist, "POST", &format!("/api/v1/posts/{id}/edit"), Some(json!({"text": "Pumpkin spice latte is back!"}))).await;
        assert_eq!(status, StatusCode::OK, "{post}");
        let (_, post) = api(&app, &specialist, "POST", &format!("/api/v1/posts/{id}/submit"), None).await;
        assert_eq!(post["state"], "in_review");
        assert_eq!(post["revision_rounds"], 1, "one change request, one round");
        // The declined suggestion does not block the approval.
        let before = Utc::now() - Duration::seconds(1);
        let (status, post) = api(&app, &approver, "POST", &format!("/api/v1/posts/{id}/approve"), Some(json!({"comment": "Go"}))).await;
        let after = Utc::now() + Duration::seconds(1);
        assert_eq!(status, StatusCode::OK, "{post}");
        assert_eq!(post["state"], "approved");
        assert_eq!(post["flagged"], false);
        let approval = post["events"].as_array().unwrap().iter().find(|e| e["action"] == "approved").unwrap();
        assert_eq!(approval["actor"], "approver-a@demo.local");
        let at = time(&approval["at"]);
        assert!(before <= at && at <= after, "approved at {at}");
        assert_eq!(
            events(&post),
            [
                ("created", "specialist@demo.local"),
                ("submitted", "specialist@demo.local"),
                ("changes_requested", "approver-a@demo.local"),
                ("suggestion_declined", "specialist@demo.local"),
                ("edited", "specialist@demo.local"),
                ("submitted", "specialist@demo.local"),
                ("approved", "approver-a@demo.local"),
            ]
            .map(|(a, b)| (a.to_owned(), b.to_owned()))
        );
        // Approved is final for the approver: a second decision is refused as "not now".
        assert_eq!(api(&app, &approver, "POST", &format!("/api/v1/posts/{id}/approve"), None).await.0, StatusCode::CONFLICT);
        // The audit trail refuses to be rewritten, on both backends.
        let tampered = keel_store::on_pool!(app.store.raw_pool_for_tests(), p => {
            sqlx::query("UPDATE audit_events SET action = 'nothing'").execute(p).await.map(|_| ())
        });
        assert!(tampered.is_err());
    }

    async fn nobody_approves_their_own_post(backend) {
        let Some(app) = TestApp::demo(backend, "wf_own").await else { return };
        // The specialist also becomes an approver of client-a: still not of their own post.
        keel::commands::add_member(&app.store, "client-a", "specialist@demo.local", "client_approver", None).await.unwrap();
        let specialist = app.token("specialist@demo.local").await;
        let id = new_post(&app, &specialist, false).await;
        api(&app, &specialist, "POST", &format!("/api/v1/posts/{id}/submit"), None).await;
        let (status, body) = api(&app, &specialist, "POST", &format!("/api/v1/posts/{id}/approve"), None).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(body["error"].as_str().unwrap().contains("own post"), "{body}");
        // The workflow page now warns: three approvers is too many cooks.
        let (_, workflow) = api(&app, &specialist, "GET", "/api/v1/projects/client-a/workflow", None).await;
        assert_eq!(workflow["approvers"].as_array().unwrap().len(), 2);
        assert_eq!(workflow["too_many_approvers"], false);
        keel::commands::add_member(&app.store, "client-a", "member-a@demo.local", "client_approver", None).await.unwrap();
        let (_, workflow) = api(&app, &specialist, "GET", "/api/v1/projects/client-a/workflow", None).await;
        assert_eq!(workflow["too_many_approvers"], true);
    }

    async fn client_b_gets_404_on_client_a_posts(backend) {
        let Some(app) = TestApp::demo(backend, "wf_404").await else { return };
        let specialist = app.token("specialist@demo.local").await;
        let id = demo_post_in_review(&app, &specialist).await["id"].as_i64().unwrap();
        let client_b = app.token("client-b@demo.local").await;
        for (method, path) in [
            ("GET", format!("/api/v1/posts/{id}")),
            ("POST", format!("/api/v1/posts/{id}/approve")),
            ("POST", format!("/api/v1/posts/{id}/request-changes")),
            ("POST", format!("/api/v1/posts/{id}/comments")),
            ("POST", format!("/api/v1/posts/{id}/submit")),
            ("GET", "/api/v1/projects/client-a/posts".to_owned()),
            ("POST", "/api/v1/projects/client-a/posts".to_owned()),
        ] {
            let (status, _) = api(&app, &client_b, method, &path, Some(json!({"comment": "x", "text": "x"}))).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path}");
        }
        // The same answer as for a post that does not exist.
        assert_eq!(api(&app, &client_b, "GET", "/api/v1/posts/999999", None).await.0, StatusCode::NOT_FOUND);
        // … while client-b works on their own plan.
        let (status, posts) = api(&app, &client_b, "GET", "/api/v1/projects/client-b/posts", None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(posts.as_array().unwrap().iter().all(|p| p["project"] == "client-b"));
    }

    async fn an_urgent_post_has_a_30_minute_sla_and_its_miss_is_recorded(backend) {
        let Some(app) = TestApp::demo(backend, "wf_sla").await else { return };
        let specialist = app.token("specialist@demo.local").await;
        let approver = app.token("approver-a@demo.local").await;
        let runner = keel::jobs::runner(&app.store);
        // The demo's own timers (its urgent posts) run first, so what follows is this post's.
        runner.run_due(keel_store::now() + Duration::hours(1)).await.unwrap();
        let inbox_before = api(&app, &approver, "GET", "/api/v1/notifications", None).await.1.as_array().unwrap().len();
        let id = new_post(&app, &specialist, true).await;
        let (_, post) = api(&app, &specialist, "POST", &format!("/api/v1/posts/{id}/submit"), None).await;
        let submitted = time(&post["submitted_at"]);
        assert_eq!(time(&post["sla_deadline"]), submitted + Duration::minutes(30));
        // Approvers hear at once …
        runner.run_due(submitted).await.unwrap();
        let inbox = api(&app, &approver, "GET", "/api/v1/notifications", None).await.1;
        assert_eq!(inbox.as_array().unwrap().len(), inbox_before + 1, "{inbox}");
        assert_eq!(inbox[0]["kind"], "urgent_post_submitted");
        assert_eq!(inbox[0]["link"], format!("/projects/client-a/posts/{id}"));
        // … again at half the SLA, and not before.
        runner.run_due(submitted + Duration::minutes(14)).await.unwrap();
        assert_eq!(api(&app, &approver, "GET", "/api/v1/notifications", None).await.1.as_array().unwrap().len(), inbox_before + 1);
        runner.run_due(submitted + Duration::minutes(15)).await.unwrap();
        let inbox = api(&app, &approver, "GET", "/api/v1/notifications", None).await.1;
        assert_eq!(inbox[0]["kind"], "sla_halfway");
        // At the deadline nothing is missed yet; a second later it is.
        runner.run_due(submitted + Duration::minutes(29)).await.unwrap();
        let (_, post) = api(&app, &specialist, "GET", &format!("/api/v1/posts/{id}"), None).await;
        assert_eq!(post["sla_missed"], false);
        runner.run_due(submitted + Duration::minutes(30) + Duration::seconds(1)).await.unwrap();
        let (_, post) = api(&app, &specialist, "GET", &format!("/api/v1/posts/{id}"), None).await;
        assert_eq!(post["sla_missed"], true);
        assert_eq!(post["state"], "in_review", "auto-approval is off by default");
        let miss = post["events"].as_array().unwrap().iter().find(|e| e["action"] == "sla_missed").expect("the miss is recorded");
        assert_eq!(miss["actor"], "keel");
        assert_eq!(time(&miss["at"]), submitted + Duration::minutes(30));
        let inbox = api(&app, &approver, "GET", "/api/v1/notifications", None).await.1;
        assert_eq!(inbox[0]["kind"], "sla_missed");
        // The lead hears of the miss too.
        let lead = app.token("agency@demo.local").await;
        let lead_inbox = api(&app, &lead, "GET", "/api/v1/notifications", None).await.1;
        assert!(lead_inbox.as_array().unwrap().iter().any(|n| n["kind"] == "sla_missed" && n["link"].as_str().unwrap().ends_with(&format!("/{id}"))));
        // The approver can still decide late; the health figures count the miss.
        let (status, _) = api(&app, &approver, "POST", &format!("/api/v1/posts/{id}/approve"), None).await;
        assert_eq!(status, StatusCode::OK);
        let (_, workflow) = api(&app, &approver, "GET", "/api/v1/projects/client-a/workflow", None).await;
        assert_eq!(workflow["urgent_sla_minutes"], 30);
        assert!(workflow["health"]["urgent_settled"].as_u64().unwrap() >= 1, "{workflow}");
    }

    async fn with_auto_approval_silence_means_consent(backend) {
        let Some(app) = TestApp::demo(backend, "wf_auto").await else { return };
        let specialist = app.token("specialist@demo.local").await;
        let lead = app.token("agency@demo.local").await;
        // Only the agency lead or the client owner changes the settings; bad values are refused.
        let (status, _) = api(&app, &specialist, "POST", "/api/v1/projects/client-a/workflow", Some(json!({"auto_approve": true}))).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, body) = api(&app, &lead, "POST", "/api/v1/projects/client-a/workflow", Some(json!({"urgent_sla_minutes": 0}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"].as_str().unwrap().contains("urgent_sla_minutes"), "{body}");
        let (status, settings) = api(&app, &lead, "POST", "/api/v1/projects/client-a/workflow", Some(json!({"auto_approve": true, "urgent_sla_minutes": 10}))).await;
        assert_eq!(status, StatusCode::OK, "{settings}");
        assert_eq!((settings["auto_approve"].as_bool(), settings["urgent_sla_minutes"].as_u64()), (Some(true), Some(10)));
        let id = new_post(&app, &specialist, true).await;
        let (_, post) = api(&app, &specialist, "POST", &format!("/api/v1/posts/{id}/submit"), None).await;
        let submitted = time(&post["submitted_at"]);
        assert_eq!(time(&post["sla_deadline"]), submitted + Duration::minutes(10));
        let runner = keel::jobs::runner(&app.store);
        runner.run_due(submitted + Duration::minutes(11)).await.unwrap();
        let (_, post) = api(&app, &specialist, "GET", &format!("/api/v1/posts/{id}"), None).await;
        assert_eq!(post["state"], "approved");
        assert_eq!(post["sla_deadline"], Value::Null, "no clock runs on an approved post");
        let trail = events(&post);
        assert_eq!(trail[trail.len() - 2..], [("sla_missed".to_owned(), "keel".to_owned()), ("auto_approved".to_owned(), "keel".to_owned())]);
        // The author is told it went through.
        let inbox = api(&app, &specialist, "GET", "/api/v1/notifications", None).await.1;
        assert!(inbox.as_array().unwrap().iter().any(|n| n["kind"] == "post_approved" && n["link"].as_str().unwrap().ends_with(&format!("/{id}"))));
    }

    async fn platform_limits_and_images_are_checked(backend) {
        let Some(app) = TestApp::demo(backend, "wf_limits").await else { return };
        let specialist = app.token("specialist@demo.local").await;
        let body = json!({ "text": "x".repeat(2_201), "platforms": ["instagram", "vk"] });
        let (_, post) = api(&app, &specialist, "POST", "/api/v1/projects/client-a/posts", Some(body)).await;
        let id = post["id"].as_i64().unwrap();
        let problems: Vec<&str> = post["problems"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("2201 characters") && problems[0].contains("2200"), "{problems:?}");
        assert!(problems[1].contains("image"), "{problems:?}");
        let (status, body) = api(&app, &specialist, "POST", &format!("/api/v1/posts/{id}/submit"), None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"].as_str().unwrap().contains("Instagram"), "{body}");
        // Images: judged by their bytes, size-limited.
        let upload = |bytes: Vec<u8>| {
            reqwest::Client::new()
                .post(app.url(&format!("/api/v1/posts/{id}/images?name=cover.png")))
                .bearer_auth(&specialist)
                .body(bytes)
                .send()
        };
        let response = upload(b"<svg onload=alert(1)>".to_vec()).await.unwrap();
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(response.text().await.unwrap().contains("not a PNG, JPEG, WebP or GIF"));
        // Over the image limit (checked in the store: this test server's body limit is lower).
        let mut big = keel::demo::plan::DEMO_PNG.to_vec();
        big.resize(keel_store::plan::images::MAX_IMAGE_BYTES + 1, 0);
        let org = app.store.ensure_org(keel::demo::DEMO_ORG_SLUG, "Demo Agency").await.unwrap();
        let stored = app.store.plan_post(org.id(), keel_domain::PostId(id)).await.unwrap().unwrap();
        let user = app.store.user_by_email(&keel_domain::Email::parse("specialist@demo.local").unwrap()).await.unwrap().unwrap();
        let who = app.store.relation_to(stored.project(), user.id(), stored.author_id).await.unwrap();
        let err = app.store.add_plan_image(&stored, who, user.id(), "huge.png", &big).await.unwrap_err();
        assert!(err.to_string().contains("larger than the 8 MB an image may be"), "{err}");
        let response = upload(keel::demo::plan::DEMO_PNG.to_vec()).await.unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
        let image: Value = response.json().await.unwrap();
        assert_eq!(image["content_type"], "image/png");
        let (_, post) = api(&app, &specialist, "POST", &format!("/api/v1/posts/{id}/edit"),
            Some(json!({"variants": {"instagram": "Short caption #coffee"}}))).await;
        assert_eq!(post["problems"], json!([]), "{post}");
        let (status, post) = api(&app, &specialist, "POST", &format!("/api/v1/posts/{id}/submit"), None).await;
        assert_eq!((status, post["state"].as_str()), (StatusCode::OK, Some("in_review")), "{post}");
        // A post under review is frozen.
        let (status, _) = api(&app, &specialist, "POST", &format!("/api/v1/posts/{id}/edit"), Some(json!({"text": "late change"}))).await;
        assert_eq!(status, StatusCode::CONFLICT);
        // Unknown platforms and fields are named in the error.
        let (status, body) = api(&app, &specialist, "POST", "/api/v1/projects/client-a/posts", Some(json!({"text": "a", "platforms": ["tiktok"]}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"].as_str().unwrap().contains("tiktok"), "{body}");
    }
}
