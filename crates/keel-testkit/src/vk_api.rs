//! A local VK API server (axum) that answers as VK documents it (shapes checked against the
//! API schema in `shared/data/vk-api-schema`):
//!
//! - every method is `POST /method/{name}` with form fields, the token in `access_token` and the
//!   version in `v`; success is HTTP 200 `{"response": …}`, and so is every error: HTTP 200 with
//!   `{"error": {"error_code", "error_msg", "request_params": [{key, value}]}}` (`base_error`);
//! - a wrong or revoked token gets error 5 "User authorization failed"; a VK ID token
//!   (`vk2.a.…`) may read but `wall.post` answers error 1051 (what publishing tools' issue
//!   trackers report for such tokens; the code is not in VK's published list);
//! - `groups.getById` (5.199) answers `{"groups": [group_full…], "profiles": []}` with
//!   `is_admin`/`admin_level` of the token's user; an unknown community is error 100;
//! - `photos.getWallUploadServer` gives an `upload_url` (here, on this server) that takes a
//!   multipart `photo` field and answers `{"server", "photo", "hash"}`; `photos.saveWallPhoto`
//!   turns that into `[photo]` with `id` and `owner_id` (the community's, negative);
//! - `wall.post` makes a post and answers `{"post_id"}`; a `guid` already used on that wall
//!   makes no second post (VK's documented purpose of `guid`: "prevents the same post being
//!   sent twice"), the fixture answering the existing post's id;
//! - `wall.get` lists the wall's posts newest first (`{"count", "items": [{id, owner_id,
//!   from_id, date, text, attachments}]}`).
//!
//! - `wall.get` takes `offset` and `count` (at most 100) and gives each post's `likes`,
//!   `comments`, `reposts` and `views` as `{"count": N}` objects (`base_likes_info`,
//!   `base_comments_info`, `base_reposts_info`, `wall_views`);
//! - `stats.getPostReach` (`owner_id`, `post_ids`: at most 30, else error 100) answers one
//!   `stats_wallpost_stat` per post: `post_id`, `reach_total`, `reach_subscribers`, `reach_viral`,
//!   `reach_ads`, `links`, `to_group`, `join_group`, `hide`, `report`, `unsubscribe`;
//! - `groups.getById` with `fields=members_count` gives the community's `members_count`.
//!
//! Every answer is kept (`answers`) so a test can check it against the API schema
//! ([`crate::vk_schema`]).
//!
//! Tests script errors per method (`fail_next`, or `fail_after` for the n-th call from now:
//! a failure in the middle of paging), slow answers (`hold`: the effect happens, the
//! answer comes late — as when VK posts but the connection times out), and read what was
//! posted (`wall`) and every call (`calls`).

use axum::extract::{Multipart, Path, State};
use axum::routing::post;
use axum::{Form, Json};
use serde_json::{Value, json};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The user token the server accepts.
pub const TOKEN: &str = "vk1.a.test-user-token-0123456789abcdef";
/// A VK ID token: reads work, `wall.post` answers 1051.
pub const VK_ID_TOKEN: &str = "vk2.a.test-vkid-token-0123456789abcdef";
/// The community the token's user administers (level 3).
pub const GROUP_ID: i64 = 218_000_001;
/// A community where the token's user is a plain member.
pub const OTHER_GROUP_ID: i64 = 218_000_002;

/// A post on the fixture's wall, with the figures `wall.get` and `stats.getPostReach` give.
#[derive(Debug, Clone, Default)]
pub struct WallPost {
    pub id: i64,
    pub owner_id: i64,
    pub from_group: bool,
    pub text: String,
    pub attachments: Vec<String>,
    pub guid: Option<String>,
    pub date: i64,
    pub likes: i64,
    pub comments: i64,
    pub reposts: i64,
    pub views: i64,
    pub reach_total: i64,
    pub reach_subscribers: i64,
}

/// One method call: the method and its form fields (the token left out).
pub type Call = (String, HashMap<String, String>);
/// Scripted errors per method: (code, message), in order.
type Script = HashMap<String, VecDeque<(i64, String)>>;
/// Errors scripted for a later call per method: (calls to let through, code, message).
pub type Later = HashMap<String, (usize, i64, String)>;
/// An uploaded file: its name and bytes.
pub type UploadedFile = (String, Vec<u8>);

