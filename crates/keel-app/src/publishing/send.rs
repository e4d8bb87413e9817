//! One platform's publication of a post: the calls, and what their end means.
//!
//! Every sender distinguishes a call that certainly did not publish (the platform answered with
//! an error, or an earlier step such as a photo upload failed) from one that may have: no answer
//! to the publishing call itself. The first is retried or failed; the second is
//! [`Outcome::Unknown`], never sent again blindly (VK and Instagram are reconciled: see
//! [`reconcile_vk`] and [`reconcile_instagram`]).

use super::Platforms;
use super::words::Reason;
use keel_domain::workflow::variants::Platform;
use keel_platforms::instagram::{InstagramApi, InstagramError};
use keel_platforms::telegram::{BotToken, TelegramApi, TelegramError, Upload, escape_html, message_url};
use keel_platforms::vk::{self, AccessToken, VkApi, VkError};
use keel_platforms::{Failure, PlatformError};
use keel_store::plan::publications::Outcome;

/// The most a whole publication (uploads included) may take before its outcome is treated as
/// unknown. A claim older than [`STALE_AFTER`] was abandoned (its instance died).
pub const SEND_DEADLINE: std::time::Duration = std::time::Duration::from_secs(240);
pub const STALE_AFTER: chrono::Duration = chrono::Duration::minutes(5);

/// What is published: the platform's text and the post's images.
pub struct Content {
    pub post_id: i64,
    pub text: String,
    pub images: Vec<Image>,
}

pub struct Image {
    pub file_name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// What publishing a platform needs of its connection.
pub struct Target<'a> {
    pub account: &'a str,
    /// The opened credentials (JSON).
    pub secret: &'a serde_json::Value,
}

/// How a send ended, and whether the connection needs reconnecting.
pub struct Sent {
    pub outcome: Outcome,
    pub reconnect: bool,
    /// Seconds the platform asked to wait before trying again.
    pub retry_after: Option<std::time::Duration>,
}

impl Sent {
    fn done(outcome: Outcome) -> Sent {
        Sent {
            outcome,
            reconnect: false,
            retry_after: None,
        }
    }
}

fn outcome(reason: Reason, kind: fn(String, String) -> Outcome) -> Outcome {
    kind(reason.key().to_owned(), reason.english())
}

fn failed(reason: Reason) -> Outcome {
    outcome(reason, |key, reason| Outcome::Failed { key, reason })
}

fn retry(reason: Reason) -> Outcome {
    outcome(reason, |key, reason| Outcome::Retry { key, reason })
}

fn unknown(reason: Reason) -> Outcome {
    outcome(reason, |key, reason| Outcome::Unknown { key, reason })
}

/// What a platform error means for a publication. `published_maybe`: the failed call was the
/// one that publishes, so no answer means the outcome is unknown.
fn judge(
    platform: Platform,
    failure: Failure,
    detail: String,
    published_maybe: bool,
    reconnect_reason: Reason,
) -> Sent {
    match failure {
        Failure::RetryLater { after } => Sent {
            outcome: retry(Reason::RateLimited(platform, detail)),
            reconnect: false,
            retry_after: after,
        },
        Failure::Reconnect => Sent {
            outcome: failed(reconnect_reason),
            reconnect: true,
            retry_after: None,
        },
        Failure::Rejected { reason } => Sent::done(failed(Reason::Rejected(platform, reason))),
        Failure::PlatformDown if published_maybe => Sent::done(unknown(Reason::OutcomeUnknown(platform, detail))),
        Failure::PlatformDown => Sent::done(retry(Reason::Unreachable(platform, detail))),
    }
}

/// The guid VK deduplicates wall posts on: one per post and platform.
pub fn vk_guid(post_id: i64) -> String {
    format!("keel-post-{post_id}-vk")
}

fn vk_target(target: &Target<'_>) -> Result<(i64, AccessToken), Sent> {
    let group: Option<i64> = target.account.trim().parse().ok();
    let token = target.secret.get("access_token").and_then(|t| t.as_str());
    match (group, token) {
        (Some(group), Some(token)) => Ok((group, AccessToken(token.to_owned()))),
        _ => Err(Sent {
            outcome: failed(Reason::TokenRejected(Platform::Vk)),
            reconnect: true,
            retry_after: None,
        }),
    }
}

fn vk_reason(error: &VkError) -> Reason {
    if error.code() == Some(vk::codes::TOKEN_KIND) {
        Reason::VkIdToken
    } else {
        Reason::TokenRejected(Platform::Vk)
    }
}

