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

    async fn a_refused_decision_is_worded_in_the_pages_language(backend) {
        let Some(app) = TestApp::demo(backend, "plan_refusal_lang").await else { return };
        let in_review = demo_posts(&app, "client-a").await.into_iter().find(|p| p.state.as_str() == "in_review" && !p.urgent).unwrap();
        let session = app.session("approver-a@demo.local").await;
        let decide = |cookie: String, accept_language: Option<&'static str>| {
            let app = &app;
            let path = format!("/projects/client-a/posts/{}/decide", in_review.id);
            async move {
                let mut request = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
                    .post(app.url(&path))
                    .header("cookie", cookie)
                    .form(&[("decision", "request_changes"), ("comment", "  "), ("_csrf", CSRF)]);
                if let Some(lang) = accept_language {
                    request = request.header("accept-language", lang);
                }
                let response = request.send().await.unwrap();
                (response.status(), response.text().await.unwrap())
            }
        };
        // The language switcher's cookie.
        let (status, body) = decide(format!("keel_session={session}; keel_csrf={CSRF}; keel_lang=ru"), None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body.contains("напишите, что нужно изменить"), "{body}");
        assert!(!body.contains("say what should change"), "{body}");
        // The browser's language.
        let (status, body) = decide(format!("keel_session={session}; keel_csrf={CSRF}"), Some("ru-RU,ru;q=0.9,en;q=0.5")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body.contains("напишите, что нужно изменить"), "{body}");
        // English otherwise, word for word as before.
        let (status, body) = decide(format!("keel_session={session}; keel_csrf={CSRF}"), Some("en-GB")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body.contains("field `comment`: say what should change (it becomes a suggestion)"), "{body}");
        // The API speaks English whatever the caller's language.
        let token = app.token("approver-a@demo.local").await;
        let response = reqwest::Client::new()
            .post(app.url(&format!("/api/v1/posts/{}/request-changes", in_review.id)))
            .bearer_auth(&token)
            .header("accept-language", "ru")
            .json(&serde_json::json!({ "comment": "" }))
            .send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["error"], "field `comment`: say what should change (it becomes a suggestion)");

        // An approver who wrote the post may not send it back: in Russian on a Russian page.
        keel::commands::add_member(&app.store, "client-a", "specialist@demo.local", "client_approver", None).await.unwrap();
        let specialist = app.token("specialist@demo.local").await;
        let api = reqwest::Client::new();
        let created: serde_json::Value = api.post(app.url("/api/v1/projects/client-a/posts")).bearer_auth(&specialist)
            .json(&serde_json::json!({ "text": "Own post", "platforms": ["vk"] }))
            .send().await.unwrap().json().await.unwrap();
        let own = created["id"].as_i64().expect("created");
        let submitted = api.post(app.url(&format!("/api/v1/posts/{own}/submit"))).bearer_auth(&specialist).send().await.unwrap();
        assert_eq!(submitted.status(), StatusCode::OK);
        let specialist_session = app.session("specialist@demo.local").await;
        let response = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
            .post(app.url(&format!("/projects/client-a/posts/{own}/decide")))
            .header("cookie", format!("keel_session={specialist_session}; keel_csrf={CSRF}; keel_lang=ru"))
            .form(&[("decision", "request_changes"), ("comment", "Свой пост"), ("_csrf", CSRF)])
            .send().await.unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        let body = response.text().await.unwrap();
        assert!(body.contains("нельзя согласовать или вернуть на доработку собственный пост"), "{body}");
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
        // The form takes the project's local time: 09:30 in Moscow (the demo's zone) is 06:30 UTC.
        assert_eq!(created.scheduled_at.unwrap().to_rfc3339(), "2026-12-01T06:30:00+00:00");
        let response = post("specialist@demo.local", "/projects/client-a/plan".into(), vec![("text", "No platform")]).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert!(response.text().await.unwrap().contains("platforms"));
    }
}

/// The cells of one column of the audit table (`data-test` = `test`), as text.
fn audit_cells(html: &str, test: &str) -> Vec<String> {
    html.split(&format!("data-test=\"{test}\">"))
        .skip(1)
        .map(|c| {
            let cell = c.split("</td>").next().unwrap();
            let mut text = String::new();
            let mut in_tag = false;
            for ch in cell.chars() {
                match ch {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => text.push(c),
                    _ => {}
                }
            }
            text
        })
        .collect()
}

