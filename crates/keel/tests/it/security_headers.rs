//! Every kind of answer — a page, the API, a post's image, a static file, an error — carries
//! the browser-hardening headers, and pages run no inline script the policy would block.

use crate::helpers::*;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

fn assert_hardened(what: &str, headers: &HeaderMap) {
    let csp = headers
        .get("content-security-policy")
        .unwrap_or_else(|| panic!("{what}: no Content-Security-Policy"))
        .to_str()
        .unwrap();
    for part in ["default-src 'self'", "script-src 'self'", "frame-ancestors 'none'"] {
        assert!(csp.contains(part), "{what}: the policy {csp:?} lacks {part:?}");
    }
    assert!(!csp.contains("unsafe-eval"), "{what}: {csp:?}");
    let script_src = csp.split(';').find(|d| d.trim().starts_with("script-src")).unwrap();
    assert!(
        !script_src.contains("unsafe-inline"),
        "{what}: inline scripts are allowed: {csp:?}"
    );
    assert_eq!(headers["x-content-type-options"], "nosniff", "{what}");
    assert_eq!(headers["referrer-policy"], "same-origin", "{what}");
    assert_eq!(headers["x-frame-options"], "DENY", "{what}");
}

async fn fetch(app: &TestApp, path: &str, session: Option<&str>, token: Option<&str>) -> reqwest::Response {
    let mut request = reqwest::Client::new().get(app.url(path));
    if let Some(s) = session {
        request = request.header("cookie", format!("keel_session={s}"));
    }
    if let Some(t) = token {
        request = request.bearer_auth(t);
    }
    request.send().await.unwrap()
}

/// Every `<script>` in `html` loads a file; none carries code or an inline event handler.
fn assert_no_inline_script(what: &str, html: &str) {
    for tag in html.split("<script").skip(1) {
        let open = tag.split('>').next().unwrap();
        assert!(open.contains("src="), "{what}: an inline <script>: <script{open}>");
        assert!(
            tag[open.len() + 1..].starts_with("</script>"),
            "{what}: a script with a body"
        );
    }
    for handler in [
        " onclick=",
        " onload=",
        " onchange=",
        " onsubmit=",
        " oninput=",
        " onerror=",
    ] {
        assert!(!html.contains(handler), "{what}: an inline event handler {handler}");
    }
}

on_both_backends! {
    async fn every_kind_of_answer_carries_the_security_headers(backend) {
        let Some(app) = TestApp::demo(backend, "security_headers").await else { return };
        // A page, signed out and signed in; its stylesheet and the post page's script.
        let login = fetch(&app, "/login", None, None).await;
        assert_eq!(login.status(), StatusCode::OK);
        assert_hardened("the login page", login.headers());
        let html = login.text().await.unwrap();
        assert_no_inline_script("the login page", &html);
        let css = html.split("rel=\"stylesheet\" href=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
        let session = app.session("member-a@demo.local").await;
        let projects = fetch(&app, "/projects", Some(&session), None).await;
        assert_eq!(projects.status(), StatusCode::OK);
        assert_hardened("the projects page", projects.headers());
        let static_css = fetch(&app, &css, None, None).await;
        assert_eq!(static_css.status(), StatusCode::OK);
        assert_eq!(static_css.headers()["content-type"], "text/css; charset=utf-8");
        assert_hardened("the stylesheet", static_css.headers());
        let icon = fetch(&app, "/static/icon.svg", None, None).await;
        assert_eq!(icon.status(), StatusCode::OK);
        assert_hardened("the icon", icon.headers());
        // A post with an image: its page loads its script from /static, and the image is
        // served with its own type, inline, under its (quoted) file name.
        let org = app.store.ensure_org(keel::demo::DEMO_ORG_SLUG, "Demo Agency").await.unwrap();
        let project = app.store.project_by_slug(org.id(), "client-a").await.unwrap().unwrap();
        let mut with_image = None;
        for post in app.store.plan_posts_of(project.id()).await.unwrap() {
            if let Some(image) = app.store.plan_images(post.id).await.unwrap().into_iter().next() {
                with_image = Some((post.id, image));
                break;
            }
        }
        let (post, image) = with_image.expect("a demo post with an image");
        let page_path = format!("/projects/client-a/posts/{post}");
        let page = fetch(&app, &page_path, Some(&session), None).await;
        assert_eq!(page.status(), StatusCode::OK);
        assert_hardened("the post page", page.headers());
        let html = page.text().await.unwrap();
        assert_no_inline_script("the post page", &html);
        let script = html.split("<script src=\"").nth(1).expect("the post page loads its script").split('"').next().unwrap().to_owned();
        assert!(script.starts_with("/static/"), "{script}");
        let js = fetch(&app, &script, None, None).await;
        assert_eq!(js.status(), StatusCode::OK);
        assert_eq!(js.headers()["content-type"], "text/javascript; charset=utf-8");
        assert_hardened("the post page's script", js.headers());
        assert!(js.text().await.unwrap().contains("data-main-text"));
        let served = fetch(&app, &format!("{page_path}/images/{}", image.id), Some(&session), None).await;
        assert_eq!(served.status(), StatusCode::OK);
        assert_eq!(served.headers()["content-type"], image.content_type.as_str());
        assert_hardened("a post's image", served.headers());
        let disposition = served.headers()["content-disposition"].to_str().unwrap().to_owned();
        assert!(disposition.starts_with("inline; filename=\""), "{disposition}");
        // The API: an answer and a refusal.
        let token = app.token("client-a@demo.local").await;
        let api = fetch(&app, "/api/v1/projects", None, Some(&token)).await;
        assert_eq!(api.status(), StatusCode::OK);
        assert_hardened("an API answer", api.headers());
        let refused = fetch(&app, "/api/v1/projects", None, None).await;
        assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
        assert_hardened("an API refusal", refused.headers());
        // Errors: the fallback 404, an unknown static file, a page the caller may not see.
        let missing = fetch(&app, "/no/such/page", None, None).await;
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
        assert_hardened("the fallback 404", missing.headers());
        let missing = fetch(&app, "/static/nothing.js", None, None).await;
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
        assert_hardened("a missing static file", missing.headers());
        let forbidden = fetch(&app, "/projects/client-b", Some(&session), None).await;
        assert!(forbidden.status().is_client_error(), "{}", forbidden.status());
        assert_hardened("a page the caller may not see", forbidden.headers());
    }
}
