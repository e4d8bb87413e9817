//! What reports for the client keep: the organization's brand, share links to one report
//! (token shown once, only its SHA-256 kept, every open counted), and each project's
//! delivery schedule.

use crate::audit::NewAuditEvent;
use crate::credentials::{random_secret, secret_hash};
use crate::{Store, StoreResult, append_audit, now, on_pool};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use keel_domain::{OrgId, ProjectId, UserId};
use serde_json::json;

/// How long a share link works unless its maker says otherwise.
pub const REPORT_LINK_DAYS: i64 = 30;

/// The accent colour of an organization that chose none.
pub const DEFAULT_ACCENT: &str = "#0b6e4f";

/// An organization's look on reports.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OrgBrand {
    /// `#rrggbb`.
    pub accent: String,
    pub logo: Option<Vec<u8>>,
    /// `image/png` or `image/jpeg`.
    pub logo_type: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReportLink {
    pub id: i64,
    pub org_id: i64,
    pub project_id: i64,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    /// `en` or `ru`.
    pub lang: String,
    pub created_by: i64,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub opened: i64,
    pub last_opened_at: Option<DateTime<Utc>>,
}

impl ReportLink {
    pub fn live(&self, at: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at > at
    }
}

const LINK_COLUMNS: &str = "id, org_id, project_id, period_from, period_to, lang, created_by, created_at, expires_at, revoked_at, opened, last_opened_at";

impl crate::guest_links::GuestLink for ReportLink {
    const TABLE: &'static str = "report_links";
    const COLUMNS: &'static str = LINK_COLUMNS;
    const SUBJECT_KIND: &'static str = "report_link";
}

/// A project's delivery schedule.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ReportSchedule {
    pub project_id: i64,
    pub org_id: i64,
    /// `monthly` or `weekly`.
    pub cadence: String,
    /// Day of the month (1..28) or ISO weekday (1 = Monday .. 7).
    pub day_of: i32,
    /// `HH:MM` in the project's time zone.
    pub at_time: String,
    pub lang: String,
    /// A JSON array of user ids.
    pub recipients: String,
    pub next_run_at: DateTime<Utc>,
    pub last_sent_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

impl ReportSchedule {
    pub fn recipient_ids(&self) -> Vec<i64> {
        serde_json::from_str(&self.recipients).unwrap_or_default()
    }
}

const SCHEDULE_COLUMNS: &str =
    "project_id, org_id, cadence, day_of, at_time, lang, recipients, next_run_at, last_sent_at, last_error";

/// What a schedule is set to.
#[derive(Debug, Clone)]
pub struct NewSchedule<'a> {
    pub cadence: &'a str,
    pub day_of: i32,
    pub at_time: &'a str,
    pub lang: &'a str,
    pub recipients: &'a [i64],
    pub next_run_at: DateTime<Utc>,
}

/// The job kind of one scheduled delivery.
pub const REPORT_DELIVERY: &str = "report_delivery";

impl Store {
    /// The brand of `org`: its stored accent and logo, else the default accent and none.
    pub async fn org_brand(&self, org: OrgId) -> StoreResult<OrgBrand> {
        let found = on_pool!(&self.pool, p => {
            sqlx::query_as::<_, OrgBrand>("SELECT accent, logo, logo_type FROM org_brands WHERE org_id = $1")
                .bind(org.0).fetch_optional(p).await
        })?;
        Ok(found.unwrap_or(OrgBrand {
            accent: DEFAULT_ACCENT.to_owned(),
            logo: None,
            logo_type: None,
        }))
    }

    /// Sets the accent (`#rrggbb`, checked by the caller) and, when `logo` is given, the logo
    /// (`Some((bytes, type))`; `Some` of empty bytes removes it).
    pub async fn set_org_brand(&self, org: OrgId, accent: &str, logo: Option<(Vec<u8>, String)>) -> StoreResult<()> {
        let current = self.org_brand(org).await?;
        let (bytes, kind) = match logo {
            Some((b, _)) if b.is_empty() => (None, None),
            Some((b, t)) => (Some(b), Some(t)),
            None => (current.logo, current.logo_type),
        };
        on_pool!(&self.pool, p => {
            sqlx::query(
                "INSERT INTO org_brands (org_id, accent, logo, logo_type, updated_at) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (org_id) DO UPDATE SET accent = excluded.accent, logo = excluded.logo,
                   logo_type = excluded.logo_type, updated_at = excluded.updated_at",
            )
            .bind(org.0).bind(accent).bind(bytes.clone()).bind(kind.clone()).bind(now())
            .execute(p).await.map(|_| ())
        })?;
        Ok(())
    }

    /// Makes a share link to the report of `project` over `from ..= to` in `lang`, working
    /// `days` days; returns it with its token (shown once). Audited as `report_link/created`.
    #[allow(clippy::too_many_arguments)]
    pub async fn create_report_link(
        &self,
        org: OrgId,
        project: ProjectId,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        lang: &str,
        created_by: UserId,
        days: i64,
    ) -> StoreResult<(ReportLink, String)> {
        let token = random_secret("");
        let at = now();
        let sql = format!(
            "INSERT INTO report_links (org_id, project_id, token_hash, period_from, period_to, lang, created_by, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING {LINK_COLUMNS}"
        );
        let link = on_pool!(&self.pool, p => {
            let mut tx = p.begin().await?;
            let link = sqlx::query_as::<_, ReportLink>(&sql)
                .bind(org.0).bind(project.0).bind(secret_hash(&token)).bind(from).bind(to).bind(lang)
                .bind(created_by.0).bind(at).bind(at + Duration::days(days))
                .fetch_one(&mut *tx).await?;
            append_audit!(&mut *tx, NewAuditEvent {
                org, project, subject_kind: "report_link", subject_id: link.id, actor: Some(created_by),
                action: "created", detail: json!({ "from": from, "to": to, "days": days }), at,
            })?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(link)
        })?;
        Ok((link, token))
    }

