//! The demo year: a year of daily account figures, posts, ads and leads for both demo clients,
//! written as the canonical CSV files of PRODUCT.md so that `keel demo` loads them through the
//! same importer users use.
//!
//! The story the numbers tell (and tests check):
//! - Client A grows steadily. Its sales team's lead→deal conversion falls after the first four
//!   months while the agency's stages hold: the funnel shows `leads_to_deals` (client zone)
//!   `worse` than its baseline.
//! - Client B's Instagram gets one viral day (a real jump in followers; engagement holds: not
//!   flagged) and, later, one purchase of bots (a jump whose followers never engage: ER falls
//!   and the report flags it).

use super::random::Rng;
use chrono::{Duration, NaiveDate};
use std::fmt::Write;

/// First and last day of the demo data.
pub fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 11, 1).expect("constant date")
}
pub const DAYS: i64 = 365;

/// The bot purchase on Client B's Instagram, and its size.
pub fn purchase_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 12).expect("constant date")
}
pub const PURCHASED_FOLLOWERS: i64 = 6000;
/// The viral day on the same account, and the real followers it brought.
pub fn viral_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 14).expect("constant date")
}
pub const VIRAL_FOLLOWERS: i64 = 1500;

/// The four canonical CSV files of one project.
#[derive(Debug, Default)]
pub struct DemoFiles {
    pub daily: String,
    pub posts: String,
    pub ads: String,
    pub leads: String,
}

struct AccountPlan {
    platform: &'static str,
    account: &'static str,
    followers: i64,
    daily_gain: i64,
    gain_spread: i64,
    /// Interactions per post as a share of real followers, in percent.
    er: f64,
    posts_per_day: f64,
    video_share: f64,
}

struct CampaignPlan {
    platform: &'static str,
    campaign: &'static str,
    spend_per_day: f64,
    cpm: f64,
    ctr: f64,
    click_to_lead: f64,
    video_view_share: f64,
}

pub fn client_a() -> DemoFiles {
    let mut files = header();
    let mut rng = Rng::new(0xA11CE);
    let accounts = [
        AccountPlan {
            platform: "instagram",
            account: "clienta.coffee",
            followers: 12_400,
            daily_gain: 14,
            gain_spread: 9,
            er: 3.4,
            posts_per_day: 0.8,
            video_share: 0.4,
        },
        AccountPlan {
            platform: "telegram",
            account: "clienta_roastery",
            followers: 3_100,
            daily_gain: 5,
            gain_spread: 4,
            er: 6.0,
            posts_per_day: 1.2,
            video_share: 0.1,
        },
    ];
    for plan in &accounts {
        account_year(&mut files, &mut rng, plan, &[], &[]);
    }
    let campaigns = [
        CampaignPlan {
            platform: "vk",
            campaign: "autumn-blend",
            spend_per_day: 1500.0,
            cpm: 150.0,
            ctr: 0.012,
            click_to_lead: 0.08,
            video_view_share: 0.0,
        },
        CampaignPlan {
            platform: "instagram",
            campaign: "coffee-subscription",
            spend_per_day: 1100.0,
            cpm: 210.0,
            ctr: 0.009,
            click_to_lead: 0.06,
            video_view_share: 0.3,
        },
    ];
    // The sales team closes 30 % of leads for four months, then 19 %.
    let won_rate = |day: i64| if day < 120 { 0.30 } else { 0.19 };
    ads_and_leads(&mut files, &mut rng, "A", &campaigns, won_rate, 4_500.0);
    files
}

pub fn client_b() -> DemoFiles {
    let mut files = header();
    let mut rng = Rng::new(0xB0B);
    let instagram = AccountPlan {
        platform: "instagram",
        account: "clientb.fitness",
        followers: 8_200,
        daily_gain: 11,
        gain_spread: 7,
        er: 4.1,
        posts_per_day: 0.9,
        video_share: 0.6,
    };
    let vk = AccountPlan {
        platform: "vk",
        account: "club_clientb",
        followers: 5_600,
        daily_gain: 6,
        gain_spread: 5,
        er: 2.2,
        posts_per_day: 0.7,
        video_share: 0.2,
    };
    account_year(
        &mut files,
        &mut rng,
        &instagram,
        &[(viral_day(), VIRAL_FOLLOWERS)],
        &[(purchase_day(), PURCHASED_FOLLOWERS)],
    );
    account_year(&mut files, &mut rng, &vk, &[], &[]);
    let campaigns = [CampaignPlan {
        platform: "vk",
        campaign: "trial-week",
        spend_per_day: 900.0,
        cpm: 120.0,
        ctr: 0.011,
        click_to_lead: 0.07,
        video_view_share: 0.0,
    }];
    ads_and_leads(&mut files, &mut rng, "B", &campaigns, |_| 0.25, 3_000.0);
    files
}

