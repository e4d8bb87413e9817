//! A local Bot API server (axum) answering with the documented shapes: `{"ok":true,"result":…}`
//! with real Message / Update / CallbackQuery field names, or `{"ok":false,…}` when scripted.
//!
//! Channels (publishing): [`CHANNEL`] is a public channel where the bot is an administrator with
//! `can_post_messages`; [`CHANNEL_NOT_ADMIN`] one where it is a plain member; other names answer
//! 400 "Bad Request: chat not found", as `getChat` does. `sendMessage`, `sendPhoto` and
//! `sendMediaGroup` to a channel answer the Message(s) with `chat` `{id, type: "channel", title,
//! username}`; files come as `multipart/form-data` (recorded as `{"file_name", "size"}`); a caption
//! over 1 024 characters is 400 "Bad Request: message caption is too long". Scripted answers
//! reproduce 429 with `parameters.retry_after`, 401 Unauthorized (revoked token) and 403
//! Forbidden (bot removed from the channel). `getChatMemberCount` answers the channel's
//! subscribers ([`BotServer::member_count`]) as the bare Integer `result` the Bot API gives.

use axum::Json;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::StatusCode;
use axum::routing::post;
use keel_platforms::telegram::{BotToken, TelegramApi};
use serde_json::{Value, json};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const TOKEN: &str = "123456:TEST-token";
pub const BOT_ID: i64 = 123456;
/// A channel where the bot may post.
pub const CHANNEL: &str = "@keel_test_channel";
pub const CHANNEL_ID: i64 = -1_001_234_567_890;
/// A channel where the bot is a member without the right to post.
pub const CHANNEL_NOT_ADMIN: &str = "@keel_other_channel";

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
    /// The channels' subscribers, as `getChatMemberCount` answers them (an Integer).
    pub member_count: Arc<Mutex<i64>>,
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

/// The request's fields: a JSON body, or a multipart form (files as `{"file_name", "size"}`;
/// a `media` field parsed as JSON).
async fn body_of(request: Request) -> Value {
    let multipart = request
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if multipart {
        let mut fields = serde_json::Map::new();
        if let Ok(mut form) = Multipart::from_request(request, &()).await {
            while let Ok(Some(field)) = form.next_field().await {
                let name = field.name().unwrap_or("").to_owned();
                let file_name = field.file_name().map(str::to_owned);
                let bytes = field.bytes().await.unwrap_or_default();
                let value = match file_name {
                    Some(file_name) => json!({"file_name": file_name, "size": bytes.len()}),
                    None => {
                        let text = String::from_utf8_lossy(&bytes).into_owned();
                        match name.as_str() {
                            "media" => serde_json::from_str(&text).unwrap_or(Value::String(text)),
                            "chat_id" => text.parse::<i64>().map(Value::from).unwrap_or(Value::String(text)),
                            _ => Value::String(text),
                        }
                    }
                };
                fields.insert(name, value);
            }
        }
        Value::Object(fields)
    } else {
        match Json::<Value>::from_request(request, &()).await {
            Ok(Json(body)) => body,
            Err(_) => Value::Null,
        }
    }
}

/// The channel a `chat_id` names, as (id, username, bot may post), or None for an unknown chat.
fn channel(chat_id: &Value) -> Option<(i64, &'static str, bool)> {
    let is = |name: &str, id: i64| chat_id.as_str() == Some(name) || chat_id.as_i64() == Some(id);
    if is(CHANNEL, CHANNEL_ID) {
        Some((CHANNEL_ID, "keel_test_channel", true))
    } else if is(CHANNEL_NOT_ADMIN, -1_001_000_000_002) {
        Some((-1_001_000_000_002, "keel_other_channel", false))
    } else {
        None
    }
}

fn channel_message(id: i64, chat_id: i64, username: &str, extra: Value) -> Value {
    let mut message = json!({
        "message_id": id,
        "sender_chat": {"id": chat_id, "title": "Coffee House news", "username": username, "type": "channel"},
        "chat": {"id": chat_id, "title": "Coffee House news", "username": username, "type": "channel"},
        "date": 1_790_000_000,
    });
    if let (Some(m), Some(e)) = (message.as_object_mut(), extra.as_object()) {
        m.extend(e.clone());
    }
    message
}