    /// The live link behind `token`, counting this open; `None` for an unknown, revoked or
    /// expired one.
    pub async fn open_report_link(&self, token: &str) -> StoreResult<Option<ReportLink>> {
        self.live_guest_link(token, true).await
    }

    /// The live link behind `token` without counting an open (its PDF download).
    pub async fn report_link(&self, token: &str) -> StoreResult<Option<ReportLink>> {
        self.live_guest_link(token, false).await
    }

    /// Every share link of `project`, newest first.
    pub async fn report_links_of(&self, project: ProjectId) -> StoreResult<Vec<ReportLink>> {
        self.guest_links_of(project).await
    }

    /// Link `id` if it belongs to `org` (for the API's revoke, whose path names no project).
    pub async fn report_link_in_org(&self, org: OrgId, id: i64) -> StoreResult<Option<ReportLink>> {
        let sql = format!("SELECT {LINK_COLUMNS} FROM report_links WHERE org_id = $1 AND id = $2");
        Ok(on_pool!(&self.pool, p => {
            sqlx::query_as::<_, ReportLink>(&sql).bind(org.0).bind(id).fetch_optional(p).await
        })?)
    }

    /// Revokes link `id` of `project`; false when it was not live there. Audited.
    pub async fn revoke_report_link(
        &self,
        org: OrgId,
        project: ProjectId,
        id: i64,
        actor: UserId,
    ) -> StoreResult<bool> {
        self.revoke_guest_link::<ReportLink>(org, project, id, actor).await
    }

    /// The delivery schedule of `project`, if any.
    pub async fn report_schedule(&self, project: ProjectId) -> StoreResult<Option<ReportSchedule>> {
        let sql = format!("SELECT {SCHEDULE_COLUMNS} FROM report_schedules WHERE project_id = $1");
        Ok(on_pool!(&self.pool, p => {
            sqlx::query_as::<_, ReportSchedule>(&sql).bind(project.0).fetch_optional(p).await
        })?)
    }

    /// Sets the schedule of `project` and queues its next delivery (dropping a queued one of
    /// the schedule it replaces), in one transaction. Audited.
    pub async fn set_report_schedule(
        &self,
        org: OrgId,
        project: ProjectId,
        s: &NewSchedule<'_>,
        actor: UserId,
    ) -> StoreResult<()> {
        let at = now();
        let recipients = serde_json::to_string(s.recipients).unwrap_or_else(|_| "[]".into());
        on_pool!(&self.pool, p => {
            let mut tx = p.begin().await?;
            sqlx::query(
                "INSERT INTO report_schedules (project_id, org_id, cadence, day_of, at_time, lang, recipients, next_run_at, updated_by, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                 ON CONFLICT (project_id) DO UPDATE SET cadence = excluded.cadence, day_of = excluded.day_of,
                   at_time = excluded.at_time, lang = excluded.lang, recipients = excluded.recipients,
                   next_run_at = excluded.next_run_at, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
            )
            .bind(project.0).bind(org.0).bind(s.cadence).bind(s.day_of).bind(s.at_time).bind(s.lang)
            .bind(&recipients).bind(s.next_run_at).bind(actor.0).bind(at)
            .execute(&mut *tx).await?;
            sqlx::query("DELETE FROM jobs WHERE kind = $1 AND state = 'pending' AND payload = $2")
                .bind(REPORT_DELIVERY).bind(json!({ "project_id": project.0 }).to_string())
                .execute(&mut *tx).await?;
            crate::enqueue_job!(&mut *tx, REPORT_DELIVERY, json!({ "project_id": project.0 }), s.next_run_at)?;
            append_audit!(&mut *tx, NewAuditEvent {
                org, project, subject_kind: "report_schedule", subject_id: project.0, actor: Some(actor),
                action: "set", detail: json!({ "cadence": s.cadence, "day_of": s.day_of, "at": s.at_time, "recipients": s.recipients }), at,
            })?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(())
        })?;
        Ok(())
    }

    /// Records a delivery's outcome; on success moves the schedule to `next` and queues it.
    pub async fn record_report_delivery(
        &self,
        project: ProjectId,
        error: Option<&str>,
        next: Option<DateTime<Utc>>,
    ) -> StoreResult<()> {
        let at = now();
        on_pool!(&self.pool, p => {
            let mut tx = p.begin().await?;
            match (error, next) {
                (Some(e), _) => {
                    sqlx::query("UPDATE report_schedules SET last_error = $2 WHERE project_id = $1")
                        .bind(project.0).bind(e).execute(&mut *tx).await?;
                }
                (None, Some(next)) => {
                    sqlx::query("UPDATE report_schedules SET last_sent_at = $2, last_error = NULL, next_run_at = $3 WHERE project_id = $1")
                        .bind(project.0).bind(at).bind(next).execute(&mut *tx).await?;
                    crate::enqueue_job!(&mut *tx, REPORT_DELIVERY, json!({ "project_id": project.0 }), next)?;
                }
                (None, None) => {
                    sqlx::query("UPDATE report_schedules SET last_sent_at = $2, last_error = NULL WHERE project_id = $1")
                        .bind(project.0).bind(at).execute(&mut *tx).await?;
                }
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(())
        })?;
        Ok(())
    }
}
