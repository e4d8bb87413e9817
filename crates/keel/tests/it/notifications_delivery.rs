//! The workflow wired to people: a post submitted through the API reaches the approver by
//! e-mail (a real SMTP server on loopback) and Telegram (a local Bot API server), in their
//! language and per their preferences; the bot's buttons approve or send back through the
//! workflow, with its permission checks and audit trail.

use crate::helpers::*;
use keel::config::NotifyConfig;
use keel_domain::notification::{Channel, NotificationKind};
use keel_domain::{Email, UserId};
use keel_notify::email::SmtpSettings;
use keel_notify::telegram::Bot;
use keel_platforms::telegram::{BotToken, TelegramApi};
use keel_store::notify_prefs::PreferenceGrid;
use keel_testkit::bot_api::{BotServer, TOKEN, callback_update, text_update};
use keel_testkit::smtp::{Received, start_smtp};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// The raw message with its quoted-printable and base64 parts decoded (whatever lettre chose).
pub(crate) fn readable(raw: &str) -> String {
    let mut out = raw.replace("=\r\n", "");
    for part in raw.split("\r\n\r\n").skip(1) {
        let text: String = part.split("\r\n--").next().unwrap_or("").split_whitespace().collect();
        if let Some(bytes) = base64(&text) {
            out.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
    // Quoted-printable escapes of UTF-8 bytes.
    let bytes = out.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i] == b'=' && i + 2 < bytes.len())
            .then(|| Some(hex(bytes[i + 1])? * 16 + hex(bytes[i + 2])?))
            .flatten()
        {
            Some(byte) => {
                decoded.push(byte);
                i += 3;
            }
            None => {
                decoded.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

fn base64(text: &str) -> Option<Vec<u8>> {
    if text.len() < 8 || !text.len().is_multiple_of(4) {
        return None;
    }
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut out = vec![];
    for chunk in text.trim_end_matches('=').as_bytes().chunks(4) {
        let v: Vec<u8> = chunk.iter().map(|c| value(*c)).collect::<Option<_>>()?;
        let n = v
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, x)| n | (u32::from(*x) << (18 - 6 * i)));
        out.extend_from_slice(&n.to_be_bytes()[1..v.len()]);
    }
    Some(out)
}

async fn api(app: &TestApp, token: &str, method: &str, path: &str, body: Option<Value>) -> (StatusCode, Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut request = reqwest::Client::new().request(method, app.url(path)).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// A new client-a post by the specialist, submitted for approval through the API.
async fn submitted_post(app: &TestApp, specialist: &str, text: &str) -> i64 {
    let body = json!({ "text": text, "platforms": ["vk"], "urgent": false });
    let (status, post) = api(app, specialist, "POST", "/api/v1/projects/client-a/posts", Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{post}");
    let id = post["id"].as_i64().unwrap();
    let (status, post) = api(app, specialist, "POST", &format!("/api/v1/posts/{id}/submit"), None).await;
    assert_eq!(status, StatusCode::OK, "{post}");
    id
}

async fn user(app: &TestApp, email: &str) -> UserId {
    app.store
        .user_by_email(&Email::parse(email).unwrap())
        .await
        .unwrap()
        .unwrap()
        .id()
}

/// Links `user`'s Keel account to the private chat `chat` the way `/start CODE` does.
async fn link_chat(app: &TestApp, user: UserId, chat: i64) {
    let code = app.store.create_telegram_link_code(user).await.unwrap();
    assert_eq!(
        app.store
            .redeem_telegram_link_code(&code, chat, Some("tg"))
            .await
            .unwrap(),
        Some(user)
    );
}

const APPROVER_CHAT: i64 = 7001;
const SPECIALIST_CHAT: i64 = 7002;

on_both_backends! {
    async fn a_submitted_post_reaches_the_approver_by_email_and_telegram(backend) {
        let Some(app) = TestApp::demo(backend, "notifications_delivery").await else { return };
        let (port, mail) = start_smtp();
        let (bot_api, _) = BotServer::start().await;
        let config = NotifyConfig {
            public_url: Some("https://keel.agency.test".into()),
            telegram_bot_token: Some(BotToken(TOKEN.into())),
            telegram_api_url: bot_api.url.clone(),
            smtp: Some(SmtpSettings { url: format!("smtp://127.0.0.1:{port}"), from: "Keel <keel@agency.test>".into() }),
        };
        let channels = keel::notify::delivery_channels(&config, &app.store).unwrap();
        assert_eq!(channels.len(), 2, "e-mail and Telegram are configured");
        let runner = keel::jobs::runner_with(&app.store, channels);
        // The demo's own notifications go out first, so what follows is this post's.
        runner.run_due(keel_store::now() + chrono::Duration::hours(1)).await.unwrap();
        mail.lock().unwrap().clear();

        let approver = user(&app, "approver-a@demo.local").await;
        link_chat(&app, approver, APPROVER_CHAT).await;
        app.store.set_notify_language(approver, Some("ru")).await.unwrap();
        let specialist = app.token("specialist@demo.local").await;
        let id = submitted_post(&app, &specialist, "Autumn menu: pumpkin soup").await;
        let summary = runner.run_due(keel_store::now()).await.unwrap();
        assert_eq!(summary.failed, 0, "{summary:?}");
        assert_eq!(summary.retried, 0, "{summary:?}");

        let link = format!("https://keel.agency.test/projects/client-a/posts/{id}");
        // E-mail: to the approver, in Russian, with the post's link.
        let to_approver: Vec<Received> = mail.lock().unwrap().iter().filter(|m| m.rcpt_to == ["approver-a@demo.local"]).cloned().collect();
        assert_eq!(to_approver.len(), 1, "one e-mail to the approver");
        let text = readable(&String::from_utf8(to_approver[0].data.clone()).unwrap());
        assert!(text.contains(&link), "{text}");
        assert!(text.contains("Нужно согласование: «Autumn menu: pumpkin soup»"), "{text}");
        // Telegram: the linked chat gets the message with the decision buttons.
        let sent: Vec<Value> = bot_api.calls_to("sendMessage").into_iter().filter(|m| m["chat_id"] == APPROVER_CHAT).collect();
        assert_eq!(sent.len(), 1, "{sent:?}");
        let message = sent[0]["text"].as_str().unwrap();
        assert!(message.contains("Нужно согласование: «Autumn menu: pumpkin soup»"), "{message}");
        assert!(message.contains(&link), "{message}");
        let buttons = &sent[0]["reply_markup"]["inline_keyboard"][0];
        assert_eq!(buttons[0]["callback_data"], format!("approve:{id}"));
        assert_eq!(buttons[1]["callback_data"], format!("changes:{id}"));
        // In-app: in the inbox too.
        let approver_token = app.token("approver-a@demo.local").await;
        let (_, inbox) = api(&app, &approver_token, "GET", "/api/v1/notifications", None).await;
        assert_eq!(inbox[0]["link"], format!("/projects/client-a/posts/{id}"));

        // Preferences decide per channel: e-mail and in-app off for submissions, Telegram on.
        app.store
            .set_notification_preferences(approver, &PreferenceGrid::only(&[(NotificationKind::PostSubmitted, Channel::Telegram)]))
            .await
            .unwrap();
        mail.lock().unwrap().clear();
        let second = submitted_post(&app, &specialist, "Winter menu: mulled wine").await;
        runner.run_due(keel_store::now()).await.unwrap();
        assert!(mail.lock().unwrap().iter().all(|m| m.rcpt_to != ["approver-a@demo.local"]), "e-mail is off");
        let (_, inbox) = api(&app, &approver_token, "GET", "/api/v1/notifications", None).await;
        assert!(inbox.as_array().unwrap().iter().all(|n| n["link"] != format!("/projects/client-a/posts/{second}")), "in-app is off: {inbox}");
        let sent = bot_api.calls_to("sendMessage").into_iter().filter(|m| m["chat_id"] == APPROVER_CHAT).count();
        assert_eq!(sent, 2, "Telegram is still on");
    }

    async fn telegram_refusals_speak_the_persons_language(backend) {
        let Some(app) = TestApp::demo(backend, "wire_desk_lang").await else { return };
        let (bot_api, _) = BotServer::start().await;
        let api_client = TelegramApi::new(&bot_api.url, BotToken(TOKEN.into()));
        let bot = Bot::new(api_client, app.store.clone(), keel::notify::WorkflowDesk::new(app.store.clone()));
        let specialist_id = user(&app, "specialist@demo.local").await;
        link_chat(&app, specialist_id, SPECIALIST_CHAT).await;
        let specialist = app.token("specialist@demo.local").await;
        let post = submitted_post(&app, &specialist, "Lunch menu").await;
        let mut offset = None;
        // The author (no approver role) asks for changes, and writes the comment: refused.
        let ask_for_changes = |update: i64| {
            bot_api.push_update(callback_update(update, SPECIALIST_CHAT, 60 + update, &format!("changes:{post}")));
            bot_api.push_update(text_update(update + 1, SPECIALIST_CHAT, "Shorter, please"));
        };
        let last_reply = || {
            let sent = bot_api.calls_to("sendMessage").into_iter().filter(|m| m["chat_id"] == SPECIALIST_CHAT).collect::<Vec<_>>();
            sent.last().unwrap()["text"].as_str().unwrap().to_owned()
        };
        ask_for_changes(1);
        bot.poll_once(&mut offset, 0).await.unwrap();
        assert_eq!(last_reply(), format!("Post #{post}: only the project's designated approvers may approve or request changes."));
        // The same refusal for a person who reads Keel in Russian.
        app.store.set_notify_language(specialist_id, Some("ru")).await.unwrap();
        ask_for_changes(3);
        bot.poll_once(&mut offset, 0).await.unwrap();
        assert_eq!(
            last_reply(),
            format!("Пост #{post}: согласовывать и запрашивать правки могут только назначенные согласующие проекта.")
        );
        // And for an approver deciding on their own post.
        keel::commands::add_member(&app.store, "client-a", "specialist@demo.local", "client_approver", None).await.unwrap();
        bot_api.push_update(callback_update(5, SPECIALIST_CHAT, 70, &format!("approve:{post}")));
        bot.poll_once(&mut offset, 0).await.unwrap();
        let answer = bot_api.calls_to("answerCallbackQuery").pop().unwrap();
        assert_eq!(answer["show_alert"], true, "{answer}");
        assert_eq!(
            answer["text"],
            format!("Пост #{post}: нельзя согласовать или вернуть на доработку собственный пост.")
        );
        let (_, now) = api(&app, &specialist, "GET", &format!("/api/v1/posts/{post}"), None).await;
        assert_eq!(now["state"], "in_review");
    }

    async fn telegram_buttons_decide_through_the_workflow(backend) {
        let Some(app) = TestApp::demo(backend, "notifications_telegram_buttons").await else { return };
        let (bot_api, _) = BotServer::start().await;
        let api_client = TelegramApi::new(&bot_api.url, BotToken(TOKEN.into()));
        let bot = Bot::new(api_client, app.store.clone(), keel::notify::WorkflowDesk::new(app.store.clone()));
        let approver = user(&app, "approver-a@demo.local").await;
        let specialist_id = user(&app, "specialist@demo.local").await;
        link_chat(&app, approver, APPROVER_CHAT).await;
        link_chat(&app, specialist_id, SPECIALIST_CHAT).await;
        let specialist = app.token("specialist@demo.local").await;
        let first = submitted_post(&app, &specialist, "Breakfast menu from 8 am").await;
        let second = submitted_post(&app, &specialist, "Live music on Friday").await;
        let mut offset = None;

        // The author (no approver role) presses approve: refused, nothing changes.
        bot_api.push_update(callback_update(1, SPECIALIST_CHAT, 50, &format!("approve:{first}")));
        bot.poll_once(&mut offset, 0).await.unwrap();
        let answer = bot_api.calls_to("answerCallbackQuery").pop().unwrap();
        assert_eq!(answer["show_alert"], true, "{answer}");
        assert!(answer["text"].as_str().unwrap().contains("designated approvers"), "{answer}");
        let (_, post) = api(&app, &specialist, "GET", &format!("/api/v1/posts/{first}"), None).await;
        assert_eq!(post["state"], "in_review");

        // The approver presses approve: the post is approved and the record names them.
        bot_api.push_update(callback_update(2, APPROVER_CHAT, 51, &format!("approve:{first}")));
        bot.poll_once(&mut offset, 0).await.unwrap();
        let answer = bot_api.calls_to("answerCallbackQuery").pop().unwrap();
        assert_eq!(answer["show_alert"], false, "{answer}");
        let (_, post) = api(&app, &specialist, "GET", &format!("/api/v1/posts/{first}"), None).await;
        assert_eq!(post["state"], "approved");
        let approved = post["events"].as_array().unwrap().iter().find(|e| e["action"] == "approved").expect("on the record");
        assert_eq!(approved["actor"], "approver-a@demo.local");
        // Pressing again: the post no longer waits for a decision.
        bot_api.push_update(callback_update(3, APPROVER_CHAT, 51, &format!("approve:{first}")));
        bot.poll_once(&mut offset, 0).await.unwrap();
        let answer = bot_api.calls_to("answerCallbackQuery").pop().unwrap();
        assert_eq!(answer["show_alert"], true);
        assert!(answer["text"].as_str().unwrap().contains("no longer waiting"), "{answer}");

        // Request changes with a comment: one revision round, the comment an open suggestion.
        bot_api.push_update(callback_update(4, APPROVER_CHAT, 52, &format!("changes:{second}")));
        bot_api.push_update(text_update(5, APPROVER_CHAT, "Say which Friday, please"));
        bot.poll_once(&mut offset, 0).await.unwrap();
        let (_, post) = api(&app, &specialist, "GET", &format!("/api/v1/posts/{second}"), None).await;
        assert_eq!(post["state"], "changes_requested", "{post}");
        assert_eq!(post["revision_rounds"], 1);
        let asked = post["events"].as_array().unwrap().iter().find(|e| e["action"] == "changes_requested").expect("on the record");
        assert_eq!(asked["actor"], "approver-a@demo.local");
        assert!(post["comments"].as_array().unwrap().iter().any(|c| c["text"] == "Say which Friday, please" && c["suggestion"] == "open"), "{post}");

        // A post of a project the approver is not a member of is simply not found.
        let client_b = app.token("client-b@demo.local").await;
        let (_, b_posts) = api(&app, &client_b, "GET", "/api/v1/projects/client-b/posts", None).await;
        let b_id = b_posts[0]["id"].as_i64().expect("the demo's client-b has posts");
        bot_api.push_update(callback_update(6, APPROVER_CHAT, 53, &format!("approve:{b_id}")));
        bot.poll_once(&mut offset, 0).await.unwrap();
        let answer = bot_api.calls_to("answerCallbackQuery").pop().unwrap();
        assert!(answer["text"].as_str().unwrap().contains("not found"), "{answer}");
    }
}
