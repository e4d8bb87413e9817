//! The Bot API client and the Telegram channel against a local Bot API server.

use crate::bot_server::*;
use crate::fixtures::*;
use keel_domain::notification::{Channel, Deliver, NotificationKind};
use keel_notify::messages::MsgLang;
use keel_notify::telegram::deliver::decision_keyboard;
use keel_notify::telegram::types::ReplyMarkup;
use keel_notify::telegram::{BotToken, TelegramApi, TelegramChannel, TelegramError};
use keel_store::notify_prefs::PreferenceGrid;
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

#[tokio::test]
async fn get_updates_reads_messages_and_callbacks_and_sends_the_offset() {
    let (server, api) = BotServer::start().await;
    server.push_update(text_update(10, 555, "/start abc"));
    server.push_update(callback_update(11, 555, 99, "approve:42"));
    let updates = api.get_updates(None, 0).await.unwrap();
    assert_eq!(updates.len(), 2);
    let message = updates[0].message.as_ref().unwrap();
    assert_eq!((message.chat.id, message.text.as_deref()), (555, Some("/start abc")));
    assert_eq!(message.from.as_ref().unwrap().username.as_deref(), Some("olga_p"));
    let callback = updates[1].callback_query.as_ref().unwrap();
    assert_eq!((callback.from.id, callback.data.as_deref()), (555, Some("approve:42")));
    assert_eq!(callback.message.as_ref().unwrap().message_id, 99);
    let later = api.get_updates(Some(11), 5).await.unwrap();
    assert_eq!(later.len(), 1);
    let bodies = server.calls_to("getUpdates");
    assert_eq!(bodies[1]["offset"], 11);
    assert_eq!(bodies[1]["timeout"], 5);
    assert_eq!(bodies[1]["allowed_updates"], json!(["message", "callback_query"]));
}

#[tokio::test]
async fn too_many_requests_carries_retry_after() {
    let (server, api) = BotServer::start().await;
    server.script(
        "sendMessage",
        429,
        json!({"ok": false, "error_code": 429, "description": "Too Many Requests: retry after 7", "parameters": {"retry_after": 7}}),
    );
    let err = api.send_message(1, "x", None).await.unwrap_err();
    assert_eq!(err.retry_after(), Some(7));
    assert_eq!(err.code(), Some(429));
    assert!(err.to_string().contains("Too Many Requests"), "{err}");
    // The next call goes through.
    api.send_message(1, "x", None).await.unwrap();
}

#[tokio::test]
async fn api_errors_are_typed_and_never_show_the_token() {
    let (server, _) = BotServer::start().await;
    let wrong = TelegramApi::new(&server.url, BotToken("999:wrong-secret".into()));
    let err = wrong.get_me().await.unwrap_err();
    assert!(matches!(err, TelegramError::Api { code: 401, .. }), "{err:?}");
    assert!(!err.to_string().contains("wrong-secret"));
    assert!(!format!("{err:?}").contains("wrong-secret"));
    // A dead server is a transport error, still without the token.
    let dead = TelegramApi::new("http://127.0.0.1:9", BotToken("999:wrong-secret".into()));
    let err = dead.get_me().await.unwrap_err();
    assert!(matches!(err, TelegramError::Transport { .. }), "{err:?}");
    assert!(!format!("{err} {err:?}").contains("wrong-secret"), "{err:?}");
    assert!(!format!("{wrong:?}").contains("wrong-secret"));
}

#[tokio::test]
async fn callbacks_are_answered_and_buttons_removed() {
    let (server, api) = BotServer::start().await;
    assert!(api.answer_callback_query("cb1", Some("Approved"), false).await.unwrap());
    api.edit_message_reply_markup(555, 99, None).await.unwrap();
    let answer = &server.calls_to("answerCallbackQuery")[0];
    assert_eq!(answer["callback_query_id"], "cb1");
    assert_eq!(answer["text"], "Approved");
    let edit = &server.calls_to("editMessageReplyMarkup")[0];
    assert_eq!(
        (edit["chat_id"].as_i64(), edit["message_id"].as_i64()),
        (Some(555), Some(99))
    );
    assert!(edit.get("reply_markup").is_none(), "no markup removes the buttons");
    assert_eq!(api.get_me().await.unwrap().username.as_deref(), Some("KeelTestBot"));
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
    assert!(text.starts_with("Публикация ждёт вашего согласования"), "{text}");
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
