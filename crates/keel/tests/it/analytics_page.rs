//! The analytics page and its report downloads, as people see them, on the demo year.

use crate::helpers::*;
use reqwest::StatusCode;

/// `GET path` as the signed-in `email` (in `lang`): status, content type, body.
async fn get_as(app: &TestApp, email: &str, path: &str, lang: &str) -> (StatusCode, String, String) {
    let session = app.session(email).await;
    let response = reqwest::Client::new()
        .get(app.url(path))
        .header("cookie", format!("keel_session={session}; keel_lang={lang}"))
        .send()
        .await
        .unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, content_type, response.text().await.unwrap())
}

async fn get(app: &TestApp, email: &str, path: &str) -> (StatusCode, String, String) {
    get_as(app, email, path, "en").await
}

/// The text of the element of `html` marked `data-test="{test}"`, up to its first `</`.
fn marked<'a>(html: &'a str, test: &str) -> Vec<&'a str> {
    html.split(&format!("data-test=\"{test}\""))
        .skip(1)
        .map(|rest| rest.split_once('>').map_or("", |(_, r)| r))
        .collect()
}

on_both_backends! {
    async fn client_b_sees_the_bot_purchase_marked_on_its_charts(backend) {
        let Some(app) = TestApp::demo(backend, "analytics_purchase").await else { return };
        let (status, _, html) = get(&app, "client-b@demo.local", "/projects/client-b/analytics").await;
        assert_eq!(status, StatusCode::OK);
        // One suspected purchase, explained: the viral day (2026-03-14) is not one.
        let spikes = marked(&html, "spike");
        assert_eq!(spikes.len(), 1, "{spikes:?}");
        assert!(spikes[0].contains("12 Jun 2026") && spikes[0].contains("clientb.fitness"), "{}", spikes[0]);
        assert!(!html.contains("14 Mar 2026 ·"));
        let gain = marked(&html, "spike-gain")[0];
        assert!(gain.starts_with('+'), "{gain}");
        // The charts carry a labelled marker linking to the definition.
        assert!(html.contains(r#"<a class="marker" href="/definitions#bots">"#));
        assert!(html.contains("Suspected purchase · 12 Jun"));
        assert!(html.contains(r#"data-test="spike-badge""#));
        // Figures link to their definitions; the tab is there and current.
        for anchor in ["#period-er", "#err", "#erv", "#growth", "#ads", "#funnel", "#baseline", "#bots"] {
            assert!(html.contains(&format!("href=\"/definitions{anchor}\"")), "no link to {anchor}");
        }
        assert!(html.contains(r#"href="/projects/client-b/analytics" aria-current="page""#));
        // Numbers for people.
        assert!(html.contains("1 Nov 2025 – 31 Oct 2026"), "the period in words");
        assert!(html.contains(r#"href="/projects/client-b/report.html""#));
    }

    async fn client_a_sees_the_sales_stage_worse_in_the_client_zone(backend) {
        let Some(app) = TestApp::demo(backend, "analytics_funnel").await else { return };
        let (status, _, html) = get(&app, "client-a@demo.local", "/projects/client-a/analytics").await;
        assert_eq!(status, StatusCode::OK);
        let stages = marked(&html, "stage");
        assert_eq!(stages.len(), 3);
        let sales = stages[2];
        assert!(sales.contains("Leads → deals"), "{sales}");
        assert!(sales.contains("Client zone") && sales.contains("verdict-worse"), "{sales}");
        assert!(stages[0].contains("Agency zone") && stages[0].contains("steady"), "{}", stages[0]);
        let worse = marked(&html, "verdict-worse");
        assert_eq!(worse.len(), 1, "{worse:?}");
        assert!(worse[0].starts_with("Leads → deals:"), "{}", worse[0]);
        assert!(worse[0].contains("client&#39;s zone") || worse[0].contains("client's zone"), "{}", worse[0]);
        assert!(!worse[0].contains("agency&#39;s zone") && !worse[0].contains("agency's zone"));
        // In Russian too, with Russian numbers.
        let (_, _, ru) = get_as(&app, "client-a@demo.local", "/projects/client-a/analytics", "ru").await;
        assert!(ru.contains("Аналитика") && ru.contains("Зона клиента") && ru.contains("хуже"));
        assert!(ru.contains("1 нояб. 2025 – 31 окт. 2026"));
        // A chosen month is compared with the month before; money says its currency; the best
        // and worst posts are listed once each.
        let (_, _, october) = get(&app, "client-a@demo.local", "/projects/client-a/analytics?from=2026-10-01&to=2026-10-31").await;
        let changes = marked(&october, "change");
        assert!(!changes.is_empty() && changes.iter().any(|c| c.contains("pp vs ")), "{} changes", changes.len());
        assert!(october.contains("Spend, RUB"), "the spend's currency");
        assert_eq!(october.matches("data-test=\"analytics.best\"").count(), 1);
        assert_eq!(october.matches("data-test=\"analytics.worst\"").count(), 1);
        assert!(!october.contains(">I</a>"), "interactions are named, not lettered");
        // Posts are shown by their text, linked to the post on its platform, not by id alone.
        let best = october.split("data-test=\"analytics.best\"").nth(1).unwrap();
        let best = &best[..best.find("</table>").unwrap()];
        let linked = best.matches("<a href=\"https://").count();
        assert!(linked >= 3, "best posts linked to the platform: {best}");
        assert!(best.contains("rel=\"noopener noreferrer nofollow\""), "{best}");
        assert!(
            ["Эфиопии", "фильтр", "Скидка", "обжарщик", "латте-арту", "кофемолках"].iter().any(|w| best.contains(w)),
            "the posts' text: {best}"
        );
        let (_, _, all) = get(&app, "client-a@demo.local", "/projects/client-a/analytics").await;
        assert!(marked(&all, "change").is_empty(), "all data has no period before it");
    }

    async fn a_bad_period_is_refused_with_a_message_on_the_page(backend) {
        let Some(app) = TestApp::demo(backend, "analytics_bad_period").await else { return };
        let (status, _, html) = get(&app, "agency@demo.local", "/projects/client-a/analytics?from=2026-13-01").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let error = marked(&html, "period-error");
        assert_eq!(error.len(), 1);
        assert!(error[0].contains("2026-13-01") && error[0].contains("YYYY-MM-DD"), "{}", error[0]);
        // The form keeps what was typed, so it can be corrected.
        assert!(html.contains(r#"name="from" value="2026-13-01""#));
        let (status, _, _) = get(&app, "agency@demo.local", "/projects/client-a/analytics?from=2026-03-01&to=2026-02-01").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let (status, _, _) = get(&app, "agency@demo.local", "/projects/client-a/report.json?to=yesterday").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        // A period with nothing in it says so and points to the data page.
        let (status, _, html) = get(&app, "agency@demo.local", "/projects/client-a/analytics?from=2030-01-01").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains(r#"data-test="period-empty""#) && html.contains(r#"href="/projects/client-a/data""#));
    }

    async fn the_report_downloads_work(backend) {
        let Some(app) = TestApp::demo(backend, "analytics_downloads").await else { return };
        let who = "client-b@demo.local";
        let (status, content_type, html) = get(&app, who, "/projects/client-b/report.html").await;
        assert_eq!(status, StatusCode::OK);
        assert!(content_type.starts_with("text/html"));
        assert!(html.starts_with("<!doctype html>") && html.contains("<style>"));
        assert!(!html.contains("<link") && !html.contains("<script"), "self-contained");
        assert!(html.contains("12 Jun 2026") && html.contains(r##"href="#bots""##) && html.contains(r#"id="bots""#));

        let (status, content_type, body) = get(&app, who, "/projects/client-b/report.json?from=2026-06-01&to=2026-06-30").await;
        assert_eq!(status, StatusCode::OK);
        assert!(content_type.starts_with("application/json"));
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(json["period"]["from"], "2026-06-01");
        assert_eq!(json["bot_spikes"][0]["date"], "2026-06-12");
        assert!(!json["posts"].as_array().unwrap().is_empty());

        let (status, content_type, csv) = get(&app, who, "/projects/client-b/report.csv").await;
        assert_eq!(status, StatusCode::OK);
        assert!(content_type.starts_with("text/csv"));
        assert!(csv.starts_with("section,") && csv.contains("\nbot_spike,"));
    }

    async fn a_client_cannot_see_another_clients_analytics(backend) {
        let Some(app) = TestApp::demo(backend, "analytics_isolation").await else { return };
        for path in ["/projects/client-b/analytics", "/projects/client-b/report.json", "/projects/client-b/report.html"] {
            let (status, _, _) = get(&app, "client-a@demo.local", path).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        }
    }

    async fn a_project_without_data_says_how_to_get_some(backend) {
        let Some(app) = TestApp::demo(backend, "analytics_no_data").await else { return };
        keel::commands::create_project(&app.store, "empty", "Empty", None, None).await.unwrap();
        keel::commands::add_member(&app.store, "empty", "agency@demo.local", "agency_lead", None).await.unwrap();
        let (status, _, html) = get(&app, "agency@demo.local", "/projects/empty/analytics").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains(r#"data-test="no-data""#) && html.contains(r#"href="/projects/empty/data""#));
    }
}
