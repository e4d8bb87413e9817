//! The content plan's posts: create, read, edit (text, variants, platforms, date).

use crate::{Store, StoreError, StoreResult, append_audit, audit::NewAuditEvent, now, on_pool};
use chrono::{DateTime, Utc};
use keel_domain::workflow::variants::{Platform, VariantProblem, check_variant};
use keel_domain::workflow::{PostAction, PostState, Relation, transition};
use keel_domain::{OrgId, PostId, ProjectId, UserId};
use std::collections::BTreeMap;

/// A post of the plan, with its author's name.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PlanPost {
    #[sqlx(try_from = "i64")]
    pub id: PostId,
    pub org_id: i64,
    pub project_id: i64,
    pub author_id: i64,
    pub author_name: String,
    pub rubric: String,
    pub text: String,
    pub platforms: String,
    pub scheduled_at: Option<DateTime<Utc>>,
    pub urgent: bool,
    #[sqlx(try_from = "String")]
    pub state: PostState,
    pub revision_rounds: i32,
    pub first_submitted_at: Option<DateTime<Utc>>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub sla_deadline: Option<DateTime<Utc>>,
    pub sla_missed: bool,
    pub first_decision_at: Option<DateTime<Utc>>,
    pub approved_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl PlanPost {
    pub fn state(&self) -> PostState {
        self.state
    }

    pub fn project(&self) -> ProjectId {
        ProjectId(self.project_id)
    }

    pub fn org(&self) -> OrgId {
        OrgId(self.org_id)
    }

    pub fn platforms(&self) -> Vec<Platform> {
        self.platforms.split(',').filter_map(Platform::parse).collect()
    }

    /// Past two revision rounds (PRODUCT.md rule 3).
    pub fn flagged(&self) -> bool {
        keel_domain::workflow::state::flagged_for_rounds(self.revision_rounds.max(0) as u32)
    }

    /// The SLA deadline while the clock runs (an urgent post under review).
    pub fn running_sla_deadline(&self) -> Option<DateTime<Utc>> {
        self.sla_deadline
            .filter(|_| self.urgent && self.state() == PostState::InReview)
    }

    /// A one-line excerpt for lists and notifications.
    pub fn excerpt(&self, chars: usize) -> String {
        let line = self.text.lines().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
        if line.chars().count() > chars {
            format!("{}…", line.chars().take(chars).collect::<String>())
        } else {
            line.to_owned()
        }
    }
}

pub(crate) const POST_SELECT: &str = "SELECT p.id, p.org_id, p.project_id, p.author_id, u.display_name AS author_name,
        p.rubric, p.text, p.platforms, p.scheduled_at, p.urgent, p.state, p.revision_rounds,
        p.first_submitted_at, p.submitted_at, p.sla_deadline, p.sla_missed, p.first_decision_at,
        p.approved_at, p.created_at, p.updated_at
 FROM plan_posts p JOIN users u ON u.id = p.author_id";

/// The editable content of a post.
#[derive(Debug, Clone, Default)]
pub struct PostDraft {
    pub text: String,
    pub rubric: String,
    pub platforms: Vec<Platform>,
    pub scheduled_at: Option<DateTime<Utc>>,
    pub urgent: bool,
    /// Text per platform where it differs from `text`.
    pub variants: BTreeMap<Platform, String>,
}

impl PostDraft {
    /// Problems that make the draft unstorable (not the platform limits, which a draft may
    /// exceed while being written; they block submission).
    pub fn check(&self) -> StoreResult<()> {
        match keel_domain::workflow::draft::draft_problem(&self.platforms, &self.text, &self.variants) {
            Some(problem) => Err(StoreError::Invalid(problem.message(keel_domain::Lang::En))),
            None => Ok(()),
        }
    }
}

/// The text that goes to `platform`: its variant, else the main text.
pub fn text_for<'a>(post: &'a PlanPost, variants: &'a [(Platform, String)], platform: Platform) -> &'a str {
    variants
        .iter()
        .find(|(p, _)| *p == platform)
        .map(|(_, t)| t.as_str())
        .unwrap_or(&post.text)
}

/// Every platform problem of a post (blocks submission).
pub fn platform_problems(post: &PlanPost, variants: &[(Platform, String)], images: usize) -> Vec<VariantProblem> {
    post.platforms()
        .into_iter()
        .flat_map(|platform| check_variant(platform, text_for(post, variants, platform), images))
        .collect()
}

fn platform_list(platforms: &[Platform]) -> String {
    platforms.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(",")
}

