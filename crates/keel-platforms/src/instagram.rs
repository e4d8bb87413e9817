//! The Instagram Graph API with Instagram Login (`https://graph.instagram.com`).
//!
//! To check a connection: the account behind the token (`GET /me?fields=user_id,username`) and
//! its publishing quota (`GET /{ig-user-id}/content_publishing_limit?fields=quota_usage,config`).
//!
//! To publish (Meta's "Content Publishing" guide): `POST /{ig-user-id}/media` with `image_url`
//! (Meta downloads the image from it; JPEG only) and `caption` makes a media container
//! (`{"id"}`); a carousel's images are containers with `is_carousel_item=true`, then one
//! container with `media_type=CAROUSEL`, `children` (their ids, comma-separated) and the
//! caption. `GET /{container-id}?fields=status_code,status` tells when it is ready:
//! `IN_PROGRESS`, `FINISHED`, `ERROR` (with the reason in `status`), `EXPIRED` (not published
//! within 24 hours) or `PUBLISHED`. `POST /{ig-user-id}/media_publish` with `creation_id`
//! publishes a finished container once (`{"id"}` of the media); the media's `permalink` is
//! read with `GET /{media-id}?fields=permalink`; the account's recent media with
//! `GET /{ig-user-id}/media?fields=id,caption,timestamp,permalink`.
//!
//! To pull statistics: `GET /{ig-user-id}/media?fields=…&limit=…` pages, newest first,
//! `{"data": [media…], "paging": {"cursors": {"before", "after"}, "next"}}` — `next` only
//! when there is a further page, which `after=<cursor>` asks for; each media's
//! `GET /{media-id}/insights?metric=views,reach,likes,comments,shares,saved` (`impressions`
//! is gone since v22; `{"data": []}` when Instagram has no insights for a media, and code 10
//! subcode 2108006 for media posted before the account became a professional one — both are
//! no data); the account's `GET /{ig-user-id}?fields=followers_count`. A long-lived token
//! (60 days) is refreshed with `GET /refresh_access_token?grant_type=ig_refresh_token`
//! (`{"access_token", "token_type", "expires_in"}`; only once it is 24 hours old).
//!
//! Errors are the Graph API's (`crate::graph`); code 190 (`OAuthException`) is an invalid,
//! expired or revoked token; 4, 17, 32 and 613 are rate limits; -1 and -2 (and anything marked
//! `is_transient`) are passing server trouble; 9004 (subcode 2207052) is an image Meta could not
//! download.

use crate::graph::{self, GraphApi, GraphError};
use crate::http::HttpClient;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::time::Duration;

pub const DEFAULT_API_URL: &str = "https://graph.instagram.com";

/// Errors of the Instagram Graph API (see [`crate::graph`]).
pub type InstagramError = GraphError;

/// The account behind the token.
#[derive(Debug, Clone, Deserialize)]
pub struct Me {
    /// The app-scoped id.
    #[serde(default)]
    pub id: Option<String>,
    /// The Instagram professional account's id (what `/{ig-user-id}/…` takes).
    #[serde(default)]
    pub user_id: Option<String>,
    #[serde(default)]
    pub username: Option<String>,
}

