//! The bot's update loop: linking chats and turning button presses into decisions, against a
//! local Bot API server. The approval desk here records what it is asked to do — it stands in
//! for the workflow, the other side of the `ApprovalDesk` interface.

use crate::fixtures::*;
use keel_domain::UserId;
use keel_notify::telegram::{ApprovalDesk, Bot, BotCommand, DeskFuture};
use keel_platforms::telegram::types::Update;
use keel_testkit::bot_api::*;
use std::sync::Mutex;

/// Records commands; refuses decisions on post 13 the way the workflow refuses a non-approver.
#[derive(Default)]
struct RecordingDesk {
    commands: Mutex<Vec<BotCommand>>,
}

impl ApprovalDesk for RecordingDesk {
    fn approve(&self, user: UserId, post_id: i64) -> DeskFuture<'_> {
        self.commands
            .lock()
            .unwrap()
            .push(BotCommand::Approve { user, post_id });
        Box::pin(async move {
            if post_id == 13 {
                Err("You are not an approver of this project.".to_owned())
            } else {
                Ok(format!("Post #{post_id} approved."))
            }
        })
    }
    fn request_changes<'a>(&'a self, user: UserId, post_id: i64, comment: &'a str) -> DeskFuture<'a> {
        self.commands.lock().unwrap().push(BotCommand::RequestChanges {
            user,
            post_id,
            comment: comment.to_owned(),
        });
        Box::pin(async move { Ok(format!("Changes requested on post #{post_id}.")) })
    }
}

async fn bot() -> (Fixture, BotServer, Bot<RecordingDesk>) {
    let fx = fixture().await;
    let (server, api) = BotServer::start().await;
    let bot = Bot::new(api, fx.store.clone(), RecordingDesk::default());
    (fx, server, bot)
}

fn update(value: serde_json::Value) -> Update {
    serde_json::from_value(value).unwrap()
}