impl Store {
    /// Creates a draft by `author`, audited as `created`.
    pub async fn create_plan_post(
        &self,
        org: OrgId,
        project: ProjectId,
        author: UserId,
        draft: &PostDraft,
    ) -> StoreResult<PlanPost> {
        draft.check()?;
        let at = now();
        let id = on_pool!(&self.pool, p => {
            let mut tx = p.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO plan_posts (org_id, project_id, author_id, rubric, text, platforms, scheduled_at, urgent,
                                         state, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'draft', $9, $9) RETURNING id",
            )
            .bind(org.0)
            .bind(project.0)
            .bind(author.0)
            .bind(draft.rubric.trim())
            .bind(&draft.text)
            .bind(platform_list(&draft.platforms))
            .bind(draft.scheduled_at)
            .bind(draft.urgent)
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
            for (platform, text) in &draft.variants {
                sqlx::query("INSERT INTO plan_post_variants (post_id, platform, text) VALUES ($1, $2, $3)")
                    .bind(id)
                    .bind(platform.as_str())
                    .bind(text)
                    .execute(&mut *tx)
                    .await?;
            }
            append_audit!(&mut *tx, NewAuditEvent {
                org,
                project,
                subject_kind: "post",
                subject_id: id,
                actor: Some(author),
                action: "created",
                detail: serde_json::json!({ "platforms": platform_list(&draft.platforms), "urgent": draft.urgent }),
                at,
            })?;
            tx.commit().await?;
            Ok::<i64, sqlx::Error>(id)
        })?;
        self.plan_post(org, PostId(id)).await?.ok_or(StoreError::NotFound)
    }

    /// A post of organization `org` (posts never resolve across organizations).
    pub async fn plan_post(&self, org: OrgId, id: PostId) -> StoreResult<Option<PlanPost>> {
        let sql = format!("{POST_SELECT} WHERE p.id = $1 AND p.org_id = $2");
        Ok(
            on_pool!(&self.pool, p => sqlx::query_as::<_, PlanPost>(&sql).bind(id.0).bind(org.0).fetch_optional(p).await)?,
        )
    }

    /// The project's posts: dated ones by date, then undated drafts by last change.
    pub async fn plan_posts_of(&self, project: ProjectId) -> StoreResult<Vec<PlanPost>> {
        let sql = format!(
            "{POST_SELECT} WHERE p.project_id = $1
             ORDER BY CASE WHEN p.scheduled_at IS NULL THEN 1 ELSE 0 END, p.scheduled_at, p.updated_at DESC, p.id"
        );
        Ok(on_pool!(&self.pool, p => sqlx::query_as::<_, PlanPost>(&sql).bind(project.0).fetch_all(p).await)?)
    }

    /// The post's per-platform texts.
    pub async fn plan_variants(&self, post: PostId) -> StoreResult<Vec<(Platform, String)>> {
        let rows: Vec<(String, String)> = on_pool!(&self.pool, p => {
            sqlx::query_as("SELECT platform, text FROM plan_post_variants WHERE post_id = $1 ORDER BY platform")
                .bind(post.0)
                .fetch_all(p)
                .await
        })?;
        Ok(rows
            .into_iter()
            .filter_map(|(p, t)| Some((Platform::parse(&p)?, t)))
            .collect())
    }

    /// Replaces a post's content (the state machine's `Edit`: drafts and posts sent back only).
    /// The audit entry records which fields changed.
    pub async fn edit_plan_post(
        &self,
        post: &PlanPost,
        who: Relation,
        actor: UserId,
        draft: &PostDraft,
    ) -> StoreResult<()> {
        draft.check()?;
        let state = post.state();
        transition(state, PostAction::Edit, who).map_err(super::refusal)?;
        let old_variants = self.plan_variants(post.id).await?;
        let mut changed = vec![];
        if post.text != draft.text {
            changed.push("text");
        }
        if post.rubric != draft.rubric.trim() {
            changed.push("rubric");
        }
        if post.platforms() != draft.platforms {
            changed.push("platforms");
        }
        if post.scheduled_at != draft.scheduled_at {
            changed.push("scheduled_at");
        }
        if post.urgent != draft.urgent {
            changed.push("urgent");
        }
        let new_variants: Vec<(Platform, String)> = draft.variants.iter().map(|(p, t)| (*p, t.clone())).collect();
        if old_variants != new_variants {
            changed.push("variants");
        }
        if changed.is_empty() {
            return Ok(());
        }
        let at = now();
        on_pool!(&self.pool, p => {
            let mut tx = p.begin().await?;
            let done = sqlx::query(
                "UPDATE plan_posts SET text = $1, rubric = $2, platforms = $3, scheduled_at = $4, urgent = $5,
                        updated_at = $6
                 WHERE id = $7 AND state = $8",
            )
            .bind(&draft.text)
            .bind(draft.rubric.trim())
            .bind(platform_list(&draft.platforms))
            .bind(draft.scheduled_at)
            .bind(draft.urgent)
            .bind(at)
            .bind(post.id.0)
            .bind(state.as_str())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if done == 0 {
                return Err(StoreError::Refused(keel_domain::workflow::Refusal::ChangedMeanwhile));
            }
            sqlx::query("DELETE FROM plan_post_variants WHERE post_id = $1").bind(post.id.0).execute(&mut *tx).await?;
            for (platform, text) in &draft.variants {
                sqlx::query("INSERT INTO plan_post_variants (post_id, platform, text) VALUES ($1, $2, $3)")
                    .bind(post.id.0)
                    .bind(platform.as_str())
                    .bind(text)
                    .execute(&mut *tx)
                    .await?;
            }
            append_audit!(&mut *tx, NewAuditEvent {
                org: post.org(),
                project: post.project(),
                subject_kind: "post",
                subject_id: post.id.0,
                actor: Some(actor),
                action: "edited",
                detail: serde_json::json!({ "changed": changed }),
                at,
            })?;
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })
    }
}