/// VK: photos uploaded one by one (`photos.getWallUploadServer` → upload →
/// `photos.saveWallPhoto`), then one `wall.post` as the community with the photos attached and
/// the post's guid.
pub async fn send_vk(platforms: &Platforms, target: &Target<'_>, content: &Content) -> Sent {
    let (group, token) = match vk_target(target) {
        Ok(t) => t,
        Err(sent) => return sent,
    };
    let api = VkApi::new(&platforms.vk_api_url, token).with_timeout(platforms.timeout);
    let mut attachments = vec![];
    for image in &content.images {
        let uploaded = async {
            let url = api.photos_get_wall_upload_server(group).await?;
            let uploaded = api
                .upload_photo(&url, &image.file_name, &image.content_type, &image.bytes)
                .await?;
            api.photos_save_wall_photo(group, &uploaded).await
        }
        .await;
        match uploaded {
            Ok(photos) => attachments.extend(photos.iter().map(vk::Photo::attachment)),
            // Nothing is on the wall yet: whatever happened, the post did not go out.
            Err(e) => return judge(Platform::Vk, e.failure(), e.to_string(), false, vk_reason(&e)),
        }
    }
    match api
        .wall_post(group, &content.text, &attachments, &vk_guid(content.post_id))
        .await
    {
        Ok(post_id) => Sent::done(Outcome::Published {
            id: format!("-{group}_{post_id}"),
            url: vk::post_url(group, post_id),
        }),
        Err(e) => judge(
            Platform::Vk,
            e.failure(),
            e.to_string(),
            e.outcome_unknown(),
            vk_reason(&e),
        ),
    }
}

/// VK after an abandoned or unanswered `wall.post`: the wall's recent posts are read; a post
/// with the same text made since the claim is the one Keel sent. If none is there, the post is
/// sent again with the same guid, which VK refuses to duplicate.
pub async fn reconcile_vk(
    platforms: &Platforms,
    target: &Target<'_>,
    content: &Content,
    claimed_at: chrono::DateTime<chrono::Utc>,
) -> Sent {
    let (group, token) = match vk_target(target) {
        Ok(t) => t,
        Err(sent) => return sent,
    };
    let api = VkApi::new(&platforms.vk_api_url, token).with_timeout(platforms.timeout);
    match api.wall_get(group, 20).await {
        Ok(items) => {
            let since = (claimed_at - chrono::Duration::minutes(5)).timestamp();
            let found = items
                .iter()
                .find(|item| item.text.trim() == content.text.trim() && item.date >= since);
            match found {
                Some(item) => Sent::done(Outcome::Published {
                    id: format!("-{group}_{}", item.id),
                    url: vk::post_url(group, item.id),
                }),
                None => send_vk(platforms, target, content).await,
            }
        }
        // Cannot look: leave it for a person rather than risk a second post.
        Err(e) => match e.failure() {
            Failure::Reconnect => judge(Platform::Vk, Failure::Reconnect, e.to_string(), true, vk_reason(&e)),
            _ => Sent::done(unknown(Reason::OutcomeUnknown(Platform::Vk, e.to_string()))),
        },
    }
}

fn telegram_api(platforms: &Platforms, target: &Target<'_>) -> Option<TelegramApi> {
    let token = match target.secret.get("bot_token").and_then(|t| t.as_str()) {
        Some(token) => BotToken(token.to_owned()),
        None => platforms.telegram_bot.clone()?,
    };
    Some(TelegramApi::new(&platforms.telegram_api_url, token).with_timeout(platforms.timeout))
}

