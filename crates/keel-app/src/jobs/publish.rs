//! The publishing job (`publish.post`), queued when a post is scheduled, for its time.
//!
//! At run time the post must still be `scheduled` (so still approved: nothing else reaches
//! that state) and due; each of its platforms with a connection gets a publication. Each
//! pending publication is claimed (committed `sending`) before its platform is called, so two
//! instances never both send it; a `sending` claim older than [`STALE_AFTER`] was abandoned by a
//! dead instance and is reconciled (VK, Instagram) or left `unknown` for a person (Telegram). A
//! publishing call that got no answer (`unknown`) is reconciled once, [`RECHECK_AFTER`] later,
//! where the platform can tell (VK, Instagram). A platform asking to wait is called again after
//! its `retry_after`, or after a backoff doubling with each attempt. When all are published the
//! post is `published`; when one failed for good, `failed` with the reason, and the author and
//! agency lead are notified.

use crate::publishing::Platforms;
use crate::publishing::send::{self, Content, Image, SEND_DEADLINE, STALE_AFTER, Sent, Target};
use crate::publishing::words::Reason;
use chrono::{DateTime, Utc};
use keel_domain::PostId;
use keel_domain::connection::{ConnectionPlatform, ConnectionStatus, PublicationState};
use keel_domain::workflow::PostState;
use keel_domain::workflow::variants::Platform;
use keel_store::Store;
use keel_store::connections::Connection;
use keel_store::jobs::{Job, JobFuture, JobHandler};
use keel_store::plan::posts::{PlanPost, text_for};
use keel_store::plan::publications::{Outcome, PUBLISH, Publication};
use std::sync::Arc;

/// After this many claims of one publication that the platform answered "wait", it fails.
const MAX_ATTEMPTS: i32 = 8;

/// How long after an unanswered publishing call the platform is asked what became of it (it
/// had time to show the post).
pub const RECHECK_AFTER: chrono::Duration = chrono::Duration::seconds(60);

/// How long images stay reachable at their public links (Meta downloads them while the
/// container is processed; a container not published within 24 hours expires anyway).
const MEDIA_LINK_LIFETIME: chrono::Duration = chrono::Duration::hours(24);

/// The wait before attempt `attempts + 1` when the platform asked to wait without saying how
/// long: 30 s, doubling with each attempt, at most 30 minutes.
pub fn backoff(attempts: i32) -> std::time::Duration {
    let doublings = attempts.clamp(1, 7) as u32 - 1;
    std::time::Duration::from_secs((30u64 << doublings).min(1800))
}

/// Reconciliation of an attempt: when it was claimed, and the platform's handle of it.
struct Reconcile {
    claimed_at: DateTime<Utc>,
    reference: Option<String>,
}

pub(crate) struct PublishJob {
    pub platforms: Arc<Platforms>,
    /// Who claims (recorded on the publication): this instance.
    pub worker: String,
}

impl JobHandler for PublishJob {
    fn run<'a>(&'a self, store: &'a Store, job: &'a Job, as_of: DateTime<Utc>) -> JobFuture<'a> {
        Box::pin(async move {
            let id = super::post_id(job)?;
            publish(store, &self.platforms, &self.worker, id, as_of)
                .await
                .map_err(|e| e.to_string())
        })
    }
}

