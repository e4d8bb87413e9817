//! What an attacker or a careless file sends: NUL characters, formulas meant for a
//! spreadsheet, big images and big data files, images asked for under the wrong post.

use crate::helpers::*;
use keel_web::{AppState, WebConfig};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn api(app: &TestApp, token: &str, method: &str, path: &str, body: Value) -> (StatusCode, Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let response = reqwest::Client::new()
        .request(method, app.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Keel with the demo and the production upload limit (64 MB).
async fn demo_with_uploads(backend: Backend, test: &str) -> Option<TestApp> {
    let app = TestApp::with_state(backend, test, |store| {
        AppState::new(
            store,
            WebConfig {
                max_body_bytes: 64 * 1024 * 1024,
                ..Default::default()
            },
        )
    })
    .await?;
    keel::demo::fill(&app.store).await.expect("demo data");
    Some(app)
}

async fn new_draft(app: &TestApp, token: &str) -> i64 {
    let (status, post) = api(
        app,
        token,
        "POST",
        "/api/v1/projects/client-a/posts",
        json!({"text": "Cupping", "platforms": ["vk"]}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{post}");
    post["id"].as_i64().unwrap()
}

/// A valid PNG of noise, about `side`² × 3 bytes (noise does not compress).
fn noisy_png(side: u32) -> Vec<u8> {
    let mut seed = 0x2545_f491_u32;
    let picture = image::RgbImage::from_fn(side, side, |_, _| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let [a, b, c, _] = seed.to_le_bytes();
        image::Rgb([a, b, c])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    picture.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A browser logged in as `email`, and the CSRF token of `path`'s first form.
async fn signed_in(app: &TestApp, email: &str, path: &str) -> (reqwest::Client, String) {
    let browser = TestApp::browser();
    app.login(&browser, email, DEMO_PASSWORD).await;
    let html = browser.get(app.url(path)).send().await.unwrap().text().await.unwrap();
    (browser, csrf_of(&html))
}

on_both_backends! {
    async fn nul_characters_are_refused_with_the_field_named(backend) {
        let Some(app) = TestApp::demo(backend, "nul_refused").await else { return };
        let token = app.token("specialist@demo.local").await;
        let (status, body) = api(&app, &token, "POST", "/api/v1/projects/client-a/posts", json!({"text": "a\u{0}b", "platforms": ["vk"]})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"].as_str().unwrap().contains("field `text`"), "{body}");
        let (status, _) = api(&app, &token, "POST", "/api/v1/projects/client-a/posts", json!({"text": "ok", "platforms": ["vk"], "rubric": "x\u{0}"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let id = new_draft(&app, &token).await;
        let (status, _) = api(&app, &token, "POST", &format!("/api/v1/posts/{id}/comments"), json!({"text": "\u{0}"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (status, _) = api(&app, &token, "GET", "/api/v1/projects/client%00-a", Value::Null).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        // Unauthenticated: the login form with a NUL in the e-mail.
        let browser = TestApp::browser();
        let html = browser.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
        let csrf = csrf_of(&html);
        let response = browser.post(app.url("/login")).form(&[("email", "a\u{0}@demo.local"), ("password", "x"), ("_csrf", csrf.as_str())]).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        // A web form: the comment box of a post.
        let path = format!("/projects/client-a/posts/{id}");
        let (browser, csrf) = signed_in(&app, "specialist@demo.local", &path).await;
        let response = browser.post(app.url(&format!("{path}/comments"))).form(&[("_csrf", csrf.as_str()), ("text", "x\u{0}y")]).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        // Overlong typed text is refused the same way.
        let (status, body) = api(&app, &token, "POST", &format!("/api/v1/posts/{id}/edit"), json!({"rubric": "r".repeat(101)})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"].as_str().unwrap().contains("at most 100"), "{body}");
    }

    async fn the_csv_report_neutralises_formulas(backend) {
        let Some(app) = TestApp::demo(backend, "csv_formulas").await else { return };
        let token = app.token("agency@demo.local").await;
        let csv = "platform,account,post_id,published_at,likes\nvk,\"=HYPERLINK(\"\"http://evil.example/x\"\")\",p1,2026-01-05,3\nvk,@SUM(A1),-12_34,2026-01-05,1\n";
        let response = reqwest::Client::new().post(app.url("/api/v1/projects/client-a/imports?format=posts")).bearer_auth(&token).body(csv).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{}", response.text().await.unwrap());
        let session = app.session("agency@demo.local").await;
        let report = reqwest::Client::new().get(app.url("/projects/client-a/report.csv?from=2026-01-05&to=2026-01-05"))
            .header("cookie", format!("keel_session={session}")).send().await.unwrap().text().await.unwrap();
        assert!(report.contains("'=HYPERLINK"), "{report}");
        assert!(report.contains(",'@SUM(A1),") && report.contains(",'-12_34,"), "{report}");
        for cell in report.lines().flat_map(|l| l.split(',')) {
            let cell = cell.trim_start_matches('"');
            assert!(!cell.starts_with(['=', '@']), "a live formula: {cell}");
        }
    }

    async fn images_are_decoded_up_to_eight_megabytes_and_served_only_under_their_post(backend) {
        let Some(app) = TestApp::demo(backend, "image_uploads").await else { return };
        let token = app.token("specialist@demo.local").await;
        let id = new_draft(&app, &token).await;
        let big = noisy_png(1000);
        assert!(big.len() > 2_900_000 && big.len() < 8_000_000, "{} bytes", big.len());
        let response = reqwest::Client::new().post(app.url(&format!("/api/v1/posts/{id}/images?name=big.png"))).bearer_auth(&token).body(big.clone()).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::CREATED, "{}", response.text().await.unwrap());
        // The same through the post page's form.
        let path = format!("/projects/client-a/posts/{id}");
        let (browser, csrf) = signed_in(&app, "specialist@demo.local", &path).await;
        let form = reqwest::multipart::Form::new()
            .text("_csrf", csrf)
            .part("image", reqwest::multipart::Part::bytes(big).file_name("big.png").mime_str("image/png").unwrap());
        let response = browser.post(app.url(&format!("{path}/images"))).multipart(form).send().await.unwrap();
        assert!(response.status().is_redirection() || response.status() == StatusCode::OK, "{}", response.status());
        let images = app.store.plan_images(keel_domain::PostId(id)).await.unwrap();
        assert_eq!(images.len(), 2);
        // A PNG signature followed by garbage is not an image.
        let mut fake = keel::demo::plan::DEMO_PNG[..16].to_vec();
        fake.extend(std::iter::repeat_n(7u8, 5000));
        let response = reqwest::Client::new().post(app.url(&format!("/api/v1/posts/{id}/images?name=fake.png"))).bearer_auth(&token).body(fake).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(response.text().await.unwrap().contains("does not decode"));
        // An image answers under its own post only.
        let other = new_draft(&app, &token).await;
        let session = app.session("specialist@demo.local").await;
        let get = |post: i64| reqwest::Client::new()
            .get(app.url(&format!("/projects/client-a/posts/{post}/images/{}", images[0].id)))
            .header("cookie", format!("keel_session={session}")).send();
        assert_eq!(get(id).await.unwrap().status(), StatusCode::OK);
        assert_eq!(get(other).await.unwrap().status(), StatusCode::NOT_FOUND);
    }

    async fn a_thirty_megabyte_data_file_uploads_through_the_api_and_the_page(backend) {
        let Some(app) = demo_with_uploads(backend, "big_data_upload").await else { return };
        let account = "a".repeat(200);
        let make = |prefix: &str| {
            let mut csv = String::from("platform,account,post_id,published_at,likes,comments\n");
            let mut n = 0;
            while csv.len() < 30 * 1024 * 1024 {
                csv.push_str(&format!("vk,{account},{prefix}{n},2026-02-01,{},1\n", n % 50));
                n += 1;
            }
            (csv, n)
        };
        let token = app.token("agency@demo.local").await;
        let (csv, rows) = make("api");
        let response = reqwest::Client::new().post(app.url("/api/v1/projects/client-a/imports?format=posts")).bearer_auth(&token).body(csv).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let summary: Value = response.json().await.unwrap();
        assert_eq!(summary["stored"], json!(rows));
        let (csv, rows) = make("web");
        let (browser, csrf) = signed_in(&app, "agency@demo.local", "/projects/client-a/data").await;
        let form = reqwest::multipart::Form::new()
            .text("_csrf", csrf.clone())
            .text("format", "posts")
            .part("file", reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("big.csv"));
        let response = browser.post(app.url("/projects/client-a/data")).multipart(form).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let html = response.text().await.unwrap();
        assert!(html.contains("data-test=\"import-ok\"") && html.contains(&format!("{rows}")), "{}", &html[..html.len().min(3000)]);
        // A rejected file is explained where and why in the reader's language.
        let bad = "platform,account,post_id,published_at,likes\nvk,b,1,2026-02-30,x\n";
        for (lang, expected) in [
            ("en", ["line 2, column \"published_at\"", "is not a whole number"]),
            ("ru", ["строка 2, столбец «published_at»", "— не целое число"]),
        ] {
            browser.get(app.url(&format!("/lang/{lang}?next=/"))).send().await.unwrap();
            let form = reqwest::multipart::Form::new()
                .text("_csrf", csrf.clone())
                .text("format", "posts")
                .part("file", reqwest::multipart::Part::bytes(bad.as_bytes().to_vec()).file_name("bad.csv"));
            let response = browser.post(app.url("/projects/client-a/data")).multipart(form).send().await.unwrap();
            assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
            let html = response.text().await.unwrap();
            let shown = html.split("data-test=\"import-rejected\"").nth(1).expect("the rejection");
            let shown = &shown[..shown.find("</div>").unwrap()].replace("&quot;", "\"").replace("&#34;", "\"");
            for words in expected {
                assert!(shown.contains(words), "{lang}: {words} in {shown}");
            }
        }
    }
}
