//! PostgreSQL bulk-load helpers: the per-row work a big import can safely skip.

use super::TableSpec;
use super::postgres::STAGING;
use super::stage::{BULK_MIN_ROWS, Target, smaller_than};
use crate::{StoreError, StoreResult};
use sqlx::postgres::PgConnection;

/// Whether a key appears twice in the staged rows (asked only when the file was too large
/// to track its keys while streaming).
pub(super) async fn keys_repeat(conn: &mut PgConnection, spec: &TableSpec) -> StoreResult<bool> {
    // Enough memory for the hash aggregate to stay in memory for a few million rows.
    sqlx::query("SET LOCAL work_mem = '64MB'").execute(&mut *conn).await?;
    let key = spec.key.join(", ");
    let sql = format!("SELECT EXISTS (SELECT 1 FROM {STAGING} GROUP BY {key} HAVING COUNT(*) > 1)");
    Ok(sqlx::query_scalar(&sql).fetch_one(&mut *conn).await?)
}

/// Skips the foreign-key triggers for the rest of the transaction when the role may set
/// `session_replication_role` (superusers, or a role granted `SET` on it): they run a query
/// per inserted row to check `org_id` and `project_id`, which are the same for every row of
/// an import. Instead the project row is checked and locked once (`FOR KEY SHARE`, the lock
/// those checks take), so it cannot be deleted before commit; its organization cannot go
/// while it exists. Without the privilege, nothing changes and the triggers run.
pub(super) async fn skip_row_checks(conn: &mut PgConnection, target: Target) -> StoreResult<()> {
    sqlx::query("SELECT 1 FROM projects WHERE id = $1 AND org_id = $2 FOR KEY SHARE")
        .bind(target.project)
        .bind(target.org)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    sqlx::query("SAVEPOINT keel_row_checks").execute(&mut *conn).await?;
    match sqlx::query("SET LOCAL session_replication_role = replica")
        .execute(&mut *conn)
        .await
    {
        Ok(_) => {
            sqlx::query("RELEASE SAVEPOINT keel_row_checks")
                .execute(&mut *conn)
                .await?;
        }
        Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("42501") => {
            sqlx::query("ROLLBACK TO SAVEPOINT keel_row_checks")
                .execute(&mut *conn)
                .await?;
        }
        Err(e) => return Err(e.into()),
    }
    Ok(())
}

/// For a bulk load — at least [`BULK_MIN_ROWS`] rows, and more than the whole table holds —
/// drops the table's non-unique indexes and returns their definitions to run after the
/// rows are in: keyed by time, they would otherwise take every row in random order, while
/// building them sorts once. `DROP INDEX` locks the table against readers until commit,
/// which is why this is kept to loads larger than everything already there, and why it
/// gives up (keeping the indexes) when that lock is not granted within two seconds, or the
/// role does not own the table.
pub(super) async fn drop_indexes(conn: &mut PgConnection, spec: &TableSpec, fed: u64) -> StoreResult<Vec<String>> {
    if fed < BULK_MIN_ROWS || !smaller_than!(&mut *conn, spec, fed) {
        return Ok(Vec::new());
    }
    drop_indexes_now(conn, spec).await
}

/// Whether `spec`'s table holds no row at all (of any project).
async fn table_is_empty(conn: &mut PgConnection, spec: &TableSpec) -> StoreResult<bool> {
    let sql = format!("SELECT NOT EXISTS (SELECT 1 FROM {})", spec.table);
    Ok(sqlx::query_scalar(&sql).fetch_one(&mut *conn).await?)
}

