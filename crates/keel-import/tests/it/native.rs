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
    telegram_export_sample,
    telegram_export_broken,
    instagram_media_sample,
    instagram_media_broken,
    meta_ads_sample,
    meta_ads_broken,
    bitrix24_sample,
    bitrix24_broken,
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
    assert_eq!(
        refused(import(&env, Format::VkWall, VK_STRAY_REACH).await),
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

/// A wall.get answer and a stats.getPostReach answer for a post it does not have.
pub const VK_STRAY_REACH: &str = r#"[{"response": {"count": 1, "items": [{"inner_type": "wall_wallpost", "id": 1, "owner_id": -1, "date": 1793440800}]}},
{"response": [{"post_id": 2, "reach_total": 10}]}]"#;

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

async fn telegram_export_sample(env: Env) {
    // Three messages (the service message is skipped) of public channel 1712345678.
    sample_twice(&env, Format::TelegramExport, 3).await;
    let account = "-1001712345678";
    assert_eq!(
        posts(&env, "telegram").await,
        vec![
            (
                account.into(),
                "57".into(),
                utc(2026, 11, 1, 12, 30),
                s("photo"),
                // 41 👍 + 12 ❤ + 3 custom emoji
                [Some(56), None, None, None, None, None, None, None],
                s("How we choose our beans: a visit to the roastery"),
                None,
            ),
            (
                account.into(),
                "58".into(),
                utc(2026, 11, 2, 18, 0),
                s("poll"),
                [Some(0), None, None, None, None, None, None, None],
                s("Опрос недели: какой сироп добавить в меню?"),
                None,
            ),
            (
                account.into(),
                "59".into(),
                utc(2026, 11, 3, 8, 15),
                s("video"),
                [Some(77), None, None, None, None, None, None, None],
                s("Latte art in 30 seconds"),
                None,
            ),
        ]
    );
    // An older export without date_unixtime: `date` is read as UTC; the account as given.
    let old = r#"{"name": "Old", "type": "private_channel", "id": 5, "messages": [
        {"id": 3, "type": "message", "date": "2021-05-04T10:20:30", "text": "hi"}]}"#;
    let opts = ImportOptions {
        account: Some("@oldchannel".into()),
        ..ImportOptions::default()
    };
    import_with(&env, Format::TelegramExport, old, opts).await.unwrap();
    let old_posts = posts(&env, "telegram").await;
    let p3 = old_posts.iter().find(|p| p.1 == "3").unwrap();
    assert_eq!(
        (p3.0.as_str(), p3.2),
        ("@oldchannel", utc(2021, 5, 4, 10, 20) + chrono::Duration::seconds(30))
    );
}

async fn telegram_export_broken(env: Env) {
    let before = everything(&env).await;
    let bad = Format::TelegramExport
        .sample()
        .replace("\"count\": 77", "\"count\": -77");
    assert_eq!(
        refused(import(&env, Format::TelegramExport, &bad).await),
        vec![p(
            1,
            "messages[3].reactions[0].count",
            "-77 is negative; counts cannot be"
        )]
    );
    let chat = Format::TelegramExport
        .sample()
        .replace("public_channel", "personal_chat");
    let problems = refused(import(&env, Format::TelegramExport, &chat).await);
    assert_eq!(problems[0].column, "type");
    assert!(problems[0].reason.contains("not a channel's export"), "{problems:?}");
    let no_date = r#"{"type": "public_channel", "id": 5, "messages": [{"id": 3, "type": "message", "text": "x"}]}"#;
    assert_eq!(
        refused(import(&env, Format::TelegramExport, no_date).await),
        vec![p(1, "messages[0].date", "is missing; this value is required")]
    );
    assert_eq!(everything(&env).await, before);
}