/// Telegram: the text alone (`sendMessage`), one photo with the text as its caption
/// (`sendPhoto`), or an album of up to ten with the caption on the first (`sendMediaGroup`);
/// HTML parse mode with the text escaped. Telegram cannot list a channel's messages to a bot,
/// so an unanswered send is left `unknown`.
pub async fn send_telegram(platforms: &Platforms, target: &Target<'_>, content: &Content) -> Sent {
    let Some(api) = telegram_api(platforms, target) else {
        return Sent {
            outcome: failed(Reason::TokenRejected(Platform::Telegram)),
            reconnect: true,
            retry_after: None,
        };
    };
    let chat = target.account;
    let html = escape_html(&content.text);
    let uploads: Vec<Upload<'_>> = content
        .images
        .iter()
        .take(10)
        .map(|i| Upload {
            file_name: &i.file_name,
            content_type: &i.content_type,
            bytes: &i.bytes,
        })
        .collect();
    let sent: Result<Vec<keel_platforms::telegram::types::Message>, TelegramError> = match uploads.as_slice() {
        [] => api.send_html(chat, &html).await.map(|m| vec![m]),
        [one] => api.send_photo(chat, &html, one).await.map(|m| vec![m]),
        many => api.send_media_group(chat, &html, many).await,
    };
    match sent {
        Ok(messages) => match messages.first() {
            Some(first) => Sent::done(Outcome::Published {
                id: first.message_id.to_string(),
                url: message_url(&first.chat, first.message_id),
            }),
            None => Sent::done(unknown(Reason::OutcomeUnknown(
                Platform::Telegram,
                "no message came back".into(),
            ))),
        },
        Err(e) => {
            let maybe = matches!(e, TelegramError::Transport { .. } | TelegramError::Decode { .. });
            let reason = if e.code() == Some(403) {
                Reason::BotRemoved
            } else {
                Reason::TokenRejected(Platform::Telegram)
            };
            judge(Platform::Telegram, e.failure(), e.to_string(), maybe, reason)
        }
    }
}

/// How long Instagram may take to process a post's containers before the attempt is given up
/// (nothing is published then: it is tried again later). Meta suggests polling a container's
/// status about once a minute for up to five minutes; Keel starts at `instagram_poll` and
/// doubles the interval, within [`SEND_DEADLINE`].
pub const INSTAGRAM_PROCESSING_LIMIT: std::time::Duration = std::time::Duration::from_secs(180);

fn instagram_api(platforms: &Platforms, target: &Target<'_>) -> Result<InstagramApi, Sent> {
    match target.secret.get("access_token").and_then(|t| t.as_str()) {
        Some(token) => Ok(InstagramApi::new(&platforms.instagram_api_url, token).with_timeout(platforms.timeout)),
        None => Err(Sent {
            outcome: failed(Reason::TokenRejected(Platform::Instagram)),
            reconnect: true,
            retry_after: None,
        }),
    }
}

fn instagram_failed(e: &InstagramError, published_maybe: bool) -> Sent {
    // Meta could not download the image from Keel's public link.
    if e.code() == Some(9004) {
        return Sent::done(failed(Reason::ImageNotTaken(e.to_string())));
    }
    judge(
        Platform::Instagram,
        e.failure(),
        e.to_string(),
        published_maybe,
        Reason::TokenRejected(Platform::Instagram),
    )
}

/// Waits for a container to be `FINISHED`, polling its status with a growing interval.
async fn finished(platforms: &Platforms, api: &InstagramApi, container: &str) -> Result<(), Sent> {
    let started = std::time::Instant::now();
    let mut every = platforms.instagram_poll;
    loop {
        tokio::time::sleep(every).await;
        let status = api
            .container_status(container)
            .await
            .map_err(|e| instagram_failed(&e, false))?;
        match status.status_code.as_str() {
            "FINISHED" => return Ok(()),
            "ERROR" => {
                let words = status.status.unwrap_or_else(|| "the container ended in ERROR".into());
                return Err(Sent::done(failed(Reason::ImageNotTaken(words))));
            }
            "EXPIRED" => {
                return Err(Sent::done(failed(Reason::ImageNotTaken(
                    "the media container expired before it was published".into(),
                ))));
            }
            // Published already: only by an earlier attempt of this publication.
            "PUBLISHED" => return Ok(()),
            _ => {}
        }
        if started.elapsed() + every > INSTAGRAM_PROCESSING_LIMIT {
            return Err(Sent::done(retry(Reason::Unreachable(
                Platform::Instagram,
                format!(
                    "the image was still being processed after {} s",
                    started.elapsed().as_secs()
                ),
            ))));
        }
        every = (every * 2).min(std::time::Duration::from_secs(30));
    }
}

