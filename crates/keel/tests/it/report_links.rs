//! Report share links over HTTP: the agency lead makes one through the API; anyone with the
//! URL reads the report without logging in (noindex, the agency's brand, every open counted)
//! and downloads its PDF; nothing else of the project is reachable from it; revoked or
//! expired, it answers 404. A client member may not make one.

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

on_both_backends! {
    async fn a_share_link_opens_the_report_without_login_until_revoked_or_expired(backend) {
        let Some(app) = TestApp::demo(backend, "report_links").await else { return };
        let org = app.store.default_org().await.unwrap();
        // The agency's brand: accent and a PNG logo.
        let logo = crate::client_reports::png_logo();
        app.store.set_org_brand(org.id(), "#c2185b", Some((logo.clone(), "image/png".into()))).await.unwrap();
        let lead = app.token("agency@demo.local").await;
        let http = reqwest::Client::new();
        let made = http
            .post(app.url("/api/v1/projects/client-a/report-links"))
            .bearer_auth(&lead)
            .json(&json!({ "from": "2026-10-01", "to": "2026-10-31", "lang": "en" }))
            .send()
            .await
            .unwrap();
        assert_eq!(made.status(), StatusCode::CREATED);
        let made: Value = made.json().await.unwrap();
        let url = made["url"].as_str().unwrap().to_owned();
        let path = url[url.find("/r/").unwrap()..].to_owned();
        let expires = chrono::DateTime::parse_from_rfc3339(made["expires_at"].as_str().unwrap()).unwrap();
        let days = (expires.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_hours();
        assert!((29 * 24..=30 * 24).contains(&days), "30 days by default: {days} h");

        // Anyone with the URL: no session, no token.
        let anyone = TestApp::browser();
        for _ in 0..2 {
            let page = anyone.get(app.url(&path)).send().await.unwrap();
            assert_eq!(page.status(), StatusCode::OK);
            assert!(page.headers()["x-robots-tag"].to_str().unwrap().contains("noindex"));
            let html = page.text().await.unwrap();
            assert!(html.contains("<meta name=\"robots\" content=\"noindex"));
            assert!(html.contains("Client A") && html.contains("1 Oct 2026") && html.contains("Demo Agency"));
            assert!(html.contains("--brand: #c2185b"), "the accent colour");
            assert!(html.contains(&format!("{path}/logo")), "the logo");
            // Nothing leads into the project.
            assert!(!html.contains("href=\"/projects/"), "no link into Keel");
        }
        let links = app.store.report_links_of(keel_domain::ProjectId(1)).await.unwrap();
        let link = links.iter().find(|l| l.id == made["id"].as_i64().unwrap()).unwrap();
        assert_eq!(link.opened, 2, "every open counted");
        let served_logo = anyone.get(app.url(&format!("{path}/logo"))).send().await.unwrap();
        assert_eq!(served_logo.headers()["content-type"], "image/png");
        assert_eq!(served_logo.bytes().await.unwrap().to_vec(), logo);
        let pdf = anyone.get(app.url(&format!("{path}/report.pdf"))).send().await.unwrap();
        assert_eq!(pdf.status(), StatusCode::OK);
        assert_eq!(pdf.headers()["content-type"], "application/pdf");
        let pdf = pdf.bytes().await.unwrap();
        assert!(pdf.starts_with(b"%PDF"));
        if let Some(text) = crate::client_reports::pdf_text("share_link_pdf", &pdf) {
            assert!(text.contains("Demo Agency") && text.contains("1 Oct 2026 – 31 Oct 2026"));
        }
        // The link's token opens nothing else.
        let token = path.trim_start_matches("/r/");
        for other in ["/projects/client-a", "/projects/client-a/analytics", "/api/v1/projects/client-a/report"] {
            let r = anyone.get(app.url(other)).bearer_auth(token).send().await.unwrap();
            assert!(r.status() == StatusCode::UNAUTHORIZED || r.status().is_redirection() || r.status() == StatusCode::NOT_FOUND, "{other}: {}", r.status());
        }

        // A client member may not make links, nor revoke them.
        let member = app.token("member-a@demo.local").await;
        let refused = http.post(app.url("/api/v1/projects/client-a/report-links")).bearer_auth(&member).json(&json!({})).send().await.unwrap();
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        let refused = http.post(app.url(&format!("/api/v1/report-links/{}/revoke", made["id"]))).bearer_auth(&member).send().await.unwrap();
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        // Client B's owner does not even see it.
        let other = app.token("client-b@demo.local").await;
        let hidden = http.post(app.url(&format!("/api/v1/report-links/{}/revoke", made["id"]))).bearer_auth(&other).send().await.unwrap();
        assert_eq!(hidden.status(), StatusCode::NOT_FOUND);

        // Revoked: 404, for the page, the PDF and the logo alike.
        let revoked = http.post(app.url(&format!("/api/v1/report-links/{}/revoke", made["id"]))).bearer_auth(&lead).send().await.unwrap();
        assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
        for p in [path.clone(), format!("{path}/report.pdf"), format!("{path}/logo")] {
            assert_eq!(anyone.get(app.url(&p)).send().await.unwrap().status(), StatusCode::NOT_FOUND, "{p}");
        }
        // Expired: 404.
        let project = app.store.project_by_slug(org.id(), "client-a").await.unwrap().unwrap();
        let lead_user = app.store.user_by_email(&keel_domain::Email::parse("agency@demo.local").unwrap()).await.unwrap().unwrap();
        let (_, expired) = app.store.create_report_link(org.id(), project.id(), None, None, "en", lead_user.id(), 0).await.unwrap();
        assert_eq!(anyone.get(app.url(&format!("/r/{expired}"))).send().await.unwrap().status(), StatusCode::NOT_FOUND);
        assert_eq!(anyone.get(app.url("/r/not-a-token")).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    }
}