fn not_found_chat() -> (StatusCode, Json<Value>) {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({"ok": false, "error_code": 400, "description": "Bad Request: chat not found"})),
    )
}

async fn answer(
    State(server): State<BotServer>,
    Path((bot, method)): Path<(String, String)>,
    request: Request,
) -> (StatusCode, Json<Value>) {
    let body = body_of(request).await;
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
        "getChat" => match channel(&body["chat_id"]) {
            Some((id, username, _)) => {
                json!({"id": id, "type": "channel", "title": "Coffee House news", "username": username,
                                              "accent_color_id": 1, "max_reaction_count": 11})
            }
            None => return not_found_chat(),
        },
        "getChatMemberCount" => match channel(&body["chat_id"]) {
            Some(_) => json!(*server.member_count.lock().unwrap()),
            None => return not_found_chat(),
        },
        "getChatMember" => match channel(&body["chat_id"]) {
            Some((_, _, may_post)) if body["user_id"].as_i64() == Some(BOT_ID) => {
                let user = json!({"id": BOT_ID, "is_bot": true, "first_name": "Keel", "username": "KeelTestBot"});
                if may_post {
                    json!({"status": "administrator", "user": user, "can_be_edited": false, "is_anonymous": false,
                           "can_manage_chat": true, "can_delete_messages": true, "can_manage_video_chats": false,
                           "can_restrict_members": false, "can_promote_members": false, "can_change_info": false,
                           "can_invite_users": true, "can_post_messages": true, "can_edit_messages": true,
                           "can_post_stories": false, "can_edit_stories": false, "can_delete_stories": false})
                } else {
                    json!({"status": "member", "user": user})
                }
            }
            Some(_) => json!({"status": "left", "user": {"id": body["user_id"], "is_bot": false, "first_name": "?"}}),
            None => return not_found_chat(),
        },
        "sendPhoto" | "sendMediaGroup" => {
            let Some((chat_id, username, _)) = channel(&body["chat_id"]) else {
                return not_found_chat();
            };
            let caption = if method == "sendPhoto" {
                body["caption"].as_str()
            } else {
                body["media"][0]["caption"].as_str()
            };
            if caption.is_some_and(|c| c.encode_utf16().count() > 1024) {
                return (
                    StatusCode::BAD_REQUEST,
                    Json(
                        json!({"ok": false, "error_code": 400, "description": "Bad Request: message caption is too long"}),
                    ),
                );
            }
            let photo = json!({"photo": [{"file_id": "AgAC-test", "file_unique_id": "AQAD-test", "width": 604, "height": 604}],
                               "caption": caption});
            let mut id = server.next_message_id.lock().unwrap();
            if method == "sendPhoto" {
                *id += 1;
                channel_message(*id, chat_id, username, photo)
            } else {
                let count = body["media"].as_array().map(Vec::len).unwrap_or(0);
                let group = json!({"media_group_id": "13579"});
                json!(
                    (0..count)
                        .map(|i| {
                            *id += 1;
                            let mut extra = if i == 0 {
                                photo.clone()
                            } else {
                                json!({"photo": photo["photo"]})
                            };
                            extra["media_group_id"] = group["media_group_id"].clone();
                            channel_message(*id, chat_id, username, extra)
                        })
                        .collect::<Vec<_>>()
                )
            }
        }
        // Only the fixture's channels (and unknown @names) answer as channels; other chats
        // (private, groups) keep the answer below.
        "sendMessage" if body["chat_id"].is_string() || channel(&body["chat_id"]).is_some() => {
            let Some((chat_id, username, _)) = channel(&body["chat_id"]) else {
                return not_found_chat();
            };
            let mut id = server.next_message_id.lock().unwrap();
            *id += 1;
            channel_message(*id, chat_id, username, json!({"text": body["text"]}))
        }
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
