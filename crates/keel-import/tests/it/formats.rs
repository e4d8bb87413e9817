//! Each format imports, with its values converted as documented.

use crate::support::{Env, counts, dump, scalar};
use chrono::{DateTime, TimeZone, Utc};
use keel_import::Format;
use keel_store::data::{AdRow, DailyRow, LeadRow, PostRow};

on_both!(
    posts,
    posts_with_text_and_address,
    daily,
    ads,
    leads,
    columns_by_name_in_any_order
);

async fn posts(env: Env) {
    let csv = "\u{feff}platform,account,post_id,published_at,type,likes,comments,shares,saves,views,reach,impressions,followers,note\n\
        vk,brand,1,2024-03-01T10:00:00+03:00,photo,10,2,1,0,,500,900,1000,ignored\n\
        vk,brand,2,2024-03-02 12:30:00,video,\"1\",,,,300,,,1000,\n\
        \n\
        instagram,\"brand, inc\",3,2024-03-03,,0,0,0,0,0,0,0,0,x\n";
    assert_eq!(counts(&env, Format::Posts, csv).await, (3, 3, 0, 0));
    assert_eq!(dump::<PostRow>(&env).await.len(), 3);
    let sql = "SELECT published_at FROM posts WHERE project_id = $1 ORDER BY post_id";
    let times: Vec<DateTime<Utc>> = keel_store::on_pool!(env.store.raw_pool_for_tests(), p => {
        sqlx::query_scalar(sql).bind(env.project.id).fetch_all(p).await
    })
    .unwrap();
    let utc = |d, h, m| Utc.with_ymd_and_hms(2024, 3, d, h, m, 0).unwrap();
    assert_eq!(times, [utc(1, 7, 0), utc(2, 12, 30), utc(3, 0, 0)]);
    // An empty optional count is NULL ("not reported"), never 0.
    let q = "SELECT comments FROM posts WHERE project_id = $1 AND post_id = '2'";
    assert_eq!(scalar(&env, q).await, None);
    let q = "SELECT likes FROM posts WHERE project_id = $1 AND post_id = '2'";
    assert_eq!(scalar(&env, q).await, Some(1));
    let q = "SELECT COUNT(*) FROM posts WHERE project_id = $1 AND account = 'brand, inc'";
    assert_eq!(scalar(&env, q).await, Some(1));

    let log = env.store.recent_imports(&env.project, 10).await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!((log[0].format.as_str(), log[0].source.as_str()), ("posts", "test.csv"));
    assert_eq!((log[0].actor.as_str(), log[0].stored), ("tester", 3));
    let held = env.store.data_counts(&env.project).await.unwrap();
    assert_eq!((held.posts, held.daily, held.ads, held.leads), (3, 0, 0, 0));
}

/// `text` and `url` are optional extra columns of the posts CSV: kept as given, returned by
/// `Store::post_texts`, and part of what a re-import compares (a changed text replaces).
async fn posts_with_text_and_address(env: Env) {
    let csv = "platform,account,post_id,published_at,likes,followers,text,url\n\
        vk,brand,1,2024-03-01,10,1000,\"Скидка 20 %, до воскресенья\",https://vk.com/wall-1_1\n\
        vk,brand,2,2024-03-02,5,1000,,\n";
    assert_eq!(counts(&env, Format::Posts, csv).await, (2, 2, 0, 0));
    assert_eq!(counts(&env, Format::Posts, csv).await, (2, 0, 0, 2));
    let key = |id: &str| ("vk".to_string(), "brand".to_string(), id.to_string());
    let found = env
        .store
        .post_texts(&env.project, &[key("1"), key("2"), key("9")])
        .await
        .unwrap();
    assert_eq!(
        found.len(),
        1,
        "a post with neither text nor address is left out: {found:?}"
    );
    let one = &found[&key("1")];
    assert_eq!(one.text.as_deref(), Some("Скидка 20 %, до воскресенья"));
    assert_eq!(one.url.as_deref(), Some("https://vk.com/wall-1_1"));
    let changed = csv.replace("до воскресенья", "до понедельника");
    assert_eq!(counts(&env, Format::Posts, &changed).await, (2, 0, 1, 1));
}

