//! A local Instagram Graph API (Instagram Login) server, answering as Meta documents it.
//!
//! Reading an account (what a connection check calls):
//! - `GET /me?fields=user_id,username` → `{"user_id", "username", "id"}`;
//! - `GET /{ig-user-id}/content_publishing_limit?fields=quota_usage,config` →
//!   `{"data": [{"quota_usage", "config": {"quota_total", "quota_duration"}}]}`.
//!
//! Publishing (the "Content Publishing" guide and the IG User Media, IG Container and
//! IG User Media Publish references):
//! - `POST /{ig-user-id}/media` (form fields, the token in `access_token`) with `image_url` and
//!   `caption` (or `is_carousel_item=true`) makes an image container and answers `{"id"}`. As
//!   the guide says ("We cURL media used in publishing attempts"), the server **downloads the
//!   image from `image_url`** (recorded in [`InstagramServer::fetched`]); an image it cannot
//!   download is the documented error code 9004, subcode 2207052 ("Media download has failed",
//!   HTTP 400). An image that downloads but is not a JPEG ("JPEG is the only image format
//!   supported", the image specifications) leaves the container in `ERROR` — the reference
//!   gives `status` an error's words; the fixture's words name the reason;
//! - with `media_type=CAROUSEL`, `children` (up to ten finished item containers of the account,
//!   comma-separated) and `caption`, a carousel container;
//! - `GET /{container-id}?fields=status_code,status` → `{"status_code", "status", "id"}`: a new
//!   container answers `IN_PROGRESS` for [`InstagramServer::processing_polls`] polls, then
//!   `FINISHED` (or what [`InstagramServer::fail_next_container`] scripted: `ERROR`, `EXPIRED`);
//!   a published one `PUBLISHED`;
//! - `POST /{ig-user-id}/media_publish` with `creation_id` publishes a `FINISHED` container once
//!   and answers `{"id"}` of the new media; a container not finished is error 9007 subcode
//!   2207027 ("Media ID is not available"); one already published is refused the same way (a
//!   container makes one media);
//! - `GET /{media-id}?fields=permalink` → `{"permalink", "id"}`;
//! - `GET /{ig-user-id}/media?fields=id,caption,timestamp,permalink` → the account's media,
//!   newest first: `{"data": [{"id", "caption", "timestamp": "2026-12-04T08:15:00+0000",
//!   "permalink"}], "paging": {"cursors": {"before", "after"}}}`.
//!
//! Statistics (what a pull calls; the IG User Media, IG Media Insights and Refresh Access Token
//! references):
//! - `GET /{ig-user-id}/media?fields=…&limit=N[&after=CURSOR]` over the seeded media
//!   ([`InstagramServer::seed_media`]), newest first, `limit` a page (25 by default, at most
//!   100): `{"data": [...], "paging": {"cursors": {"before", "after"}, "next"}}` with `next`
//!   (a full URL) only when a further page is — as Graph API cursor paging documents it; the
//!   cursors are opaque strings. [`InstagramServer::fail_list_after`] makes a later page an error;
//! - `GET /{media-id}/insights?metric=views,reach,likes,comments,shares,saved` →
//!   `{"data": [{"name", "period": "lifetime", "values": [{"value"}], "title", "description",
//!   "id"}]}`; a media without insights answers `{"data": []}`; asking for `impressions` (gone
//!   since v22) is error 100 naming the metrics that are allowed;
//! - `GET /{ig-user-id}?fields=followers_count` → `{"followers_count", "id"}`;
//! - `GET /refresh_access_token?grant_type=ig_refresh_token&access_token=…` → a new long-lived
//!   token `{"access_token", "token_type": "bearer", "expires_in": 5184000}`; the old one keeps
//!   working until its own expiry.
//!
//! Errors are 4xx with `{"error": {"message", "type", "code", "error_subcode", "is_transient",
//! "error_user_title", "error_user_msg", "fbtrace_id"}}`; an unknown or revoked token is HTTP 400
//! code 190 `OAuthException` "Invalid OAuth access token - Cannot parse access token". Tests
//! script errors per endpoint ([`InstagramServer::script`]), slow answers ([`InstagramServer::hold`]:
//! the effect happens, the answer comes late) and read every call.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Form, Json};
use serde_json::{Value, json};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::graph_errors::{Answer, bad_token, graph_error};

