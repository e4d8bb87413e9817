//! The content plan's pages as the demo roles see them.

use crate::helpers::*;
use reqwest::StatusCode;

async fn page(app: &TestApp, email: &str, path: &str) -> (StatusCode, String) {
    let session = app.session(email).await;
    let response = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(app.url(path))
        .header("cookie", format!("keel_session={session}"))
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.text().await.unwrap())
}

/// A CSRF token the test sets as both cookie and form field.
const CSRF: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

async fn demo_posts(app: &TestApp, slug: &str) -> Vec<keel_store::plan::posts::PlanPost> {
    let org = app
        .store
        .ensure_org(keel::demo::DEMO_ORG_SLUG, "Demo Agency")
        .await
        .unwrap();
    let project = app.store.project_by_slug(org.id(), slug).await.unwrap().unwrap();
    app.store.plan_posts_of(project.id()).await.unwrap()
}

on_both_backends! {
    async fn the_calendar_list_post_and_audit_pages_show_the_plan(backend) {
        let Some(app) = TestApp::demo(backend, "content_plan_pages").await else { return };
        let posts = demo_posts(&app, "client-a").await;
        // Every workflow state is in the demo.
        for state in ["draft", "in_review", "changes_requested", "approved", "scheduled", "published", "failed"] {
            assert!(posts.iter().any(|p| p.state.as_str() == state), "client-a has a {state} post");
            assert!(demo_posts(&app, "client-b").await.iter().any(|p| p.state.as_str() == state), "client-b has a {state} post");
        }
        assert!(posts.iter().any(|p| p.flagged()), "a post past two rounds is flagged");
        let (status, html) = page(&app, "approver-a@demo.local", "/projects/client-a/plan").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("data-test=\"calendar\"") && html.contains("data-test=\"draft-item\""));
        assert!(html.contains("plan-item state-scheduled"), "posts are coloured by state");
        assert!(!html.contains("data-test=\"new-post\""), "approvers do not write posts");
        let (_, week) = page(&app, "specialist@demo.local", "/projects/client-a/plan?view=week").await;
        assert!(week.contains("calendar week") && week.contains("data-test=\"new-post\""));
        let (_, list) = page(&app, "member-a@demo.local", "/projects/client-a/plan?view=list&state=published&platform=instagram").await;
        assert!(list.contains("data-test=\"plan-list\""));
        assert_eq!(list.matches("state state-published").count(), 1, "filtered by state and platform");
        // The post page: previews, counts, comments, trail; approve button for the approver only.
        let in_review = posts.iter().find(|p| p.state.as_str() == "in_review" && !p.urgent).unwrap();
        let path = format!("/projects/client-a/posts/{}", in_review.id);
        let (status, html) = page(&app, "approver-a@demo.local", &path).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("data-test=\"approve\"") && html.contains("data-test=\"preview-telegram\""));
        assert!(html.contains("/ 1024"), "Telegram under a photo: the caption limit");
        assert!(html.contains("Maxim Sales") && html.contains("advisory"));
        let (_, html) = page(&app, "member-a@demo.local", &path).await;
        assert!(!html.contains("data-test=\"approve\""));
        // The same post under another project's slug does not exist; client-b sees nothing.
        assert_eq!(page(&app, "agency@demo.local", &format!("/projects/client-b/posts/{}", in_review.id)).await.0, StatusCode::NOT_FOUND);
        assert_eq!(page(&app, "client-b@demo.local", &path).await.0, StatusCode::NOT_FOUND);
        // Images are served with their sniffed type and never sniffed again by the browser.
        let image = app.store.plan_images(in_review.id).await.unwrap()[0].id;
        let session = app.session("member-a@demo.local").await;
        let response = reqwest::Client::new()
            .get(app.url(&format!("{path}/images/{image}")))
            .header("cookie", format!("keel_session={session}"))
            .send().await.unwrap();
        assert_eq!(response.headers()["content-type"], "image/png");
        assert_eq!(response.headers()["x-content-type-options"], "nosniff");
        assert_eq!(&response.bytes().await.unwrap()[..], keel::demo::plan::DEMO_PNG);
        // The project's audit page and the workflow card.
        let (_, audit) = page(&app, "client-a@demo.local", "/projects/client-a/audit").await;
        assert!(audit.contains("requested changes") && audit.contains("Olga Approver"));
        let (_, overview) = page(&app, "client-a@demo.local", "/projects/client-a").await;
        assert!(overview.contains("data-test=\"workflow-card\"") && overview.contains("Olga Approver"));
        assert!(!overview.contains("data-test=\"health-median\">—"), "the demo has approved posts");
        // In Russian too.
        let session = app.session("client-a@demo.local").await;
        let ru = reqwest::Client::new().get(app.url("/projects/client-a/plan"))
            .header("cookie", format!("keel_session={session}; keel_lang=ru"))
            .send().await.unwrap().text().await.unwrap();
        assert!(ru.contains("Черновики без даты") && ru.contains("Контент-план"));
        // The inbox words each notification in the reader's language, with the unread count.
        keel::jobs::runner(&app.store).run_due(keel_store::now()).await.unwrap();
        let inbox = reqwest::Client::new().get(app.url("/inbox"))
            .header("cookie", format!("keel_session={}; keel_lang=ru", app.session("approver-a@demo.local").await))
            .send().await.unwrap().text().await.unwrap();
        assert!(inbox.contains("Нужно согласование: «New single-origin"), "{inbox}");
        assert!(inbox.contains("data-test=\"unread-count\""));
    }

    async fn page_forms_follow_the_same_rules(backend) {
        let Some(app) = TestApp::demo(backend, "plan_forms").await else { return };
        let in_review = demo_posts(&app, "client-a").await.into_iter().find(|p| p.state.as_str() == "in_review" && !p.urgent).unwrap();
        let post = |email: &'static str, path: String, mut form: Vec<(&'static str, &'static str)>| {
            let app = &app;
            async move {
                let session = app.session(email).await;
                form.push(("_csrf", CSRF));
                reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
                    .post(app.url(&path))
                    .header("cookie", format!("keel_session={session}; keel_csrf={CSRF}"))
                    .form(&form).send().await.unwrap()
            }
        };
        let base = format!("/projects/client-a/posts/{}", in_review.id);
        // A member may not decide; the specialist may not decide either.
        assert_eq!(post("member-a@demo.local", format!("{base}/decide"), vec![("decision", "approve")]).await.status(), StatusCode::FORBIDDEN);
        assert_eq!(post("specialist@demo.local", format!("{base}/decide"), vec![("decision", "approve")]).await.status(), StatusCode::FORBIDDEN);
        // Requesting changes without a comment shows the page again with the reason.
        let response = post("approver-a@demo.local", format!("{base}/decide"), vec![("decision", "request_changes"), ("comment", "")]).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert!(response.text().await.unwrap().contains("say what should change"));
        let response = post("approver-a@demo.local", format!("{base}/decide"), vec![("decision", "request_changes"), ("comment", "Add the price")]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let org = app.store.ensure_org(keel::demo::DEMO_ORG_SLUG, "Demo Agency").await.unwrap();
        let now = app.store.plan_post(org.id(), in_review.id).await.unwrap().unwrap();
        assert_eq!((now.state.as_str(), now.revision_rounds), ("changes_requested", 1));
        // A new draft from the calendar's form.
        let response = post("specialist@demo.local", "/projects/client-a/plan".into(),
            vec![("text", "Hello from the form"), ("vk", "on"), ("scheduled_at", "2026-12-01T09:30")]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let created = app.store.plan_posts_of(now.project()).await.unwrap().into_iter().find(|p| p.text == "Hello from the form").unwrap();
        assert_eq!(created.scheduled_at.unwrap().to_rfc3339(), "2026-12-01T09:30:00+00:00");
        let response = post("specialist@demo.local", "/projects/client-a/plan".into(), vec![("text", "No platform")]).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert!(response.text().await.unwrap().contains("platforms"));
    }
}