async fn daily(env: Env) {
    let csv = "platform,account,date,followers,reach,impressions,mentions,hashtag_uses,profile_visits,site_clicks\n\
        vk,brand,2024-03-01,1000,500,900,3,4,5,6\n\
        vk,brand,2024-03-02,1010,,,,,,\n";
    assert_eq!(counts(&env, Format::Daily, csv).await, (2, 2, 0, 0));
    let q = "SELECT followers FROM daily_stats WHERE project_id = $1 AND date = '2024-03-02'";
    assert_eq!(scalar(&env, q).await, Some(1010));
    let q = "SELECT reach FROM daily_stats WHERE project_id = $1 AND date = '2024-03-02'";
    assert_eq!(scalar(&env, q).await, None);
    assert_eq!(dump::<DailyRow>(&env).await.len(), 2);
    assert_eq!(env.store.data_counts(&env.project).await.unwrap().daily, 2);
}

async fn ads(env: Env) {
    let csv = "platform,campaign,date,spend,currency,impressions,clicks,leads,video_views\n\
        vk,spring,2024-03-01,120.50,RUB,10000,150,12,\n\
        vk,spring,2024-03-02,0,RUB,,,,\n";
    assert_eq!(counts(&env, Format::Ads, csv).await, (2, 2, 0, 0));
    let q = "SELECT CAST(spend * 100 AS BIGINT) FROM ad_stats WHERE project_id = $1 AND clicks = 150";
    assert_eq!(scalar(&env, q).await, Some(12050));
    assert_eq!(dump::<AdRow>(&env).await.len(), 2);
    assert_eq!(env.store.data_counts(&env.project).await.unwrap().ads, 2);
}

async fn leads(env: Env) {
    let csv = "lead_id,created_at,source,campaign,status,amount,closed_at,repeat\n\
        L1,2024-03-01T09:00:00Z,form,spring,new,,,\n\
        L2,2024-03-01 10:00:00,call,,Won,1500.5,2024-03-05,yes\n\
        L3,2024-03-02,,,lost,,2024-03-03T00:00:00-01:00,0\n\
        L4,2024-03-02,,,qualified,,,TRUE\n";
    assert_eq!(counts(&env, Format::Leads, csv).await, (4, 4, 0, 0));
    let q = "SELECT COUNT(*) FROM leads WHERE project_id = $1 AND status = 'won' AND repeat";
    assert_eq!(scalar(&env, q).await, Some(1));
    let q = "SELECT COUNT(*) FROM leads WHERE project_id = $1 AND repeat";
    assert_eq!(scalar(&env, q).await, Some(2));
    let q = "SELECT COUNT(*) FROM leads WHERE project_id = $1 AND source IS NULL";
    assert_eq!(scalar(&env, q).await, Some(2));
    let closed: Option<DateTime<Utc>> = keel_store::on_pool!(env.store.raw_pool_for_tests(), p => {
        sqlx::query_scalar("SELECT closed_at FROM leads WHERE project_id = $1 AND lead_id = 'L3'")
            .bind(env.project.id)
            .fetch_one(p)
            .await
    })
    .unwrap();
    assert_eq!(closed, Some(Utc.with_ymd_and_hms(2024, 3, 3, 1, 0, 0).unwrap()));
    assert_eq!(dump::<LeadRow>(&env).await.len(), 4);
}

/// Only the required columns, shuffled and in another case: the header decides.
async fn columns_by_name_in_any_order(env: Env) {
    let csv = "Post_ID,published_at,Account,PLATFORM\n7,2024-03-01,brand,vk\n";
    assert_eq!(counts(&env, Format::Posts, csv).await, (1, 1, 0, 0));
    let q = "SELECT COUNT(*) FROM posts WHERE project_id = $1 AND post_id = '7' AND likes IS NULL";
    assert_eq!(scalar(&env, q).await, Some(1));
}
