//! The append-only audit trail (PRODUCT.md core rule 5): submissions, approvals, change
//! requests, declined suggestions, goal changes, brief versions and meeting decisions, each
//! with actor and time.
//!
//! The schema refuses UPDATE and DELETE on `audit_events` (triggers on both backends), so the
//! only operation here is appending. A state change and its entry belong in one transaction:
//! use [`append_audit!`](crate::append_audit) on the transaction's connection; use
//! [`Store::append_audit`] only for an entry that stands alone.

use crate::{Store, StoreResult, on_pool};
use chrono::{DateTime, Utc};
use keel_domain::{OrgId, ProjectId, UserId};

/// An entry about to be appended.
#[derive(Debug, Clone)]
pub struct NewAuditEvent<'a> {
    pub org: OrgId,
    pub project: ProjectId,
    /// What the entry is about: `post`, `goal`, `brief`, `meeting`, `project`, ….
    pub subject_kind: &'a str,
    pub subject_id: i64,
    /// `None` when Keel itself acted (an SLA timer, an auto-approval).
    pub actor: Option<UserId>,
    /// A short verb in snake case: `submitted`, `approved`, `changes_requested`, ….
    pub action: &'a str,
    /// The particulars: comment, old and new values, reason.
    pub detail: serde_json::Value,
    pub at: DateTime<Utc>,
}

/// A stored entry, with the actor's e-mail and name when a person acted.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditEvent {
    pub id: i64,
    pub subject_kind: String,
    pub subject_id: i64,
    pub actor_id: Option<i64>,
    pub actor_email: Option<String>,
    pub actor_name: Option<String>,
    pub action: String,
    pub detail: String,
    pub at: DateTime<Utc>,
}

impl AuditEvent {
    /// The particulars as JSON (an empty object if the stored text is somehow not JSON).
    pub fn detail_json(&self) -> serde_json::Value {
        serde_json::from_str(&self.detail).unwrap_or_else(|_| serde_json::json!({}))
    }
}

/// Appends `$event` (a [`NewAuditEvent`]) through `$exec` — a pool or, usually, the
/// transaction that makes the change being recorded — on either backend. Evaluates to the
/// driver's `Result` of the insert.
#[macro_export]
macro_rules! append_audit {
    ($exec:expr, $event:expr) => {{
        let event: &$crate::audit::NewAuditEvent<'_> = &$event;
        sqlx::query(
            "INSERT INTO audit_events (org_id, project_id, subject_kind, subject_id, actor_id, action, detail, at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(event.org.0)
        .bind(event.project.0)
        .bind(event.subject_kind)
        .bind(event.subject_id)
        .bind(event.actor.map(|a| a.0))
        .bind(event.action)
        .bind(event.detail.to_string())
        .bind(event.at)
        .execute($exec)
        .await
        .map(|_| ())
    }};
}

const SELECT_EVENTS: &str = "SELECT e.id, e.subject_kind, e.subject_id, e.actor_id, u.email AS actor_email,
        u.display_name AS actor_name, e.action, e.detail, e.at
 FROM audit_events e LEFT JOIN users u ON u.id = e.actor_id";

impl Store {
    /// Appends one entry on its own (not part of another change).
    pub async fn append_audit(&self, event: &NewAuditEvent<'_>) -> StoreResult<()> {
        on_pool!(&self.pool, p => append_audit!(p, *event))?;
        Ok(())
    }

    /// One subject's entries, oldest first.
    pub async fn audit_of(
        &self,
        project: ProjectId,
        subject_kind: &str,
        subject_id: i64,
    ) -> StoreResult<Vec<AuditEvent>> {
        let sql = format!(
            "{SELECT_EVENTS} WHERE e.project_id = $1 AND e.subject_kind = $2 AND e.subject_id = $3 ORDER BY e.id"
        );
        Ok(on_pool!(&self.pool, p => {
            sqlx::query_as::<_, AuditEvent>(&sql)
                .bind(project.0)
                .bind(subject_kind)
                .bind(subject_id)
                .fetch_all(p)
                .await
        })?)
    }

    /// The project's latest `limit` entries of every kind, newest first.
    /// The project's latest entries, newest first, narrowed to one kind of subject (`post`,
    /// `goal`, …) and to one person when given.
    pub async fn audit_of_project_where(
        &self,
        project: ProjectId,
        subject_kinds: Option<&[&'static str]>,
        actor: Option<UserId>,
        limit: i64,
    ) -> StoreResult<Vec<AuditEvent>> {
        // Kinds are a fixed vocabulary chosen by the caller, never typed text.
        let kinds = subject_kinds.map(|k| {
            k.iter()
                .map(|k| format!("'{}'", k.replace('\'', "")))
                .collect::<Vec<_>>()
                .join(", ")
        });
        let sql = format!(
            "{SELECT_EVENTS} WHERE e.project_id = $1 {} AND (CAST($2 AS BIGINT) IS NULL OR e.actor_id = $2)
             ORDER BY e.id DESC LIMIT $3",
            kinds
                .map(|k| format!("AND e.subject_kind IN ({k})"))
                .unwrap_or_default()
        );
        Ok(on_pool!(&self.pool, p => {
            sqlx::query_as::<_, AuditEvent>(&sql).bind(project.0).bind(actor.map(|a| a.0)).bind(limit).fetch_all(p).await
        })?)
    }

    pub async fn audit_of_project(&self, project: ProjectId, limit: i64) -> StoreResult<Vec<AuditEvent>> {
        let sql = format!("{SELECT_EVENTS} WHERE e.project_id = $1 ORDER BY e.id DESC LIMIT $2");
        Ok(on_pool!(&self.pool, p => {
            sqlx::query_as::<_, AuditEvent>(&sql).bind(project.0).bind(limit).fetch_all(p).await
        })?)
    }
}
