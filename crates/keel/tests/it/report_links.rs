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

on_both_backends! {
    async fn the_reports_tab_makes_links_sets_the_schedule_and_the_admin_sets_the_brand(backend) {
        let Some(app) = TestApp::demo(backend, "reports_tab").await else { return };
        let lead = TestApp::browser();
        app.login(&lead, "agency@demo.local", DEMO_PASSWORD).await;
        let page = lead.get(app.url("/projects/client-a/reports?from=2026-10-01&to=2026-10-31")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("href=\"/projects/client-a/report.pdf?from=2026-10-01&"), "{page}");
        assert!(page.contains("href=\"/projects/client-a/report.xlsx?from=2026-10-01&"), "{page}");
        let csrf = csrf_of(&page);
        // A link, shown once.
        let made = lead
            .post(app.url("/projects/client-a/reports/links"))
            .form(&[("_csrf", csrf.as_str()), ("from", "2026-10-01"), ("to", "2026-10-31"), ("days", "7"), ("lang", "ru")])
            .send().await.unwrap();
        assert_eq!(made.status(), StatusCode::OK);
        let html = made.text().await.unwrap();
        let at = html.find("/r/").expect("the new link");
        let path: String = html[at..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '/').collect();
        let shared = TestApp::browser().get(app.url(&path)).send().await.unwrap().text().await.unwrap();
        assert!(shared.contains("Отчёт по ссылке"), "the Russian report");
        // The schedule: weekly on Monday at 08:30 New York time, to the owner and the approver.
        let owner = app.store.user_by_email(&keel_domain::Email::parse("client-a@demo.local").unwrap()).await.unwrap().unwrap();
        let approver = app.store.user_by_email(&keel_domain::Email::parse("approver-a@demo.local").unwrap()).await.unwrap().unwrap();
        let (o, a) = (owner.id().0.to_string(), approver.id().0.to_string());
        let saved = lead
            .post(app.url("/projects/client-a/reports/schedule"))
            .form(&[("_csrf", csrf.as_str()), ("cadence", "weekly"), ("day_of", "1"), ("at", "08:30"), ("time_zone", "America/New_York"), ("lang", "en"), ("recipient", o.as_str()), ("recipient", a.as_str())])
            .send().await.unwrap();
        assert!(saved.status().is_redirection(), "{}", saved.status());
        let org = app.store.default_org().await.unwrap();
        let project = app.store.project_by_slug(org.id(), "client-a").await.unwrap().unwrap();
        assert_eq!(project.time_zone, "America/New_York");
        let schedule = app.store.report_schedule(project.id()).await.unwrap().unwrap();
        assert_eq!((schedule.cadence.as_str(), schedule.day_of, schedule.at_time.as_str()), ("weekly", 1, "08:30"));
        assert_eq!(schedule.recipient_ids(), vec![owner.id().0, approver.id().0]);
        let local = schedule.next_run_at.with_timezone(&chrono_tz::America::New_York);
        assert_eq!((local.format("%u %H:%M").to_string()), "1 08:30", "Monday 08:30 in New York");
        // A bad zone is refused with the reason.
        let bad = lead
            .post(app.url("/projects/client-a/reports/schedule"))
            .form(&[("_csrf", csrf.as_str()), ("cadence", "weekly"), ("day_of", "1"), ("at", "08:30"), ("time_zone", "Mars/Olympus")])
            .send().await.unwrap();
        assert_eq!(bad.status(), StatusCode::BAD_REQUEST);

        // The brand: a PNG logo and a colour; anything but PNG or JPEG is refused.
        let org_page = lead.get(app.url("/settings/organization")).send().await.unwrap().text().await.unwrap();
        let csrf = csrf_of(&org_page);
        let upload = |bytes: Vec<u8>, name: &'static str| {
            reqwest::multipart::Form::new()
                .text("_csrf", csrf.clone())
                .text("accent", "#1565C0")
                .part("logo", reqwest::multipart::Part::bytes(bytes).file_name(name))
        };
        let refused = lead.post(app.url("/settings/organization/brand")).multipart(upload(b"<svg/>".to_vec(), "logo.svg")).send().await.unwrap();
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
        let ok = lead.post(app.url("/settings/organization/brand")).multipart(upload(crate::client_reports::png_logo(), "logo.png")).send().await.unwrap();
        assert!(ok.status().is_redirection(), "{}", ok.status());
        let brand = app.store.org_brand(org.id()).await.unwrap();
        assert_eq!((brand.accent.as_str(), brand.logo_type.as_deref()), ("#1565c0", Some("image/png")));
        // The client owner may not change the agency's brand.
        let owner_browser = TestApp::browser();
        app.login(&owner_browser, "client-a@demo.local", DEMO_PASSWORD).await;
        let page = owner_browser.get(app.url("/projects/client-a/reports")).send().await.unwrap().text().await.unwrap();
        let refused = owner_browser
            .post(app.url("/settings/organization/brand"))
            .multipart(reqwest::multipart::Form::new().text("_csrf", csrf_of(&page)).text("accent", "#000000"))
            .send().await.unwrap();
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    }
}