/// Instagram, the first step: the containers — one image with the caption, or a carousel of
/// up to ten (each image a carousel item, then the carousel with the caption) — made from the
/// images' public URLs and waited for until finished. Nothing is published yet: every
/// failure here is certain (tried again, or failed with the reason). Returns the container to
/// publish.
pub async fn prepare_instagram(
    platforms: &Platforms,
    target: &Target<'_>,
    content: &Content,
    image_urls: &[String],
) -> Result<String, Sent> {
    let api = instagram_api(platforms, target)?;
    let user = target.account.trim();
    let caption = content.text.as_str();
    match image_urls {
        [] => Err(Sent::done(failed(Reason::NeedsImage))),
        [one] => {
            let container = api
                .create_image_container(user, one, Some(caption), false)
                .await
                .map_err(|e| instagram_failed(&e, false))?;
            finished(platforms, &api, &container).await?;
            Ok(container)
        }
        many => {
            let mut children = vec![];
            for url in many.iter().take(10) {
                let child = api
                    .create_image_container(user, url, None, true)
                    .await
                    .map_err(|e| instagram_failed(&e, false))?;
                finished(platforms, &api, &child).await?;
                children.push(child);
            }
            let carousel = api
                .create_carousel_container(user, &children, caption)
                .await
                .map_err(|e| instagram_failed(&e, false))?;
            finished(platforms, &api, &carousel).await?;
            Ok(carousel)
        }
    }
}

/// The published media's permalink (the account's page when Instagram does not say).
async fn instagram_published(api: &InstagramApi, media_id: String) -> Sent {
    let url = match api.permalink(&media_id).await {
        Ok(Some(url)) => url,
        Ok(None) | Err(_) => "https://www.instagram.com/".to_owned(),
    };
    Sent::done(Outcome::Published { id: media_id, url })
}

/// Instagram, the second step: `media_publish` of the finished container. No answer leaves the
/// outcome unknown (reconciled later: see [`reconcile_instagram`]).
pub async fn publish_instagram(platforms: &Platforms, target: &Target<'_>, container: &str) -> Sent {
    let api = match instagram_api(platforms, target) {
        Ok(api) => api,
        Err(sent) => return sent,
    };
    match api.media_publish(target.account.trim(), container).await {
        Ok(media_id) => instagram_published(&api, media_id).await,
        Err(e) => {
            let maybe = matches!(e, InstagramError::Transport { .. } | InstagramError::Decode { .. });
            instagram_failed(&e, maybe)
        }
    }
}

/// Instagram after an unanswered or abandoned attempt. The container, if one was made, says
/// whether it was published (a container publishes once): `PUBLISHED` — the media is found
/// among the account's recent media by its caption and time; `FINISHED` — it was not, and is
/// published now; otherwise nothing went out and the post is tried again. Without a container
/// `media_publish` was never called: tried again. When Instagram cannot be asked, the outcome
/// stays unknown for a person.
pub async fn reconcile_instagram(
    platforms: &Platforms,
    target: &Target<'_>,
    content: &Content,
    container: Option<&str>,
    claimed_at: chrono::DateTime<chrono::Utc>,
) -> Sent {
    let api = match instagram_api(platforms, target) {
        Ok(api) => api,
        Err(sent) => return sent,
    };
    let Some(container) = container else {
        return Sent::done(retry(Reason::Unreachable(
            Platform::Instagram,
            "the attempt stopped before anything was sent to be published".into(),
        )));
    };
    let cannot_ask = |e: InstagramError| match e.failure() {
        Failure::Reconnect => instagram_failed(&e, true),
        _ => Sent::done(unknown(Reason::OutcomeUnknown(Platform::Instagram, e.to_string()))),
    };
    let status = match api.container_status(container).await {
        Ok(status) => status,
        Err(e) => return cannot_ask(e),
    };
    match status.status_code.as_str() {
        "PUBLISHED" => {
            let media = match api.recent_media(target.account.trim()).await {
                Ok(media) => media,
                Err(e) => return cannot_ask(e),
            };
            let since = claimed_at - chrono::Duration::minutes(5);
            let found = media.into_iter().find(|m| {
                m.caption.as_deref().map(str::trim) == Some(content.text.trim())
                    && m.published_at().is_none_or(|at| at >= since)
            });
            match found {
                Some(m) => Sent::done(Outcome::Published {
                    id: m.id,
                    url: m.permalink.unwrap_or_else(|| "https://www.instagram.com/".into()),
                }),
                None => Sent::done(unknown(Reason::OutcomeUnknown(
                    Platform::Instagram,
                    "published, but not found among the account's recent media".into(),
                ))),
            }
        }
        "FINISHED" => publish_instagram(platforms, target, container).await,
        "IN_PROGRESS" => match finished(platforms, &api, container).await {
            Ok(()) => publish_instagram(platforms, target, container).await,
            Err(sent) => sent,
        },
        _ => Sent::done(retry(Reason::Unreachable(
            Platform::Instagram,
            format!("the earlier container ended {}; a new one is made", status.status_code),
        ))),
    }
}
