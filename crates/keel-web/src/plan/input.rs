//! What the API and the forms send, checked into the store's types with errors that name the
//! field and the reason.

use crate::WebError;
use crate::auth::ProjectCtx;
use axum::extract::{FromRequest, Request};
use chrono::{DateTime, Utc};
use keel_domain::workflow::variants::parse_platforms;
use keel_domain::workflow::{Platform, Relation};
use keel_store::plan::comments::Resolution;
use keel_store::plan::posts::{PlanPost, PostDraft};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::collections::{BTreeMap, HashMap};

/// A JSON body where an empty body means "all defaults" (`POST …/approve` needs no body),
/// with rejections in Keel's error format.
pub struct ApiBody<T>(pub T);

impl<T: DeserializeOwned + Default, S: Send + Sync> FromRequest<S> for ApiBody<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|e| WebError::Malformed(format!("reading the body: {}", e.body_text())))?;
        if bytes.iter().all(u8::is_ascii_whitespace) || bytes.trim_ascii() == b"null" {
            return Ok(ApiBody(T::default()));
        }
        crate::json::require_object(&bytes)?;
        crate::text_guard::check_json(&bytes)?;
        serde_json::from_slice(&bytes)
            .map(ApiBody)
            .map_err(|e| WebError::Malformed(format!("invalid JSON body: {e}")))
    }
}

/// The caller's relation to a post, from the access the guard resolved.
pub fn relation(ctx: &ProjectCtx, post: &PlanPost) -> Relation {
    ctx.relation(post)
}

pub fn comment_id(params: &HashMap<String, String>) -> Result<i64, WebError> {
    let raw = params.get("comment").map(String::as_str).unwrap_or("");
    raw.parse()
        .map_err(|_| WebError::Malformed(format!("path: `{raw}` is not a comment id")))
}

fn variants(map: BTreeMap<String, String>) -> Result<BTreeMap<Platform, String>, WebError> {
    map.into_iter()
        .map(|(name, text)| {
            let platform = Platform::parse(&name).ok_or_else(|| {
                WebError::invalid(
                    format!(
                        "field `variants`: unknown platform `{name}`; expected vk, telegram, instagram or facebook"
                    ),
                    format!(
                        "поле `variants`: неизвестная площадка `{name}`; возможны vk, telegram, instagram или facebook"
                    ),
                )
            })?;
            Ok((platform, text))
        })
        // A blank variant means "use the main text".
        .filter(|v| v.as_ref().map_or(true, |(_, t)| !t.trim().is_empty()))
        .collect()
}

fn platforms(names: &[String]) -> Result<Vec<Platform>, WebError> {
    parse_platforms(names).map_err(|e| {
        WebError::invalid(
            format!("field `platforms`: {e}"),
            "поле `platforms`: неизвестная площадка — возможны vk, telegram, instagram или facebook",
        )
    })
}

/// A new draft post.
#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPostJson {
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    #[schema(value_type = Vec<crate::openapi::PlatformName>)]
    pub platforms: Vec<String>,
    pub scheduled_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub urgent: bool,
    #[serde(default)]
    pub rubric: String,
    /// Text per platform where it differs from `text` (keys: vk, telegram, instagram,
    /// facebook).
    #[serde(default)]
    pub variants: BTreeMap<String, String>,
}

impl NewPostJson {
    pub fn into_draft(self) -> Result<PostDraft, WebError> {
        Ok(PostDraft {
            platforms: platforms(&self.platforms)?,
            variants: variants(self.variants)?,
            text: self.text,
            rubric: self.rubric,
            scheduled_at: self.scheduled_at,
            urgent: self.urgent,
        })
    }
}

/// A partial edit: fields left out keep their value; `"scheduled_at": null` clears the date.
#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditJson {
    pub text: Option<String>,
    #[schema(value_type = Option<Vec<crate::openapi::PlatformName>>)]
    pub platforms: Option<Vec<String>>,
    /// A new date, or `null` to clear it.
    #[serde(default, with = "double_option")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub scheduled_at: Option<Option<DateTime<Utc>>>,
    pub urgent: Option<bool>,
    pub rubric: Option<String>,
    pub variants: Option<BTreeMap<String, String>>,
}

impl EditJson {
    pub fn merged_with(self, post: &PlanPost, current: &[(Platform, String)]) -> Result<PostDraft, WebError> {
        Ok(PostDraft {
            text: self.text.unwrap_or_else(|| post.text.clone()),
            rubric: self.rubric.unwrap_or_else(|| post.rubric.clone()),
            platforms: match self.platforms {
                Some(names) => platforms(&names)?,
                None => post.platforms(),
            },
            scheduled_at: self.scheduled_at.unwrap_or(post.scheduled_at),
            urgent: self.urgent.unwrap_or(post.urgent),
            variants: match self.variants {
                Some(map) => variants(map)?,
                None => current.iter().cloned().collect(),
            },
        })
    }
}

mod double_option {
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de>,
    {
        Option::<T>::deserialize(d).map(Some)
    }
}

/// What a workflow action may carry (an empty body is fine).
#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionJson {
    /// Required to request changes.
    pub comment: Option<String>,
    /// For `schedule`: the date to publish (else the post's own).
    pub scheduled_at: Option<DateTime<Utc>>,
}

/// The agency's answer to a suggestion.
#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolveJson {
    /// `accepted` or `declined`.
    #[serde(default)]
    #[schema(required, value_type = crate::openapi::Resolution)]
    pub resolution: String,
    /// Required when declined.
    pub reason: Option<String>,
}

impl ResolveJson {
    pub fn resolution(self) -> Result<Resolution, WebError> {
        match self.resolution.as_str() {
            "accepted" => Ok(Resolution::Accepted),
            "declined" => Ok(Resolution::Declined {
                reason: self.reason.unwrap_or_default(),
            }),
            other => Err(WebError::invalid(
                format!("field `resolution`: expected `accepted` or `declined`, not `{other}`"),
                format!("поле `resolution`: нужно `accepted` или `declined`, а не `{other}`"),
            )),
        }
    }
}
