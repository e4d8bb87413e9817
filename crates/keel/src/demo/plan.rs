//! The demo content plan: posts in every workflow state on both projects, made
//! through the same store functions the app uses, so each carries its real audit trail. A
//! project that already has posts is left alone (`keel demo` twice changes nothing).
//!
//! Dates are relative to today so the calendar opens on a month with content in it.

use chrono::{DateTime, Days, NaiveTime, Utc};
use keel_domain::workflow::{Platform, PostAction};
use keel_domain::{Email, UserId};
use keel_store::Store;
use keel_store::plan::actions::ActionInput;
use keel_store::plan::comments::Resolution;
use keel_store::plan::posts::{PlanPost, PostDraft};
use keel_store::projects::Project;
use std::collections::BTreeMap;

/// A 1×1 PNG (a real, valid image: signature, IHDR, IDAT, IEND).
pub const DEMO_PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49,
    0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x60, 0x60, 0x60, 0xF8, 0x0F, 0x00, 0x01, 0x04, 0x01, 0x00, 0x5F, 0xE5, 0xC3,
    0x4B, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

/// Where a demo post ends up.
#[derive(Clone, Copy)]
enum Goal {
    Draft,
    InReview,
    Urgent,
    ChangesRequested,
    Approved,
    Scheduled,
    Published,
    Failed,
    /// Three rounds of changes: flagged.
    Flagged,
}

struct People {
    author: UserId,
    approver: UserId,
    member: Option<UserId>,
}

async fn user(store: &Store, email: &str) -> anyhow::Result<UserId> {
    Ok(store
        .user_by_email(&Email::parse(email)?)
        .await?
        .ok_or_else(|| anyhow::anyhow!("demo user {email} missing"))?
        .id())
}

fn day(offset: i64, hour: u32) -> DateTime<Utc> {
    let date = if offset >= 0 {
        Utc::now().date_naive() + Days::new(offset as u64)
    } else {
        Utc::now().date_naive() - Days::new(offset.unsigned_abs())
    };
    date.and_time(NaiveTime::from_hms_opt(hour, 0, 0).expect("valid hour"))
        .and_utc()
}

/// Fills both projects' plans; returns how many posts were made.
pub async fn fill(store: &Store, projects: &[Project]) -> anyhow::Result<usize> {
    let mut made = 0;
    for project in projects {
        if !store.plan_posts_of(project.id()).await?.is_empty() {
            continue;
        }
        let (people, posts) = match project.slug.as_str() {
            "client-a" => (
                People {
                    author: user(store, "specialist@demo.local").await?,
                    approver: user(store, "approver-a@demo.local").await?,
                    member: Some(user(store, "member-a@demo.local").await?),
                },
                CLIENT_A,
            ),
            _ => (
                People {
                    author: user(store, "specialist@demo.local").await?,
                    approver: user(store, "client-b@demo.local").await?,
                    member: None,
                },
                CLIENT_B,
            ),
        };
        for (goal, offset, platforms, text) in posts {
            make(store, project, &people, *goal, *offset, platforms, text).await?;
            made += 1;
        }
    }
    Ok(made)
}

type DemoPost = (Goal, i64, &'static [Platform], &'static str);

const CLIENT_A: &[DemoPost] = &[
    // The first post is the one the route-by-role test acts on: in review, with an image.
    (
        Goal::InReview,
        3,
        &[Platform::Telegram, Platform::Instagram],
        "New single-origin: Ethiopia Guji, washed. Notes of bergamot and apricot. In the shop from Friday.",
    ),
    (
        Goal::Draft,
        0,
        &[Platform::Vk],
        "Autumn blend teaser — the roast profile story (draft).",
    ),
    (
        Goal::Urgent,
        0,
        &[Platform::Telegram, Platform::Vk],
        "Today only: free cortado with any bag of beans. The city marathon passes our door!",
    ),
    (
        Goal::ChangesRequested,
        5,
        &[Platform::Vk, Platform::Facebook],
        "Meet our roaster Ivan: ten years, three continents, one obsession.",
    ),
    (
        Goal::Approved,
        7,
        &[Platform::Telegram],
        "Brewing guide #3: the AeroPress, upside down.",
    ),
    (
        Goal::Scheduled,
        2,
        &[Platform::Vk, Platform::Telegram],
        "Cupping session on Saturday, 11:00 — free entry, bring a friend.",
    ),
    (
        Goal::Published,
        -4,
        &[Platform::Instagram],
        "Behind the scenes: a 12 kg batch leaving the drum.",
    ),
    (
        Goal::Failed,
        -1,
        &[Platform::Facebook],
        "Weekend opening hours: 9:00–20:00.",
    ),
    (
        Goal::Flagged,
        9,
        &[Platform::Vk],
        "Holiday gift boxes are here: three coffees, one grinder, a card from us.",
    ),
];