#[derive(Clone, Default)]
pub struct VkServer {
    /// Every method call: (method, form fields without the token), in order.
    pub calls: Arc<Mutex<Vec<Call>>>,
    /// What was posted, oldest first.
    pub posts: Arc<Mutex<Vec<WallPost>>>,
    /// Uploaded files: (file name, bytes).
    pub uploads: Arc<Mutex<Vec<UploadedFile>>>,
    /// Scripted errors per method: (code, message), used in order before the normal answer.
    pub script: Arc<Mutex<Script>>,
    /// How long to hold the answer of a method (after its effect).
    pub holds: Arc<Mutex<HashMap<String, Duration>>>,
    /// Tokens no longer valid (revoked by the user).
    pub revoked: Arc<Mutex<Vec<String>>>,
    /// Every answer given: (method, body), for checking against VK's API schema.
    pub answers: Arc<Mutex<Vec<(String, Value)>>>,
    next_id: Arc<Mutex<i64>>,
    /// The community's members (`members_count`).
    pub members: Arc<Mutex<i64>>,
    /// Errors scripted for the n-th call of a method from now: (calls to let through, code,
    /// message).
    pub later: Arc<Mutex<Later>>,
    /// Where it listens: `http://127.0.0.1:PORT/method` is the `KEEL_VK_API_URL`.
    pub url: String,
}

impl VkServer {
    pub async fn start() -> VkServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let server = VkServer {
            url: format!("{base}/method"),
            next_id: Arc::new(Mutex::new(100)),
            ..Default::default()
        };
        let app = axum::Router::new()
            .route("/method/{name}", post(method))
            .route("/upload/{group}", post(upload))
            .with_state(server.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        server
    }

    /// The next call to `method` answers VK error `code`.
    pub fn fail_next(&self, method: &str, code: i64, message: &str) {
        self.script
            .lock()
            .unwrap()
            .entry(method.into())
            .or_default()
            .push_back((code, message.into()));
    }

    /// The call to `method` after `ok` more successful ones answers VK error `code` (a failure
    /// in the middle of paging).
    pub fn fail_after(&self, method: &str, ok: usize, code: i64, message: &str) {
        self.later
            .lock()
            .unwrap()
            .insert(method.into(), (ok, code, message.into()));
    }

    /// Puts posts on the community's wall (oldest first, as if published over time).
    pub fn seed_wall(&self, posts: Vec<WallPost>) {
        let mut wall = self.posts.lock().unwrap();
        wall.extend(posts);
        wall.sort_by_key(|p| (p.date, p.id));
    }

    pub fn set_members(&self, members: i64) {
        *self.members.lock().unwrap() = members;
    }

    pub fn hold(&self, method: &str, duration: Duration) {
        self.holds.lock().unwrap().insert(method.into(), duration);
    }

    pub fn revoke(&self, token: &str) {
        self.revoked.lock().unwrap().push(token.into());
    }

    /// The user authorizes the app again: the token works again.
    pub fn restore(&self, token: &str) {
        self.revoked.lock().unwrap().retain(|t| t != token);
    }

    pub fn wall(&self) -> Vec<WallPost> {
        self.posts.lock().unwrap().clone()
    }

    pub fn calls_to(&self, method: &str) -> Vec<HashMap<String, String>> {
        self.calls
            .lock()
            .unwrap()
            .iter()
            .filter(|(m, _)| m == method)
            .map(|(_, p)| p.clone())
            .collect()
    }

    fn next_id(&self) -> i64 {
        let mut id = self.next_id.lock().unwrap();
        *id += 1;
        *id
    }
}

fn error(code: i64, message: &str, params: &HashMap<String, String>, method: &str) -> Json<Value> {
    let mut request_params = vec![json!({"key": "method", "value": method})];
    for key in ["v", "owner_id", "group_id"] {
        if let Some(v) = params.get(key) {
            request_params.push(json!({"key": key, "value": v}));
        }
    }
    Json(json!({"error": {"error_code": code, "error_msg": message, "request_params": request_params}}))
}

fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

async fn method(
    State(server): State<VkServer>,
    Path(name): Path<String>,
    Form(params): Form<HashMap<String, String>>,
) -> Json<Value> {
    let answer = answer(&server, &name, params).await;
    server.answers.lock().unwrap().push((name, answer.0.clone()));
    answer
}