on_both_backends! {
    async fn the_audit_trail_names_each_object_and_change_and_filters(backend) {
        let Some(app) = TestApp::demo(backend, "audit_page").await else { return };
        let (status, html) = page(&app, "agency@demo.local", "/projects/client-a/audit").await;
        assert_eq!(status, StatusCode::OK);
        let changes = audit_cells(&html, "audit-change");
        let objects = audit_cells(&html, "audit-object");
        assert!(changes.len() > 10 && changes.len() == objects.len());
        // No row reads only "recorded"; every row names its object.
        assert!(!changes.iter().any(|c| c.trim() == "recorded"), "{changes:?}");
        for o in &objects {
            assert!(o.contains(": ") || o.starts_with("Project"), "an object without a name: {o:?}");
        }
        assert!(objects.iter().any(|o| o.starts_with("Post: «")), "posts by their text");
        assert!(objects.iter().any(|o| o == "Goal: ER by followers"), "goals by their metric: {objects:?}");
        // Narrowed to goals: only goals, set and agreed.
        let (_, goals) = page(&app, "agency@demo.local", "/projects/client-a/audit?kind=goals").await;
        let goal_objects = audit_cells(&goals, "audit-object");
        assert!(!goal_objects.is_empty() && goal_objects.iter().all(|o| o.starts_with("Goal: ")), "{goal_objects:?}");
        let goal_changes = audit_cells(&goals, "audit-change");
        assert!(goal_changes.iter().any(|c| c.starts_with("set the goal")) && goal_changes.iter().any(|c| c.starts_with("agreed the goal")));
        // Narrowed to one person: only what they did.
        let approver = app.store.user_by_email(&keel_domain::Email::parse("approver-a@demo.local").unwrap()).await.unwrap().unwrap();
        let (_, theirs) = page(&app, "agency@demo.local", &format!("/projects/client-a/audit?person={}", approver.id().0)).await;
        let who = audit_cells(&theirs, "audit-who");
        assert!(!who.is_empty() && who.iter().all(|w| *w == approver.display_name), "only {}'s entries: {who:?}", approver.display_name);
        // A filter that matches nothing says how to see everything.
        let (_, none) = page(&app, "agency@demo.local", "/projects/client-a/audit?kind=people").await;
        assert!(none.contains("Choose “Everything”"));
        // In Russian.
        let session = app.session("agency@demo.local").await;
        let ru = reqwest::Client::new().get(app.url("/projects/client-a/audit?kind=goals"))
            .header("cookie", format!("keel_session={session}; keel_lang=ru"))
            .send().await.unwrap().text().await.unwrap();
        assert!(ru.contains("согласовал(а) цель") && ru.contains("ER по подписчикам"));
    }
}

on_both_backends! {
    async fn a_refused_post_form_keeps_what_was_typed(backend) {
        let Some(app) = TestApp::demo(backend, "post_form_keeps").await else { return };
        let browser = TestApp::browser();
        app.login(&browser, "specialist@demo.local", DEMO_PASSWORD).await;
        let html = browser.get(app.url("/projects/client-a/plan")).send().await.unwrap().text().await.unwrap();
        let csrf = csrf_of(&html);
        // No platform ticked: refused, and the caption, time, rubric and urgency are still there.
        let caption = "Winter blend <launch> & tasting — 10 December";
        let form = [("_csrf", csrf.as_str()), ("text", caption), ("scheduled_at", "2026-12-10T09:30"), ("rubric", "Launches"), ("urgent", "on")];
        let r = browser.post(app.url("/projects/client-a/plan")).form(&form).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        let page = r.text().await.unwrap();
        assert!(page.contains("Winter blend &#60;launch&#62; &#38; tasting — 10 December</textarea>"), "the caption is kept, escaped");
        assert!(page.contains("value=\"2026-12-10T09:30\"") && page.contains("value=\"Launches\""));
        assert!(page.contains("name=\"urgent\" value=\"on\" checked"));
        // The reason stands at the platforms, in words; in Russian for a Russian reader.
        assert!(page.contains("data-test=\"field-error-platforms\">tick at least one platform"), "at the field");
        browser.get(app.url("/lang/ru")).send().await.unwrap();
        let ru = browser.post(app.url("/projects/client-a/plan")).form(&form).send().await.unwrap();
        let ru = ru.text().await.unwrap();
        assert!(ru.contains("data-test=\"field-error-platforms\">отметьте хотя бы одну площадку"), "in Russian at the field");
        browser.get(app.url("/lang/en")).send().await.unwrap();
        // A refused edit on the post page keeps the edit, not the stored text.
        let draft = app.store.plan_posts_of(app.store.project_by_slug(app.store.default_org().await.unwrap().id(), "client-a").await.unwrap().unwrap().id())
            .await.unwrap().into_iter().find(|p| p.state().as_str() == "draft").expect("a draft in the demo");
        let path = format!("/projects/client-a/posts/{}", draft.id);
        let html = browser.get(app.url(&path)).send().await.unwrap().text().await.unwrap();
        let csrf = csrf_of(&html);
        let edit = [("_csrf", csrf.as_str()), ("text", "A better caption, typed with care"), ("vk", "on"), ("scheduled_at", "tomorrow morning")];
        let r = browser.post(app.url(&format!("{path}/edit"))).form(&edit).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        let page = r.text().await.unwrap();
        assert!(page.contains("A better caption, typed with care</textarea>"), "the edit is kept");
        assert!(page.contains("value=\"tomorrow morning\""));
        assert_eq!(app.store.plan_post_any(draft.id).await.unwrap().unwrap().text, draft.text, "nothing stored");
    }
}
