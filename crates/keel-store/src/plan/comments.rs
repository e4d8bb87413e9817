//! Comments and suggestions on a post (PRODUCT.md rule 3): an approver's remark binds and may
//! be a suggestion the agency resolves; everyone else's is advisory.

use super::posts::PlanPost;
use super::{refusal, timers};
use crate::{Store, StoreError, StoreResult, append_audit, audit::NewAuditEvent, enqueue_job, now, on_pool};
use chrono::{DateTime, Utc};
use keel_domain::notification::NotificationKind;
use keel_domain::workflow::state::comment_is_advisory;
use keel_domain::workflow::{PostAction, Relation, transition};
use keel_domain::{CommentId, PostId, UserId};

/// Longest comment accepted (a long remark belongs in the brief, not on a post).
pub const MAX_COMMENT_CHARS: usize = 5_000;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PlanComment {
    #[sqlx(try_from = "i64")]
    pub id: CommentId,
    #[sqlx(try_from = "i64")]
    pub post_id: PostId,
    pub author_id: i64,
    pub author_name: String,
    pub text: String,
    pub advisory: bool,
    /// `open`, `accepted`, `declined`, or `None` for a plain comment.
    pub suggestion: Option<String>,
    pub decline_reason: Option<String>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// How the agency answers a suggestion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    Accepted,
    Declined { reason: String },
}

impl Store {
    /// Adds a comment; `suggestion` makes an approver's remark a suggestion to resolve.
    pub async fn add_plan_comment(
        &self,
        post: &PlanPost,
        who: Relation,
        actor: UserId,
        text: &str,
        suggestion: bool,
    ) -> StoreResult<PlanComment> {
        transition(post.state(), PostAction::Comment, who).map_err(refusal)?;
        let text = text.trim();
        if text.is_empty() {
            return Err(StoreError::Unacceptable {
                en: "field `text`: the comment is empty".into(),
                ru: "комментарий пуст: напишите хоть что-нибудь".into(),
            });
        }
        if text.chars().count() > MAX_COMMENT_CHARS {
            let chars = text.chars().count();
            return Err(StoreError::Unacceptable {
                en: format!("field `text`: {chars} characters, a comment holds at most {MAX_COMMENT_CHARS}"),
                ru: format!("в комментарии {chars} симв., а допустимо не больше {MAX_COMMENT_CHARS}"),
            });
        }
        let advisory = comment_is_advisory(who);
        if suggestion && advisory {
            return Err(StoreError::Unacceptable {
                en: "field `suggestion`: only the project's approvers make suggestions; other comments are advisory"
                    .into(),
                ru: "правки предлагают только согласующие проекта; остальные комментарии — рекомендации".into(),
            });
        }
        let at = now();
        let id = on_pool!(&self.pool, p => {
            let mut tx = p.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO plan_comments (post_id, author_id, text, advisory, suggestion, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(post.id.0)
            .bind(actor.0)
            .bind(text)
            .bind(advisory)
            .bind(suggestion.then_some("open"))
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
            append_audit!(&mut *tx, NewAuditEvent {
                org: post.org(),
                project: post.project(),
                subject_kind: "post",
                subject_id: post.id.0,
                actor: Some(actor),
                action: "commented",
                detail: serde_json::json!({ "comment_id": id, "advisory": advisory, "suggestion": suggestion }),
                at,
            })?;
            let payload = timers::notify_payload(post.id, NotificationKind::CommentAdded, Some(actor), at);
            enqueue_job!(&mut *tx, timers::NOTIFY, payload, at)?;
            tx.commit().await?;
            Ok::<i64, sqlx::Error>(id)
        })?;
        self.plan_comments(post.id)
            .await?
            .into_iter()
            .find(|c| c.id == CommentId(id))
            .ok_or(StoreError::NotFound)
    }

    /// A post's comments, oldest first.
    pub async fn plan_comments(&self, post: PostId) -> StoreResult<Vec<PlanComment>> {
        Ok(on_pool!(&self.pool, p => {
            sqlx::query_as::<_, PlanComment>(
                "SELECT c.id, c.post_id, c.author_id, u.display_name AS author_name, c.text, c.advisory, c.suggestion,
                        c.decline_reason, c.resolved_at, c.created_at
                 FROM plan_comments c JOIN users u ON u.id = c.author_id WHERE c.post_id = $1 ORDER BY c.id",
            )
            .bind(post.0)
            .fetch_all(p)
            .await
        })?)
    }

    /// Suggestions nobody has answered yet.
    pub async fn open_suggestions(&self, post: PostId) -> StoreResult<u32> {
        let n: i64 = on_pool!(&self.pool, p => {
            sqlx::query_scalar("SELECT COUNT(*) FROM plan_comments WHERE post_id = $1 AND suggestion = 'open'")
                .bind(post.0)
                .fetch_one(p)
                .await
        })?;
        Ok(n as u32)
    }

    /// Accepts or declines (with a reason) an open suggestion; both go on the record.
    pub async fn resolve_suggestion(
        &self,
        post: &PlanPost,
        who: Relation,
        actor: UserId,
        comment_id: CommentId,
        resolution: &Resolution,
    ) -> StoreResult<()> {
        transition(post.state(), PostAction::ResolveSuggestion, who).map_err(refusal)?;
        let (state, reason) = match resolution {
            Resolution::Accepted => ("accepted", None),
            Resolution::Declined { reason } => {
                let reason = reason.trim();
                if reason.is_empty() {
                    return Err(StoreError::Unacceptable {
                        en: "field `reason`: a declined suggestion needs the reason it was declined".into(),
                        ru: "отклоняя правку, укажите причину".into(),
                    });
                }
                ("declined", Some(reason.to_owned()))
            }
        };
        let at = now();
        on_pool!(&self.pool, p => {
            let mut tx = p.begin().await?;
            let done = sqlx::query(
                "UPDATE plan_comments SET suggestion = $1, decline_reason = $2, resolved_by = $3, resolved_at = $4
                 WHERE id = $5 AND post_id = $6 AND suggestion = 'open'",
            )
            .bind(state)
            .bind(&reason)
            .bind(actor.0)
            .bind(at)
            .bind(comment_id.0)
            .bind(post.id.0)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if done == 0 {
                return Err(StoreError::Conflict(format!(
                    "comment {comment_id} is not an open suggestion on post {}", post.id
                )));
            }
            append_audit!(&mut *tx, NewAuditEvent {
                org: post.org(),
                project: post.project(),
                subject_kind: "post",
                subject_id: post.id.0,
                actor: Some(actor),
                action: if reason.is_some() { "suggestion_declined" } else { "suggestion_accepted" },
                detail: serde_json::json!({ "comment_id": comment_id, "reason": reason }),
                at,
            })?;
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })
    }
}