fn last_text(server: &BotServer) -> String {
    server.calls_to("sendMessage").last().unwrap()["text"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn start_with_a_code_links_the_private_chat_once() {
    let (fx, server, bot) = bot().await;
    let code = fx.store.create_telegram_link_code(fx.olga).await.unwrap();
    bot.handle(&update(text_update(1, 555, &format!("/start {code}"))))
        .await
        .unwrap();
    assert_eq!(fx.store.user_by_telegram_chat(555).await.unwrap(), Some(fx.olga));
    assert_eq!(
        fx.store
            .telegram_link_of(fx.olga)
            .await
            .unwrap()
            .unwrap()
            .username
            .as_deref(),
        Some("olga_p")
    );
    // Olga chose Russian in Keel.
    assert!(
        last_text(&server).contains("привязан к пользователю Ольга Петрова"),
        "{}",
        last_text(&server)
    );

    // The code is spent: another chat cannot reuse it.
    bot.handle(&update(text_update(2, 556, &format!("/start {code}"))))
        .await
        .unwrap();
    assert_eq!(fx.store.user_by_telegram_chat(556).await.unwrap(), None);
    assert!(
        last_text(&server).contains("Код привязки неизвестен"),
        "{}",
        last_text(&server)
    );

    // Without a code the bot explains where to get one.
    bot.handle(&update(text_update(3, 556, "/start"))).await.unwrap();
    assert!(last_text(&server).contains("Привязать Telegram"));
}

#[tokio::test]
async fn a_group_chat_cannot_be_linked() {
    let (fx, server, bot) = bot().await;
    let code = fx.store.create_telegram_link_code(fx.sam).await.unwrap();
    let mut value = text_update(1, 555, &format!("/start {code}"));
    value["message"]["chat"] = serde_json::json!({"id": -100123, "title": "Team", "type": "supergroup"});
    bot.handle(&update(value)).await.unwrap();
    assert_eq!(fx.store.user_by_telegram_chat(-100123).await.unwrap(), None);
    assert_eq!(fx.store.user_by_telegram_chat(555).await.unwrap(), None);
    assert!(last_text(&server).contains("личном чате"), "{}", last_text(&server));
}

async fn link(fx: &Fixture, user: UserId, chat: i64) {
    let code = fx.store.create_telegram_link_code(user).await.unwrap();
    fx.store
        .redeem_telegram_link_code(&code, chat, None)
        .await
        .unwrap()
        .unwrap();
}

#[tokio::test]
async fn approve_from_a_linked_chat_runs_through_the_desk_and_removes_the_buttons() {
    let (fx, server, bot) = bot().await;
    link(&fx, fx.sam, 600).await;
    bot.handle(&update(callback_update(1, 600, 99, "approve:42")))
        .await
        .unwrap();
    assert_eq!(
        *bot.desk().commands.lock().unwrap(),
        vec![BotCommand::Approve {
            user: fx.sam,
            post_id: 42
        }]
    );
    let answer = &server.calls_to("answerCallbackQuery")[0];
    assert_eq!(answer["callback_query_id"], "cb1");
    assert_eq!(answer["text"], "Post #42 approved.");
    assert_eq!(answer["show_alert"], false);
    let edit = &server.calls_to("editMessageReplyMarkup")[0];
    assert_eq!(
        (edit["chat_id"].as_i64(), edit["message_id"].as_i64()),
        (Some(600), Some(99))
    );
    assert!(edit.get("reply_markup").is_none());
}

#[tokio::test]
async fn a_refused_decision_keeps_the_buttons_and_says_why() {
    let (fx, server, bot) = bot().await;
    link(&fx, fx.sam, 600).await;
    bot.handle(&update(callback_update(1, 600, 99, "approve:13")))
        .await
        .unwrap();
    let answer = &server.calls_to("answerCallbackQuery")[0];
    assert_eq!(answer["text"], "You are not an approver of this project.");
    assert_eq!(answer["show_alert"], true);
    assert!(server.calls_to("editMessageReplyMarkup").is_empty());
}

#[tokio::test]
async fn callbacks_from_unlinked_accounts_are_refused() {
    let (_fx, server, bot) = bot().await;
    bot.handle(&update(callback_update(1, 700, 99, "approve:42")))
        .await
        .unwrap();
    assert!(bot.desk().commands.lock().unwrap().is_empty());
    let answer = &server.calls_to("answerCallbackQuery")[0];
    assert!(answer["text"].as_str().unwrap().contains("not linked"), "{answer}");
    assert_eq!(answer["show_alert"], true);
    // Unknown button data from a linked person is refused too, without reaching the desk.
}

#[tokio::test]
async fn request_changes_asks_for_a_comment_then_sends_it_to_the_desk() {
    let (fx, server, bot) = bot().await;
    link(&fx, fx.sam, 600).await;
    bot.handle(&update(callback_update(1, 600, 99, "changes:42")))
        .await
        .unwrap();
    assert!(
        bot.desk().commands.lock().unwrap().is_empty(),
        "nothing is decided before the comment"
    );
    let prompt = server.calls_to("sendMessage").last().unwrap().clone();
    assert_eq!(prompt["chat_id"], 600);
    assert_eq!(prompt["reply_markup"]["force_reply"], true);
    assert!(prompt["text"].as_str().unwrap().contains("#42"));

    bot.handle(&update(text_update(2, 600, "Please shorten the first line")))
        .await
        .unwrap();
    assert_eq!(
        *bot.desk().commands.lock().unwrap(),
        vec![BotCommand::RequestChanges {
            user: fx.sam,
            post_id: 42,
            comment: "Please shorten the first line".into()
        }]
    );
    assert_eq!(last_text(&server), "Changes requested on post #42.");
    let edit = &server.calls_to("editMessageReplyMarkup")[0];
    assert_eq!(edit["message_id"], 99);

    // A later text is not taken as another request.
    bot.handle(&update(text_update(3, 600, "thanks"))).await.unwrap();
    assert_eq!(bot.desk().commands.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn unknown_buttons_never_reach_the_desk() {
    let (fx, server, bot) = bot().await;
    link(&fx, fx.sam, 600).await;
    bot.handle(&update(callback_update(1, 600, 99, "delete:42")))
        .await
        .unwrap();
    assert!(bot.desk().commands.lock().unwrap().is_empty());
    assert_eq!(server.calls_to("answerCallbackQuery").len(), 1);
}

#[tokio::test]
async fn polling_moves_the_offset_past_handled_updates() {
    let (fx, server, bot) = bot().await;
    link(&fx, fx.sam, 600).await;
    server.push_update(callback_update(41, 600, 99, "approve:1"));
    server.push_update(callback_update(42, 600, 98, "approve:2"));
    let mut offset = None;
    assert_eq!(bot.poll_once(&mut offset, 0).await.unwrap(), 2);
    assert_eq!(offset, Some(43));
    // Nothing new: the confirmed updates do not come back.
    assert_eq!(bot.poll_once(&mut offset, 0).await.unwrap(), 0);
    assert_eq!(server.calls_to("getUpdates")[1]["offset"], 43);
    assert_eq!(bot.desk().commands.lock().unwrap().len(), 2);

    server.script(
        "getUpdates",
        429,
        serde_json::json!({"ok": false, "error_code": 429, "description": "Too Many Requests: retry after 2", "parameters": {"retry_after": 2}}),
    );
    let err = bot.poll_once(&mut offset, 0).await.unwrap_err();
    assert_eq!(err.retry_after(), Some(2));
    assert_eq!(offset, Some(43));
}

#[tokio::test]
async fn the_loop_runs_until_shutdown() {
    let (fx, server, bot) = bot().await;
    link(&fx, fx.sam, 600).await;
    server.push_update(callback_update(5, 600, 99, "approve:7"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let bot = std::sync::Arc::new(bot);
    let running = {
        let bot = bot.clone();
        tokio::spawn(async move {
            bot.run(async {
                let _ = stopped.await;
            })
            .await
        })
    };
    for _ in 0..100 {
        if !bot.desk().commands.lock().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(
        *bot.desk().commands.lock().unwrap(),
        vec![BotCommand::Approve {
            user: fx.sam,
            post_id: 7
        }]
    );
    stop.send(()).unwrap();
    tokio::time::timeout(std::time::Duration::from_secs(5), running)
        .await
        .unwrap()
        .unwrap();
}
