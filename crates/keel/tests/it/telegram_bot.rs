//! `keel serve`'s Telegram wiring: with a token configured, the bot learns its username and its
//! polling loop links a chat from `/start CODE` — against a local Bot API server.

use crate::helpers::*;
use axum::Json;
use axum::extract::{Path, State};
use keel::config::NotifyConfig;
use keel_domain::Email;
use keel_platforms::telegram::BotToken;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
struct FakeBotApi {
    updates: Arc<Mutex<Vec<Value>>>,
    sent: Arc<Mutex<Vec<Value>>>,
}

async fn answer(
    State(api): State<FakeBotApi>,
    Path((_bot, method)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> Json<Value> {
    let result = match method.as_str() {
        "getMe" => json!({"id": 1, "is_bot": true, "first_name": "Keel", "username": "AgencyKeelBot"}),
        "getUpdates" => {
            let offset = body["offset"].as_i64().unwrap_or(0);
            let fresh: Vec<Value> = api
                .updates
                .lock()
                .unwrap()
                .iter()
                .filter(|u| u["update_id"].as_i64().unwrap() >= offset)
                .cloned()
                .collect();
            if fresh.is_empty() {
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            json!(fresh)
        }
        "sendMessage" => {
            api.sent.lock().unwrap().push(body.clone());
            json!({"message_id": 5, "chat": {"id": body["chat_id"], "type": "private"}, "date": 1_790_000_000, "text": body["text"]})
        }
        other => return Json(json!({"ok": false, "error_code": 404, "description": format!("Not Found: {other}")})),
    };
    Json(json!({"ok": true, "result": result}))
}

on_both_backends! {
    async fn serve_runs_the_bot_that_links_a_chat(backend) {
        let Some(app) = TestApp::demo(backend, "telegram_bot_serve").await else { return };
        let fake = FakeBotApi::default();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let api_url = format!("http://{}", listener.local_addr().unwrap());
        let router = axum::Router::new().route("/{bot}/{method}", axum::routing::post(answer)).with_state(fake.clone());
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });

        let config = NotifyConfig {
            public_url: Some("https://keel.agency.test".into()),
            telegram_bot_token: Some(BotToken("42:secret".into())),
            telegram_api_url: api_url,
            smtp: None,
        };
        assert_eq!(keel::notify::delivery_channels(&config, &app.store).unwrap().len(), 1);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let (web, handle) = keel::notify::start_telegram(&config, &app.store, keel::notify::WorkflowDesk::new(app.store.clone()), async { let _ = stopped.await; })
            .await
            .expect("a token starts the bot");
        assert_eq!(web.bot_username.as_deref(), Some("AgencyKeelBot"));

        let approver = app.store.user_by_email(&Email::parse("approver-a@demo.local").unwrap()).await.unwrap().unwrap().id();
        let code = app.store.create_telegram_link_code(approver).await.unwrap();
        fake.updates.lock().unwrap().push(json!({"update_id": 1, "message": {
            "message_id": 9, "from": {"id": 3131, "is_bot": false, "first_name": "Anna"},
            "chat": {"id": 3131, "type": "private", "first_name": "Anna"}, "date": 1_790_000_000,
            "text": format!("/start {code}")}}));
        for _ in 0..100 {
            // The reply follows the link: wait for both.
            if !fake.sent.lock().unwrap().is_empty() { break }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(app.store.user_by_telegram_chat(3131).await.unwrap(), Some(approver));
        assert!(fake.sent.lock().unwrap()[0]["text"].as_str().unwrap().contains("linked"));

        stop.send(()).unwrap();
        tokio::time::timeout(std::time::Duration::from_secs(5), handle).await.expect("the loop stops").unwrap();
    }
}