pub const TOKEN: &str = "IGAAtest-instagram-token-0123456789";
pub const USER_ID: &str = "17841400000000001";

/// What the server downloaded from an `image_url`.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub url: String,
    pub status: u16,
    pub content_type: Option<String>,
    pub nosniff: bool,
    pub bytes: Vec<u8>,
}

/// A media container.
#[derive(Debug, Clone)]
pub struct Container {
    pub id: String,
    pub user: String,
    pub caption: Option<String>,
    pub carousel_item: bool,
    /// A carousel's children (container ids).
    pub children: Vec<String>,
    /// `IN_PROGRESS`, `FINISHED`, `ERROR`, `EXPIRED`, `PUBLISHED`.
    pub status_code: String,
    pub status: Option<String>,
    /// Polls left answering `IN_PROGRESS`, and what it becomes after.
    polls_left: u32,
    becomes: (String, Option<String>),
}

/// A published media.
#[derive(Debug, Clone)]
pub struct PublishedMedia {
    pub id: String,
    pub user: String,
    pub caption: String,
    pub timestamp: String,
    pub permalink: String,
    pub container: String,
    /// The images (item containers) a carousel holds; one for a single image.
    pub images: usize,
}

/// A media of the account with its statistics, served by `/media` and `/insights`.
#[derive(Debug, Clone, Default)]
pub struct SeededMedia {
    pub id: String,
    /// Unix seconds.
    pub timestamp: i64,
    /// `IMAGE`, `VIDEO`, `CAROUSEL_ALBUM`.
    pub media_type: String,
    /// `FEED`, `REELS`.
    pub product_type: String,
    pub caption: String,
    pub like_count: i64,
    pub comments_count: i64,
    /// `views, reach, likes, comments, shares, saved`; `None`: no insights (`{"data": []}`).
    pub insights: Option<[i64; 6]>,
}

/// The insights metrics in the order of [`SeededMedia::insights`].
pub const METRICS: [&str; 6] = ["views", "reach", "likes", "comments", "shares", "saved"];

/// One call: the endpoint and its fields (the token left out).
pub type Call = (String, HashMap<String, String>);

/// Scripted answers per endpoint (`media`, `media_publish`, `status`, `list`): (HTTP status, body).
type Script = HashMap<String, VecDeque<(u16, Value)>>;

#[derive(Clone, Default)]
pub struct InstagramServer {
    /// Posts published in the last 24 hours (the quota used).
    pub quota_usage: Arc<Mutex<i64>>,
    /// Every call: (endpoint, fields without the token), in order. Endpoints: `me`, `limit`,
    /// `media` (a container made), `status`, `media_publish`, `permalink`, `list`.
    pub calls: Arc<Mutex<Vec<Call>>>,
    pub containers: Arc<Mutex<Vec<Container>>>,
    pub published: Arc<Mutex<Vec<PublishedMedia>>>,
    pub fetched: Arc<Mutex<Vec<Fetched>>>,
    /// How many status polls a new container answers `IN_PROGRESS` (Meta processes the media).
    pub processing_polls: Arc<Mutex<u32>>,
    /// What the next container becomes after processing instead of `FINISHED`.
    pub fail_next_container: Arc<Mutex<Option<(String, String)>>>,
    pub script: Arc<Mutex<Script>>,
    pub holds: Arc<Mutex<HashMap<String, Duration>>>,
    pub revoked: Arc<Mutex<Vec<String>>>,
    /// The account's media for pulls, newest first once seeded.
    pub media: Arc<Mutex<Vec<SeededMedia>>>,
    pub followers: Arc<Mutex<i64>>,
    /// Tokens handed out by `refresh_access_token` (accepted beside [`TOKEN`]).
    pub refreshed: Arc<Mutex<Vec<String>>>,
    /// After this many `/media` pages answered, the next answers this (status, body).
    fail_list: Arc<Mutex<Option<(usize, u16, Value)>>>,
    next_id: Arc<Mutex<u64>>,
    pub url: String,
}

