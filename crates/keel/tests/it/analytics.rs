//! Data in and figures out, through the API, on the demo year.

use crate::helpers::*;
use keel_testkit::day_sums::rounded;
use reqwest::StatusCode;
use serde_json::Value;

async fn report(app: &TestApp, token: &str, slug: &str, query: &str) -> (StatusCode, Value) {
    let url = app.url(&format!("/api/v1/projects/{slug}/report{query}"));
    let response = reqwest::Client::new().get(url).bearer_auth(token).send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn import(app: &TestApp, token: &str, slug: &str, format: &str, body: &str) -> (StatusCode, Value) {
    let url = app.url(&format!(
        "/api/v1/projects/{slug}/imports?format={format}&source=test.csv"
    ));
    let response = reqwest::Client::new()
        .post(url)
        .bearer_auth(token)
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Sends only the headers of an import of `length` bytes and returns the raw response.
async fn announce_upload(app: &TestApp, token: &str, length: usize) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut socket = tokio::net::TcpStream::connect(app.url("").trim_start_matches("http://"))
        .await
        .unwrap();
    let head = format!(
        "POST /api/v1/projects/client-a/imports?format=posts HTTP/1.1\r\nHost: keel\r\nAuthorization: Bearer {token}\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n"
    );
    socket.write_all(head.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    let read = socket.read_to_end(&mut response);
    tokio::time::timeout(std::time::Duration::from_secs(10), read)
        .await
        .expect("an answer before the body")
        .unwrap();
    String::from_utf8_lossy(&response).into_owned()
}

on_both_backends! {
    async fn the_demo_purchase_is_flagged_and_the_viral_day_is_not(backend) {
        let Some(app) = TestApp::demo(backend, "demo_spikes").await else { return };
        let token = app.token("client-b@demo.local").await;
        let (status, r) = report(&app, &token, "client-b", "").await;
        assert_eq!(status, StatusCode::OK);
        let spikes = r["bot_spikes"].as_array().unwrap();
        assert_eq!(spikes.len(), 1, "{spikes:?}");
        assert_eq!(spikes[0]["date"], "2026-06-12");
        assert_eq!(spikes[0]["account"], "clientb.fitness");
        assert!(spikes[0]["gain"].as_i64().unwrap() >= keel::demo::year::PURCHASED_FOLLOWERS);
        assert!(spikes[0]["er_after"].as_f64().unwrap() < 0.8 * spikes[0]["er_before"].as_f64().unwrap());
        // A period that holds only the viral day's month finds nothing either.
        let (_, march) = report(&app, &token, "client-b", "?from=2026-03-01&to=2026-03-31").await;
        assert_eq!(march["bot_spikes"], serde_json::json!([]));
        assert_eq!(march["period"]["from"], "2026-03-01");
    }

    async fn the_demo_funnel_blames_the_sales_stage_on_the_client(backend) {
        let Some(app) = TestApp::demo(backend, "demo_funnel").await else { return };
        let token = app.token("agency@demo.local").await;
        let (_, r) = report(&app, &token, "client-a", "").await;
        let stages = r["funnel"].as_array().unwrap();
        let verdicts: Vec<(&str, &str, &str)> = stages
            .iter()
            .map(|s| (s["stage"].as_str().unwrap(), s["zone"].as_str().unwrap(), s["verdict"].as_str().unwrap()))
            .collect();
        assert_eq!(
            verdicts,
            [("impressions_to_clicks", "agency", "steady"), ("clicks_to_leads", "agency", "steady"), ("leads_to_deals", "client", "worse")]
        );
        assert!(stages[2]["z"].as_f64().unwrap() < -2.58);
        // The demo's agreed goals, with progress measured from the data.
        let goals: Vec<&str> = r["goals"].as_array().unwrap().iter().map(|g| g["metric"].as_str().unwrap()).collect();
        assert_eq!(goals, ["er_followers", "leads"]);
        assert!(r["goals"].as_array().unwrap().iter().all(|g| g["progress_pct"].is_number() && g["agreed"] == true), "{}", r["goals"]);
        assert_eq!(r["accounts"].as_array().unwrap().len(), 2);
    }

    async fn the_api_report_is_the_cli_report(backend) {
        let Some(app) = TestApp::demo(backend, "api_equals_cli").await else { return };
        let token = app.token("client-a@demo.local").await;
        let (_, api) = report(&app, &token, "client-a", "?from=2026-01-01&to=2026-03-31").await;
        let project = app.store.project_by_slug(app.store.default_org().await.unwrap().id(), "client-a").await.unwrap().unwrap();
        let mut out = Vec::new();
        keel_report::write_report_json(&app.store, &project, chrono::NaiveDate::from_ymd_opt(2026, 1, 1), chrono::NaiveDate::from_ymd_opt(2026, 3, 31), &mut out).await.unwrap();
        let cli: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(api, cli);
        assert!(!api["posts"].as_array().unwrap().is_empty());
        let (status, bad) = report(&app, &token, "client-a", "?from=2026-13-01").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(bad["error"].as_str().unwrap().contains("YYYY-MM-DD"));
    }

    async fn imports_keep_the_day_sums_equal_to_a_recount(backend) {
        let Some(app) = TestApp::demo(backend, "api_post_days").await else { return };
        let token = app.token("specialist@demo.local").await;
        let org = app.store.ensure_org(keel::demo::DEMO_ORG_SLUG, "Demo Agency").await.unwrap().id;
        let project = app.store.project_by_slug(keel_domain::OrgId(org), "client-a").await.unwrap().unwrap().id;
        let (first, last) = (chrono::NaiveDate::MIN, chrono::NaiveDate::MAX);
        let days_of = |account: &'static str| {
            let store = app.store.clone();
            async move {
                let all = store.post_days(project, first, last).await.unwrap();
                let a = all.into_iter().find(|a| a.account == account).expect("the account's days");
                a.days.iter().map(|d| (d.day.to_string(), d.posts, d.interactions)).collect::<Vec<_>>()
            }
        };
        // Every row new: the sums gathered while streaming are added.
        let head = "platform,account,post_id,published_at,type,likes,comments,shares,saves,views,reach,impressions,followers\n";
        let first_file = format!("{head}vk,sums,p1,2026-11-01T10:00:00Z,photo,10,0,0,0,,,,100\n\
                                  vk,sums,p2,2026-11-01T23:59:59Z,photo,5,1,0,0,,,,100\n\
                                  vk,sums,p3,2026-11-02T00:00:00Z,photo,7,0,0,0,,,,100\n");
        let (status, s) = import(&app, &token, "client-a", "posts", &first_file).await;
        assert_eq!((status, s["stored"].as_u64()), (StatusCode::OK, Some(3)), "{s}");
        let d1 = ("2026-11-01".to_owned(), 2, 16);
        let d2 = ("2026-11-02".to_owned(), 1, 7);
        assert_eq!(days_of("sums").await, [d1.clone(), d2.clone()]);
        // A newer snapshot moves p1 to 11-03 and a line repeats a key: the account is recounted.
        let second = format!("{head}vk,sums,p1,2026-11-03T09:00:00Z,photo,11,0,0,0,,,,100\n\
                              vk,sums,p4,2026-11-03T10:00:00Z,photo,1,0,0,0,,,,100\n\
                              vk,sums,p4,2026-11-03T10:00:00Z,photo,2,0,0,0,,,,100\n");
        let (status, s) = import(&app, &token, "client-a", "posts", &second).await;
        assert_eq!((status, s["stored"].as_u64(), s["replaced"].as_u64()), (StatusCode::OK, Some(1), Some(2)), "{s}");
        let moved = [("2026-11-01".to_owned(), 1, 6), d2, ("2026-11-03".to_owned(), 2, 13)];
        assert_eq!(days_of("sums").await, moved);
        // New posts on a day that already has some: added to it.
        let third = format!("{head}vk,sums,p5,2026-11-03T11:00:00Z,photo,4,0,0,0,,,,100\n");
        import(&app, &token, "client-a", "posts", &third).await;
        let before = app.store.post_days(project, first, last).await.unwrap();
        assert_eq!(days_of("sums").await[2], ("2026-11-03".to_owned(), 3, 17));
        // Whatever the path, the summary is what a recount of every post gives.
        app.store.refresh_post_days(project).await.unwrap();
        let recounted = app.store.post_days(project, first, last).await.unwrap();
        assert_eq!(rounded(&recounted), rounded(&before));
        // A row that cannot be read (not written by Keel) is recounted, not added to.
        keel_store::on_pool!(app.store.raw_pool_for_tests(), p => {
            sqlx::query("UPDATE post_days SET days = $1 WHERE project_id = $2 AND account = 'sums'")
                .bind(vec![0u8; 3]).bind(project).execute(p).await.map(|_| ()).unwrap()
        });
        let fourth = format!("{head}vk,sums,p6,2026-11-04T11:00:00Z,photo,5,0,0,0,,,,100\n");
        import(&app, &token, "client-a", "posts", &fourth).await;
        let mut want = moved.to_vec();
        want[2] = ("2026-11-03".to_owned(), 3, 17);
        want.push(("2026-11-04".to_owned(), 1, 5));
        assert_eq!(days_of("sums").await, want);
    }

    async fn a_bad_file_is_rejected_with_line_and_column_and_changes_nothing(backend) {
        let Some(app) = TestApp::demo(backend, "api_import").await else { return };
        let token = app.token("specialist@demo.local").await;
        let good = "platform,account,post_id,published_at,type,likes,comments,shares,saves,views,reach,impressions,followers\n\
                    vk,newacc,p1,2026-11-01T10:00:00Z,photo,10,2,3,1,,800,1000,800\n\
                    vk,newacc,p2,2026-11-02T10:00:00Z,photo,20,0,0,0,,,,1000\n";
        let (status, summary) = import(&app, &token, "client-a", "posts", good).await;
        assert_eq!(status, StatusCode::OK, "{summary}");
        assert_eq!((summary["rows_read"].as_u64(), summary["stored"].as_u64()), (Some(2), Some(2)));
        let (_, again) = import(&app, &token, "client-a", "posts", good).await;
        assert_eq!((again["stored"].as_u64(), again["unchanged"].as_u64()), (Some(0), Some(2)));
        let bad = good.replace("10,2,3,1", "ten,2,3,1").replace("p2,2026-11-02", "p2,2026-11-31");
        let (status, rejected) = import(&app, &token, "client-a", "posts", &bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let problems = rejected["problems"].as_array().unwrap();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!((problems[0]["line"].as_u64(), problems[0]["column"].as_str()), (Some(2), Some("likes")));
        assert_eq!((problems[1]["line"].as_u64(), problems[1]["column"].as_str()), (Some(3), Some("published_at")));
        // Figures for the new account: p1 ER = (10+2+3+1)/800×100 = 2.0; p2 ER = 20/1000×100 = 2.0.
        let (_, r) = report(&app, &token, "client-a", "?from=2026-11-01&to=2026-11-30").await;
        let account = r["accounts"].as_array().unwrap().iter().find(|a| a["account"] == "newacc").unwrap().clone();
        assert_eq!(account["interactions"], 36);
        assert_eq!(account["er_followers"], 2.0);
        // ERR over posts with reach: 16/800×100 = 2.0; no post has views.
        assert_eq!(account["err_reach"], 2.0);
        assert_eq!(account["er_views"], Value::Null);
    }

    async fn imports_need_the_right_role_and_a_known_format(backend) {
        let Some(app) = TestApp::demo(backend, "import_roles").await else { return };
        let member = app.token("member-a@demo.local").await;
        let (status, _) = import(&app, &member, "client-a", "posts", "x").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let lead = app.token("agency@demo.local").await;
        let (status, body) = import(&app, &lead, "client-a", "tiktok", "x").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["error"].as_str().unwrap().contains("posts"), "{body}");
        let (status, body) = import(&app, &lead, "client-a", "posts", "").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        // An upload announced larger than the limit (4 MiB in tests) is refused before its body
        // is read. Spoken over a raw socket: an HTTP client that is still sending the body
        // when the server answers may see the connection reset instead of the answer.
        let response = announce_upload(&app, &lead, 5 * 1024 * 1024).await;
        assert!(response.starts_with("HTTP/1.1 413"), "{response}");
        assert!(response.contains("max_upload_mb"), "{response}");
    }
}

on_both_backends! {
    async fn every_sample_file_downloads_and_imports_as_it_is(backend) {
        let Some(app) = TestApp::demo(backend, "samples").await else { return };
        let project = keel::commands::create_project(&app.store, "samples", "Samples", Some("2026-01-01"), None)
            .await
            .unwrap();
        let session = app.session("agency@demo.local").await;
        for format in keel_import::Format::ALL {
            // The data page's link gives the file...
            let response = reqwest::Client::new()
                .get(app.url(&format!("/projects/client-a/data/sample/{}", format.as_str())))
                .header("cookie", format!("keel_session={session}"))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{}", format.as_str());
            assert!(response.headers()["content-disposition"].to_str().unwrap().contains("attachment"));
            let body = response.bytes().await.unwrap().to_vec();
            assert_eq!(body, format.sample().as_bytes());
            // ...and the file imports as it is.
            let summary = keel_import::import(&app.store, &project, format, std::io::Cursor::new(body), "sample.csv", "test", &|_| {})
                .await
                .unwrap_or_else(|e| panic!("the {} sample imports: {e}", format.as_str()));
            assert!(summary.stored > 0, "{}: {summary:?}", format.as_str());
        }
    }
}

// The platforms' native formats through the API, the data page and the OpenAPI document: a
// pulled answer or a saved file posted as it is becomes rows; posting it again changes
// nothing; a broken one is a 422 naming the JSON path (or the TSV line and column), and
// nothing of it is stored.
on_both_backends! {
    async fn native_formats_import_through_the_api_and_are_offered_on_the_data_page(backend) {
        let Some(app) = TestApp::demo(backend, "native_formats").await else { return };
        let project = keel::commands::create_project(&app.store, "native", "Native", Some("2026-01-01"), None)
            .await
            .unwrap();
        keel::commands::add_member(&app.store, "native", "agency@demo.local", "agency_lead", None).await.unwrap();
        let token = app.token("agency@demo.local").await;
        let native = "native";
        let (status, first) = import(&app, &token, native, "vk-wall", keel_import::Format::VkWall.sample()).await;
        assert_eq!(status, StatusCode::OK, "{first}");
        assert_eq!((first["format"].as_str(), first["stored"].as_u64()), (Some("vk-wall"), Some(3)));
        let (_, again) = import(&app, &token, native, "vk-wall", keel_import::Format::VkWall.sample()).await;
        assert_eq!((again["stored"].as_u64(), again["unchanged"].as_u64()), (Some(0), Some(3)));

        let before = app.store.data_counts(&project).await.unwrap();
        let broken = keel_import::Format::VkWall.sample().replacen("\"count\": 150", "\"count\": \"150\"", 1);
        let (status, body) = import(&app, &token, native, "vk-wall", &broken).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let problem = &body["problems"][0];
        assert_eq!(problem["line"].as_u64(), Some(2), "{body}");
        assert_eq!(problem["column"].as_str(), Some("[0].response.items[1].likes.count"), "{body}");
        assert!(body.to_string().contains("expected a whole number"), "{body}");
        let broken_tsv = keel_import::Format::YandexDirect.sample().replace("\t512\t", "\t-512\t");
        let (status, body) = import(&app, &token, native, "yandex-direct", &broken_tsv).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!((body["problems"][0]["line"].as_u64(), body["problems"][0]["column"].as_str()), (Some(4), Some("Clicks")));
        assert_eq!(app.store.data_counts(&project).await.unwrap(), before);

        // The options: a Yandex Direct report in micros, in tenge.
        let micros = "Date\tCampaignName\tImpressions\tClicks\tCost\tConversions\n2026-11-05\tx\t10\t1\t2500000\t--\n";
        let url = app.url("/api/v1/projects/native/imports?format=yandex-direct&currency=KZT&micros=true");
        let response = reqwest::Client::new().post(url).bearer_auth(&token).body(micros).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let ads = keel_store::on_pool!(app.store.raw_pool_for_tests(), p => {
            sqlx::query_as::<_, (f64, String)>("SELECT spend, currency FROM ad_stats WHERE project_id = $1 AND campaign = 'x'")
                .bind(project.id).fetch_all(p).await
        }).unwrap();
        assert_eq!(ads, vec![(2.5, "KZT".to_owned())]);

        // The data page offers every format, each with its sample; the API document lists them.
        let session = app.session("agency@demo.local").await;
        let page = reqwest::Client::new()
            .get(app.url("/projects/native/data"))
            .header("cookie", format!("keel_session={session}"))
            .send().await.unwrap().text().await.unwrap();
        let (_, doc) = {
            let r = reqwest::get(app.url("/api/v1/openapi.json")).await.unwrap();
            (r.status(), r.json::<Value>().await.unwrap())
        };
        let listed = doc["components"]["schemas"]["Format"]["enum"].clone();
        for format in keel_import::Format::ALL {
            let name = format.as_str();
            assert!(page.contains(&format!("<option value=\"{name}\">")), "{name} not in the format list");
            assert!(page.contains(&format!("/data/sample/{name}\"")), "{name} has no sample link");
            assert!(listed.as_array().unwrap().iter().any(|v| v == name), "{name} not in the OpenAPI enum: {listed}");
        }
        let sample = reqwest::Client::new()
            .get(app.url("/projects/native/data/sample/yandex-direct.tsv"))
            .header("cookie", format!("keel_session={session}"))
            .send().await.unwrap();
        assert_eq!(sample.status(), StatusCode::OK);
        assert!(sample.headers()["content-type"].to_str().unwrap().starts_with("text/tab-separated-values"));
        assert!(sample.headers()["content-disposition"].to_str().unwrap().contains("keel-sample-yandex-direct.tsv"));
    }
}