/// Why a pass ended early: the job is run again later (the runner's backoff).
#[derive(Debug, thiserror::Error)]
enum PassError {
    #[error(transparent)]
    Store(#[from] keel_store::StoreError),
    #[error("a publication of post {0} is being sent by another instance; checking again later")]
    InFlight(i64),
}

async fn publish(
    store: &Store,
    platforms: &Platforms,
    worker: &str,
    id: PostId,
    as_of: DateTime<Utc>,
) -> Result<(), PassError> {
    let Some(post) = store.plan_post_any(id).await? else {
        return Ok(());
    };
    // Approval is checked again now: only a scheduled post (which only an approved one becomes)
    // goes out, and only once due (a rescheduled post has a later job of its own).
    if post.state() != PostState::Scheduled || post.approved_at.is_none() {
        return Ok(());
    }
    if post.scheduled_at.is_none_or(|at| at > as_of) {
        return Ok(());
    }
    let mut targets = vec![];
    for platform in post.platforms() {
        let Some(kind) = ConnectionPlatform::for_posts(platform) else {
            continue;
        };
        if let Some(connection) = store.connection_for(post.project(), kind).await? {
            targets.push((platform, connection.id));
        }
    }
    store.ensure_publications(post.id, &targets).await?;
    let publications = store.publications_of(post.id).await?;
    if publications.is_empty() {
        // No platform of the post is connected: people publish it by hand, as before.
        return Ok(());
    }
    let mut content_cache: Option<Vec<Image>> = None;
    let mut in_flight = false;
    let mut recheck = false;
    let mut wait: Option<std::time::Duration> = None;
    for publication in &publications {
        let Some(platform) = publication.platform() else {
            continue;
        };
        match publication.state {
            PublicationState::Pending => {
                let Some(connection) = usable_connection(store, &post, publication, platform).await? else {
                    continue;
                };
                if !store.claim_publication(post.id, platform, worker, as_of).await? {
                    in_flight = true;
                    continue;
                }
                let images = images(store, &post, &mut content_cache).await?;
                let sent = call(store, platforms, &post, platform, &connection, images, None).await?;
                recheck |= matches!(&sent.outcome, Outcome::Unknown { .. }) && reconcilable(platform);
                wait = wait.max(finish(store, &post, platform, &connection, publication.attempts + 1, sent).await?);
            }
            PublicationState::Sending => {
                let abandoned = publication.claimed_at.is_none_or(|at| at < as_of - STALE_AFTER);
                if !abandoned
                    || !store
                        .reclaim_abandoned(post.id, platform, as_of - STALE_AFTER, worker, as_of)
                        .await?
                {
                    in_flight = true;
                    continue;
                }
                tracing::warn!(
                    post = post.id.0,
                    platform = platform.as_str(),
                    "an abandoned send is reconciled"
                );
                let connection = match publication.connection_id {
                    Some(c) => store.connection(c).await?,
                    None => None,
                };
                let sent = match connection {
                    Some(connection) if reconcilable(platform) => {
                        let images = images(store, &post, &mut content_cache).await?;
                        let reconcile = Reconcile {
                            claimed_at: publication.claimed_at.unwrap_or(as_of),
                            reference: publication.platform_ref.clone(),
                        };
                        let sent =
                            call(store, platforms, &post, platform, &connection, images, Some(reconcile)).await?;
                        finish(
                            store,
                            &post,
                            platform,
                            &connection,
                            publication.attempts,
                            still_unknown(sent),
                        )
                        .await?;
                        continue;
                    }
                    _ => Outcome::Unknown {
                        key: "outcome_unknown".into(),
                        reason: Reason::OutcomeUnknown(platform, "Keel stopped while sending".into()).english(),
                    },
                };
                store.record_publication(post.id, platform, &sent).await?;
            }
            PublicationState::Unknown
                if reconcilable(platform) && publication.error_key.as_deref() == Some("outcome_unknown") =>
            {
                // No answer to the publishing call: once the platform had time to show the
                // post, it is asked what became of it — never simply sent again.
                let Some(connection) = (match publication.connection_id {
                    Some(c) => store.connection(c).await?,
                    None => None,
                }) else {
                    continue;
                };
                if !store
                    .reclaim_unknown(post.id, platform, as_of - RECHECK_AFTER, worker, as_of)
                    .await?
                {
                    continue;
                }
                tracing::info!(
                    post = post.id.0,
                    platform = platform.as_str(),
                    "an unanswered send is reconciled"
                );
                let images = images(store, &post, &mut content_cache).await?;
                let reconcile = Reconcile {
                    claimed_at: publication.claimed_at.unwrap_or(as_of),
                    reference: publication.platform_ref.clone(),
                };
                let sent = call(store, platforms, &post, platform, &connection, images, Some(reconcile)).await?;
                wait = wait.max(
                    finish(
                        store,
                        &post,
                        platform,
                        &connection,
                        publication.attempts,
                        still_unknown(sent),
                    )
                    .await?,
                );
            }
            PublicationState::Published | PublicationState::Failed | PublicationState::Unknown => {}
        }
    }
    store.settle_post(&post, as_of).await?;
    if let Some(after) = wait {
        // The platform asked to wait: the post is tried again then (not before 30 s).
        let after = chrono::Duration::from_std(after.max(std::time::Duration::from_secs(30)))
            .unwrap_or(chrono::Duration::seconds(30));
        store
            .enqueue_job(PUBLISH, &serde_json::json!({ "post_id": post.id }), as_of + after)
            .await?;
    }
    if recheck {
        store
            .enqueue_job(
                PUBLISH,
                &serde_json::json!({ "post_id": post.id }),
                as_of + RECHECK_AFTER,
            )
            .await?;
    }
    if in_flight {
        return Err(PassError::InFlight(post.id.0));
    }
    Ok(())
}

/// Platforms that can tell what became of an unanswered send (VK: the wall and the guid;
/// Instagram: the media container and the account's recent media). Telegram cannot.
fn reconcilable(platform: Platform) -> bool {
    matches!(platform, Platform::Vk | Platform::Instagram)
}

/// A reconciliation that could not tell stays unknown for a person, under a reason code that is
/// not reconciled again.
fn still_unknown(mut sent: Sent) -> Sent {
    if let Outcome::Unknown { key, .. } = &mut sent.outcome {
        *key = "outcome_still_unknown".into();
    }
    sent
}

/// The publication's connection if it may be used now; otherwise the publication is failed with
/// the reason and `None` returned.
async fn usable_connection(
    store: &Store,
    post: &PlanPost,
    publication: &Publication,
    platform: Platform,
) -> Result<Option<Connection>, PassError> {
    let connection = match publication.connection_id {
        Some(id) => store.connection(id).await?,
        None => None,
    };
    let reason = match &connection {
        None => Reason::NotConnected(platform),
        Some(c) if c.status() == ConnectionStatus::NeedsReconnecting => Reason::NeedsReconnecting(platform),
        Some(_) => return Ok(connection),
    };
    store
        .fail_unsent_publication(post.id, platform, reason.key(), &reason.english())
        .await?;
    Ok(None)
}

async fn images<'c>(
    store: &Store,
    post: &PlanPost,
    cache: &'c mut Option<Vec<Image>>,
) -> Result<&'c [Image], PassError> {
    if cache.is_none() {
        let mut loaded = vec![];
        for image in store.plan_images(post.id).await? {
            if let Some((content_type, bytes)) = store.plan_image_bytes(post.org(), post.project(), image.id).await? {
                loaded.push(Image {
                    file_name: image.file_name,
                    content_type,
                    bytes,
                });
            }
        }
        *cache = Some(loaded);
    }
    Ok(cache.as_deref().unwrap_or_default())
}