impl InstagramServer {
    pub async fn start() -> InstagramServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let server = InstagramServer {
            url: format!("http://{}", listener.local_addr().unwrap()),
            processing_polls: Arc::new(Mutex::new(1)),
            next_id: Arc::new(Mutex::new(17_900_000_000_000_000)),
            ..Default::default()
        };
        let app = axum::Router::new()
            .route("/me", get(me))
            .route("/refresh_access_token", get(refresh_token))
            .route("/{id}", get(node))
            .route("/{id}/insights", get(insights))
            .route("/{user}/content_publishing_limit", get(limit))
            .route("/{user}/media", post(create_container).get(list_media))
            .route("/{user}/media_publish", post(media_publish))
            .with_state(server.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        server
    }

    /// The next call to `endpoint` answers `status` with `body`.
    pub fn script(&self, endpoint: &str, status: u16, body: Value) {
        self.script
            .lock()
            .unwrap()
            .entry(endpoint.into())
            .or_default()
            .push_back((status, body));
    }

    /// Holds the answer of `endpoint` (after its effect) this long.
    pub fn hold(&self, endpoint: &str, duration: Duration) {
        self.holds.lock().unwrap().insert(endpoint.into(), duration);
    }

    /// The media a pull reads (any order; served newest first).
    pub fn seed_media(&self, mut media: Vec<SeededMedia>) {
        media.sort_by(|a, b| b.timestamp.cmp(&a.timestamp).then(b.id.cmp(&a.id)));
        *self.media.lock().unwrap() = media;
    }

    pub fn set_followers(&self, followers: i64) {
        *self.followers.lock().unwrap() = followers;
    }

    /// After `pages` pages of `/media` are answered, the next answers `status` with `body`
    /// (once).
    pub fn fail_list_after(&self, pages: usize, status: u16, body: Value) {
        *self.fail_list.lock().unwrap() = Some((pages, status, body));
    }

    pub fn revoke(&self, token: &str) {
        self.revoked.lock().unwrap().push(token.into());
    }

    pub fn calls_to(&self, endpoint: &str) -> Vec<HashMap<String, String>> {
        self.calls
            .lock()
            .unwrap()
            .iter()
            .filter(|(e, _)| e == endpoint)
            .map(|(_, f)| f.clone())
            .collect()
    }

    pub fn published(&self) -> Vec<PublishedMedia> {
        self.published.lock().unwrap().clone()
    }

    fn next_id(&self) -> String {
        let mut id = self.next_id.lock().unwrap();
        *id += 1;
        id.to_string()
    }

    fn record(&self, endpoint: &str, fields: &HashMap<String, String>) {
        let mut fields = fields.clone();
        fields.remove("access_token");
        self.calls.lock().unwrap().push((endpoint.into(), fields));
    }

    fn scripted(&self, endpoint: &str) -> Option<(StatusCode, Json<Value>)> {
        let (status, body) = self.script.lock().unwrap().get_mut(endpoint)?.pop_front()?;
        Some((
            StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
            Json(body),
        ))
    }

    fn token_ok(&self, fields: &HashMap<String, String>) -> bool {
        let token = fields.get("access_token").map(String::as_str).unwrap_or("");
        (token == TOKEN || self.refreshed.lock().unwrap().iter().any(|t| t == token))
            && !self.revoked.lock().unwrap().iter().any(|t| t == token)
    }

    async fn held(&self, endpoint: &str) {
        let hold = self.holds.lock().unwrap().get(endpoint).copied();
        if let Some(hold) = hold {
            tokio::time::sleep(hold).await;
        }
    }
}

fn error(code: i64, subcode: Option<i64>, message: &str, user_msg: Option<&str>) -> Answer {
    graph_error("OAuthException", code, subcode, message, user_msg)
}

fn unsupported_get() -> Answer {
    graph_error("GraphMethodException", 100, Some(33), "Unsupported get request.", None)
}

async fn me(State(server): State<InstagramServer>, Query(q): Query<HashMap<String, String>>) -> Answer {
    server.record("me", &q);
    if !server.token_ok(&q) {
        return bad_token();
    }
    (
        StatusCode::OK,
        Json(json!({"user_id": USER_ID, "username": "coffee.house", "id": "9988776655"})),
    )
}

