//! A project's connections to the platforms. Credentials go in as plain JSON and are sealed
//! here ([`crate::sealing`]) before they touch the database; they come out only through
//! [`Store::connection_secret`], for the call that needs them. Every change is audited (without
//! the secret).

use crate::sealing::{Secret, SecretKey, hint_of};
use crate::{Store, StoreError, StoreResult, append_audit, audit::NewAuditEvent, now, on_pool};
use chrono::{DateTime, Utc};
use keel_domain::connection::{ConnectionPlatform, ConnectionStatus};
use keel_domain::{OrgId, ProjectId, UserId};

/// A connection as pages and the API show it: never the secret, only its last four characters.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Connection {
    pub id: i64,
    pub org_id: i64,
    pub project_id: i64,
    pub platform: String,
    pub account: String,
    pub account_name: String,
    pub secret_hint: String,
    pub status: String,
    pub last_error: Option<String>,
    pub last_sync_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// When the schedule next syncs it (`None`: at its next look).
    pub next_sync_at: Option<DateTime<Utc>>,
}

impl Connection {
    pub fn platform(&self) -> Option<ConnectionPlatform> {
        ConnectionPlatform::parse(&self.platform)
    }

    pub fn status(&self) -> ConnectionStatus {
        ConnectionStatus::parse(&self.status).unwrap_or(ConnectionStatus::Error)
    }

    pub fn project(&self) -> ProjectId {
        ProjectId(self.project_id)
    }

    pub fn org(&self) -> OrgId {
        OrgId(self.org_id)
    }

    /// What the sealed secret is bound to: this project and platform.
    fn context(&self) -> String {
        seal_context(self.project(), &self.platform)
    }
}

fn seal_context(project: ProjectId, platform: &str) -> String {
    format!("keel:connection:{}:{platform}", project.0)
}

const SELECT: &str = "SELECT id, org_id, project_id, platform, account, account_name, secret_hint, status, last_error,
        last_sync_at, created_at, updated_at, next_sync_at FROM connections";

/// A checked connection to store.
#[derive(Debug)]
pub struct NewConnection<'a> {
    pub org: OrgId,
    pub project: ProjectId,
    pub platform: ConnectionPlatform,
    pub account: &'a str,
    pub account_name: &'a str,
    /// The credentials as JSON (`{"access_token": …}`); sealed before storing.
    pub secret: &'a Secret,
    /// The characters shown later (the last four of the token).
    pub hint_of: &'a str,
    pub actor: UserId,
}

