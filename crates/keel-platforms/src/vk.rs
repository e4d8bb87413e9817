//! The VK API (<https://dev.vk.com/ru/reference>, version [`API_VERSION`]): the methods Keel
//! needs to check a community connection and publish to its wall. Every method is a POST of
//! form fields to `{api_url}/{method}` with the token and `v` in the body (never in the URL,
//! which may reach logs). VK answers errors with HTTP 200 and `{"error": {"error_code", "error_msg"}}`
//! (`base_error` in the API schema); success is `{"response": …}`.
//!
//! Publishing to a community wall with photos is four calls: `photos.getWallUploadServer`
//! (`group_id`) → a multipart POST of the file (field `photo`) to its `upload_url`, which answers
//! `{server, photo, hash}` → `photos.saveWallPhoto` (`group_id`, `server`, `photo`, `hash`) →
//! `wall.post` (`owner_id=-group_id`, `from_group=1`, `attachments=photo{owner_id}_{id}`, and a
//! `guid`, VK's own guard against the same post being sent twice).

use crate::failure::{Failure, PlatformError};
use crate::http::{HttpClient, Multipart, form_body};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::time::Duration;

/// The public API.
pub const DEFAULT_API_URL: &str = "https://api.vk.com/method";
/// The API version Keel speaks (`groups.getById` answers `{groups, profiles}` since 5.139).
pub const API_VERSION: &str = "5.199";

/// A user access token. `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(pub String);

impl std::fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AccessToken(***)")
    }
}

impl AccessToken {
    /// Tokens issued by VK ID (`vk2.a.…`) cannot post to walls: VK answers `wall.post` with
    /// error 1051 (reported in publishing tools' trackers; not in the published error list).
    pub fn is_vk_id_token(&self) -> bool {
        self.0.trim().starts_with("vk2.a.")
    }
}

/// Error codes Keel acts on (the API schema's `errors.json`, and 1051 as seen in the wild).
pub mod codes {
    /// User authorization failed: the token is invalid, expired or revoked.
    pub const AUTH: i64 = 5;
    /// Too many requests per second.
    pub const TOO_MANY: i64 = 6;
    /// Flood control: too many of the same action.
    pub const FLOOD: i64 = 9;
    /// Captcha needed.
    pub const CAPTCHA: i64 = 14;
    /// Access denied.
    pub const ACCESS: i64 = 15;
    /// Group authorization failed (a community token where a user token is needed, or revoked).
    pub const GROUP_AUTH: i64 = 27;
    /// Rate limit reached for this method.
    pub const RATE_LIMIT: i64 = 29;
    /// One of the parameters is missing or invalid.
    pub const PARAM: i64 = 100;
    /// Access to the community denied.
    pub const ACCESS_GROUP: i64 = 203;
    /// Access to adding a post denied.
    pub const WALL_ADD_POST: i64 = 214;
    /// The token's kind may not call this method (a VK ID token on `wall.post`).
    pub const TOKEN_KIND: i64 = 1051;
}