async fn instagram_media_sample(env: Env) {
    sample_twice(&env, Format::InstagramMedia, 2).await;
    let account = "17841400008460056";
    assert_eq!(
        posts(&env, "instagram").await,
        vec![
            (
                // Its insights answer is empty: no insight figures (NULL, not 0), the
                // media's own like_count and comments_count stand in for likes and comments.
                account.into(),
                "17895695668004550".into(),
                utc(2026, 11, 1, 10, 0),
                s("carousel"),
                [Some(412), Some(19), None, None, None, None, None, None],
                s("New autumn menu: three seasonal drinks"),
                s("https://www.instagram.com/p/C0z9y8x7w6v/"),
            ),
            (
                // The insights' likes (884) win over like_count (880).
                account.into(),
                "17918920912340654".into(),
                utc(2026, 11, 2, 15, 0),
                s("reel"),
                [
                    Some(884),
                    Some(35),
                    Some(61),
                    Some(140),
                    Some(24100),
                    Some(15800),
                    None,
                    None
                ],
                s("Latte art in 30 seconds"),
                s("https://www.instagram.com/reel/C1a2b3c4d5e/"),
            ),
        ]
    );
}

async fn instagram_media_broken(env: Env) {
    let before = everything(&env).await;
    let bad = Format::InstagramMedia
        .sample()
        .replace("2026-11-01T10:00:00+0000", "01.11.2026");
    let problems = refused(import(&env, Format::InstagramMedia, &bad).await);
    assert_eq!(
        (problems.len(), problems[0].line, problems[0].column.as_str()),
        (1, 1, "data[1].timestamp")
    );
    assert!(
        problems[0].reason.starts_with("\"01.11.2026\" is not a timestamp"),
        "{problems:?}"
    );
    let bad = Format::InstagramMedia
        .sample()
        .replace("\"value\": 15800", "\"value\": 158.5");
    assert_eq!(
        refused(import(&env, Format::InstagramMedia, &bad).await),
        vec![p(
            1,
            "data[0].insights.data[1].values[0].value",
            "is a number (158.5); expected a whole number"
        )]
    );
    // Without owner and without an account given, the posts would have no account.
    let ownerless = Format::InstagramMedia
        .sample()
        .replace("\"owner\": {\"id\": \"17841400008460056\"},", "");
    let problems = refused(import(&env, Format::InstagramMedia, &ownerless).await);
    assert_eq!(problems.len(), 2);
    assert!(problems[0].reason.contains("no owner.id"), "{problems:?}");
    assert_eq!(everything(&env).await, before);
    let opts = ImportOptions {
        account: Some("yourbrand".into()),
        ..ImportOptions::default()
    };
    let taken = import_with(&env, Format::InstagramMedia, &ownerless, opts)
        .await
        .unwrap();
    assert_eq!(taken.stored, 2);
    assert!(posts(&env, "instagram").await.iter().all(|p| p.0 == "yourbrand"));
}

async fn meta_ads_sample(env: Env) {
    sample_twice(&env, Format::MetaAds, 3).await;
    assert_eq!(
        ads(&env, "meta_ads").await,
        vec![
            // `lead` 9 and `onsite_conversion.lead_grouped` 9 are the same leads: 9, not 18.
            (
                "november-promo".into(),
                day(1),
                1250.4,
                "RUB".into(),
                Some(38400),
                Some(402),
                Some(9),
                Some(5100)
            ),
            // Only the grouped entry: 7; no video_view entry among the actions: 0.
            (
                "november-promo".into(),
                day(2),
                1310.0,
                "RUB".into(),
                Some(40100),
                Some(415),
                Some(7),
                Some(0)
            ),
            // No actions at all: not reported.
            (
                "reels-reach".into(),
                day(2),
                640.75,
                "RUB".into(),
                Some(52000),
                Some(120),
                None,
                None
            ),
        ]
    );
    // Without account_currency, the currency given (else USD).
    let plain = r#"{"data": [{"campaign_name": "c", "spend": "5", "date_start": "2026-11-05", "date_stop": "2026-11-05"}]}
{"data": [{"campaign_name": "c", "spend": "7.5", "date_start": "2026-11-06", "date_stop": "2026-11-06"}]}"#;
    import_with(&env, Format::MetaAds, plain, ImportOptions::default())
        .await
        .unwrap();
    let c: Vec<_> = ads(&env, "meta_ads").await.into_iter().filter(|a| a.0 == "c").collect();
    assert_eq!((c[0].2, c[0].3.as_str(), c[1].2), (5.0, "USD", 7.5));
    let eur = ImportOptions {
        currency: Some("EUR".into()),
        ..ImportOptions::default()
    };
    assert_eq!(
        import_with(&env, Format::MetaAds, plain, eur).await.unwrap().replaced,
        2
    );
}