/// How much of the 24-hour publishing quota is used.
#[derive(Debug, Clone, Deserialize)]
pub struct PublishingLimit {
    #[serde(default)]
    pub quota_usage: i64,
    #[serde(default)]
    pub config: Option<QuotaConfig>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct QuotaConfig {
    pub quota_total: i64,
    #[serde(default)]
    pub quota_duration: i64,
}

#[derive(Deserialize)]
struct Data<T> {
    data: Vec<T>,
}

/// Something made on Instagram (a container, a media): its id.
#[derive(Debug, Clone, Deserialize)]
pub struct Created {
    pub id: String,
}

/// Where a media container stands.
#[derive(Debug, Clone, Deserialize)]
pub struct ContainerStatus {
    /// `IN_PROGRESS`, `FINISHED`, `ERROR`, `EXPIRED` or `PUBLISHED`.
    #[serde(default)]
    pub status_code: String,
    /// With `ERROR`, Meta's reason.
    #[serde(default)]
    pub status: Option<String>,
}

/// One of the account's media, as listed by `/{ig-user-id}/media`.
#[derive(Debug, Clone, Deserialize)]
pub struct Media {
    pub id: String,
    #[serde(default)]
    pub caption: Option<String>,
    /// ISO 8601 with an offset without a colon (`2026-12-04T08:15:00+0000`).
    #[serde(default)]
    pub timestamp: Option<String>,
    #[serde(default)]
    pub permalink: Option<String>,
}

impl Media {
    /// When it was published, if the timestamp reads.
    pub fn published_at(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        let t = self.timestamp.as_deref()?;
        chrono::DateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%z")
            .or_else(|_| chrono::DateTime::parse_from_rfc3339(t))
            .ok()
            .map(|d| d.with_timezone(&chrono::Utc))
    }
}

/// The fields a pull asks of each media (`owner` not needed: the connection names the account).
pub const MEDIA_FIELDS: &str = "id,caption,media_type,media_product_type,timestamp,permalink,like_count,comments_count";
/// The insights a pull asks of each media.
pub const MEDIA_METRICS: &str = "views,reach,likes,comments,shares,saved";
/// Media a page.
pub const MEDIA_PAGE: u32 = 50;

/// A page of the account's media as Instagram answered it (what the `instagram-media` format
/// reads), with the media read and the cursor of the next page, if any.
#[derive(Debug, Clone)]
pub struct MediaPage {
    pub page: serde_json::Value,
    pub media: Vec<Media>,
    pub after: Option<String>,
}

#[derive(Deserialize)]
struct Paging {
    #[serde(default)]
    cursors: Option<Cursors>,
    #[serde(default)]
    next: Option<String>,
}

#[derive(Deserialize)]
struct Cursors {
    #[serde(default)]
    after: Option<String>,
}

#[derive(Deserialize)]
struct PageShape {
    data: Vec<Media>,
    #[serde(default)]
    paging: Option<Paging>,
}

/// A refreshed long-lived token and how long it lives.
#[derive(Debug, Clone, Deserialize)]
pub struct RefreshedToken {
    pub access_token: String,
    /// Seconds from now.
    pub expires_in: i64,
}

#[derive(Deserialize)]
struct Followers {
    #[serde(default)]
    followers_count: Option<i64>,
}

#[derive(Deserialize)]
struct Permalink {
    #[serde(default)]
    permalink: Option<String>,
}

/// A client for one access token; cheap to clone.
#[derive(Clone)]
pub struct InstagramApi {
    http: HttpClient,
    base: String,
    token: String,
    timeout: Duration,
}

impl std::fmt::Debug for InstagramApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InstagramApi")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

impl InstagramApi {
    pub fn new(api_url: &str, token: &str) -> InstagramApi {
        InstagramApi {
            http: HttpClient::new(),
            base: api_url.trim_end_matches('/').to_owned(),
            token: token.to_owned(),
            timeout: Duration::from_secs(30),
        }
    }

    pub fn with_timeout(mut self, timeout: Duration) -> InstagramApi {
        self.timeout = timeout;
        self
    }

    /// The same client with another token (a refreshed one).
    pub fn with_token(mut self, token: &str) -> InstagramApi {
        self.token = token.to_owned();
        self
    }

    async fn get<T: DeserializeOwned>(
        &self,
        what: &'static str,
        path: &str,
        fields: &str,
    ) -> Result<T, InstagramError> {
        self.get_with(what, path, &[("fields", fields)]).await
    }

    /// GETs `path` with `pairs` and the token.
    async fn get_with<T: DeserializeOwned>(
        &self,
        what: &'static str,
        path: &str,
        pairs: &[(&str, &str)],
    ) -> Result<T, InstagramError> {
        // The serializer is not `Sync`: it must be gone before the call is awaited.
        let query = {
            let mut query = url::form_urlencoded::Serializer::new(String::new());
            for (k, v) in pairs {
                query.append_pair(k, v);
            }
            query.append_pair("access_token", &self.token).finish()
        };
        let url = format!("{}/{path}?{query}", self.base);
        let (status, bytes) = self
            .http
            .get(&url, self.timeout)
            .await
            .map_err(|e| GraphError::Transport {
                api: GraphApi::Instagram,
                what,
                detail: e.to_string(),
            })?;
        decode(what, status, &bytes)
    }

    /// POSTs form fields (the token among them) to `path`.
    async fn post<T: DeserializeOwned>(
        &self,
        what: &'static str,
        path: &str,
        fields: &[(&str, String)],
    ) -> Result<T, InstagramError> {
        let mut pairs: Vec<(&str, String)> = fields.to_vec();
        pairs.push(("access_token", self.token.clone()));
        let url = format!("{}/{path}", self.base);
        let (status, bytes) = self
            .http
            .post(
                &url,
                "application/x-www-form-urlencoded",
                crate::http::form_body(&pairs),
                self.timeout,
            )
            .await
            .map_err(|e| GraphError::Transport {
                api: GraphApi::Instagram,
                what,
                detail: e.to_string(),
            })?;
        decode(what, status, &bytes)
    }

    pub async fn me(&self) -> Result<Me, InstagramError> {
        self.get("me", "me", "user_id,username").await
    }

    pub async fn content_publishing_limit(&self, user_id: &str) -> Result<PublishingLimit, InstagramError> {
        let limits: Data<PublishingLimit> = self
            .get(
                "content_publishing_limit",
                &format!("{user_id}/content_publishing_limit"),
                "quota_usage,config",
            )
            .await?;
        limits.data.into_iter().next().ok_or(GraphError::Decode {
            api: GraphApi::Instagram,
            what: "content_publishing_limit",
            detail: "no data".into(),
        })
    }

