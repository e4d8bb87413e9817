//! A project with more accounts than the analytics page charts: every account is listed
//! with its figures, only the most engaged ones get charts over time, and a note says so —
//! on the page and in the HTML report download.

use crate::helpers::*;
use reqwest::StatusCode;

/// Accounts in the project: two more than are charted.
const ACCOUNTS: usize = 14;

/// Likes of each post of account `k`: a permutation of 10, 20, … 140 that does not follow
/// the listing order, so that "the most interactions" and "the first listed" differ.
fn likes(k: usize) -> usize {
    ((k * 5) % ACCOUNTS + 1) * 10
}

/// acct00 (10 likes a post) and acct03 (20) have the fewest interactions.
const UNCHARTED: [&str; 2] = ["acct00", "acct03"];

/// Ten days of posts and daily figures for every account.
async fn fill(app: &TestApp) {
    let project = keel::commands::create_project(&app.store, "many", "Many accounts", Some("2026-01-01"), None)
        .await
        .unwrap();
    keel::commands::add_member(&app.store, "many", "agency@demo.local", "agency_lead", None)
        .await
        .unwrap();
    let mut posts = String::from(
        "platform,account,post_id,published_at,type,likes,comments,shares,saves,views,reach,impressions,followers\n",
    );
    let mut daily = String::from(
        "platform,account,date,followers,reach,impressions,mentions,hashtag_uses,profile_visits,site_clicks\n",
    );
    for k in 0..ACCOUNTS {
        for day in 1..=10 {
            let followers = 1000 + 10 * day;
            posts.push_str(&format!(
                "vk,acct{k:02},p{day},2026-03-{day:02}T12:00:00Z,photo,{},1,0,0,500,400,450,{followers}\n",
                likes(k)
            ));
            daily.push_str(&format!("vk,acct{k:02},2026-03-{day:02},{followers},600,700,0,0,5,2\n"));
        }
    }
    for (format, body) in [(keel_import::Format::Daily, daily), (keel_import::Format::Posts, posts)] {
        let reader = std::io::Cursor::new(body.into_bytes());
        keel_import::import(&app.store, &project, format, reader, "many.csv", "test", &|_| {})
            .await
            .unwrap();
    }
}

async fn get(app: &TestApp, path: &str, lang: &str) -> String {
    let session = app.session("agency@demo.local").await;
    let response = reqwest::Client::new()
        .get(app.url(path))
        .header("cookie", format!("keel_session={session}; keel_lang={lang}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.unwrap()
}

/// Each account card of `html` as (account, whether it carries charts, its markup), in
/// page order.
fn cards(html: &str) -> Vec<(String, bool, &str)> {
    html.split(r#"data-test="account""#)
        .skip(1)
        .map(|card| {
            let card = card.split("</section>").next().unwrap();
            let at = card.find("acct").expect("the account's name");
            (
                card[at..at + 6].to_owned(),
                card.contains(r#"data-test="account-charts""#),
                card,
            )
        })
        .collect()
}

/// Every account listed in order, all but the two least engaged charted, each charted
/// card with its three drawn charts.
fn assert_charted(html: &str) {
    let cards = cards(html);
    let listed: Vec<String> = cards.iter().map(|(a, _, _)| a.clone()).collect();
    let expected: Vec<String> = (0..ACCOUNTS).map(|k| format!("acct{k:02}")).collect();
    assert_eq!(listed, expected, "every account is listed");
    let uncharted: Vec<&str> = cards
        .iter()
        .filter(|(_, c, _)| !c)
        .map(|(a, _, _)| a.as_str())
        .collect();
    assert_eq!(uncharted, UNCHARTED);
    // Every account's figures are there: its interactions (10 posts × (likes + 1 comment)).
    for (k, (account, charted, card)) in cards.iter().enumerate() {
        let interactions = 10 * (likes(k) + 1);
        let text = if interactions >= 1000 {
            format!("{},{:03}", interactions / 1000, interactions % 1000)
        } else {
            interactions.to_string()
        };
        assert!(card.contains(&format!("<dd>{text}</dd>")), "{account}: {text}");
        // A charted card draws its three charts; the others none.
        let drawn = card.matches("<svg").count();
        assert_eq!(drawn, if *charted { 3 } else { 0 }, "{account}");
    }
}

on_both_backends! {
    async fn only_the_most_engaged_accounts_are_charted_and_all_are_listed(backend) {
        let Some(app) = TestApp::demo(backend, "analytics_many_accounts").await else { return };
        fill(&app).await;

        let html = get(&app, "/projects/many/analytics", "en").await;
        assert_charted(&html);
        let note = "Charts over time are drawn for the 12 accounts with the most interactions in the period";
        assert_eq!(html.matches(r#"data-test="charted-note""#).count(), 1);
        assert!(html.contains(note), "the note says which accounts are charted");

        let ru = get(&app, "/projects/many/analytics", "ru").await;
        assert!(ru.contains("Графики по дням построены для 12 аккаунтов с наибольшим числом взаимодействий"));
        assert_eq!(cards(&ru).iter().filter(|(_, c, _)| *c).count(), 12);

        // The HTML report download draws the same.
        let report = get(&app, "/projects/many/report.html", "en").await;
        assert_charted(&report);
        assert!(report.contains(note));

        // A project with few accounts charts them all, without the note.
        let session = app.session("client-b@demo.local").await;
        let demo = reqwest::Client::new()
            .get(app.url("/projects/client-b/analytics"))
            .header("cookie", format!("keel_session={session}; keel_lang=en"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!demo.contains(r#"data-test="charted-note""#));
        let demo_cards = demo.matches(r#"data-test="account""#).count();
        assert!(demo_cards > 0);
        assert_eq!(demo.matches(r#"data-test="account-charts""#).count(), demo_cards);
    }
}