async fn limit(
    State(server): State<InstagramServer>,
    Path(user): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Answer {
    server.record("limit", &q);
    if !server.token_ok(&q) {
        return bad_token();
    }
    if user != USER_ID {
        return unsupported_get();
    }
    let used = *server.quota_usage.lock().unwrap();
    (
        StatusCode::OK,
        Json(json!({"data": [{"quota_usage": used, "config": {"quota_total": 100, "quota_duration": 86400}}]})),
    )
}

/// Downloads the image as Meta does: a plain GET, 10 s at most.
async fn download(url: &str) -> Result<Fetched, String> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| e.to_string())?;
    let response = client.get(url).send().await.map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let content_type = header("content-type");
    let nosniff = header("x-content-type-options").as_deref() == Some("nosniff");
    let bytes = response.bytes().await.map_err(|e| e.to_string())?.to_vec();
    Ok(Fetched {
        url: url.to_owned(),
        status,
        content_type,
        nosniff,
        bytes,
    })
}

async fn create_container(
    State(server): State<InstagramServer>,
    Path(user): Path<String>,
    Form(fields): Form<HashMap<String, String>>,
) -> Answer {
    server.record("media", &fields);
    if !server.token_ok(&fields) {
        return bad_token();
    }
    if let Some(answer) = server.scripted("media") {
        return answer;
    }
    if user != USER_ID {
        return unsupported_get();
    }
    let caption = fields.get("caption").cloned();
    let processing = *server.processing_polls.lock().unwrap();
    let becomes = server
        .fail_next_container
        .lock()
        .unwrap()
        .take()
        .map(|(code, status)| (code, Some(status)))
        .unwrap_or(("FINISHED".into(), None));
    let container = if fields.get("media_type").map(String::as_str) == Some("CAROUSEL") {
        let children: Vec<String> = fields
            .get("children")
            .map(|c| c.split(',').map(|s| s.trim().to_owned()).collect())
            .unwrap_or_default();
        let containers = server.containers.lock().unwrap();
        let fit = |id: &String| {
            containers
                .iter()
                .any(|c| &c.id == id && c.user == user && c.carousel_item && c.status_code == "FINISHED")
        };
        if children.is_empty() || children.len() > 10 || !children.iter().all(fit) {
            return error(
                100,
                None,
                "Invalid parameter",
                Some("The carousel's children must be up to ten finished carousel items of this account."),
            );
        }
        Container {
            id: server.next_id(),
            user: user.clone(),
            caption,
            carousel_item: false,
            children,
            status_code: "IN_PROGRESS".into(),
            status: None,
            polls_left: processing,
            becomes,
        }
    } else {
        let Some(image_url) = fields.get("image_url") else {
            return error(100, None, "The parameter image_url is required", None);
        };
        let fetched = download(image_url).await;
        let downloaded = match fetched {
            Ok(f) => {
                server.fetched.lock().unwrap().push(f.clone());
                (f.status == 200).then_some(f)
            }
            Err(_) => None,
        };
        let Some(image) = downloaded else {
            return error(
                9004,
                Some(2207052),
                "Only photo or video can be accepted as media type.",
                Some(&format!("The media could not be fetched from this uri: {image_url}")),
            );
        };
        let jpeg = image.content_type.as_deref() == Some("image/jpeg") && image.bytes.starts_with(&[0xFF, 0xD8, 0xFF]);
        let becomes = if jpeg {
            becomes
        } else {
            (
                "ERROR".into(),
                Some("ERROR: the image is not a JPEG (JPEG is the only image format supported)".into()),
            )
        };
        Container {
            id: server.next_id(),
            user: user.clone(),
            caption: if fields.get("is_carousel_item").map(String::as_str) == Some("true") {
                None
            } else {
                caption
            },
            carousel_item: fields.get("is_carousel_item").map(String::as_str) == Some("true"),
            children: vec![],
            status_code: "IN_PROGRESS".into(),
            status: None,
            polls_left: processing,
            becomes,
        }
    };
    let id = container.id.clone();
    let mut container = container;
    if container.polls_left == 0 {
        container.status_code = container.becomes.0.clone();
        container.status = container.becomes.1.clone();
    }
    server.containers.lock().unwrap().push(container);
    server.held("media").await;
    (StatusCode::OK, Json(json!({ "id": id })))
}