fn header() -> DemoFiles {
    DemoFiles {
        daily: "platform,account,date,followers,reach,impressions,mentions,hashtag_uses,profile_visits,site_clicks\n"
            .into(),
        posts:
            "platform,account,post_id,published_at,type,likes,comments,shares,saves,views,reach,impressions,followers,text,url\n"
                .into(),
        ads: "platform,campaign,date,spend,currency,impressions,clicks,leads,video_views\n".into(),
        leads: "lead_id,created_at,source,campaign,status,amount,closed_at,repeat\n".into(),
    }
}

/// One account's year: a daily row per day and about `posts_per_day` posts.
/// `viral` days add real followers (who engage); `purchases` add bots (who never do).
fn account_year(
    files: &mut DemoFiles,
    rng: &mut Rng,
    plan: &AccountPlan,
    viral: &[(NaiveDate, i64)],
    purchases: &[(NaiveDate, i64)],
) {
    let (mut real, mut bots) = (plan.followers, 0i64);
    let mut post_no = 0;
    for offset in 0..DAYS {
        let date = first_day() + Duration::days(offset);
        real += plan.daily_gain + rng.range(-plan.gain_spread, plan.gain_spread);
        let viral_today = viral.iter().find(|(d, _)| *d == date).map(|(_, n)| *n);
        real += viral_today.unwrap_or(0);
        bots += purchases
            .iter()
            .filter(|(d, _)| *d == date)
            .map(|(_, n)| *n)
            .sum::<i64>();
        let followers = real + bots;
        let reach = (real as f64 * rng.around(0.28, 0.15)) as i64;
        let _ = writeln!(
            files.daily,
            "{},{},{date},{followers},{reach},{},{},{},{},{}",
            plan.platform,
            plan.account,
            (reach as f64 * 1.4) as i64,
            rng.range(2, 15),
            rng.range(5, 40),
            rng.range(40, 160),
            rng.range(10, 60)
        );
        let mut posts_today = usize::from(rng.chance(plan.posts_per_day.min(1.0)));
        posts_today += usize::from(plan.posts_per_day > 1.0 && rng.chance(plan.posts_per_day - 1.0));
        if viral_today.is_some() {
            posts_today = posts_today.max(1);
        }
        for n in 0..posts_today {
            post_no += 1;
            let boost = if viral_today.is_some() && n == 0 { 8.0 } else { 1.0 };
            let interactions = real as f64 * plan.er / 100.0 * rng.around(1.0, 0.35) * boost;
            let video = rng.chance(plan.video_share);
            let post_reach = (real as f64 * rng.around(0.32, 0.25) * boost.sqrt()) as i64;
            let views = if video { ((post_reach as f64) * 1.15) as i64 } else { 0 };
            let _ = writeln!(
                files.posts,
                "{},{},{}-{post_no},{date}T{:02}:{:02}:00Z,{},{},{},{},{},{},{post_reach},{},{followers},\"{}\",{}",
                plan.platform,
                plan.account,
                plan.account.replace(['.', '_'], ""),
                rng.range(8, 20),
                rng.range(0, 59),
                if video { "video" } else { "photo" },
                (interactions * 0.80) as i64,
                (interactions * 0.08) as i64,
                (interactions * 0.07) as i64,
                (interactions * 0.05) as i64,
                if video { views.to_string() } else { String::new() },
                (post_reach as f64 * 1.35) as i64,
                post_text(plan.account, post_no),
                post_url(plan, post_no),
            );
        }
    }
}

/// The demo posts' texts, by subject: a coffee roastery and a fitness club. Chosen by the
/// post's number, not the random stream, so the figures stay those of earlier versions.
const COFFEE_TEXTS: [&str; 6] = [
    "Новый урожай из Эфиопии: ягодная кислотность и долгое послевкусие. Пробуйте в кофейне на Покровке",
    "Как заварить фильтр дома: 15 г кофе, 250 мл воды 94 °C и три минуты терпения",
    "Скидка 20 % на зерно для эспрессо до воскресенья",
    "Знакомьтесь: наш обжарщик Илья рассказывает, почему светлая обжарка — не кислая",
    "Мастер-класс по латте-арту в субботу в 12:00, осталось 4 места",
    "Ваши вопросы о кофемолках: жернова, помол и сколько служит",
];
const FITNESS_TEXTS: [&str; 6] = [
    "Утренняя тренировка за 20 минут: пять упражнений для спины",
    "Пробная неделя в клубе бесплатно — запишитесь у администратора",
    "Что есть после тренировки: разбираем с нашим нутрициологом",
    "Результаты марафона: 42 участника и минус 118 кг на всех",
    "Растяжка перед сном: видео с тренером Анной",
    "Новое расписание групповых занятий на декабрь",
];

