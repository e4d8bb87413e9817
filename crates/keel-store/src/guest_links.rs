//! What review links and report share links have in common: an expiring, revocable address
//! for someone without an account, whose token is shown once and kept only as its SHA-256.
//! Each kind has its own table with the same lifecycle columns (`token_hash`, `project_id`,
//! `expires_at`, `revoked_at`, `opened`, `last_opened_at`); the lookups, the list and the
//! audited revoke are written once here for both.

use crate::audit::NewAuditEvent;
use crate::credentials::secret_hash;
use crate::{Store, StoreResult, append_audit, now, on_pool};
use keel_domain::{OrgId, ProjectId, UserId};
use serde_json::json;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;

/// A kind of guest link: its row type, table, columns and the audit trail's subject kind.
pub(crate) trait GuestLink:
    Send + Unpin + for<'r> sqlx::FromRow<'r, SqliteRow> + for<'r> sqlx::FromRow<'r, PgRow>
{
    const TABLE: &'static str;
    const COLUMNS: &'static str;
    const SUBJECT_KIND: &'static str;
}

impl Store {
    /// The live link behind `token`, counting this open when `count_open`; `None` for an
    /// unknown, revoked or expired one.
    pub(crate) async fn live_guest_link<L: GuestLink>(&self, token: &str, count_open: bool) -> StoreResult<Option<L>> {
        let (table, columns) = (L::TABLE, L::COLUMNS);
        let sql = if count_open {
            format!(
                "UPDATE {table} SET opened = opened + 1, last_opened_at = $2
                 WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2 RETURNING {columns}"
            )
        } else {
            format!("SELECT {columns} FROM {table} WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2")
        };
        Ok(on_pool!(&self.pool, p => {
            sqlx::query_as::<_, L>(&sql).bind(secret_hash(token)).bind(now()).fetch_optional(p).await
        })?)
    }

    /// Every link of this kind on `project`, newest first.
    pub(crate) async fn guest_links_of<L: GuestLink>(&self, project: ProjectId) -> StoreResult<Vec<L>> {
        let sql = format!(
            "SELECT {} FROM {} WHERE project_id = $1 ORDER BY id DESC",
            L::COLUMNS,
            L::TABLE
        );
        Ok(on_pool!(&self.pool, p => {
            sqlx::query_as::<_, L>(&sql).bind(project.0).fetch_all(p).await
        })?)
    }

    /// Revokes link `id` of `project`; false when it was not live there. Audited in the same
    /// transaction.
    pub(crate) async fn revoke_guest_link<L: GuestLink>(
        &self,
        org: OrgId,
        project: ProjectId,
        id: i64,
        actor: UserId,
    ) -> StoreResult<bool> {
        let at = now();
        let sql = format!(
            "UPDATE {} SET revoked_at = $3 WHERE project_id = $1 AND id = $2 AND revoked_at IS NULL",
            L::TABLE
        );
        let done = on_pool!(&self.pool, p => {
            let mut tx = p.begin().await?;
            let done = sqlx::query(&sql).bind(project.0).bind(id).bind(at).execute(&mut *tx).await?.rows_affected();
            if done == 1 {
                append_audit!(&mut *tx, NewAuditEvent {
                    org, project, subject_kind: L::SUBJECT_KIND, subject_id: id, actor: Some(actor),
                    action: "revoked", detail: json!({}), at,
                })?;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(done)
        })?;
        Ok(done == 1)
    }
}
