//! The Bot API client against a local Bot API server: the requests it sends, the answers it
//! reads, and its errors.

use keel_platforms::telegram::{BotToken, TelegramApi, TelegramError};
use keel_platforms::{Failure, PlatformError};
use keel_testkit::bot_api::*;
use serde_json::json;
use std::time::Duration;

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

#[tokio::test]
async fn failures_say_what_to_do() {
    let (server, api) = BotServer::start().await;
    server.script(
        "sendMessage",
        429,
        json!({"ok": false, "error_code": 429, "description": "Too Many Requests: retry after 7", "parameters": {"retry_after": 7}}),
    );
    server.script(
        "sendMessage",
        403,
        json!({"ok": false, "error_code": 403, "description": "Forbidden: bot was kicked from the channel chat"}),
    );
    server.script(
        "sendMessage",
        400,
        json!({"ok": false, "error_code": 400, "description": "Bad Request: message is too long"}),
    );
    server.script(
        "sendMessage",
        502,
        json!({"ok": false, "error_code": 502, "description": "Bad Gateway"}),
    );
    let mut failures = Vec::new();
    for _ in 0..4 {
        failures.push(api.send_message(1, "x", None).await.unwrap_err().failure());
    }
    assert_eq!(
        failures,
        [
            Failure::RetryLater {
                after: Some(Duration::from_secs(7))
            },
            Failure::Reconnect,
            Failure::Rejected {
                reason: "Bad Request: message is too long".into()
            },
            Failure::PlatformDown,
        ]
    );
    let wrong = TelegramApi::new(&server.url, BotToken("999:wrong-secret".into()));
    assert_eq!(wrong.get_me().await.unwrap_err().failure(), Failure::Reconnect);
    let dead = TelegramApi::new("http://127.0.0.1:9", BotToken(TOKEN.into()));
    assert_eq!(dead.get_me().await.unwrap_err().failure(), Failure::PlatformDown);
}

#[tokio::test]
async fn a_slow_answer_times_out_as_the_platform_being_down() {
    let (server, api) = BotServer::start().await;
    server.hold("sendMessage", Duration::from_secs(2));
    let api = api.with_timeout(Duration::from_millis(200));
    let started = std::time::Instant::now();
    let err = api.send_message(1, "x", None).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
    assert!(matches!(err, TelegramError::Transport { .. }), "{err:?}");
    assert_eq!(err.failure(), Failure::PlatformDown);
    // Other methods are not held.
    assert_eq!(api.get_me().await.unwrap().username.as_deref(), Some("KeelTestBot"));
}