async fn answer(server: &VkServer, name: &str, mut params: HashMap<String, String>) -> Json<Value> {
    let name = name.to_owned();
    let token = params.remove("access_token").unwrap_or_default();
    server.calls.lock().unwrap().push((name.clone(), params.clone()));
    if params.get("v").map(String::as_str) != Some("5.199") {
        return error(8, "Invalid request: v (version) is required", &params, &name);
    }
    let known = token == TOKEN || token == VK_ID_TOKEN;
    if !known || server.revoked.lock().unwrap().contains(&token) {
        return error(
            5,
            "User authorization failed: invalid access_token (4).",
            &params,
            &name,
        );
    }
    if let Some((code, message)) = server.script.lock().unwrap().get_mut(&name).and_then(|q| q.pop_front()) {
        return error(code, &message, &params, &name);
    }
    let scripted = {
        let mut later = server.later.lock().unwrap();
        match later.get_mut(&name) {
            Some((0, code, message)) => {
                let failure = (*code, message.clone());
                later.remove(&name);
                Some(failure)
            }
            Some((ok, _, _)) => {
                *ok -= 1;
                None
            }
            None => None,
        }
    };
    if let Some((code, message)) = scripted {
        return error(code, &message, &params, &name);
    }
    let group_of = |key: &str| -> Option<i64> {
        params
            .get(key)
            .and_then(|g| g.trim_start_matches('-').parse::<i64>().ok())
    };
    let answer = match name.as_str() {
        "groups.getById" => {
            let Some(id) = group_of("group_id") else {
                return error(
                    100,
                    "One of the parameters specified was missing or invalid: group_id is undefined",
                    &params,
                    &name,
                );
            };
            let level = match id {
                GROUP_ID => 3,
                OTHER_GROUP_ID => 0,
                _ => {
                    return error(
                        100,
                        "One of the parameters specified was missing or invalid: group_ids is invalid",
                        &params,
                        &name,
                    );
                }
            };
            json!({
                "groups": [{
                    "id": id, "name": if id == GROUP_ID { "Coffee House" } else { "Someone else's club" },
                    "screen_name": format!("club{id}"), "is_closed": 0, "type": "page",
                    "is_admin": i64::from(level > 0), "admin_level": level, "is_member": 1,
                    "photo_50": "https://sun1-1.userapi.com/s/v1/50.jpg",
                    "members_count": *server.members.lock().unwrap(),
                }],
                "profiles": [],
            })
        }
        "photos.getWallUploadServer" => {
            let Some(group) = group_of("group_id") else {
                return error(
                    100,
                    "One of the parameters specified was missing or invalid: group_id",
                    &params,
                    &name,
                );
            };
            let base = server.url.trim_end_matches("/method");
            json!({"album_id": -14, "upload_url": format!("{base}/upload/{group}"), "user_id": 0, "group_id": group})
        }
        "photos.saveWallPhoto" => {
            let (Some(group), Some(photo)) = (group_of("group_id"), params.get("photo")) else {
                return error(
                    100,
                    "One of the parameters specified was missing or invalid: photo",
                    &params,
                    &name,
                );
            };
            if !photo.starts_with("[{\"photo\"") {
                return error(
                    100,
                    "One of the parameters specified was missing or invalid: photo is undefined",
                    &params,
                    &name,
                );
            }
            let id = server.next_id();
            json!([{
                "id": id, "album_id": -14, "owner_id": -group, "date": now_unix(), "text": "",
                "sizes": [{"type": "x", "url": format!("https://sun9-1.userapi.com/{id}.jpg"), "width": 604, "height": 604}],
                "has_tags": false,
            }])
        }
        "wall.post" => {
            if token == VK_ID_TOKEN {
                return error(
                    1051,
                    "Method is unavailable with the given access token",
                    &params,
                    &name,
                );
            }
            let Some(owner) = params.get("owner_id").and_then(|o| o.parse::<i64>().ok()) else {
                return error(
                    100,
                    "One of the parameters specified was missing or invalid: owner_id",
                    &params,
                    &name,
                );
            };
            if owner != -GROUP_ID {
                return error(
                    214,
                    "Access to adding post denied: access to the wall is closed",
                    &params,
                    &name,
                );
            }
            let guid = params.get("guid").cloned();
            let existing = guid.as_ref().and_then(|g| {
                server
                    .posts
                    .lock()
                    .unwrap()
                    .iter()
                    .find(|p| p.owner_id == owner && p.guid.as_ref() == Some(g))
                    .map(|p| p.id)
            });
            let post_id = match existing {
                Some(id) => id,
                None => {
                    let id = server.next_id();
                    server.posts.lock().unwrap().push(WallPost {
                        id,
                        owner_id: owner,
                        from_group: params.get("from_group").map(String::as_str) == Some("1"),
                        text: params.get("message").cloned().unwrap_or_default(),
                        attachments: params
                            .get("attachments")
                            .map(|a| a.split(',').map(str::to_owned).collect())
                            .unwrap_or_default(),
                        guid,
                        date: now_unix(),
                        ..Default::default()
                    });
                    id
                }
            };
            json!({"post_id": post_id})
        }
        "wall.get" => {
            let owner = params.get("owner_id").and_then(|o| o.parse::<i64>().ok()).unwrap_or(0);
            let count = params.get("count").and_then(|c| c.parse::<usize>().ok()).unwrap_or(20);
            let offset = params.get("offset").and_then(|c| c.parse::<usize>().ok()).unwrap_or(0);
            if count > 100 {
                return error(
                    100,
                    "One of the parameters specified was missing or invalid: count should be less or equal to 100",
                    &params,
                    &name,
                );
            }
            let posts = server.posts.lock().unwrap();
            let items: Vec<Value> = posts
                .iter()
                .rev()
                .filter(|p| p.owner_id == owner)
                .skip(offset)
                .take(count)
                .map(|p| {
                    json!({
                        "inner_type": "wall_wallpost",
                        "id": p.id, "owner_id": p.owner_id, "from_id": p.owner_id, "date": p.date,
                        "text": p.text, "post_type": "post",
                        "attachments": p.attachments.iter().map(|a| photo_attachment(a, p.owner_id, p.date)).collect::<Vec<_>>(),
                        "comments": {"count": p.comments, "can_post": 1},
                        "likes": {"count": p.likes, "user_likes": 0, "can_like": 1, "can_publish": 1},
                        "reposts": {"count": p.reposts, "user_reposted": 0},
                        "views": {"count": p.views},
                    })
                })
                .collect();
            json!({"count": posts.iter().filter(|p| p.owner_id == owner).count(), "items": items})
        }
        "stats.getPostReach" => {
            let owner = params.get("owner_id").and_then(|o| o.parse::<i64>().ok()).unwrap_or(0);
            let ids: Vec<i64> = params
                .get("post_ids")
                .map(|ids| ids.split(',').filter_map(|i| i.trim().parse().ok()).collect())
                .unwrap_or_default();
            if ids.is_empty() || ids.len() > 30 {
                return error(
                    100,
                    "One of the parameters specified was missing or invalid: post_ids should contain 1 to 30 ids",
                    &params,
                    &name,
                );
            }
            let posts = server.posts.lock().unwrap();
            let stats: Vec<Value> = ids
                .iter()
                .filter_map(|id| posts.iter().find(|p| p.owner_id == owner && p.id == *id))
                .map(|p| {
                    json!({
                        "post_id": p.id, "reach_total": p.reach_total, "reach_subscribers": p.reach_subscribers,
                        "reach_viral": p.reach_total - p.reach_subscribers, "reach_ads": 0,
                        "links": 0, "to_group": 0, "join_group": 0, "hide": 0, "report": 0, "unsubscribe": 0,
                    })
                })
                .collect();
            json!(stats)
        }
        _ => return error(3, "Unknown method passed", &params, &name),
    };
    let hold = server.holds.lock().unwrap().get(&name).copied();
    if let Some(hold) = hold {
        tokio::time::sleep(hold).await;
    }
    Json(json!({"response": answer}))
}

