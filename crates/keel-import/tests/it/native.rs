//! The platforms' native formats: each sample imports as the rows worked out by hand below,
//! importing it again changes nothing, the options do what they say, and a broken file of
//! each is refused with its position, storing nothing.

use crate::support::{Env, counts, dump, import, scalar};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use keel_import::{Format, ImportError, ImportOptions, Problem};
use keel_store::data::{AdRow, LeadRow, PostRow};

on_both!(
    vk_wall_sample,
    vk_wall_broken,
    yandex_direct_sample,
    yandex_direct_options_and_broken,
    amocrm_sample,
    amocrm_broken,
);

/// A post as stored: account, post id, published at, type, likes, comments, shares, saves,
/// views, reach, impressions, followers, text, url.
type Post = (
    String,
    String,
    DateTime<Utc>,
    Option<String>,
    [Option<i64>; 8],
    Option<String>,
    Option<String>,
);

type PostTuple = (
    String,
    String,
    DateTime<Utc>,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<String>,
    Option<String>,
);

/// The project's posts of `platform`, by post id.
pub async fn posts(env: &Env, platform: &str) -> Vec<Post> {
    let sql = "SELECT account, post_id, published_at, post_type, likes, comments, shares, saves, views, reach, \
               impressions, followers, text, url FROM posts WHERE project_id = $1 AND platform = $2 ORDER BY post_id";
    let rows: Vec<PostTuple> = keel_store::on_pool!(env.store.raw_pool_for_tests(), p => {
        sqlx::query_as(sql).bind(env.project.id).bind(platform).fetch_all(p).await
    })
    .unwrap();
    rows.into_iter()
        .map(|r| {
            (
                r.0,
                r.1,
                r.2,
                r.3,
                [r.4, r.5, r.6, r.7, r.8, r.9, r.10, r.11],
                r.12,
                r.13,
            )
        })
        .collect()
}

