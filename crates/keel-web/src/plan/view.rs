//! A post as the API and the pages show it: the row with its variants, images, comments and
//! audit trail, and the JSON of PRODUCT.md (`id`, `state`, `revision_rounds`, `sla_deadline`,
//! `events` with `at`, `actor`, `action`, …).

use crate::WebError;
use chrono::{DateTime, Utc};
use keel_domain::workflow::Platform;
use keel_domain::workflow::variants::VariantProblem;
use keel_store::Store;
use keel_store::audit::AuditEvent;
use keel_store::plan::comments::PlanComment;
use keel_store::plan::images::PlanImage;
use keel_store::plan::posts::{PlanPost, platform_problems};
use keel_store::plan::publications::Publication;
use serde::Serialize;
use std::collections::BTreeMap;

/// Everything about one post.
pub struct PostView {
    pub post: PlanPost,
    pub variants: Vec<(Platform, String)>,
    pub images: Vec<PlanImage>,
    pub comments: Vec<PlanComment>,
    pub events: Vec<AuditEvent>,
    /// Each platform's publication by Keel (empty until the post's time).
    pub publications: Vec<Publication>,
}

impl PostView {
    pub async fn load(store: &Store, post: PlanPost) -> Result<PostView, WebError> {
        let variants = store.plan_variants(post.id).await?;
        let images = store.plan_images(post.id).await?;
        let comments = store.plan_comments(post.id).await?;
        let events = store.audit_of(post.project(), "post", post.id.0).await?;
        let publications = store.publications_of(post.id).await?;
        Ok(PostView {
            publications,
            post,
            variants,
            images,
            comments,
            events,
        })
    }

    pub fn problems(&self) -> Vec<VariantProblem> {
        platform_problems(&self.post, &self.variants, self.images.len())
    }

    pub fn json(&self, slug: &str) -> PostJson {
        let p = &self.post;
        PostJson {
            id: p.id.0,
            project: slug.to_owned(),
            state: p.state.as_str().to_owned(),
            text: p.text.clone(),
            rubric: p.rubric.clone(),
            platforms: p.platforms().iter().map(|p| p.as_str().to_owned()).collect(),
            variants: self
                .variants
                .iter()
                .map(|(pl, t)| (pl.as_str().to_owned(), t.clone()))
                .collect(),
            scheduled_at: p.scheduled_at,
            urgent: p.urgent,
            author: p.author_name.clone(),
            revision_rounds: p.revision_rounds,
            flagged: p.flagged(),
            sla_deadline: p.running_sla_deadline(),
            sla_missed: p.sla_missed,
            submitted_at: p.submitted_at,
            approved_at: p.approved_at,
            problems: self.problems().iter().map(ToString::to_string).collect(),
            images: self
                .images
                .iter()
                .map(|i| ImageJson {
                    id: i.id,
                    file_name: i.file_name.clone(),
                    content_type: i.content_type.clone(),
                    size: i.size,
                    url: format!("/projects/{slug}/posts/{}/images/{}", p.id, i.id),
                })
                .collect(),
            comments: self.comments.iter().map(comment_json).collect(),
            events: self.events.iter().map(event_json).collect(),
            publications: self.publications.iter().map(publication_json).collect(),
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PostJson {
    pub id: i64,
    /// The project's slug.
    pub project: String,
    #[schema(value_type = crate::openapi::PostStateName)]
    pub state: String,
    pub text: String,
    pub rubric: String,
    #[schema(value_type = Vec<crate::openapi::PlatformName>)]
    pub platforms: Vec<String>,
    /// Text per platform where it differs from `text`.
    pub variants: BTreeMap<String, String>,
    pub scheduled_at: Option<DateTime<Utc>>,
    pub urgent: bool,
    pub author: String,
    pub revision_rounds: i32,
    /// Past two revision rounds.
    pub flagged: bool,
    /// The SLA deadline of an urgent post under review (`null` otherwise).
    pub sla_deadline: Option<DateTime<Utc>>,
    /// Whether an SLA of this post ever expired without a decision.
    pub sla_missed: bool,
    pub submitted_at: Option<DateTime<Utc>>,
    pub approved_at: Option<DateTime<Utc>>,
    /// Platform-limit problems that block submission.
    pub problems: Vec<String>,
    pub images: Vec<ImageJson>,
    pub comments: Vec<CommentJson>,
    /// The audit trail, oldest first.
    pub events: Vec<EventJson>,
    /// Each platform's outcome when Keel publishes the post.
    pub publications: Vec<PublicationJson>,
}

/// One platform's publication (PRODUCT.md: `platform`, `state`, `platform_post_id`, `url`,
/// `error`, `attempts`).
#[derive(Serialize, utoipa::ToSchema)]
pub struct PublicationJson {
    #[schema(value_type = crate::openapi::PlatformName)]
    pub platform: String,
    /// `pending`, `sending`, `published`, `failed` or `unknown`.
    pub state: String,
    pub platform_post_id: Option<String>,
    pub url: Option<String>,
    /// Why it failed or is unknown, in words.
    pub error: Option<String>,
    /// The reason's code (`token_rejected`, `outcome_unknown`, …).
    pub error_code: Option<String>,
    pub attempts: i32,
    pub updated_at: DateTime<Utc>,
}

pub fn publication_json(p: &Publication) -> PublicationJson {
    PublicationJson {
        platform: p.platform.clone(),
        state: p.state.as_str().to_owned(),
        platform_post_id: p.platform_post_id.clone(),
        url: p.url.clone(),
        error: p.error.clone(),
        error_code: p.error_key.clone(),
        attempts: p.attempts,
        updated_at: p.updated_at,
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ImageJson {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size: i32,
    pub url: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CommentJson {
    pub id: i64,
    pub author: String,
    pub text: String,
    pub advisory: bool,
    /// `open`, `accepted`, `declined`, or `null` for a plain comment.
    pub suggestion: Option<String>,
    pub decline_reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

pub fn comment_json(c: &PlanComment) -> CommentJson {
    CommentJson {
        id: c.id.0,
        author: c.author_name.clone(),
        text: c.text.clone(),
        advisory: c.advisory,
        suggestion: c.suggestion.clone(),
        decline_reason: c.decline_reason.clone(),
        created_at: c.created_at,
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct EventJson {
    pub at: DateTime<Utc>,
    /// The acting person's e-mail, or `"keel"` when Keel itself acted (SLA timer,
    /// auto-approval).
    pub actor: String,
    pub actor_name: Option<String>,
    pub action: String,
    /// The action's particulars (from and to states, the comment, …).
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

/// The name shown for an entry's actor.
pub const SYSTEM_ACTOR: &str = "keel";

pub fn event_json(e: &AuditEvent) -> EventJson {
    EventJson {
        at: e.at,
        actor: e.actor_email.clone().unwrap_or_else(|| SYSTEM_ACTOR.into()),
        actor_name: e.actor_name.clone(),
        action: e.action.clone(),
        detail: e.detail_json(),
    }
}