const CLIENT_B: &[DemoPost] = &[
    (
        Goal::InReview,
        2,
        &[Platform::Vk],
        "New morning class: mobility at 7:30, Monday to Friday.",
    ),
    (
        Goal::Draft,
        0,
        &[Platform::Telegram],
        "Coach spotlight: Marina (draft).",
    ),
    (
        Goal::Urgent,
        0,
        &[Platform::Telegram],
        "The hall is open tonight until midnight — the heating is fixed!",
    ),
    (
        Goal::ChangesRequested,
        4,
        &[Platform::Vk],
        "Winter challenge: 30 sessions in 60 days, prizes for everyone who finishes.",
    ),
    (
        Goal::Approved,
        6,
        &[Platform::Vk, Platform::Telegram],
        "Nutrition Q&A with our dietitian, Thursday at 19:00.",
    ),
    (
        Goal::Scheduled,
        1,
        &[Platform::Vk],
        "Group stretching this Sunday, 10:00.",
    ),
    (
        Goal::Published,
        -3,
        &[Platform::Telegram],
        "Thank you for 1 000 members in our channel!",
    ),
    (Goal::Failed, -2, &[Platform::Vk], "Price list 2026."),
    (
        Goal::Flagged,
        8,
        &[Platform::Vk],
        "Referral programme: bring a friend, both get a free month.",
    ),
];

async fn make(
    store: &Store,
    project: &Project,
    people: &People,
    goal: Goal,
    offset: i64,
    platforms: &[Platform],
    text: &str,
) -> anyhow::Result<()> {
    let dated = !matches!(goal, Goal::Draft);
    let mut variants = BTreeMap::new();
    if platforms.contains(&Platform::Telegram) && platforms.len() > 1 {
        variants.insert(Platform::Telegram, format!("{text}\n\n👉 t.me/demo"));
    }
    let draft = PostDraft {
        text: text.to_owned(),
        rubric: if matches!(goal, Goal::Urgent) {
            "situational"
        } else {
            "plan"
        }
        .to_owned(),
        platforms: platforms.to_vec(),
        scheduled_at: dated.then(|| day(offset, 10)),
        urgent: matches!(goal, Goal::Urgent),
        variants,
    };
    let post = store
        .create_plan_post(project.org(), project.id(), people.author, &draft)
        .await?;
    let author = store.relation_to(project.id(), people.author, post.author_id).await?;
    let approver = store.relation_to(project.id(), people.approver, post.author_id).await?;
    if platforms.contains(&Platform::Instagram) || matches!(goal, Goal::InReview) {
        store
            .add_plan_image(&post, author, people.author, "cover.png", DEMO_PNG)
            .await?;
    }
    if matches!(goal, Goal::Draft) {
        return Ok(());
    }
    let none = ActionInput::default();
    let act = |post: PlanPost, action: PostAction, who, actor: UserId, comment: Option<&str>| {
        let input = ActionInput {
            comment: comment.map(str::to_owned),
            scheduled_at: None,
            via: None,
        };
        async move { store.apply_post_action(&post, action, who, actor, &input).await }
    };
    let mut post = store
        .apply_post_action(&post, PostAction::Submit, author, people.author, &none)
        .await?;
    if let (Some(member), Goal::InReview) = (people.member, goal) {
        let who = store.relation_to(project.id(), member, post.author_id).await?;
        store
            .add_plan_comment(&post, who, member, "Can we mention the tasting at the shop too?", false)
            .await?;
    }
    let rounds = match goal {
        Goal::InReview | Goal::Urgent => return Ok(()),
        Goal::ChangesRequested => 1,
        Goal::Flagged => 3,
        Goal::Approved | Goal::Scheduled => 1,
        Goal::Published | Goal::Failed => 0,
        Goal::Draft => unreachable!("returned above"),
    };
    for round in 1..=rounds {
        post = act(
            post,
            PostAction::RequestChanges,
            approver,
            people.approver,
            Some(SUGGESTIONS[round - 1]),
        )
        .await?;
        let last = round == rounds && matches!(goal, Goal::ChangesRequested | Goal::Flagged);
        if last {
            return Ok(());
        }
        let open = store.plan_comments(post.id).await?;
        let suggestion = open
            .iter()
            .find(|c| c.suggestion.as_deref() == Some("open"))
            .expect("a request for changes leaves a suggestion");
        let resolution = if round == 2 {
            Resolution::Declined {
                reason: "The client's brand book asks for this wording.".into(),
            }
        } else {
            Resolution::Accepted
        };
        store
            .resolve_suggestion(&post, author, people.author, suggestion.id, &resolution)
            .await?;
        post = act(post, PostAction::Submit, author, people.author, None).await?;
    }
    post = act(
        post,
        PostAction::Approve,
        approver,
        people.approver,
        Some("Looks good, go ahead."),
    )
    .await?;
    match goal {
        Goal::Scheduled | Goal::Published | Goal::Failed => {
            post = act(post, PostAction::Schedule, author, people.author, None).await?;
        }
        _ => return Ok(()),
    }
    match goal {
        Goal::Published => {
            act(post, PostAction::MarkPublished, author, people.author, None).await?;
        }
        Goal::Failed => {
            act(
                post,
                PostAction::MarkFailed,
                author,
                people.author,
                Some("The platform refused the token."),
            )
            .await?;
        }
        _ => {}
    }
    Ok(())
}

const SUGGESTIONS: [&str; 3] = [
    "Please shorten the first sentence and add the price.",
    "Use «coffee house» instead of «café».",
    "The photo is too dark; can we use the one from the shoot?",
];
