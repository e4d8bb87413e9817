//! Pulls through connections (issue 11's "Done when"): a VK community, a Yandex Direct client
//! and an amoCRM account, served by local servers that answer as the platforms document, are
//! connected and synced through the API and the job runner; the project's report shows ER,
//! CPL and the funnel computed here, independently, from exactly what the servers served; a
//! second sync changes nothing; a failure in the middle of paging stores nothing of that batch;
//! an amoCRM refresh in the middle of a sync keeps the new refresh token. Instagram (media
//! pages, insights, followers, the long-lived token's refresh) and Telegram (subscribers) the
//! same way.

use crate::helpers::*;
use crate::publishing::api;
use chrono::{Duration, NaiveDate, Utc};
use keel_app::publishing::{Platforms, Rates};
use keel_store::syncs::SyncRecord;
use keel_testkit::amocrm_api::{self, AmocrmServer};
use keel_testkit::bitrix24_api::Bitrix24Server;
use keel_testkit::bot_api::{self, BotServer};
use keel_testkit::instagram_api::{self, InstagramServer, SeededMedia};
use keel_testkit::meta_ads_api::{self, MetaAdsServer, MetaRow};
use keel_testkit::vk_api::{self, VkServer, WallPost};
use keel_testkit::yandex_direct_api::{self, DirectRow, YandexDirectServer};
use keel_web::{AppState, WebConfig};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::sync::Arc;

const LEAD: &str = "lead@pulls.test";

struct Servers {
    vk: VkServer,
    direct: YandexDirectServer,
    amo: AmocrmServer,
    ig: InstagramServer,
    bot: BotServer,
    meta: MetaAdsServer,
    bx: Bitrix24Server,
}