/// `GET /{id}`: a container's status, or a media's permalink.
async fn node(
    State(server): State<InstagramServer>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Answer {
    let fields = q.get("fields").cloned().unwrap_or_default();
    let endpoint = if fields.contains("permalink") {
        "permalink"
    } else if fields.contains("followers_count") {
        "followers_count"
    } else {
        "status"
    };
    server.record(endpoint, &q);
    if !server.token_ok(&q) {
        return bad_token();
    }
    if let Some(answer) = server.scripted(endpoint) {
        return answer;
    }
    if endpoint == "followers_count" {
        if id != USER_ID {
            return unsupported_get();
        }
        let followers = *server.followers.lock().unwrap();
        return (StatusCode::OK, Json(json!({"followers_count": followers, "id": id})));
    }
    if let Some(media) = server.published.lock().unwrap().iter().find(|m| m.id == id) {
        return (
            StatusCode::OK,
            Json(json!({"id": media.id, "permalink": media.permalink})),
        );
    }
    let mut containers = server.containers.lock().unwrap();
    let Some(container) = containers.iter_mut().find(|c| c.id == id) else {
        return unsupported_get();
    };
    if container.status_code == "IN_PROGRESS" {
        if container.polls_left > 0 {
            container.polls_left -= 1;
            return (
                StatusCode::OK,
                Json(json!({"id": id, "status_code": "IN_PROGRESS", "status": "In Progress"})),
            );
        }
        container.status_code = container.becomes.0.clone();
        container.status = container.becomes.1.clone();
    }
    let mut answer = json!({"id": id, "status_code": container.status_code});
    if let Some(status) = &container.status {
        answer["status"] = json!(status);
    }
    (StatusCode::OK, Json(answer))
}

async fn media_publish(
    State(server): State<InstagramServer>,
    Path(user): Path<String>,
    Form(fields): Form<HashMap<String, String>>,
) -> Answer {
    server.record("media_publish", &fields);
    if !server.token_ok(&fields) {
        return bad_token();
    }
    if let Some(answer) = server.scripted("media_publish") {
        return answer;
    }
    let creation = fields.get("creation_id").cloned().unwrap_or_default();
    let media = {
        let mut containers = server.containers.lock().unwrap();
        let Some(container) = containers
            .iter_mut()
            .find(|c| c.id == creation && c.user == user && !c.carousel_item)
        else {
            return error(
                100,
                Some(2207008),
                "Invalid parameter",
                Some("Media builder not found."),
            );
        };
        if container.status_code != "FINISHED" {
            return error(
                9007,
                Some(2207027),
                "Media ID is not available",
                Some("The media is not ready for publishing, please wait for a moment"),
            );
        }
        container.status_code = "PUBLISHED".into();
        let id = server.next_id();
        // As Meta writes timestamps: `2026-12-04T08:15:00+0000`.
        let timestamp = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%z").to_string();
        PublishedMedia {
            permalink: format!("https://www.instagram.com/p/K{}/", &id[id.len() - 8..]),
            id,
            user: user.clone(),
            caption: container.caption.clone().unwrap_or_default(),
            timestamp,
            container: container.id.clone(),
            images: container.children.len().max(1),
        }
    };
    let id = media.id.clone();
    server.published.lock().unwrap().push(media);
    *server.quota_usage.lock().unwrap() += 1;
    server.held("media_publish").await;
    (StatusCode::OK, Json(json!({ "id": id })))
}

async fn list_media(
    State(server): State<InstagramServer>,
    Path(user): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Answer {
    server.record("list", &q);
    if !server.token_ok(&q) {
        return bad_token();
    }
    if let Some(answer) = server.scripted("list") {
        return answer;
    }
    if !server.media.lock().unwrap().is_empty() {
        return media_page(&server, &user, &q);
    }
    let published = server.published.lock().unwrap();
    let data: Vec<Value> = published
        .iter()
        .rev()
        .filter(|m| m.user == user)
        .take(25)
        .map(|m| json!({"id": m.id, "caption": m.caption, "timestamp": m.timestamp, "permalink": m.permalink}))
        .collect();
    (
        StatusCode::OK,
        Json(json!({"data": data, "paging": {"cursors": {"before": "QVFIUmJl", "after": "QVFIUmFm"}}})),
    )
}

/// Opaque cursors, as Graph API gives them: the index of a media in the list.
fn cursor(index: usize) -> String {
    format!("QVFIU{index:08x}")
}

fn uncursor(cursor: &str) -> Option<usize> {
    usize::from_str_radix(cursor.strip_prefix("QVFIU")?, 16).ok()
}

/// A page of the seeded media after the cursor.
fn media_page(server: &InstagramServer, user: &str, q: &HashMap<String, String>) -> Answer {
    if user != USER_ID {
        return unsupported_get();
    }
    let answered = server.calls_to("list").len() - 1;
    {
        let mut fail = server.fail_list.lock().unwrap();
        if let Some((pages, status, body)) = fail.clone()
            && answered >= pages
        {
            *fail = None;
            return (
                StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
                Json(body),
            );
        }
    }
    let limit: usize = q.get("limit").and_then(|l| l.parse().ok()).unwrap_or(25).clamp(1, 100);
    let start = match q.get("after") {
        Some(after) => match uncursor(after) {
            Some(i) => i + 1,
            None => return error(100, None, "Invalid parameter", Some("The cursor is not valid.")),
        },
        None => 0,
    };
    let media = server.media.lock().unwrap();
    let fields: Vec<&str> = q
        .get("fields")
        .map(|f| f.split(',').collect())
        .unwrap_or_else(|| vec!["id"]);
    let end = (start + limit).min(media.len());
    let data: Vec<Value> = media
        .get(start..end)
        .unwrap_or_default()
        .iter()
        .map(|m| {
            let timestamp = chrono::DateTime::from_timestamp(m.timestamp, 0)
                .unwrap()
                .format("%Y-%m-%dT%H:%M:%S%z")
                .to_string();
            let all = json!({
                "id": m.id, "caption": m.caption, "media_type": m.media_type,
                "media_product_type": m.product_type, "timestamp": timestamp,
                "permalink": format!("https://www.instagram.com/p/M{}/", m.id),
                "like_count": m.like_count, "comments_count": m.comments_count,
            });
            // Only the fields asked for, and always the id.
            let mut out = json!({"id": m.id});
            for f in &fields {
                if let Some(v) = all.get(*f) {
                    out[*f] = v.clone();
                }
            }
            out
        })
        .collect();
    let mut paging = json!({});
    if end > start {
        paging["cursors"] = json!({"before": cursor(start), "after": cursor(end - 1)});
    }
    if end < media.len() {
        paging["next"] = json!(format!(
            "{}/{user}/media?fields={}&limit={limit}&after={}",
            server.url,
            fields.join(","),
            cursor(end - 1)
        ));
    }
    (StatusCode::OK, Json(json!({"data": data, "paging": paging})))
}

async fn insights(
    State(server): State<InstagramServer>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Answer {
    server.record("insights", &q);
    if !server.token_ok(&q) {
        return bad_token();
    }
    if let Some(answer) = server.scripted("insights") {
        return answer;
    }
    let asked: Vec<String> = q
        .get("metric")
        .map(|m| m.split(',').map(str::to_owned).collect())
        .unwrap_or_default();
    if let Some(bad) = asked.iter().find(|m| !METRICS.contains(&m.as_str())) {
        return error(
            100,
            None,
            &format!(
                "(#100) metric[{}] must be one of the following values: {}",
                asked.iter().position(|m| m == bad).unwrap_or(0),
                METRICS.join(", ")
            ),
            None,
        );
    }
    let media = server.media.lock().unwrap();
    let Some(m) = media.iter().find(|m| m.id == id) else {
        return unsupported_get();
    };
    let data: Vec<Value> = match m.insights {
        None => vec![],
        Some(values) => asked
            .iter()
            .map(|name| {
                let i = METRICS.iter().position(|m| m == name).unwrap();
                json!({"name": name, "period": "lifetime", "values": [{"value": values[i]}],
                       "title": name, "description": name, "id": format!("{id}/insights/{name}/lifetime")})
            })
            .collect(),
    };
    (StatusCode::OK, Json(json!({ "data": data })))
}

async fn refresh_token(State(server): State<InstagramServer>, Query(q): Query<HashMap<String, String>>) -> Answer {
    server.record("refresh", &q);
    if !server.token_ok(&q) {
        return bad_token();
    }
    if q.get("grant_type").map(String::as_str) != Some("ig_refresh_token") {
        return error(100, None, "Unsupported grant_type", None);
    }
    let token = format!("IGAArefreshed-{}", server.next_id());
    server.refreshed.lock().unwrap().push(token.clone());
    (
        StatusCode::OK,
        Json(json!({"access_token": token, "token_type": "bearer", "expires_in": 5_184_000})),
    )
}