/// An attachment `photo{owner}_{id}` as `wall.get` gives it (`wall_wallpost_attachment` with a
/// `photos_photo`: numeric ids, `date`, `sizes`).
fn photo_attachment(attachment: &str, owner: i64, date: i64) -> Value {
    let id = attachment
        .rsplit('_')
        .next()
        .and_then(|i| i.parse::<i64>().ok())
        .unwrap_or(0);
    json!({"type": "photo", "photo": {
        "id": id, "album_id": -7, "owner_id": owner, "date": date, "has_tags": false,
        "sizes": [{"type": "x", "url": format!("https://sun9-1.userapi.com/{id}.jpg"), "width": 604, "height": 604}],
    }})
}

/// The upload server: a multipart `photo` field in, `{server, photo, hash}` out (`photo` is
/// `[]` when no file came).
async fn upload(State(server): State<VkServer>, Path(group): Path<i64>, mut form: Multipart) -> Json<Value> {
    let mut received = None;
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some("photo") {
            let name = field.file_name().unwrap_or("").to_owned();
            if let Ok(bytes) = field.bytes().await {
                received = Some((name, bytes.to_vec()));
            }
        }
    }
    let Some((name, bytes)) = received else {
        return Json(json!({"server": 1, "photo": "[]", "hash": ""}));
    };
    let size = bytes.len();
    server.uploads.lock().unwrap().push((name, bytes));
    Json(json!({
        "server": 840_123,
        "photo": format!("[{{\"photo\":\"{group}x{size}\",\"sizes\":[],\"kid\":\"k{size}\"}}]"),
        "hash": "f3c1a2b4d5e6",
    }))
}