/// Keel with an empty project `pulled` (agency lead `LEAD`) whose platforms are local servers.
async fn app_with_servers(backend: Backend, test: &str) -> Option<(TestApp, Servers, Arc<Platforms>)> {
    let servers = Servers {
        vk: VkServer::start().await,
        direct: YandexDirectServer::start().await,
        amo: AmocrmServer::start().await,
        ig: InstagramServer::start().await,
        bot: BotServer::start().await.0,
        meta: MetaAdsServer::start().await,
        bx: Bitrix24Server::start().await,
    };
    let platforms = Platforms {
        vk_api_url: servers.vk.url.clone(),
        yandex_direct_api_url: servers.direct.url.clone(),
        instagram_api_url: servers.ig.url.clone(),
        telegram_api_url: servers.bot.url.clone(),
        meta_api_url: servers.meta.url.clone(),
        public_url: Some("http://keel.test".into()),
        key: Some(keel_store::sealing::SecretKey::generate()),
        timeout: std::time::Duration::from_secs(5),
        // VK and Yandex answer at once here; amoCRM keeps its own 7 a second (its server
        // answers 429 above it).
        rates: Rates {
            vk: 0.0,
            yandex_direct: 0.0,
            instagram: 0.0,
            meta: 0.0,
            bitrix24: 0.0,
            ..Rates::default()
        },
        report_poll_cap: std::time::Duration::from_millis(20),
        ..Platforms::default()
    };
    let shared = Arc::new(platforms.clone());
    let app = TestApp::with_state(backend, test, move |store| {
        AppState::new(
            store,
            WebConfig {
                platforms,
                ..Default::default()
            },
        )
    })
    .await?;
    let started = (Utc::now() - Duration::days(200)).date_naive().to_string();
    keel::commands::create_user(&app.store, LEAD, DEMO_PASSWORD, None, true)
        .await
        .unwrap();
    keel::commands::create_project(&app.store, "pulled", "Pulled", Some(&started), None)
        .await
        .unwrap();
    keel::commands::add_member(&app.store, "pulled", LEAD, "agency_lead", None)
        .await
        .unwrap();
    Some((app, servers, shared))
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

fn day_start(day: NaiveDate) -> i64 {
    day.and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp()
}

/// 150 posts over the last 25 days (three of them today) and 20 posts 40–60 days back.
fn wall() -> Vec<WallPost> {
    let today = day_start(today());
    (0..170)
        .map(|i: i64| {
            let date = match i {
                0..3 => today + 1800 + i * 600,
                3..150 => today - 3600 - (i - 3) * 4 * 3600,
                _ => today - 40 * 86_400 - (i - 150) * 86_400,
            };
            WallPost {
                id: 1000 + i,
                owner_id: -vk_api::GROUP_ID,
                from_group: true,
                text: format!("Пост {i}"),
                date,
                likes: (i * 7) % 50 + 1,
                comments: i % 9,
                reposts: i % 4,
                views: 100 + i * 13,
                reach_total: 80 + i * 11,
                reach_subscribers: 50 + i * 5,
                ..Default::default()
            }
        })
        .collect()
}

/// Two campaigns a day over the last 29 days, and one day 40 days back without conversions
/// (`--`).
fn direct_rows() -> Vec<DirectRow> {
    let mut rows = vec![];
    for d in 0..29i64 {
        for (n, campaign) in ["Кофе с собой", "Завтраки"].iter().enumerate() {
            let n = n as i64;
            rows.push(DirectRow {
                date: (today() - chrono::Days::new(d as u64)).to_string(),
                campaign: campaign.to_string(),
                impressions: 1000 + d * 10 + n * 300,
                clicks: 30 + d % 7 + n * 5,
                cost_cents: 123_456 + d * 1001 + n * 50_000,
                conversions: Some(d % 5 + n),
            });
        }
    }
    rows.push(DirectRow {
        date: (today() - chrono::Days::new(40)).to_string(),
        campaign: "Завтраки".into(),
        impressions: 500,
        clicks: 9,
        cost_cents: 10_000,
        conversions: None,
    });
    rows
}

/// 620 leads created over the last 28 days: every fifth won, every fifth lost, the rest open.
fn leads() -> Vec<Value> {
    let today = day_start(today());
    (0..620i64)
        .map(|i| {
            let created = today - (i % 28) * 86_400 + 3600 * (i % 7);
            let (status, closed) = match i % 5 {
                0 => (amocrm_api::WON, Some(created + 600)),
                1 => (amocrm_api::LOST, Some(created + 600)),
                2 => (amocrm_api::STATUS_TALKS, None),
                _ => (amocrm_api::STATUS_NEW, None),
            };
            AmocrmServer::lead(50_000 + i, status, 1000 + i * 10, created, closed)
        })
        .collect()
}

/// 130 media over the last 22 days (every tenth without insights: `{"data": []}`) and 10
/// media 40–58 days back.
fn media() -> Vec<SeededMedia> {
    let today = day_start(today());
    (0..140i64)
        .map(|i| {
            let timestamp = match i {
                0..130 => today - 3600 - i * 4 * 3600,
                _ => today - 40 * 86_400 - (i - 130) * 2 * 86_400,
            };
            let insights = (i % 10 != 3).then(|| [200 + i * 17, 150 + i * 13, (i * 5) % 40 + 2, i % 6, i % 3, i % 5]);
            SeededMedia {
                id: (17_950_000_000_000_000 + i).to_string(),
                timestamp,
                media_type: if i % 4 == 0 { "VIDEO" } else { "IMAGE" }.into(),
                product_type: if i % 4 == 0 { "REELS" } else { "FEED" }.into(),
                caption: format!("Кофе {i}"),
                like_count: insights.map_or(i % 11 + 1, |v| v[2]),
                comments_count: insights.map_or(i % 4, |v| v[3]),
                insights,
            }
        })
        .collect()
}

/// The interactions of a served media as Keel counts them (`likes + comments + shares +
/// saves`; without insights, the media's own like and comment counts).
fn media_interactions(m: &SeededMedia) -> i64 {
    match m.insights {
        Some([_, _, likes, comments, shares, saved]) => likes + comments + shares + saved,
        None => m.like_count + m.comments_count,
    }
}

/// Five campaigns a day over the last 60 days; leads on most days, none on some.
fn meta_rows() -> Vec<MetaRow> {
    let mut rows = vec![];
    for d in 0..60i64 {
        for c in 0..5i64 {
            rows.push(MetaRow {
                date: today() - chrono::Days::new(d as u64),
                campaign_id: format!("2385{c:08}"),
                campaign: format!("Кампания {c}"),
                spend_cents: 45_678 + d * 1_013 + c * 7_777,
                impressions: 2_000 + d * 31 + c * 400,
                clicks: 40 + (d * 3 + c) % 17,
                leads: (d + c) % 4,
                video_views: if c == 2 { 300 + d } else { 0 },
            });
        }
    }
    rows
}

/// 260 deals created over the last 26 days (every fifth won, every fifth lost, the rest open,
/// in the first stage or a later one) and 20 last modified 50–69 days back.
fn deals() -> Vec<Value> {
    let today = day_start(today());
    (0..280i64)
        .map(|i| {
            let created = match i {
                0..260 => today - (i % 26) * 86_400 - 3600 * (i % 5 + 1),
                _ => today - (50 + i - 260) * 86_400,
            };
            let (semantic, stage, closed) = match i % 5 {
                0 => ("S", "WON", Some(created + 900)),
                1 => ("F", "LOSE", Some(created + 900)),
                2 => ("P", "PREPARATION", None),
                _ => ("P", "NEW", None),
            };
            let modified = closed.unwrap_or(created + 60);
            Bitrix24Server::deal(
                90_000 + i,
                semantic,
                stage,
                150_000 + i * 1_000,
                created,
                modified,
                closed,
            )
        })
        .collect()
}

async fn connect(app: &TestApp, token: &str, body: Value) -> i64 {
    let (status, c) = api(app, token, "POST", "/api/v1/projects/pulled/connections", Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
    c["id"].as_i64().unwrap()
}

async fn connect_all(app: &TestApp, s: &Servers) -> (i64, i64, i64) {
    let lead = app.token(LEAD).await;
    let vk = connect(
        app,
        &lead,
        json!({"platform": "vk", "account": vk_api::GROUP_ID.to_string(),
        "secret": {"access_token": vk_api::TOKEN}}),
    )
    .await;
    let direct = connect(
        app,
        &lead,
        json!({"platform": "yandex_direct", "account": yandex_direct_api::LOGIN,
        "secret": {"access_token": yandex_direct_api::TOKEN}}),
    )
    .await;
    let amo = connect(
        app,
        &lead,
        json!({"platform": "amocrm", "account": s.amo.url,
        "secret": {"access_token": amocrm_api::FIRST_ACCESS, "refresh_token": amocrm_api::FIRST_REFRESH,
                   "client_id": amocrm_api::CLIENT_ID, "client_secret": amocrm_api::CLIENT_SECRET}}),
    )
    .await;
    (vk, direct, amo)
}

/// Asks for a sync through the API and runs the job runner until it is done; the record.
async fn sync_via_api(app: &TestApp, platforms: &Arc<Platforms>, connection: i64, body: Value) -> SyncRecord {
    let lead = app.token(LEAD).await;
    let (status, queued) = api(
        app,
        &lead,
        "POST",
        &format!("/api/v1/connections/{connection}/sync"),
        Some(body),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{queued}");
    assert_eq!(queued["state"], "queued");
    keel_app::jobs::runner_publishing(&app.store, vec![], platforms.clone())
        .run_due(Utc::now() + Duration::seconds(1))
        .await
        .unwrap();
    app.store.syncs_of(connection, 1).await.unwrap().remove(0)
}

fn close(actual: &Value, expected: f64, what: &str) {
    let actual = actual
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: {actual} is not a number"));
    assert!(
        (actual - expected).abs() <= 1e-9 * expected.abs().max(1.0),
        "{what}: report {actual}, computed {expected}"
    );
}

on_both_backends! {
    async fn a_sync_of_vk_yandex_direct_and_amocrm_fills_the_report_with_what_the_servers_served(backend) {
        let Some((app, s, platforms)) = app_with_servers(backend, "pulls_done_when").await else { return };
        s.vk.seed_wall(wall());
        s.vk.set_members(5_000);
        s.direct.seed(direct_rows());
        s.amo.seed(leads());
        let (vk, direct, amo) = connect_all(&app, &s).await;
        let range = json!({"from": (today() - chrono::Days::new(90)).to_string(), "to": today().to_string()});

        for connection in [vk, direct, amo] {
            let record = sync_via_api(&app, &platforms, connection, range.clone()).await;
            assert_eq!(record.state, "done", "{record:?}");
            assert!(record.error.is_none(), "{record:?}");
        }
        // Yandex Direct: the documented offline sequence, money in currency units.
        assert_eq!(*s.direct.statuses.lock().unwrap(), vec![201, 202, 200]);
        let seen = s.direct.headers_seen.lock().unwrap().clone();
        assert!(seen.iter().all(|h| h.get("processingMode").map(String::as_str) == Some("offline")
            && h.get("returnMoneyInMicros").map(String::as_str) == Some("false")
            && h.get("skipReportHeader").map(String::as_str) == Some("true")
            && h.get("skipReportSummary").map(String::as_str) == Some("true")), "{seen:?}");
        // VK: pages of 100, reach 30 posts a call, and every answer as VK's schema says.
        let pages = s.vk.calls_to("wall.get");
        assert_eq!(pages.len(), 2, "170 posts, 100 a page");
        assert!(pages.iter().all(|p| p["count"] == "100"));
        let reach = s.vk.calls_to("stats.getPostReach");
        assert_eq!(reach.len(), 170usize.div_ceil(30));
        assert!(reach.iter().all(|r| r["post_ids"].split(',').count() <= 30));
        if let Some(mut schema) = keel_testkit::vk_schema::VkSchema::load_or_skip("a_sync_of_vk_yandex_direct_and_amocrm_fills_the_report_with_what_the_servers_served") {
            for (method, answer) in s.vk.answers.lock().unwrap().iter() {
                let problems = schema.check(method, answer);
                assert!(problems.is_empty(), "{method}: {problems:?}");
            }
        }
        // amoCRM: three pages following `_links.next`.
        let lead_pages = s.amo.requests.lock().unwrap().iter().filter(|r| r.starts_with("/api/v4/leads?")).count();
        assert_eq!(lead_pages, 3);

        // The report of the last 29 days, against a computation from the served data.
        let (from, to) = (today() - chrono::Days::new(28), today());
        let lead = app.token(LEAD).await;
        let (status, report) = api(&app, &lead, "GET", &format!("/api/v1/projects/pulled/report?from={from}&to={to}"), None).await;
        assert_eq!(status, StatusCode::OK, "{report}");

        let served = wall();
        let in_period: Vec<&WallPost> = served.iter().filter(|p| p.date >= day_start(from)).collect();
        let interactions = |p: &WallPost| p.likes + p.comments + p.reposts;
        let today_posts: Vec<&&WallPost> = in_period.iter().filter(|p| p.date >= day_start(today())).collect();
        let er = today_posts.iter().map(|p| interactions(p) as f64 / 5_000.0 * 100.0).sum::<f64>() / today_posts.len() as f64;
        let sum_i: i64 = in_period.iter().map(|p| interactions(p)).sum();
        let sum_reach: i64 = in_period.iter().map(|p| p.reach_total).sum();
        let group = vk_api::GROUP_ID.to_string();
        let account = report["accounts"].as_array().unwrap().iter()
            .find(|a| a["platform"] == "vk" && a["account"].as_str() == Some(group.as_str()))
            .unwrap_or_else(|| panic!("the VK account in {}", report["accounts"]));
        assert_eq!(account["posts"], in_period.len() as i64);
        assert_eq!(account["interactions"], sum_i);
        assert_eq!(account["followers_end"], 5_000);
        close(&account["er_followers"], er, "ER by followers");
        close(&account["err_reach"], sum_i as f64 / sum_reach as f64 * 100.0, "ERR");

        let rows: Vec<DirectRow> = direct_rows().into_iter().filter(|r| r.date >= from.to_string()).collect();
        let spend: f64 = rows.iter().map(|r| r.cost_cents as f64 / 100.0).sum();
        let ad_leads: i64 = rows.iter().map(|r| r.conversions.unwrap()).sum();
        let clicks: i64 = rows.iter().map(|r| r.clicks).sum();
        let impressions: i64 = rows.iter().map(|r| r.impressions).sum();
        close(&report["ads"]["spend"], spend, "spend");
        assert_eq!(report["ads"]["leads"], ad_leads);
        assert_eq!(report["ads"]["clicks"], clicks);
        close(&report["ads"]["cpl"], spend / ad_leads as f64, "CPL");
        close(&report["ads"]["ctr"], clicks as f64 / impressions as f64 * 100.0, "CTR");

        let served_leads = leads();
        let created_in = |l: &&Value| l["created_at"].as_i64().unwrap() >= day_start(from);
        let period: Vec<&Value> = served_leads.iter().filter(created_in).collect();
        let won = period.iter().filter(|l| l["status_id"] == amocrm_api::WON).count();
        let funnel = report["funnel"].as_array().unwrap();
        let stage = |name: &str| funnel.iter().find(|f| f["stage"] == name).unwrap_or_else(|| panic!("{name} in {funnel:?}")).clone();
        let deals = stage("leads_to_deals");
        assert_eq!(deals["successes"], won as i64);
        assert_eq!(deals["trials"], period.len() as i64);
        close(&deals["conversion"], won as f64 / period.len() as f64 * 100.0, "leads → deals");
        assert_eq!(deals["zone"], "client");
        let to_leads = stage("clicks_to_leads");
        assert_eq!(to_leads["successes"], ad_leads);
        assert_eq!(to_leads["trials"], clicks);

        // The imports log names the connection; everything synced (the older posts too).
        let project = app.store.project_by_slug(app.store.default_org().await.unwrap().id(), "pulled").await.unwrap().unwrap();
        let imports = app.store.recent_imports(&project, 20).await.unwrap();
        for format in ["vk-wall", "daily", "yandex-direct", "amocrm"] {
            assert!(imports.iter().any(|i| i.format == format && i.source.contains("connection")), "{format} in {imports:?}");
        }

        // A second sync of the same range changes nothing.
        for connection in [vk, direct, amo] {
            let again = sync_via_api(&app, &platforms, connection, range.clone()).await;
            assert_eq!(again.state, "done", "{again:?}");
            assert_eq!((again.stored, again.replaced), (0, 0), "{again:?}");
            assert!(again.unchanged > 0, "{again:?}");
        }
        let vk_record = app.store.syncs_of(vk, 20).await.unwrap();
        assert_eq!(vk_record.len(), 2);
        assert_eq!(vk_record[1].stored, 170 + 1, "170 posts and a day of followers");

        // The Connections page shows each sync.
        let browser = TestApp::browser();
        app.login(&browser, LEAD, DEMO_PASSWORD).await;
        let page = browser.get(app.url("/projects/pulled/connections")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("data-test=\"sync-history\""), "{page}");
        assert!(page.contains("Sync now"));
        assert_eq!(page.matches("data-test=\"last-sync\"").count(), 3);
    }

    async fn a_failure_in_the_middle_of_paging_stores_nothing_of_that_batch(backend) {
        let Some((app, s, platforms)) = app_with_servers(backend, "pulls_mid_page").await else { return };
        s.vk.seed_wall(wall());
        s.vk.set_members(5_000);
        s.amo.seed(leads());
        let (vk, _, amo) = connect_all(&app, &s).await;
        let range = json!({"from": (today() - chrono::Days::new(90)).to_string(), "to": today().to_string()});

        // VK's second page fails (error 10, internal server error): no post is stored.
        s.vk.fail_after("wall.get", 1, 10, "Internal server error");
        let record = sync_via_api(&app, &platforms, vk, range.clone()).await;
        assert_eq!(record.state, "failed");
        let error = record.error.clone().unwrap();
        assert!(error.contains("nothing of this batch was stored") && error.contains("Internal server error"), "{error}");
        let project = app.store.project_by_slug(app.store.default_org().await.unwrap().id(), "pulled").await.unwrap().unwrap();
        assert!(app.store.recent_imports(&project, 10).await.unwrap().is_empty(), "nothing imported");
        let connection = app.store.connection(vk).await.unwrap().unwrap();
        assert_eq!(connection.status, "error");
        assert_eq!(connection.last_error.as_deref(), Some(error.as_str()));
        assert!(connection.last_sync_at.is_none());
        // A platform that did not answer as documented is a passing failure: the job runner
        // puts the sync back with its backoff instead of finishing it.
        let jobs = app.store.jobs_of_kind(keel_app::pulls::PULL).await.unwrap();
        let job = jobs.last().unwrap();
        assert_eq!((job.state.as_str(), job.attempts), ("pending", 1), "{job:?}");
        assert_eq!(job.last_error.as_deref(), Some(error.as_str()));

        // A refusal for good (error 100, a bad parameter) is recorded and not tried again.
        s.vk.fail_next("wall.get", 100, "One of the parameters specified was missing or invalid");
        let record = sync_via_api(&app, &platforms, vk, range.clone()).await;
        assert_eq!(record.state, "failed");
        assert!(record.error.as_deref().unwrap().starts_with("the platform refused the request"), "{record:?}");
        let jobs = app.store.jobs_of_kind(keel_app::pulls::PULL).await.unwrap();
        assert_eq!(jobs.last().unwrap().state, "done", "{:?}", jobs.last());

        // amoCRM's third page fails with a 500: no lead is stored.
        s.amo.fail_page_after(2, 500);
        let record = sync_via_api(&app, &platforms, amo, range.clone()).await;
        assert_eq!(record.state, "failed", "{record:?}");
        assert_eq!(record.stored, 0);
        assert!(app.store.recent_imports(&project, 10).await.unwrap().is_empty());

        // The next syncs take everything, once.
        let record = sync_via_api(&app, &platforms, vk, range.clone()).await;
        assert_eq!((record.state.as_str(), record.stored), ("done", 171), "{record:?}");
        assert_eq!(app.store.connection(vk).await.unwrap().unwrap().status, "ok");
        let record = sync_via_api(&app, &platforms, amo, range).await;
        assert_eq!((record.state.as_str(), record.stored), ("done", 620), "{record:?}");
    }

    async fn an_amocrm_refresh_in_the_middle_of_a_sync_stores_the_new_refresh_token(backend) {
        let Some((app, s, platforms)) = app_with_servers(backend, "pulls_amo_refresh").await else { return };
        s.amo.seed(leads());
        let (_, _, amo) = connect_all(&app, &s).await;
        let range = json!({"from": (today() - chrono::Days::new(30)).to_string(), "to": today().to_string()});
        // The access token expires after the pipelines and the first page.
        s.amo.expire_after(2);
        let record = sync_via_api(&app, &platforms, amo, range.clone()).await;
        assert_eq!((record.state.as_str(), record.stored), ("done", 620), "{record:?}");
        assert_eq!(*s.amo.refreshes.lock().unwrap(), 1);
        let connection = app.store.connection(amo).await.unwrap().unwrap();
        let secret = app.store.connection_secret(platforms.key.as_ref().unwrap(), &connection).await.unwrap();
        let stored: Value = serde_json::from_str(&secret.0).unwrap();
        let (access, refresh) = s.amo.current();
        assert_eq!(stored["refresh_token"], refresh.as_str());
        assert_eq!(stored["access_token"], access.as_str());
        assert_ne!(refresh, amocrm_api::FIRST_REFRESH);

        // A refresh followed by a failure: the sync stores no lead, but the new tokens stay.
        s.amo.expire_after(1);
        s.amo.fail_page_after(1, 502);
        let record = sync_via_api(&app, &platforms, amo, range.clone()).await;
        assert_eq!(record.state, "failed", "{record:?}");
        assert_eq!(*s.amo.refreshes.lock().unwrap(), 2);
        let connection = app.store.connection(amo).await.unwrap().unwrap();
        let secret = app.store.connection_secret(platforms.key.as_ref().unwrap(), &connection).await.unwrap();
        let stored: Value = serde_json::from_str(&secret.0).unwrap();
        assert_eq!(stored["refresh_token"], s.amo.current().1.as_str());
        let record = sync_via_api(&app, &platforms, amo, range).await;
        assert_eq!(record.state, "done", "{record:?}");
        assert_eq!((record.stored, record.replaced), (0, 0), "{record:?}");
    }

    async fn an_instagram_sync_stores_the_media_of_the_range_with_their_insights_and_the_followers(backend) {
        let Some((app, s, platforms)) = app_with_servers(backend, "pulls_instagram").await else { return };
        s.ig.seed_media(media());
        s.ig.set_followers(7_300);
        let lead = app.token(LEAD).await;
        let ig = connect(&app, &lead, json!({"platform": "instagram", "account": instagram_api::USER_ID,
            "secret": {"access_token": instagram_api::TOKEN}})).await;
        let range = json!({"from": (today() - chrono::Days::new(50)).to_string(), "to": today().to_string()});

        let record = sync_via_api(&app, &platforms, ig, range.clone()).await;
        assert_eq!(record.state, "done", "{record:?}");
        // 130 media of the last 22 days and 6 of the older ones (40–50 days back) are
        // in the range; paging (50 a page) stops at the page holding the first older media.
        let served = media();
        let from = day_start(today() - chrono::Days::new(50));
        let in_range: Vec<&SeededMedia> = served.iter().filter(|m| m.timestamp >= from).collect();
        assert_eq!(in_range.len(), 136);
        assert_eq!(record.stored, 136 + 1, "{record:?}");
        let pages = s.ig.calls_to("list");
        assert_eq!(pages.len(), 3, "{pages:?}");
        assert!(!pages[0].contains_key("after") && pages[1].contains_key("after"));
        let insights = s.ig.calls_to("insights");
        assert_eq!(insights.len(), 136);
        assert!(insights.iter().all(|q| q["metric"] == "views,reach,likes,comments,shares,saved"));

        // The token was refreshed (its expiry was not known) and stored with its expiry.
        assert_eq!(s.ig.calls_to("refresh").len(), 1);
        let connection = app.store.connection(ig).await.unwrap().unwrap();
        let secret = app.store.connection_secret(platforms.key.as_ref().unwrap(), &connection).await.unwrap();
        let stored: Value = serde_json::from_str(&secret.0).unwrap();
        let fresh = s.ig.refreshed.lock().unwrap()[0].clone();
        assert_eq!(stored["access_token"], fresh.as_str());
        let expires: chrono::DateTime<Utc> = stored["expires_at"].as_str().unwrap().parse().unwrap();
        assert!((expires - Utc::now() - Duration::seconds(5_184_000)).num_seconds().abs() < 60, "{expires}");

        // The report of the last 29 days, against a computation from the served media.
        let (rfrom, rto) = (today() - chrono::Days::new(28), today());
        let (status, report) = api(&app, &lead, "GET", &format!("/api/v1/projects/pulled/report?from={rfrom}&to={rto}"), None).await;
        assert_eq!(status, StatusCode::OK, "{report}");
        let period: Vec<&SeededMedia> = served.iter().filter(|m| m.timestamp >= day_start(rfrom)).collect();
        let sum_i: i64 = period.iter().map(|m| media_interactions(m)).sum();
        let with_reach: Vec<&&SeededMedia> = period.iter().filter(|m| m.insights.is_some()).collect();
        let reach_i: i64 = with_reach.iter().map(|m| media_interactions(m)).sum();
        let sum_reach: i64 = with_reach.iter().map(|m| m.insights.unwrap()[1]).sum();
        let account = report["accounts"].as_array().unwrap().iter()
            .find(|a| a["platform"] == "instagram" && a["account"] == instagram_api::USER_ID)
            .unwrap_or_else(|| panic!("the Instagram account in {}", report["accounts"]));
        assert_eq!(account["posts"], period.len() as i64);
        assert_eq!(account["interactions"], sum_i);
        assert_eq!(account["followers_end"], 7_300);
        close(&account["err_reach"], reach_i as f64 / sum_reach as f64 * 100.0, "ERR");

        // A second sync changes nothing, and the token (60 days ahead) is not refreshed again.
        let again = sync_via_api(&app, &platforms, ig, range.clone()).await;
        assert_eq!(again.state, "done", "{again:?}");
        assert_eq!((again.stored, again.replaced, again.unchanged), (0, 0, 137), "{again:?}");
        assert_eq!(s.ig.calls_to("refresh").len(), 1);
    }

    async fn an_instagram_failure_in_the_middle_of_paging_stores_nothing_of_that_batch(backend) {
        let Some((app, s, platforms)) = app_with_servers(backend, "pulls_instagram_mid_page").await else { return };
        s.ig.seed_media(media());
        s.ig.set_followers(7_300);
        let lead = app.token(LEAD).await;
        let ig = connect(&app, &lead, json!({"platform": "instagram", "account": instagram_api::USER_ID,
            "secret": {"access_token": instagram_api::TOKEN}})).await;
        let range = json!({"from": (today() - chrono::Days::new(90)).to_string(), "to": today().to_string()});
        // The second page is Graph API's "unknown error" (code 1, not transient).
        s.ig.fail_list_after(1, 500, json!({"error": {"message": "An unknown error has occurred.",
            "type": "OAuthException", "code": 1, "is_transient": false, "fbtrace_id": "AbC"}}));
        let record = sync_via_api(&app, &platforms, ig, range.clone()).await;
        assert_eq!(record.state, "failed", "{record:?}");
        assert_eq!(record.stored, 0);
        let error = record.error.clone().unwrap();
        assert!(error.contains("nothing of this batch was stored") && error.contains("An unknown error"), "{error}");
        let project = app.store.project_by_slug(app.store.default_org().await.unwrap().id(), "pulled").await.unwrap().unwrap();
        assert!(app.store.recent_imports(&project, 10).await.unwrap().is_empty(), "nothing imported");
        assert!(s.ig.calls_to("insights").is_empty(), "no insights before every page is in");

        let record = sync_via_api(&app, &platforms, ig, range).await;
        assert_eq!((record.state.as_str(), record.stored), ("done", 141), "{record:?}");
        assert_eq!(app.store.connection(ig).await.unwrap().unwrap().status, "ok");
    }

    async fn a_telegram_sync_stores_the_subscribers_as_the_days_followers(backend) {
        let Some((app, s, platforms)) = app_with_servers(backend, "pulls_telegram").await else { return };
        *s.bot.member_count.lock().unwrap() = 12_345;
        let lead = app.token(LEAD).await;
        let tg = connect(&app, &lead, json!({"platform": "telegram", "account": bot_api::CHANNEL,
            "secret": {"bot_token": bot_api::TOKEN}})).await;
        let range = json!({"from": (today() - chrono::Days::new(7)).to_string(), "to": today().to_string()});
        let record = sync_via_api(&app, &platforms, tg, range.clone()).await;
        assert_eq!((record.state.as_str(), record.stored), ("done", 1), "{record:?}");
        let asked = s.bot.calls_to("getChatMemberCount");
        assert_eq!(asked.len(), 1);
        assert_eq!(asked[0]["chat_id"], bot_api::CHANNEL_ID, "{asked:?}");

        let (status, report) = api(&app, &lead, "GET",
            &format!("/api/v1/projects/pulled/report?from={}&to={}", today() - chrono::Days::new(7), today()), None).await;
        assert_eq!(status, StatusCode::OK, "{report}");
        let channel = bot_api::CHANNEL_ID.to_string();
        let account = report["accounts"].as_array().unwrap().iter()
            .find(|a| a["platform"] == "telegram" && a["account"].as_str() == Some(channel.as_str()))
            .unwrap_or_else(|| panic!("the channel in {}", report["accounts"]));
        assert_eq!(account["followers_end"], 12_345);

        // The same count again changes nothing; a new count replaces the day's row.
        let again = sync_via_api(&app, &platforms, tg, range.clone()).await;
        assert_eq!((again.stored, again.replaced, again.unchanged), (0, 0, 1), "{again:?}");
        *s.bot.member_count.lock().unwrap() = 12_400;
        let changed = sync_via_api(&app, &platforms, tg, range).await;
        assert_eq!((changed.stored, changed.replaced), (0, 1), "{changed:?}");
    }

    async fn a_meta_ads_sync_stores_the_campaigns_days_read_at_once_or_through_a_report_run(backend) {
        let Some((app, s, platforms)) = app_with_servers(backend, "pulls_meta").await else { return };
        s.meta.seed(meta_rows());
        let lead = app.token(LEAD).await;
        // The connect check: a wrong token and an unknown account are told in words.
        let (status, body) = api(&app, &lead, "POST", "/api/v1/projects/pulled/connections", Some(json!({"platform": "meta_ads",
            "account": meta_ads_api::ACCOUNT, "secret": {"access_token": "EAA-wrong"}}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"].as_str().unwrap().contains("did not accept the token"), "{body}");
        let (status, body) = api(&app, &lead, "POST", "/api/v1/projects/pulled/connections", Some(json!({"platform": "meta_ads",
            "account": "act_42", "secret": {"access_token": meta_ads_api::TOKEN}}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"].as_str().unwrap().contains("act_"), "{body}");
        let meta = connect(&app, &lead, json!({"platform": "meta_ads", "account": meta_ads_api::ACCOUNT,
            "secret": {"access_token": meta_ads_api::TOKEN}})).await;
        let month = json!({"from": (today() - chrono::Days::new(29)).to_string(), "to": today().to_string()});

        // The second page fails (code 1, not transient): nothing of the batch is stored.
        s.meta.fail_page_after(1, 500, json!({"error": {"message": "An unknown error has occurred.",
            "type": "OAuthException", "code": 1, "is_transient": false, "fbtrace_id": "AbC"}}));
        let record = sync_via_api(&app, &platforms, meta, month.clone()).await;
        assert_eq!((record.state.as_str(), record.stored), ("failed", 0), "{record:?}");
        let project = app.store.project_by_slug(app.store.default_org().await.unwrap().id(), "pulled").await.unwrap().unwrap();
        assert!(app.store.recent_imports(&project, 10).await.unwrap().is_empty(), "nothing imported");

        // 30 days at once: 150 rows, two pages of 100, no report run.
        let record = sync_via_api(&app, &platforms, meta, month.clone()).await;
        assert_eq!((record.state.as_str(), record.stored), ("done", 150), "{record:?}");
        assert!(s.meta.calls_to("start run").is_empty());
        let pages = s.meta.calls_to("insights");
        assert_eq!(pages.len(), 2 + 2, "the failed sync's two pages and two more");
        assert!(pages.iter().all(|q| q["level"] == "campaign" && q["time_increment"] == "1"), "{pages:?}");

        // The report of the 30 days, against a computation from the served rows.
        let (from, to) = (today() - chrono::Days::new(29), today());
        let (status, report) = api(&app, &lead, "GET", &format!("/api/v1/projects/pulled/report?from={from}&to={to}"), None).await;
        assert_eq!(status, StatusCode::OK, "{report}");
        let served: Vec<MetaRow> = meta_rows().into_iter().filter(|r| r.date >= from).collect();
        let spend: f64 = served.iter().map(|r| r.spend_cents as f64 / 100.0).sum();
        let leads: i64 = served.iter().map(|r| r.leads).sum();
        let clicks: i64 = served.iter().map(|r| r.clicks).sum();
        let impressions: i64 = served.iter().map(|r| r.impressions).sum();
        close(&report["ads"]["spend"], spend, "spend");
        assert_eq!(report["ads"]["leads"], leads, "lead and lead_grouped are the same leads, counted once");
        assert_eq!(report["ads"]["clicks"], clicks);
        close(&report["ads"]["cpl"], spend / leads as f64, "CPL");
        close(&report["ads"]["ctr"], clicks as f64 / impressions as f64 * 100.0, "CTR");

        // 90 days: a report run, polled until completed, its 300 rows in three pages.
        let quarter = json!({"from": (today() - chrono::Days::new(89)).to_string(), "to": today().to_string()});
        let record = sync_via_api(&app, &platforms, meta, quarter.clone()).await;
        assert_eq!(record.state, "done", "{record:?}");
        assert_eq!((record.stored, record.replaced, record.unchanged), (150, 0, 150), "{record:?}");
        assert_eq!(s.meta.calls_to("start run").len(), 1);
        assert_eq!(s.meta.calls_to("run status").len(), 4, "not started, running twice, completed");
        assert_eq!(s.meta.calls_to("run insights").len(), 3);

        // Again: nothing changes.
        let again = sync_via_api(&app, &platforms, meta, quarter).await;
        assert_eq!((again.state.as_str(), again.stored, again.replaced, again.unchanged), ("done", 0, 0, 300), "{again:?}");
    }

    async fn a_bitrix24_sync_stores_the_deals_page_by_page_and_waits_out_the_query_limit(backend) {
        let Some((app, s, platforms)) = app_with_servers(backend, "pulls_bitrix").await else { return };
        s.bx.seed(deals());
        let lead = app.token(LEAD).await;
        // The connect check: a deleted webhook, and a webhook of another portal.
        let (status, body) = api(&app, &lead, "POST", "/api/v1/projects/pulled/connections", Some(json!({"platform": "bitrix24",
            "account": s.bx.url, "secret": {"webhook_url": format!("{}/rest/1/deleted/", s.bx.url)}}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"].as_str().unwrap().contains("did not accept the token"), "{body}");
        let (status, body) = api(&app, &lead, "POST", "/api/v1/projects/pulled/connections", Some(json!({"platform": "bitrix24",
            "account": "https://other.bitrix24.ru", "secret": {"webhook_url": s.bx.webhook()}}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"].as_str().unwrap().contains("webhook"), "{body}");
        let bx = connect(&app, &lead, json!({"platform": "bitrix24", "account": s.bx.url,
            "secret": {"webhook_url": s.bx.webhook()}})).await;
        let range = json!({"from": (today() - chrono::Days::new(30)).to_string(), "to": today().to_string()});

        // The third page fails with a 500: no deal is stored.
        s.bx.fail_page_after(2);
        let record = sync_via_api(&app, &platforms, bx, range.clone()).await;
        assert_eq!((record.state.as_str(), record.stored), ("failed", 0), "{record:?}");
        let project = app.store.project_by_slug(app.store.default_org().await.unwrap().id(), "pulled").await.unwrap().unwrap();
        assert!(app.store.recent_imports(&project, 10).await.unwrap().is_empty(), "nothing imported");

        s.bx.lists.lock().unwrap().clear();
        let record = sync_via_api(&app, &platforms, bx, range.clone()).await;
        assert_eq!((record.state.as_str(), record.stored), ("done", 260), "{record:?}");
        let lists = s.bx.lists.lock().unwrap().clone();
        let starts: Vec<u64> = lists.iter().map(|b| b["start"].as_u64().unwrap()).collect();
        assert_eq!(starts, vec![0, 50, 100, 150, 200, 250], "50 a page, following next");

        // The funnel of the last 26 days, against a computation from the served deals.
        let (from, to) = (today() - chrono::Days::new(26), today());
        let (status, report) = api(&app, &lead, "GET", &format!("/api/v1/projects/pulled/report?from={from}&to={to}"), None).await;
        assert_eq!(status, StatusCode::OK, "{report}");
        let served = deals();
        let created = |d: &Value| chrono::DateTime::parse_from_rfc3339(d["DATE_CREATE"].as_str().unwrap()).unwrap().timestamp();
        let modified = |d: &Value| chrono::DateTime::parse_from_rfc3339(d["DATE_MODIFY"].as_str().unwrap()).unwrap().timestamp();
        let pulled: Vec<&Value> = served.iter().filter(|d| modified(d) >= day_start(today() - chrono::Days::new(30))).collect();
        let period: Vec<&&Value> = pulled.iter().filter(|d| created(d) >= day_start(from)).collect();
        let won = period.iter().filter(|d| d["STAGE_SEMANTIC_ID"] == "S").count();
        let funnel = report["funnel"].as_array().unwrap();
        let deals_stage = funnel.iter().find(|f| f["stage"] == "leads_to_deals").unwrap_or_else(|| panic!("{funnel:?}"));
        assert_eq!(deals_stage["successes"], won as i64);
        assert_eq!(deals_stage["trials"], period.len() as i64);
        close(&deals_stage["conversion"], won as f64 / period.len() as f64 * 100.0, "deals → won");

        // Again, with a portal whose bucket holds 4 requests: the 503s are waited out, and
        // nothing changes.
        *s.bx.bucket.lock().unwrap() = 4.0;
        let again = sync_via_api(&app, &platforms, bx, range).await;
        assert_eq!((again.state.as_str(), again.stored, again.replaced, again.unchanged), ("done", 0, 0, 260), "{again:?}");
        assert!(*s.bx.throttled.lock().unwrap() > 0, "the bucket overflowed");
    }

    async fn a_syncs_days_are_the_projects_local_days(backend) {
        let Some((app, s, platforms)) = app_with_servers(backend, "pulls_local_days").await else { return };
        // UTC+14: its days start ten hours before UTC's, and its today is often UTC's tomorrow.
        let zone = keel_domain::local_days::LocalZone::parse("Pacific/Kiritimati").unwrap();
        let project = app.store.project_by_slug(app.store.default_org().await.unwrap().id(), "pulled").await.unwrap().unwrap();
        app.store.set_project_time_zone(project.id(), zone.name()).await.unwrap();
        let day = zone.today() - chrono::Days::new(2);
        let (start, end) = (zone.start_of(day).timestamp(), zone.end_of(day).timestamp());
        let post = |id: i64, date: i64| WallPost {
            id, owner_id: -vk_api::GROUP_ID, from_group: true, text: format!("Пост {id}"), date,
            likes: 3, comments: 1, reposts: 0, views: 50, reach_total: 40, reach_subscribers: 30,
            ..Default::default()
        };
        // Local 23:30 the day before, 00:30 and 23:30 of the day, 00:30 the day after.
        s.vk.seed_wall(vec![post(1, start - 1800), post(2, start + 1800), post(3, end - 1800), post(4, end + 1800)]);
        s.vk.set_members(900);
        let lead = app.token(LEAD).await;
        let vk = connect(&app, &lead, json!({"platform": "vk", "account": vk_api::GROUP_ID.to_string(),
            "secret": {"access_token": vk_api::TOKEN}})).await;

        let record = sync_via_api(&app, &platforms, vk, json!({"from": day.to_string(), "to": day.to_string()})).await;
        assert_eq!((record.state.as_str(), record.stored), ("done", 2 + 1), "{record:?}");
        let reach = s.vk.calls_to("stats.getPostReach");
        assert_eq!(reach.len(), 1);
        assert_eq!(reach[0]["post_ids"], "3,2", "the posts of the local day (newest first), not of the UTC day");

        // Without dates, a sync ends on the project's today.
        let (status, queued) = api(&app, &lead, "POST", &format!("/api/v1/connections/{vk}/sync"), Some(json!({}))).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{queued}");
        assert_eq!(queued["to"], zone.today().to_string());
    }
}
