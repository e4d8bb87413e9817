//! The brief's versions: each save appends a version (none is ever rewritten) and the agency
//! lead acknowledges a version; both go on the audit trail in their transaction.

use crate::audit::NewAuditEvent;
use crate::{Store, StoreError, StoreResult, append_audit, now, on_pool, promote_if_ready};
use chrono::{DateTime, Utc};
use keel_domain::brief::BriefContent;
use keel_domain::{OrgId, ProjectId, UserId};
use serde_json::json;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BriefVersion {
    pub id: i64,
    pub version: i64,
    pub content: String,
    pub author_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub acknowledged_name: Option<String>,
    pub acknowledged_at: Option<DateTime<Utc>>,
}

impl BriefVersion {
    /// The stored content (written only from a validated [`BriefContent`]).
    pub fn content(&self) -> BriefContent {
        serde_json::from_str(&self.content).unwrap_or_default()
    }
}

pub(crate) const VERSION_SELECT: &str =
    "SELECT b.id, b.version, b.content, ua.display_name AS author_name, b.created_at,
        uk.display_name AS acknowledged_name, b.acknowledged_at
 FROM brief_versions b LEFT JOIN users ua ON ua.id = b.author_id LEFT JOIN users uk ON uk.id = b.acknowledged_by";

impl Store {
    /// Every version, newest first.
    pub async fn brief_versions(&self, project: ProjectId) -> StoreResult<Vec<BriefVersion>> {
        let sql = format!("{VERSION_SELECT} WHERE b.project_id = $1 ORDER BY b.version DESC");
        Ok(on_pool!(&self.pool, p => sqlx::query_as::<_, BriefVersion>(&sql).bind(project.0).fetch_all(p).await)?)
    }

    pub async fn brief_version(&self, project: ProjectId, version: i64) -> StoreResult<BriefVersion> {
        let sql = format!("{VERSION_SELECT} WHERE b.project_id = $1 AND b.version = $2");
        on_pool!(&self.pool, p => {
            sqlx::query_as::<_, BriefVersion>(&sql).bind(project.0).bind(version).fetch_optional(p).await
        })?
        .ok_or(StoreError::NotFound)
    }

    /// Saves `content` as the next version (the project may become active: a brief is one of
    /// its two conditions). Saving content identical to the latest version adds nothing and
    /// returns that version.
    #[tracing::instrument(skip(self, content))]
    pub async fn save_brief(
        &self,
        org: OrgId,
        project: ProjectId,
        content: &BriefContent,
        actor: UserId,
    ) -> StoreResult<BriefVersion> {
        let latest = self.brief_versions(project).await?.into_iter().next();
        if let Some(latest) = latest.filter(|l| l.content() == *content) {
            return Ok(latest);
        }
        let text = serde_json::to_string(content).map_err(|e| StoreError::Invalid(e.to_string()))?;
        let at = now();
        let version = on_pool!(&self.pool, p => {
            let mut tx = p.begin().await?;
            let version: i64 = sqlx::query_scalar(
                "INSERT INTO brief_versions (org_id, project_id, version, content, author_id, created_at)
                 VALUES ($1, $2, (SELECT COALESCE(MAX(version), 0) + 1 FROM brief_versions WHERE project_id = $2), $3, $4, $5)
                 RETURNING version",
            )
            .bind(org.0).bind(project.0).bind(&text).bind(actor.0).bind(at)
            .fetch_one(&mut *tx).await?;
            append_audit!(&mut *tx, NewAuditEvent {
                org, project, subject_kind: "brief", subject_id: version, actor: Some(actor),
                action: "version_saved", detail: json!({ "version": version, "content": content }), at,
            })?;
            promote_if_ready!(tx, org, project, Some(actor))?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(version)
        })
        .map_err(|e| StoreError::from(e).on_unique("someone saved the brief at the same moment: reload and try again"))?;
        self.brief_version(project, version).await
    }

    /// The agency lead's acknowledgement of `version` (acknowledging twice changes nothing).
    #[tracing::instrument(skip(self))]
    pub async fn acknowledge_brief(
        &self,
        org: OrgId,
        project: ProjectId,
        version: i64,
        actor: UserId,
    ) -> StoreResult<BriefVersion> {
        self.brief_version(project, version).await?;
        let at = now();
        on_pool!(&self.pool, p => {
            let mut tx = p.begin().await?;
            let changed = sqlx::query(
                "UPDATE brief_versions SET acknowledged_by = $3, acknowledged_at = $4
                 WHERE project_id = $1 AND version = $2 AND acknowledged_at IS NULL",
            )
            .bind(project.0).bind(version).bind(actor.0).bind(at)
            .execute(&mut *tx).await?.rows_affected();
            if changed > 0 {
                append_audit!(&mut *tx, NewAuditEvent {
                    org, project, subject_kind: "brief", subject_id: version, actor: Some(actor),
                    action: "acknowledged", detail: json!({ "version": version }), at,
                })?;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(())
        })?;
        self.brief_version(project, version).await
    }
}