async fn meta_ads_broken(env: Env) {
    let before = everything(&env).await;
    let bad = Format::MetaAds.sample().replace("\"1310.00\"", "\"1 310,00\"");
    let problems = refused(import(&env, Format::MetaAds, &bad).await);
    assert_eq!((problems.len(), problems[0].column.as_str()), (1, "data[1].spend"));
    assert!(
        problems[0].reason.starts_with("\"1 310,00\" is not a number"),
        "{problems:?}"
    );
    let week = Format::MetaAds
        .sample()
        .replacen("\"date_stop\": \"2026-11-01\"", "\"date_stop\": \"2026-11-07\"", 1);
    let problems = refused(import(&env, Format::MetaAds, &week).await);
    assert_eq!(problems[0].column, "data[0].date_stop");
    assert!(problems[0].reason.contains("time_increment=1"), "{problems:?}");
    let error = r#"{"error": {"message": "(#17) User request limit reached", "type": "OAuthException", "code": 17, "fbtrace_id": "A1"}}"#;
    let problems = refused(import(&env, Format::MetaAds, error).await);
    assert!(
        problems[0].reason.contains("17 (#17) User request limit reached"),
        "{problems:?}"
    );
    assert_eq!(everything(&env).await, before);
}

async fn bitrix24_sample(env: Env) {
    sample_twice(&env, Format::Bitrix24, 4).await;
    // Times are Moscow time (+03:00) in the answers, stored in UTC.
    assert_eq!(
        leads(&env).await,
        vec![
            (
                "bitrix24-101".into(),
                utc(2026, 11, 1, 7, 0),
                s("vk"),
                s("november-promo"),
                "won".into(),
                Some(46333.0),
                Some(utc(2026, 11, 2, 21, 0)),
                false
            ),
            (
                // In the first stage (NEW); an open deal's CLOSEDATE is only planned.
                "bitrix24-102".into(),
                utc(2026, 11, 1, 15, 30),
                s("CALL"),
                None,
                "new".into(),
                Some(0.0),
                None,
                false
            ),
            (
                // A later stage of pipeline 1: qualified; a returning customer.
                "bitrix24-103".into(),
                utc(2026, 11, 2, 6, 0),
                s("instagram"),
                s("reels-reach"),
                "qualified".into(),
                Some(8500.0),
                None,
                true
            ),
            (
                "bitrix24-104".into(),
                utc(2026, 11, 2, 9, 0),
                None,
                None,
                "lost".into(),
                Some(12000.0),
                Some(utc(2026, 11, 3, 21, 0)),
                false
            ),
        ]
    );
}

async fn bitrix24_broken(env: Env) {
    let before = everything(&env).await;
    let bad = Format::Bitrix24
        .sample()
        .replace("\"STAGE_SEMANTIC_ID\": \"F\"", "\"STAGE_SEMANTIC_ID\": \"X\"");
    assert_eq!(
        refused(import(&env, Format::Bitrix24, &bad).await),
        vec![p(
            6,
            "[1].result[1].STAGE_SEMANTIC_ID",
            "is not a stage's meaning (expected S, F or P)"
        )]
    );
    let limit = r#"{"error": "QUERY_LIMIT_EXCEEDED", "error_description": "Too many requests"}"#;
    let problems = refused(import(&env, Format::Bitrix24, limit).await);
    assert!(
        problems[0].reason.contains("QUERY_LIMIT_EXCEEDED Too many requests"),
        "{problems:?}"
    );
    assert!(
        problems[0]
            .to_russian()
            .starts_with("строка 1, в error: это ответ Bitrix24"),
        "{problems:?}"
    );
    assert_eq!(everything(&env).await, before);
}