/// An ad day as stored: campaign, date, spend, currency, impressions, clicks, leads, video views.
type Ad = (
    String,
    NaiveDate,
    f64,
    String,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

pub async fn ads(env: &Env, platform: &str) -> Vec<Ad> {
    let sql = "SELECT campaign, date, spend, currency, impressions, clicks, leads, video_views FROM ad_stats \
               WHERE project_id = $1 AND platform = $2 ORDER BY campaign, date";
    keel_store::on_pool!(env.store.raw_pool_for_tests(), p => {
        sqlx::query_as(sql).bind(env.project.id).bind(platform).fetch_all(p).await
    })
    .unwrap()
}

/// A lead as stored: id, created at, source, campaign, status, amount, closed at, repeat.
type Lead = (
    String,
    DateTime<Utc>,
    Option<String>,
    Option<String>,
    String,
    Option<f64>,
    Option<DateTime<Utc>>,
    bool,
);

pub async fn leads(env: &Env) -> Vec<Lead> {
    let sql = "SELECT lead_id, created_at, source, campaign, status, amount, closed_at, repeat FROM leads \
               WHERE project_id = $1 ORDER BY lead_id";
    keel_store::on_pool!(env.store.raw_pool_for_tests(), p => {
        sqlx::query_as(sql).bind(env.project.id).fetch_all(p).await
    })
    .unwrap()
}

pub fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

pub fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

fn s(v: &str) -> Option<String> {
    Some(v.to_owned())
}

/// The problems of a refused import.
pub fn refused(result: Result<keel_import::ImportSummary, ImportError>) -> Vec<Problem> {
    match result {
        Err(ImportError::Invalid(p)) => p,
        other => panic!("expected a refused file, got {other:?}"),
    }
}

pub async fn import_with(
    env: &Env,
    format: Format,
    text: &str,
    opts: ImportOptions,
) -> Result<keel_import::ImportSummary, ImportError> {
    let reader = std::io::Cursor::new(text.as_bytes().to_vec());
    keel_import::import_with(
        &env.store,
        &env.project,
        format,
        reader,
        "test",
        "tester",
        opts,
        &|_| {},
    )
    .await
}

/// Imports the sample twice: all stored, then all unchanged.
async fn sample_twice(env: &Env, format: Format, rows: u64) {
    assert_eq!(
        counts(env, format, format.sample()).await,
        (rows, rows, 0, 0),
        "{format}"
    );
    assert_eq!(
        counts(env, format, format.sample()).await,
        (rows, 0, 0, rows),
        "{format} again"
    );
}

/// Every data table of the project, to see that a refusal stored nothing.
async fn everything(env: &Env) -> [Vec<String>; 3] {
    [
        dump::<PostRow>(env).await,
        dump::<AdRow>(env).await,
        dump::<LeadRow>(env).await,
    ]
}

async fn vk_wall_sample(env: Env) {
    sample_twice(&env, Format::VkWall, 3).await;
    // Three wall.get items of community 123456 (owner_id -123456); reach_total from the
    // stats.getPostReach answer for 1003 and 1002, none for 1001.
    let url = |id: u32| s(&format!("https://vk.com/wall-123456_{id}"));
    assert_eq!(
        posts(&env, "vk").await,
        vec![
            (
                "123456".into(),
                "1001".into(),
                utc(2026, 10, 31, 10, 0),
                s("text"),
                [Some(96), Some(4), Some(3), None, Some(3100), None, None, None],
                s("New autumn menu: three seasonal drinks"),
                url(1001),
            ),
            (
                "123456".into(),
                "1002".into(),
                utc(2026, 11, 1, 10, 0),
                s("video"),
                [Some(150), Some(12), Some(9), None, Some(5400), Some(4050), None, None],
                s("How we choose our beans: a visit to the roastery"),
                url(1002),
            ),
            (
                "123456".into(),
                "1003".into(),
                utc(2026, 11, 2, 10, 0),
                s("photo"),
                [Some(312), Some(41), Some(27), None, Some(9100), Some(7400), None, None],
                s("Осенний розыгрыш: три подарочных сертификата"),
                url(1003),
            ),
        ]
    );
    // The same answers as JSON lines, the reach answer first, with an account given: the
    // same figures under that account.
    let mut pages: Vec<serde_json::Value> = serde_json::from_str(Format::VkWall.sample()).unwrap();
    pages.reverse();
    let lines: String = pages.iter().map(|p| format!("{p}\n")).collect();
    let opts = ImportOptions {
        account: Some("yourbrand".into()),
        ..ImportOptions::default()
    };
    let s2 = import_with(&env, Format::VkWall, &lines, opts).await.unwrap();
    assert_eq!((s2.rows_read, s2.stored), (3, 3));
    let renamed: Vec<_> = posts(&env, "vk")
        .await
        .into_iter()
        .filter(|p| p.0 == "yourbrand")
        .collect();
    assert_eq!(renamed.len(), 3);
    assert_eq!(renamed[2].4[5], Some(7400));
}

async fn vk_wall_broken(env: Env) {
    let before = everything(&env).await;
    // A count that is a string, in the second item.
    let bad = Format::VkWall
        .sample()
        .replacen("\"count\": 150", "\"count\": \"150\"", 1);
    assert_eq!(
        refused(import(&env, Format::VkWall, &bad).await),
        vec![p(
            2,
            "[0].response.items[1].likes.count",
            "is a string (\"150\"); expected a whole number"
        )]
    );
    // Cut short: the syntax error's own line.
    let cut = &Format::VkWall.sample()[..300];
    let problems = refused(import(&env, Format::VkWall, cut).await);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].line, 5, "{problems:?}");
    assert!(problems[0].reason.contains("cut short"), "{problems:?}");
    // A VK error answer, reach for a post the file lacks, and not an answer at all.
    let error = r#"{"error": {"error_code": 15, "error_msg": "Access denied", "request_params": []}}"#;
    let problems = refused(import(&env, Format::VkWall, error).await);
    assert_eq!(problems[0].column, "error");
    assert!(problems[0].reason.contains("15 Access denied"), "{problems:?}");
    let stray = r#"[{"response": {"count": 1, "items": [{"id": 1, "owner_id": -1, "date": 1793440800}]}},
{"response": [{"post_id": 2, "reach_total": 10}]}]"#;
    assert_eq!(
        refused(import(&env, Format::VkWall, stray).await),
        vec![p(
            2,
            "[1].response[0]",
            "reach is given for post 2, which no wall.get answer in the file has"
        )]
    );
    let problems = refused(import(&env, Format::VkWall, "[1, 2]").await);
    assert_eq!(problems[0].column, "[0]");
    let problems = refused(import(&env, Format::VkWall, "{\"response\": {\"count\": 0, \"items\": []}}").await);
    assert!(problems[0].reason.contains("holds no posts"), "{problems:?}");
    assert!(problems[0].to_russian().contains("нет ни одной записи"), "{problems:?}");
    assert_eq!(everything(&env).await, before);
}

/// A problem at a JSON path.
fn p(line: u64, path: &str, reason: &str) -> Problem {
    Problem {
        line,
        column: path.into(),
        reason: reason.into(),
        reason_ru: String::new(),
        at_path: true,
    }
}

/// A problem in a column of a table file.
fn c(line: u64, column: &str, reason: &str) -> Problem {
    Problem {
        at_path: false,
        ..p(line, column, reason)
    }
}

async fn yandex_direct_sample(env: Env) {
    sample_twice(&env, Format::YandexDirect, 3).await;
    assert_eq!(
        ads(&env, "yandex_direct").await,
        vec![
            (
                "brand-search".into(),
                day(2),
                920.0,
                "RUB".into(),
                Some(2300),
                Some(310),
                None,
                None
            ),
            (
                "november-promo".into(),
                day(1),
                1890.5,
                "RUB".into(),
                Some(41200),
                Some(530),
                Some(14),
                None
            ),
            (
                "november-promo".into(),
                day(2),
                1764.2,
                "RUB".into(),
                Some(39800),
                Some(512),
                Some(11),
                None
            ),
        ]
    );
}