/// The text of a demo post (quoted in the CSV; none of them holds a double quote).
fn post_text(account: &str, post_no: usize) -> &'static str {
    let texts = if account.starts_with("clienta") {
        &COFFEE_TEXTS
    } else {
        &FITNESS_TEXTS
    };
    texts[post_no % texts.len()]
}

/// Where a demo post would be on its platform.
fn post_url(plan: &AccountPlan, post_no: usize) -> String {
    match plan.platform {
        "vk" => format!("https://vk.com/{}?w=wall-{post_no}", plan.account),
        "telegram" => format!("https://t.me/{}/{post_no}", plan.account),
        _ => format!("https://www.instagram.com/{}/", plan.account),
    }
}

/// Daily ad figures for each campaign and one lead row per ad lead, closed by the client's
/// sales team at `won_rate(day)`.
fn ads_and_leads(
    files: &mut DemoFiles,
    rng: &mut Rng,
    prefix: &str,
    campaigns: &[CampaignPlan],
    won_rate: impl Fn(i64) -> f64,
    deal_size: f64,
) {
    let mut lead_no = 0;
    let last_day = first_day() + Duration::days(DAYS - 1);
    for offset in 0..DAYS {
        let date = first_day() + Duration::days(offset);
        for c in campaigns {
            let spend = (rng.around(c.spend_per_day, 0.2) * 100.0).round() / 100.0;
            let impressions = (spend / c.cpm * 1000.0).round() as i64;
            // Rates are held steady (not sampled) so the agency's stages stay on baseline.
            let clicks = (impressions as f64 * c.ctr).round() as i64;
            let leads = (clicks as f64 * c.click_to_lead).round() as i64;
            let video_views = (impressions as f64 * c.video_view_share).round() as i64;
            let _ = writeln!(
                files.ads,
                "{},{},{date},{spend:.2},RUB,{impressions},{clicks},{leads},{video_views}",
                c.platform, c.campaign
            );
            for _ in 0..leads {
                lead_no += 1;
                // Office hours 09:00–21:59 in Moscow, the demo's time zone (UTC+3), so a lead's
                // local day is its UTC day too.
                let created = format!("{date}T{:02}:{:02}:00Z", rng.range(9, 21) - 3, rng.range(0, 59));
                let close_after = rng.range(1, 12);
                let closed_on = date + Duration::days(close_after);
                let (status, amount, closed) = if closed_on > last_day {
                    (
                        if rng.chance(0.5) { "new" } else { "qualified" },
                        String::new(),
                        String::new(),
                    )
                } else if rng.chance(won_rate(offset)) {
                    (
                        "won",
                        format!("{:.2}", rng.around(deal_size, 0.4)),
                        format!("{closed_on}T18:00:00Z"),
                    )
                } else {
                    ("lost", String::new(), format!("{closed_on}T18:00:00Z"))
                };
                let repeat = rng.chance(0.15);
                let _ = writeln!(
                    files.leads,
                    "{prefix}-{lead_no:06},{created},{},{},{status},{amount},{closed},{repeat}",
                    c.platform, c.campaign
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_year_is_the_same_every_time() {
        let (a1, a2) = (client_a(), client_a());
        assert_eq!(a1.posts, a2.posts);
        assert_eq!(a1.leads, a2.leads);
        assert_eq!(client_b().daily, client_b().daily);
    }

    #[test]
    fn every_file_has_a_year_of_rows() {
        let b = client_b();
        assert_eq!(b.daily.lines().count() as i64, 1 + 2 * DAYS);
        assert_eq!(b.ads.lines().count() as i64, 1 + DAYS);
        assert!(b.posts.lines().count() > 400, "{}", b.posts.lines().count());
        assert!(client_a().leads.lines().count() > 2000);
    }

    #[test]
    fn the_purchase_shows_as_a_jump_in_followers() {
        let b = client_b();
        let series: Vec<i64> = b
            .daily
            .lines()
            .filter(|l| l.starts_with("instagram,"))
            .map(|l| l.split(',').nth(3).unwrap().parse().unwrap())
            .collect();
        let day = (purchase_day() - first_day()).num_days() as usize;
        let gain = series[day] - series[day - 1];
        assert!(gain >= PURCHASED_FOLLOWERS, "{gain}");
    }
}