/// Takes `spec`'s table for this transaction alone when it holds no row at all, and says
/// whether it did. Locked first, then checked: a concurrent import into another project
/// may be about to commit rows the first look did not see. Gives up (holding nothing)
/// when the lock is not granted within two seconds, or rows are there.
pub(super) async fn claim_empty_table(conn: &mut PgConnection, spec: &TableSpec) -> StoreResult<bool> {
    if !table_is_empty(conn, spec).await? {
        return Ok(false);
    }
    sqlx::query("SAVEPOINT keel_claim").execute(&mut *conn).await?;
    sqlx::query("SET LOCAL lock_timeout = '2s'").execute(&mut *conn).await?;
    let locked = sqlx::query(&format!("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE", spec.table))
        .execute(&mut *conn)
        .await;
    let claimed = match locked {
        Ok(_) => table_is_empty(conn, spec).await?,
        Err(sqlx::Error::Database(e)) if matches!(e.code().as_deref(), Some("55P03" | "42501")) => false,
        Err(e) => return Err(e.into()),
    };
    let end = if claimed {
        "RELEASE SAVEPOINT keel_claim"
    } else {
        "ROLLBACK TO SAVEPOINT keel_claim"
    };
    sqlx::query(end).execute(&mut *conn).await?;
    sqlx::query("SET LOCAL lock_timeout = DEFAULT")
        .execute(&mut *conn)
        .await?;
    Ok(claimed)
}

/// Empties the claimed table with `TRUNCATE`, which lets the following `COPY … FREEZE` write
/// its rows frozen and marked all-visible: no vacuum is then needed before the report's
/// index-only scans can skip the heap (a `VACUUM` of a million fresh rows took 0.4 s).
/// `false`, with nothing changed, when the table may not be truncated.
pub(super) async fn truncate_for_freeze(conn: &mut PgConnection, spec: &TableSpec) -> StoreResult<bool> {
    sqlx::query("SAVEPOINT keel_truncate").execute(&mut *conn).await?;
    match sqlx::query(&format!("TRUNCATE {}", spec.table))
        .execute(&mut *conn)
        .await
    {
        Ok(_) => {
            sqlx::query("RELEASE SAVEPOINT keel_truncate")
                .execute(&mut *conn)
                .await?;
            Ok(true)
        }
        // Not allowed (42501), or referenced by a foreign key (0A000): copy unfrozen.
        Err(sqlx::Error::Database(e)) if matches!(e.code().as_deref(), Some("42501" | "0A000")) => {
            sqlx::query("ROLLBACK TO SAVEPOINT keel_truncate")
                .execute(&mut *conn)
                .await?;
            Ok(false)
        }
        Err(e) => Err(e.into()),
    }
}

/// [`drop_indexes`] whatever the size of the load.
pub(super) async fn drop_indexes_now(conn: &mut PgConnection, spec: &TableSpec) -> StoreResult<Vec<String>> {
    let indexes: Vec<(String, String)> = sqlx::query_as(
        "SELECT c.relname::text, pg_get_indexdef(i.indexrelid)
         FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
         WHERE i.indrelid = $1::regclass AND NOT i.indisunique",
    )
    .bind(spec.table)
    .fetch_all(&mut *conn)
    .await?;
    if indexes.is_empty() {
        return Ok(Vec::new());
    }
    sqlx::query("SAVEPOINT keel_bulk").execute(&mut *conn).await?;
    sqlx::query("SET LOCAL lock_timeout = '2s'").execute(&mut *conn).await?;
    for (name, _) in &indexes {
        let dropped = sqlx::query(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))
            .execute(&mut *conn)
            .await;
        match dropped {
            Ok(_) => {}
            // Not granted in time (55P03), or not the table's owner (42501): keep them.
            Err(sqlx::Error::Database(e)) if matches!(e.code().as_deref(), Some("55P03" | "42501")) => {
                sqlx::query("ROLLBACK TO SAVEPOINT keel_bulk")
                    .execute(&mut *conn)
                    .await?;
                return Ok(Vec::new());
            }
            Err(e) => return Err(e.into()),
        }
    }
    // Sorting for the rebuild in memory where it fits.
    sqlx::query("SET LOCAL maintenance_work_mem = '256MB'")
        .execute(&mut *conn)
        .await?;
    sqlx::query("SET LOCAL lock_timeout = DEFAULT")
        .execute(&mut *conn)
        .await?;
    sqlx::query("RELEASE SAVEPOINT keel_bulk").execute(&mut *conn).await?;
    Ok(indexes.into_iter().map(|(_, create)| create).collect())
}