async fn yandex_direct_options_and_broken(env: Env) {
    // Without the report's name and summary, in micros, in another currency.
    let micros = "Date\tCampaignName\tImpressions\tClicks\tCost\tConversions\n\
                  2026-11-03\tАкция \"Осень\"\t1000\t20\t1500250000\t2\n";
    let opts = ImportOptions {
        currency: Some("kzt".into()),
        money_in_micros: true,
        ..ImportOptions::default()
    };
    let s = import_with(&env, Format::YandexDirect, micros, opts).await.unwrap();
    assert_eq!((s.rows_read, s.stored), (1, 1));
    assert_eq!(
        ads(&env, "yandex_direct").await,
        vec![(
            "Акция \"Осень\"".into(),
            day(3),
            1500.25,
            "KZT".into(),
            Some(1000),
            Some(20),
            Some(2),
            None
        )]
    );

    let before = everything(&env).await;
    let bad = Format::YandexDirect.sample().replace("\t512\t", "\t5x2\t");
    assert_eq!(
        refused(import(&env, Format::YandexDirect, &bad).await),
        vec![c(4, "Clicks", "\"5x2\" is not a whole number")]
    );
    let no_cost = "Date\tCampaignName\tClicks\n2026-11-01\tx\t1\n";
    assert_eq!(
        refused(import(&env, Format::YandexDirect, no_cost).await),
        vec![c(1, "Cost", "this required column is missing")]
    );
    let bad_currency = ImportOptions {
        currency: Some("рубли".into()),
        ..ImportOptions::default()
    };
    let problems = refused(import_with(&env, Format::YandexDirect, Format::YandexDirect.sample(), bad_currency).await);
    assert_eq!(problems[0].column, "currency");
    assert_eq!(everything(&env).await, before);
}

async fn amocrm_sample(env: Env) {
    sample_twice(&env, Format::Amocrm, 4).await;
    // 19619 is won (142) with its UTM fields; 19620 sits in "Переговоры", a later stage
    // than the first (sort 30 > 20): qualified; 19621 is lost (143); 19622 is in the first
    // stage, "Первичный контакт": new.
    assert_eq!(
        leads(&env).await,
        vec![
            (
                "amocrm-19619".into(),
                utc(2026, 11, 1, 10, 0),
                s("vk"),
                s("november-promo"),
                "won".into(),
                Some(46333.0),
                Some(utc(2026, 11, 3, 14, 0)),
                false
            ),
            (
                "amocrm-19620".into(),
                utc(2026, 11, 1, 18, 0),
                None,
                None,
                "qualified".into(),
                Some(0.0),
                None,
                false
            ),
            (
                "amocrm-19621".into(),
                utc(2026, 11, 2, 9, 0),
                None,
                None,
                "lost".into(),
                Some(12000.0),
                Some(utc(2026, 11, 4, 14, 0)),
                false
            ),
            (
                "amocrm-19622".into(),
                utc(2026, 11, 2, 12, 0),
                s("instagram"),
                None,
                "new".into(),
                Some(8500.0),
                None,
                false
            ),
        ]
    );
    // Without the pipelines answer, an open lead cannot be placed: new.
    let mut pages: Vec<serde_json::Value> = serde_json::from_str(Format::Amocrm.sample()).unwrap();
    pages.remove(0);
    let text = serde_json::to_string(&pages).unwrap();
    assert_eq!(counts(&env, Format::Amocrm, &text).await, (4, 0, 1, 3));
    let q = "SELECT COUNT(*) FROM leads WHERE project_id = $1 AND lead_id = 'amocrm-19620' AND status = 'new'";
    assert_eq!(scalar(&env, q).await, Some(1));
}

async fn amocrm_broken(env: Env) {
    let before = everything(&env).await;
    let bad = Format::Amocrm
        .sample()
        .replacen("\"created_at\": 1793610000", "\"created_at\": \"yesterday\"", 1);
    assert_eq!(
        refused(import(&env, Format::Amocrm, &bad).await),
        vec![p(
            17,
            "[2]._embedded.leads[0].created_at",
            "\"yesterday\" is not a moment in Unix seconds (years 1000 to 9999)"
        )]
    );
    let error =
        r#"{"title": "Unauthorized", "type": "https://httpstatus.es/401", "status": 401, "detail": "Unauthorized"}"#;
    let problems = refused(import(&env, Format::Amocrm, error).await);
    assert!(
        problems[0].reason.contains("amoCRM error answer (Unauthorized"),
        "{problems:?}"
    );
    assert_eq!(
        problems[0].to_string().split(':').next(),
        Some("line 1, at (the answer)")
    );
    // An empty file: amoCRM answers 204 with no body when there are no leads.
    let problems = refused(import(&env, Format::Amocrm, "").await);
    assert_eq!(problems[0].reason, "the file is empty");
    assert_eq!(everything(&env).await, before);
}