/// Calls the platform (or reconciles an abandoned or unanswered send), bounded by
/// [`SEND_DEADLINE`].
async fn call(
    store: &Store,
    platforms: &Platforms,
    post: &PlanPost,
    platform: Platform,
    connection: &Connection,
    images: &[Image],
    reconcile: Option<Reconcile>,
) -> Result<Sent, PassError> {
    let Some(key) = platforms.key.as_ref() else {
        return Ok(unsent(Reason::SecretWontOpen(platform)));
    };
    let secret = match store.connection_secret(key, connection).await {
        Ok(secret) => serde_json::from_str::<serde_json::Value>(&secret.0).unwrap_or_default(),
        Err(_) => return Ok(unsent(Reason::SecretWontOpen(platform))),
    };
    let variants = store.plan_variants(post.id).await?;
    let content = Content {
        post_id: post.id.0,
        text: text_for(post, &variants, platform).to_owned(),
        images: images
            .iter()
            .map(|i| Image {
                file_name: i.file_name.clone(),
                content_type: i.content_type.clone(),
                bytes: i.bytes.clone(),
            })
            .collect(),
    };
    let target = Target {
        account: &connection.account,
        secret: &secret,
    };
    let sending = async {
        Ok::<Sent, PassError>(match (platform, reconcile) {
            (Platform::Vk, Some(r)) => send::reconcile_vk(platforms, &target, &content, r.claimed_at).await,
            (Platform::Vk, None) => send::send_vk(platforms, &target, &content).await,
            (Platform::Telegram, _) => send::send_telegram(platforms, &target, &content).await,
            (Platform::Instagram, Some(r)) => {
                send::reconcile_instagram(platforms, &target, &content, r.reference.as_deref(), r.claimed_at).await
            }
            (Platform::Instagram, None) => send_instagram(store, platforms, post, &target, &content).await?,
            _ => unsent(Reason::NotConnected(platform)),
        })
    };
    Ok(match tokio::time::timeout(SEND_DEADLINE, sending).await {
        Ok(sent) => sent?,
        Err(_) => Sent {
            outcome: Outcome::Unknown {
                key: "outcome_unknown".into(),
                reason: Reason::OutcomeUnknown(platform, "no answer in time".into()).english(),
            },
            reconnect: false,
            retry_after: None,
        },
    })
}

