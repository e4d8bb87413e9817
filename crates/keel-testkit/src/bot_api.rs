//! A local Bot API server (axum) answering with the documented shapes: `{"ok":true,"result":…}`
//! with real Message / Update / CallbackQuery field names, or `{"ok":false,…}` when scripted.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::post;
use keel_platforms::telegram::{BotToken, TelegramApi};
use serde_json::{Value, json};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const TOKEN: &str = "123456:TEST-token";
pub const BOT_ID: i64 = 123456;

/// Scripted answers (HTTP status, body) per method, used in order.
type Script = HashMap<String, VecDeque<(u16, Value)>>;

#[derive(Clone, Default)]
pub struct BotServer {
    /// Every call: (method, JSON body), in order.
    pub calls: Arc<Mutex<Vec<(String, Value)>>>,
    /// Updates `getUpdates` hands out (those at or after the asked offset).
    pub updates: Arc<Mutex<Vec<Value>>>,
    /// Scripted answers per method, used before the default answer.
    pub script: Arc<Mutex<Script>>,
    /// How long to hold each call to a method before answering (a slow server).
    pub holds: Arc<Mutex<HashMap<String, Duration>>>,
    next_message_id: Arc<Mutex<i64>>,
    /// Where it listens, e.g. `http://127.0.0.1:40123`.
    pub url: String,
}

impl BotServer {
    /// Starts the server; returns it and a client pointed at it.
    pub async fn start() -> (BotServer, TelegramApi) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let server = BotServer {
            url: format!("http://{}", listener.local_addr().unwrap()),
            ..Default::default()
        };
        let app = axum::Router::new()
            .route("/{bot}/{method}", post(answer))
            .with_state(server.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        let api = TelegramApi::new(&server.url, BotToken(TOKEN.into()));
        (server, api)
    }

    pub fn script(&self, method: &str, status: u16, body: Value) {
        self.script
            .lock()
            .unwrap()
            .entry(method.into())
            .or_default()
            .push_back((status, body));
    }

    /// Holds every later call to `method` for `duration` before answering.
    pub fn hold(&self, method: &str, duration: Duration) {
        self.holds.lock().unwrap().insert(method.into(), duration);
    }

    pub fn push_update(&self, update: Value) {
        self.updates.lock().unwrap().push(update);
    }

    /// The bodies of every call to `method`.
    pub fn calls_to(&self, method: &str) -> Vec<Value> {
        self.calls
            .lock()
            .unwrap()
            .iter()
            .filter(|(m, _)| m == method)
            .map(|(_, b)| b.clone())
            .collect()
    }
}

async fn answer(
    State(server): State<BotServer>,
    Path((bot, method)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> (StatusCode, Json<Value>) {
    if bot != format!("bot{TOKEN}") {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"ok": false, "error_code": 401, "description": "Unauthorized"})),
        );
    }
    server.calls.lock().unwrap().push((method.clone(), body.clone()));
    let hold = server.holds.lock().unwrap().get(&method).copied();
    if let Some(hold) = hold {
        tokio::time::sleep(hold).await;
    }
    if let Some((status, scripted)) = server
        .script
        .lock()
        .unwrap()
        .get_mut(&method)
        .and_then(|q| q.pop_front())
    {
        return (StatusCode::from_u16(status).unwrap(), Json(scripted));
    }
    let result = match method.as_str() {
        "getMe" => json!({"id": BOT_ID, "is_bot": true, "first_name": "Keel", "username": "KeelTestBot",
                          "can_join_groups": true, "can_read_all_group_messages": false, "supports_inline_queries": false}),
        "sendMessage" | "editMessageReplyMarkup" => {
            let mut id = server.next_message_id.lock().unwrap();
            *id += 1;
            let chat_id = body["chat_id"].as_i64().unwrap_or(0);
            let mut message = json!({
                "message_id": if method == "sendMessage" { *id } else { body["message_id"].as_i64().unwrap_or(0) },
                "from": {"id": BOT_ID, "is_bot": true, "first_name": "Keel", "username": "KeelTestBot"},
                "chat": {"id": chat_id, "first_name": "Olga", "type": "private"},
                "date": 1_790_000_000,
                "text": body.get("text").cloned().unwrap_or(json!("")),
            });
            if let Some(markup) = body.get("reply_markup").filter(|m| m.get("inline_keyboard").is_some()) {
                message["reply_markup"] = markup.clone();
            }
            message
        }
        "getUpdates" => {
            let offset = body["offset"].as_i64().unwrap_or(0);
            let fresh: Vec<Value> = {
                let updates = server.updates.lock().unwrap();
                updates
                    .iter()
                    .filter(|u| u["update_id"].as_i64().unwrap() >= offset)
                    .cloned()
                    .collect()
            };
            // Long polling: with nothing to hand out, hold the request a moment (not the whole
            // timeout, to keep tests quick).
            if fresh.is_empty() && body["timeout"].as_u64().unwrap_or(0) > 0 {
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            json!(fresh)
        }
        "answerCallbackQuery" => json!(true),
        _ => {
            return (
                StatusCode::NOT_FOUND,
                Json(json!({"ok": false, "error_code": 404, "description": "Not Found: method not found"})),
            );
        }
    };
    (StatusCode::OK, Json(json!({"ok": true, "result": result})))
}

/// A private-chat text message from the Telegram user `from`, as an Update.
pub fn text_update(update_id: i64, from: i64, text: &str) -> Value {
    json!({
        "update_id": update_id,
        "message": {
            "message_id": 1000 + update_id,
            "from": {"id": from, "is_bot": false, "first_name": "Olga", "username": "olga_p", "language_code": "ru"},
            "chat": {"id": from, "first_name": "Olga", "username": "olga_p", "type": "private"},
            "date": 1_790_000_000,
            "text": text,
            "entities": [{"offset": 0, "length": text.split(' ').next().unwrap().len(), "type": "bot_command"}]
        }
    })
}

/// A button press by `from` on the bot's message `message_id`, as an Update.
pub fn callback_update(update_id: i64, from: i64, message_id: i64, data: &str) -> Value {
    json!({
        "update_id": update_id,
        "callback_query": {
            "id": format!("cb{update_id}"),
            "from": {"id": from, "is_bot": false, "first_name": "Olga", "language_code": "en"},
            "message": {
                "message_id": message_id,
                "from": {"id": BOT_ID, "is_bot": true, "first_name": "Keel", "username": "KeelTestBot"},
                "chat": {"id": from, "first_name": "Olga", "type": "private"},
                "date": 1_790_000_000,
                "text": "A post awaits your approval",
                "reply_markup": {"inline_keyboard": [[{"text": "✅ Approve", "callback_data": data}]]}
            },
            "chat_instance": "-4242",
            "data": data
        }
    })
}