impl Store {
    /// Stores a connection, replacing the project's connection to the same platform (a
    /// reconnect: new credentials, status `ok`). Audited as `connected` or `reconnected`.
    pub async fn save_connection(&self, key: &SecretKey, new: &NewConnection<'_>) -> StoreResult<Connection> {
        let at = now();
        let sealed = key.seal(
            new.secret.0.as_bytes(),
            &seal_context(new.project, new.platform.as_str()),
        );
        let hint = hint_of(new.hint_of);
        let id = on_pool!(&self.pool, p => {
            let mut tx = p.begin().await?;
            // A write first: on SQLite a transaction that reads before it writes fails with
            // "database is locked" when another writer committed in between (WAL snapshot).
            let existing = sqlx::query("UPDATE connections SET updated_at = updated_at WHERE project_id = $1 AND platform = $2")
                .bind(new.project.0)
                .bind(new.platform.as_str())
                .execute(&mut *tx)
                .await?
                .rows_affected()
                > 0;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO connections (org_id, project_id, platform, account, account_name, secret, secret_hint, status,
                                          last_error, created_by, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 'ok', NULL, $8, $9, $9)
                 ON CONFLICT (project_id, platform) DO UPDATE SET account = excluded.account,
                        account_name = excluded.account_name, secret = excluded.secret,
                        secret_hint = excluded.secret_hint, status = 'ok', last_error = NULL,
                        updated_at = excluded.updated_at
                 RETURNING id",
            )
            .bind(new.org.0)
            .bind(new.project.0)
            .bind(new.platform.as_str())
            .bind(new.account)
            .bind(new.account_name)
            .bind(&sealed)
            .bind(&hint)
            .bind(new.actor.0)
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
            append_audit!(&mut *tx, NewAuditEvent {
                org: new.org,
                project: new.project,
                subject_kind: "connection",
                subject_id: id,
                actor: Some(new.actor),
                action: if existing { "reconnected" } else { "connected" },
                detail: serde_json::json!({
                    "platform": new.platform.as_str(), "account": new.account, "secret_hint": hint,
                }),
                at,
            })?;
            tx.commit().await?;
            Ok::<i64, StoreError>(id)
        })?;
        self.connection(id).await?.ok_or(StoreError::NotFound)
    }

    /// A connection by id, in any project (jobs; pages check the project themselves).
    pub async fn connection(&self, id: i64) -> StoreResult<Option<Connection>> {
        let sql = format!("{SELECT} WHERE id = $1");
        Ok(on_pool!(&self.pool, p => sqlx::query_as::<_, Connection>(&sql).bind(id).fetch_optional(p).await)?)
    }

    /// The project's connections, by platform.
    pub async fn connections_of(&self, project: ProjectId) -> StoreResult<Vec<Connection>> {
        let sql = format!("{SELECT} WHERE project_id = $1 ORDER BY platform");
        Ok(on_pool!(&self.pool, p => sqlx::query_as::<_, Connection>(&sql).bind(project.0).fetch_all(p).await)?)
    }

    /// The project's connection to `platform`, if any.
    pub async fn connection_for(
        &self,
        project: ProjectId,
        platform: ConnectionPlatform,
    ) -> StoreResult<Option<Connection>> {
        let sql = format!("{SELECT} WHERE project_id = $1 AND platform = $2");
        Ok(on_pool!(&self.pool, p => {
            sqlx::query_as::<_, Connection>(&sql)
                .bind(project.0)
                .bind(platform.as_str())
                .fetch_optional(p)
                .await
        })?)
    }

    /// Opens the connection's credentials for the call that needs them.
    pub async fn connection_secret(&self, key: &SecretKey, connection: &Connection) -> StoreResult<Secret> {
        let sealed: Vec<u8> = on_pool!(&self.pool, p => {
            sqlx::query_scalar("SELECT secret FROM connections WHERE id = $1")
                .bind(connection.id)
                .fetch_one(p)
                .await
        })?;
        key.open(&sealed, &connection.context())
            .map_err(|e| StoreError::Invalid(e.to_string()))
    }

    /// Replaces the connection's credentials at once, in their own committed transaction: an
    /// amoCRM refresh answers a new refresh token and revokes the old one, so the new pair must
    /// be stored the moment it is received (a sync that fails later must not roll it back).
    pub async fn replace_connection_secret(
        &self,
        key: &SecretKey,
        connection: &Connection,
        secret: &Secret,
    ) -> StoreResult<()> {
        let sealed = key.seal(secret.0.as_bytes(), &connection.context());
        on_pool!(&self.pool, p => {
            sqlx::query("UPDATE connections SET secret = $2, updated_at = $3 WHERE id = $1")
                .bind(connection.id)
                .bind(&sealed)
                .bind(now())
                .execute(p)
                .await
                .map(|_| ())
        })?;
        Ok(())
    }

    /// Records how the connection fared at its last use (`last_error` in words, or cleared).
    pub async fn set_connection_status(
        &self,
        id: i64,
        status: ConnectionStatus,
        last_error: Option<&str>,
    ) -> StoreResult<()> {
        on_pool!(&self.pool, p => {
            sqlx::query("UPDATE connections SET status = $2, last_error = $3, updated_at = $4 WHERE id = $1")
                .bind(id)
                .bind(status.as_str())
                .bind(last_error)
                .bind(now())
                .execute(p)
                .await
                .map(|_| ())
        })?;
        Ok(())
    }

    /// Removes a connection (its publications keep their outcome). Audited as `disconnected`.
    pub async fn remove_connection(&self, connection: &Connection, actor: UserId) -> StoreResult<()> {
        let at = now();
        on_pool!(&self.pool, p => {
            let mut tx = p.begin().await?;
            sqlx::query("DELETE FROM connections WHERE id = $1")
                .bind(connection.id)
                .execute(&mut *tx)
                .await?;
            append_audit!(&mut *tx, NewAuditEvent {
                org: connection.org(),
                project: connection.project(),
                subject_kind: "connection",
                subject_id: connection.id,
                actor: Some(actor),
                action: "disconnected",
                detail: serde_json::json!({ "platform": connection.platform, "account": connection.account }),
                at,
            })?;
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })
    }
}
