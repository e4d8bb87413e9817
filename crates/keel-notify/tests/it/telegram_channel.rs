//! The Telegram channel against a local Bot API server: who it reaches, with which text and
//! buttons, and what it does when Telegram refuses.

use crate::fixtures::*;
use keel_domain::notification::{Channel, Deliver, NotificationKind};
use keel_notify::messages::MsgLang;
use keel_notify::telegram::TelegramChannel;
use keel_notify::telegram::deliver::decision_keyboard;
use keel_platforms::telegram::types::ReplyMarkup;
use keel_store::notify_prefs::PreferenceGrid;
use keel_testkit::bot_api::*;
use serde_json::json;

#[tokio::test]
async fn send_message_carries_text_and_buttons_naming_the_post() {
    let (server, api) = BotServer::start().await;
    let markup = ReplyMarkup::Inline(decision_keyboard(MsgLang::En, 42));
    let sent = api.send_message(777, "Approval needed", Some(&markup)).await.unwrap();
    assert_eq!(sent.chat.id, 777);
    assert!(sent.chat.is_private());
    assert_eq!(sent.text.as_deref(), Some("Approval needed"));
    let buttons = &sent.reply_markup.unwrap().inline_keyboard[0];
    assert_eq!(buttons[0].callback_data.as_deref(), Some("approve:42"));
    let body = &server.calls_to("sendMessage")[0];
    assert_eq!(body["chat_id"], 777);
    assert_eq!(
        body["reply_markup"]["inline_keyboard"][0][1]["callback_data"],
        "changes:42"
    );
    assert_eq!(
        body["reply_markup"]["inline_keyboard"][0][1]["text"],
        "✏️ Request changes"
    );
    assert!(body.get("parse_mode").is_none(), "plain text needs no escaping");
}

async fn link(fx: &Fixture, user: keel_domain::UserId, chat: i64) {
    let code = fx.store.create_telegram_link_code(user).await.unwrap();
    fx.store
        .redeem_telegram_link_code(&code, chat, None)
        .await
        .unwrap()
        .unwrap();
}

#[tokio::test]
async fn the_channel_reaches_linked_people_with_buttons_only_for_decisions() {
    let fx = fixture().await;
    let (server, api) = BotServer::start().await;
    let channel = TelegramChannel::new(api, fx.store.clone(), "https://keel.agency.test");
    assert_eq!(channel.channel(), Channel::Telegram);
    // Not linked: nothing sent, no error.
    channel.deliver(&submitted(fx.olga, fx.project, 42)).await.unwrap();
    assert!(server.calls_to("sendMessage").is_empty());

    link(&fx, fx.olga, 555).await;
    channel.deliver(&submitted(fx.olga, fx.project, 42)).await.unwrap();
    let sent = &server.calls_to("sendMessage")[0];
    assert_eq!(sent["chat_id"], 555);
    let text = sent["text"].as_str().unwrap();
    assert!(text.starts_with("Пост ждёт вашего согласования"), "{text}");
    assert!(
        text.contains("https://keel.agency.test/projects/client-a/posts/42"),
        "{text}"
    );
    assert_eq!(
        sent["reply_markup"]["inline_keyboard"][0][0]["callback_data"],
        "approve:42"
    );
    assert_eq!(sent["reply_markup"]["inline_keyboard"][0][0]["text"], "✅ Согласовать");

    let mut approved = submitted(fx.olga, fx.project, 42);
    approved.kind = NotificationKind::PostApproved;
    channel.deliver(&approved).await.unwrap();
    let sent = &server.calls_to("sendMessage")[1];
    assert!(sent.get("reply_markup").is_none(), "{sent}");

    // Opted out of Telegram for this kind: nothing more is sent.
    fx.store
        .set_notification_preferences(
            fx.olga,
            &PreferenceGrid::only(&[(NotificationKind::PostApproved, Channel::Telegram)]),
        )
        .await
        .unwrap();
    channel.deliver(&submitted(fx.olga, fx.project, 43)).await.unwrap();
    assert_eq!(server.calls_to("sendMessage").len(), 2);
}

#[tokio::test]
async fn rate_limits_are_retried_and_a_blocked_bot_unlinks_the_chat() {
    let fx = fixture().await;
    let (server, api) = BotServer::start().await;
    let channel = TelegramChannel::new(api, fx.store.clone(), "https://keel.agency.test");
    link(&fx, fx.sam, 556).await;
    server.script(
        "sendMessage",
        429,
        json!({"ok": false, "error_code": 429, "description": "Too Many Requests: retry after 3", "parameters": {"retry_after": 3}}),
    );
    let err = channel.deliver(&submitted(fx.sam, fx.project, 1)).await.unwrap_err();
    assert!(err.contains("429"), "{err}");
    server.script(
        "sendMessage",
        403,
        json!({"ok": false, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}),
    );
    channel.deliver(&submitted(fx.sam, fx.project, 1)).await.unwrap();
    assert_eq!(fx.store.telegram_link_of(fx.sam).await.unwrap(), None);
}