#[derive(Debug, thiserror::Error)]
pub enum VkError {
    /// The API answered `{"error": …}`.
    #[error("VK {method}: error {code}: {message}")]
    Api {
        method: &'static str,
        code: i64,
        message: String,
    },
    /// No (whole) answer: network, timeout. Whether a write took effect is unknown.
    #[error("VK {method}: {detail}")]
    Transport { method: &'static str, detail: String },
    /// The answer was not the documented shape (an HTTP error page, a 5xx, a changed API).
    #[error("VK {method}: unexpected answer: {detail}")]
    Decode { method: &'static str, detail: String },
}

impl VkError {
    pub fn code(&self) -> Option<i64> {
        match self {
            VkError::Api { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// Whether the request may have reached VK and taken effect (no answer, or an unreadable
    /// one): a write that ends so must be reconciled, not repeated blindly.
    pub fn outcome_unknown(&self) -> bool {
        matches!(self, VkError::Transport { .. } | VkError::Decode { .. })
    }
}

impl PlatformError for VkError {
    /// 6, 9 and 29 wait; 5, 27 and 1051 need a person to reconnect (another token); 14
    /// (captcha) cannot be answered by a server and is a refusal; other errors refuse this
    /// request; no answer or an undocumented one means VK is not reachable as documented.
    fn failure(&self) -> Failure {
        match self {
            VkError::Api { code, message, .. } => match *code {
                codes::TOO_MANY | codes::FLOOD | codes::RATE_LIMIT => Failure::RetryLater { after: None },
                codes::AUTH | codes::GROUP_AUTH | codes::TOKEN_KIND => Failure::Reconnect,
                // 1: unknown error, 10: internal server error.
                1 | 10 => Failure::PlatformDown,
                _ => Failure::Rejected {
                    reason: message.clone(),
                },
            },
            VkError::Transport { .. } | VkError::Decode { .. } => Failure::PlatformDown,
        }
    }
}

/// A community, as `groups.getById` gives it (fields of `groups_group_full`).
#[derive(Debug, Clone, Deserialize)]
pub struct Group {
    pub id: i64,
    pub name: String,
    #[serde(default)]
    pub screen_name: Option<String>,
    /// Whether the token's user administers the community (0/1).
    #[serde(default)]
    pub is_admin: Option<i64>,
    /// 1 moderator, 2 editor, 3 administrator: editors and administrators may post as the
    /// community.
    #[serde(default)]
    pub admin_level: Option<i64>,
    /// Present when the community is deleted or banned.
    #[serde(default)]
    pub deactivated: Option<String>,
    /// The number of members (followers), when asked for with `fields=members_count`.
    #[serde(default)]
    pub members_count: Option<i64>,
}

impl Group {
    pub fn may_post_as_community(&self) -> bool {
        self.is_admin == Some(1) && self.admin_level.unwrap_or(0) >= 2
    }
}

#[derive(Debug, Deserialize)]
struct GroupsById {
    groups: Vec<Group>,
}

#[derive(Debug, Deserialize)]
struct UploadServer {
    upload_url: String,
}

/// What the upload server answers for a photo (to hand to `photos.saveWallPhoto`).
#[derive(Debug, Clone, Deserialize)]
pub struct UploadedPhoto {
    pub server: i64,
    pub photo: String,
    pub hash: String,
}

/// A saved photo (`photos_photo`): attached as `photo{owner_id}_{id}`.
#[derive(Debug, Clone, Deserialize)]
pub struct Photo {
    pub id: i64,
    pub owner_id: i64,
}

impl Photo {
    pub fn attachment(&self) -> String {
        format!("photo{}_{}", self.owner_id, self.id)
    }
}

#[derive(Debug, Deserialize)]
struct PostId {
    post_id: i64,
}

/// A post on a wall (`wall_wall_item`; the fields Keel reads).
#[derive(Debug, Clone, Deserialize)]
pub struct WallItem {
    pub id: i64,
    #[serde(default)]
    pub text: String,
    /// Unix time.
    #[serde(default)]
    pub date: i64,
}

#[derive(Debug, Deserialize)]
struct WallGet {
    items: Vec<WallItem>,
}

/// One page of a wall as VK answers `wall.get`: the wall's total `count` and the page's items
/// exactly as they came (the pull hands them to the `vk-wall` format unchanged).
#[derive(Debug, Clone, Deserialize)]
pub struct WallPage {
    pub count: i64,
    pub items: Vec<serde_json::Value>,
}

/// The most posts `wall.get` gives in one call.
pub const WALL_PAGE: u32 = 100;
/// The most posts `stats.getPostReach` takes in one call (`post_ids`, `maxItems` 30).
pub const REACH_BATCH: usize = 30;

#[derive(Deserialize)]
struct Envelope<T> {
    response: Option<T>,
    error: Option<ApiError>,
}

#[derive(Deserialize)]
struct ApiError {
    error_code: i64,
    #[serde(default)]
    error_msg: String,
}

/// The public address of a community post.
pub fn post_url(group_id: i64, post_id: i64) -> String {
    format!("https://vk.com/wall-{group_id}_{post_id}")
}

/// A VK API client for one token; cheap to clone.
#[derive(Clone)]
pub struct VkApi {
    http: HttpClient,
    base: String,
    token: AccessToken,
    timeout: Duration,
}

impl std::fmt::Debug for VkApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VkApi")
            .field("base", &self.base)
            .field("token", &self.token)
            .finish()
    }
}

impl VkApi {
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

    pub fn new(api_url: &str, token: AccessToken) -> VkApi {
        VkApi {
            http: HttpClient::new(),
            base: api_url.trim_end_matches('/').to_owned(),
            token,
            timeout: Self::DEFAULT_TIMEOUT,
        }
    }

    pub fn with_timeout(mut self, timeout: Duration) -> VkApi {
        self.timeout = timeout;
        self
    }

    async fn call<T: DeserializeOwned>(&self, method: &'static str, params: &[(&str, String)]) -> Result<T, VkError> {
        let mut pairs: Vec<(&str, String)> = params.to_vec();
        pairs.push(("access_token", self.token.0.clone()));
        pairs.push(("v", API_VERSION.to_owned()));
        let url = format!("{}/{method}", self.base);
        let (status, bytes) = self
            .http
            .post(
                &url,
                "application/x-www-form-urlencoded",
                form_body(&pairs),
                self.timeout,
            )
            .await
            .map_err(|e| VkError::Transport {
                method,
                detail: e.to_string(),
            })?;
        let envelope: Envelope<T> = serde_json::from_slice(&bytes).map_err(|e| VkError::Decode {
            method,
            detail: format!("HTTP {status}: {e}"),
        })?;
        match (envelope.response, envelope.error) {
            (_, Some(error)) => Err(VkError::Api {
                method,
                code: error.error_code,
                message: error.error_msg,
            }),
            (Some(response), None) => Ok(response),
            (None, None) => Err(VkError::Decode {
                method,
                detail: format!("HTTP {status}: neither response nor error"),
            }),
        }
    }

    /// The community `group_id` (a number or a short name), with the token user's admin level.
    pub async fn groups_get_by_id(&self, group_id: &str) -> Result<Group, VkError> {
        let found: GroupsById = self
            .call(
                "groups.getById",
                &[
                    ("group_id", group_id.to_owned()),
                    ("fields", "is_admin,admin_level,members_count".into()),
                ],
            )
            .await?;
        found.groups.into_iter().next().ok_or(VkError::Api {
            method: "groups.getById",
            code: codes::PARAM,
            message: "no such community".into(),
        })
    }

    pub async fn photos_get_wall_upload_server(&self, group_id: i64) -> Result<String, VkError> {
        let server: UploadServer = self
            .call("photos.getWallUploadServer", &[("group_id", group_id.to_string())])
            .await?;
        Ok(server.upload_url)
    }

    /// Uploads one image to the address `photos.getWallUploadServer` gave (field `photo`).
    pub async fn upload_photo(
        &self,
        upload_url: &str,
        file_name: &str,
        content_type: &str,
        bytes: &[u8],
    ) -> Result<UploadedPhoto, VkError> {
        const METHOD: &str = "photo upload";
        let (content, body) = Multipart::new().file("photo", file_name, content_type, bytes).finish();
        let (status, answer) = self
            .http
            .post(upload_url, &content, body, self.timeout)
            .await
            .map_err(|e| VkError::Transport {
                method: METHOD,
                detail: e.to_string(),
            })?;
        if let Ok(Envelope::<serde_json::Value> { error: Some(error), .. }) = serde_json::from_slice(&answer) {
            return Err(VkError::Api {
                method: METHOD,
                code: error.error_code,
                message: error.error_msg,
            });
        }
        let uploaded: UploadedPhoto = serde_json::from_slice(&answer).map_err(|e| VkError::Decode {
            method: METHOD,
            detail: format!("HTTP {status}: {e}"),
        })?;
        // The upload server answers `photo: "[]"` when it did not accept the file.
        if uploaded.photo.trim() == "[]" || uploaded.photo.is_empty() {
            return Err(VkError::Api {
                method: METHOD,
                code: codes::PARAM,
                message: "the upload server did not accept the image".into(),
            });
        }
        Ok(uploaded)
    }

    pub async fn photos_save_wall_photo(&self, group_id: i64, uploaded: &UploadedPhoto) -> Result<Vec<Photo>, VkError> {
        self.call(
            "photos.saveWallPhoto",
            &[
                ("group_id", group_id.to_string()),
                ("server", uploaded.server.to_string()),
                ("photo", uploaded.photo.clone()),
                ("hash", uploaded.hash.clone()),
            ],
        )
        .await
    }

    /// Posts to the community's wall as the community; returns the post's id.
    pub async fn wall_post(
        &self,
        group_id: i64,
        message: &str,
        attachments: &[String],
        guid: &str,
    ) -> Result<i64, VkError> {
        let mut params = vec![
            ("owner_id", format!("-{group_id}")),
            ("from_group", "1".to_owned()),
            ("message", message.to_owned()),
            ("guid", guid.to_owned()),
        ];
        if !attachments.is_empty() {
            params.push(("attachments", attachments.join(",")));
        }
        let posted: PostId = self.call("wall.post", &params).await?;
        Ok(posted.post_id)
    }

    /// The community wall's latest `count` posts, newest first.
    pub async fn wall_get(&self, group_id: i64, count: u32) -> Result<Vec<WallItem>, VkError> {
        let wall: WallGet = self
            .call(
                "wall.get",
                &[
                    ("owner_id", format!("-{group_id}")),
                    ("count", count.to_string()),
                    ("filter", "owner".into()),
                ],
            )
            .await?;
        Ok(wall.items)
    }

    /// One page of the community wall's own posts, newest first: `count` (at most
    /// [`WALL_PAGE`]) from `offset`.
    pub async fn wall_get_page(&self, group_id: i64, offset: u32, count: u32) -> Result<WallPage, VkError> {
        self.call(
            "wall.get",
            &[
                ("owner_id", format!("-{group_id}")),
                ("offset", offset.to_string()),
                ("count", count.min(WALL_PAGE).to_string()),
                ("filter", "owner".into()),
            ],
        )
        .await
    }

    /// The reach of up to [`REACH_BATCH`] of the community's posts (`stats.getPostReach`,
    /// `stats_wallpost_stat` objects as they came, each with its `post_id`). Needs the `stats`
    /// right and an administrator's token.
    pub async fn stats_get_post_reach(
        &self,
        group_id: i64,
        post_ids: &[i64],
    ) -> Result<Vec<serde_json::Value>, VkError> {
        let ids: Vec<String> = post_ids.iter().take(REACH_BATCH).map(i64::to_string).collect();
        self.call(
            "stats.getPostReach",
            &[("owner_id", format!("-{group_id}")), ("post_ids", ids.join(","))],
        )
        .await
    }
}