    /// A container for one image Meta downloads from `image_url`: alone with its `caption`,
    /// or as an item of a carousel (no caption of its own).
    pub async fn create_image_container(
        &self,
        user_id: &str,
        image_url: &str,
        caption: Option<&str>,
        carousel_item: bool,
    ) -> Result<String, InstagramError> {
        let mut fields = vec![("image_url", image_url.to_owned())];
        if let Some(caption) = caption {
            fields.push(("caption", caption.to_owned()));
        }
        if carousel_item {
            fields.push(("is_carousel_item", "true".to_owned()));
        }
        let created: Created = self.post("media", &format!("{user_id}/media"), &fields).await?;
        Ok(created.id)
    }

    /// A carousel container of `children` (finished image containers) with the caption.
    pub async fn create_carousel_container(
        &self,
        user_id: &str,
        children: &[String],
        caption: &str,
    ) -> Result<String, InstagramError> {
        let fields = [
            ("media_type", "CAROUSEL".to_owned()),
            ("children", children.join(",")),
            ("caption", caption.to_owned()),
        ];
        let created: Created = self.post("media", &format!("{user_id}/media"), &fields).await?;
        Ok(created.id)
    }

    pub async fn container_status(&self, container_id: &str) -> Result<ContainerStatus, InstagramError> {
        self.get("container status", container_id, "status_code,status").await
    }

    /// Publishes a finished container; the media's id.
    pub async fn media_publish(&self, user_id: &str, container_id: &str) -> Result<String, InstagramError> {
        let fields = [("creation_id", container_id.to_owned())];
        let created: Created = self
            .post("media_publish", &format!("{user_id}/media_publish"), &fields)
            .await?;
        Ok(created.id)
    }

    pub async fn permalink(&self, media_id: &str) -> Result<Option<String>, InstagramError> {
        let p: Permalink = self.get("permalink", media_id, "permalink").await?;
        Ok(p.permalink)
    }

    /// The account's most recent media, newest first (the API's first page).
    pub async fn recent_media(&self, user_id: &str) -> Result<Vec<Media>, InstagramError> {
        let media: Data<Media> = self
            .get(
                "recent media",
                &format!("{user_id}/media"),
                "id,caption,timestamp,permalink",
            )
            .await?;
        Ok(media.data)
    }
}

impl InstagramApi {
    /// A page of the account's media, newest first: the first without `after`, the next with
    /// the cursor the previous page gave.
    pub async fn media_page(&self, user_id: &str, after: Option<&str>) -> Result<MediaPage, InstagramError> {
        let limit = MEDIA_PAGE.to_string();
        let mut pairs = vec![("fields", MEDIA_FIELDS), ("limit", limit.as_str())];
        if let Some(after) = after {
            pairs.push(("after", after));
        }
        let page: serde_json::Value = self.get_with("media", &format!("{user_id}/media"), &pairs).await?;
        let shape: PageShape = serde_json::from_value(page.clone()).map_err(|e| GraphError::Decode {
            api: GraphApi::Instagram,
            what: "media",
            detail: e.to_string(),
        })?;
        // `next` is there only when a further page is; its cursor is `after`.
        let after = shape
            .paging
            .filter(|p| p.next.is_some())
            .and_then(|p| p.cursors)
            .and_then(|c| c.after);
        Ok(MediaPage {
            page,
            media: shape.data,
            after,
        })
    }

    /// A media's insights answer as Instagram gave it (`{"data": [...]}`); media Instagram
    /// keeps no insights for (posted before the account turned professional) answer
    /// `{"data": []}` too: no data.
    pub async fn media_insights(&self, media_id: &str) -> Result<serde_json::Value, InstagramError> {
        let answer = self
            .get_with(
                "insights",
                &format!("{media_id}/insights"),
                &[("metric", MEDIA_METRICS)],
            )
            .await;
        match answer {
            Err(GraphError::Api {
                subcode: Some(2108006), ..
            }) => Ok(serde_json::json!({ "data": [] })),
            other => other,
        }
    }

    /// The account's followers now.
    pub async fn followers_count(&self, user_id: &str) -> Result<Option<i64>, InstagramError> {
        let f: Followers = self.get("followers_count", user_id, "followers_count").await?;
        Ok(f.followers_count)
    }

    /// A new long-lived token for this one (which must be at least 24 hours old and valid).
    pub async fn refresh_token(&self) -> Result<RefreshedToken, InstagramError> {
        self.get_with(
            "refresh_access_token",
            "refresh_access_token",
            &[("grant_type", "ig_refresh_token")],
        )
        .await
    }
}

fn decode<T: DeserializeOwned>(what: &'static str, status: hyper::StatusCode, bytes: &[u8]) -> Result<T, GraphError> {
    graph::decode(GraphApi::Instagram, what, status, bytes)
}