/// Instagram: each image gets a public link under `public_url` (Meta downloads it from there),
/// the containers are made and waited for, the container to publish is noted on the
/// publication (committed), and then it is published.
async fn send_instagram(
    store: &Store,
    platforms: &Platforms,
    post: &PlanPost,
    target: &Target<'_>,
    content: &Content,
) -> Result<Sent, PassError> {
    let Some(public_url) = platforms.public_url.as_deref() else {
        return Ok(unsent(Reason::NoPublicUrl));
    };
    let expires = keel_store::now() + MEDIA_LINK_LIFETIME;
    let mut urls = vec![];
    for image in store.plan_images(post.id).await?.into_iter().take(10) {
        let token = store.create_media_link(post.id, image.id, expires).await?;
        urls.push(format!("{}/media/{token}", public_url.trim_end_matches('/')));
    }
    let container = match send::prepare_instagram(platforms, target, content, &urls).await {
        Ok(container) => container,
        Err(sent) => return Ok(sent),
    };
    store
        .note_publication_ref(post.id, Platform::Instagram, &container)
        .await?;
    Ok(send::publish_instagram(platforms, target, &container).await)
}

fn unsent(reason: Reason) -> Sent {
    Sent {
        outcome: Outcome::Failed {
            key: reason.key().into(),
            reason: reason.english(),
        },
        reconnect: matches!(reason, Reason::SecretWontOpen(_)),
        retry_after: None,
    }
}

/// Records a send; a token refused marks the connection; a "wait" past the attempts fails.
/// Returns how long to wait before trying again, if the platform asked.
async fn finish(
    store: &Store,
    post: &PlanPost,
    platform: Platform,
    connection: &Connection,
    attempts: i32,
    sent: Sent,
) -> Result<Option<std::time::Duration>, PassError> {
    let mut outcome = sent.outcome;
    let mut wait = None;
    if let Outcome::Retry { reason, .. } = &outcome {
        if attempts >= MAX_ATTEMPTS {
            outcome = Outcome::Failed {
                key: "rate_limited".into(),
                reason: reason.clone(),
            };
        } else {
            wait = Some(sent.retry_after.unwrap_or_else(|| backoff(attempts)));
        }
    }
    match &outcome {
        Outcome::Published { url, .. } => {
            tracing::info!(post = post.id.0, platform = platform.as_str(), %url, "published");
        }
        Outcome::Failed { reason, .. } | Outcome::Unknown { reason, .. } | Outcome::Retry { reason, .. } => {
            tracing::warn!(post = post.id.0, platform = platform.as_str(), %reason, "not published");
        }
    }
    store.record_publication(post.id, platform, &outcome).await?;
    if sent.reconnect {
        let words = match &outcome {
            Outcome::Failed { reason, .. } => reason.clone(),
            _ => Reason::TokenRejected(platform).english(),
        };
        store
            .set_connection_status(connection.id, ConnectionStatus::NeedsReconnecting, Some(&words))
            .await?;
    } else if matches!(outcome, Outcome::Published { .. }) && connection.status() != ConnectionStatus::Ok {
        store
            .set_connection_status(connection.id, ConnectionStatus::Ok, None)
            .await?;
    }
    Ok(wait)
}

#[cfg(test)]
mod tests {
    use super::backoff;
    use std::time::Duration;

    #[test]
    fn the_backoff_doubles_from_30_seconds_up_to_30_minutes() {
        let waits: Vec<u64> = (1..=8).map(|a| backoff(a).as_secs()).collect();
        assert_eq!(waits, [30, 60, 120, 240, 480, 960, 1800, 1800]);
        assert_eq!(backoff(0), Duration::from_secs(30));
    }
}
