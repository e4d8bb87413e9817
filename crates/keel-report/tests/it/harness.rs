//! Runs each test on both backends: SQLite in a temporary directory, and PostgreSQL in a
//! database created for the test and dropped after it (even when the test fails).
//!
//! When PostgreSQL is unreachable the PostgreSQL half is skipped with a line on stderr,
//! unless `KEEL_TEST_REQUIRE` contains `postgres` (or is `all`): then it fails.

use std::future::Future;
use std::io::Write;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use futures_util::FutureExt;
use keel_store::Store;
use sqlx::postgres::PgPoolOptions;

/// The server the PostgreSQL half runs against; its `postgres` database is used only to
/// create and drop the per-test databases.
const PG_SERVER: &str = "postgres://postgres@127.0.0.1:5432";

/// Runs `test` against a fresh SQLite store, then against a fresh PostgreSQL store.
pub async fn on_both<F, Fut>(name: &str, test: F)
where
    F: Fn(Store) -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = format!("sqlite://{}", dir.path().join("keel.db").display());
    let store = Store::open(&url).await.expect("open SQLite store");
    test(store.clone())
        .await
        .unwrap_or_else(|e| panic!("{name} on SQLite: {e:#}"));
    store.close().await;

    on_postgres(name, test).await;
}

async fn on_postgres<F, Fut>(name: &str, test: F)
where
    F: Fn(Store) -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    let admin = match PgPoolOptions::new()
        .max_connections(1)
        .acquire_timeout(Duration::from_secs(3))
        .connect(&format!("{PG_SERVER}/postgres"))
        .await
    {
        Ok(pool) => pool,
        Err(e) => {
            let required = std::env::var("KEEL_TEST_REQUIRE").is_ok_and(|v| v.contains("postgres") || v == "all");
            assert!(!required, "{name}: PostgreSQL not reachable at {PG_SERVER}: {e}");
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED {name} on PostgreSQL: PostgreSQL not reachable at {PG_SERVER}: {e}"
            );
            return;
        }
    };
    let db = database_name(name);
    sqlx::query(&format!("CREATE DATABASE {db}"))
        .execute(&admin)
        .await
        .expect("create test database");

    let outcome = AssertUnwindSafe(async {
        let store = Store::open(&format!("{PG_SERVER}/{db}"))
            .await
            .expect("open PostgreSQL store");
        let result = test(store.clone()).await;
        store.close().await;
        result
    })
    .catch_unwind()
    .await;

    // Dropped before the verdict, so a failing test leaves no database behind.
    sqlx::query(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
        .execute(&admin)
        .await
        .expect("drop test database");
    admin.close().await;
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(e)) => panic!("{name} on PostgreSQL: {e:#}"),
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// A database name no other test (or concurrent test run) uses: the test's name, the
/// process id and a per-process counter, in lower case (an unquoted SQL identifier).
fn database_name(test: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let clean: String = test
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .take(30)
        .collect();
    format!(
        "keel_report_{clean}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}
