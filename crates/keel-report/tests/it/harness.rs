//! Runs each test on both backends (keel-testkit's database per test): SQLite in a temporary
//! directory, and PostgreSQL in a database created for the test and dropped after it (even when
//! the test fails).
//!
//! When PostgreSQL is unreachable the PostgreSQL half is skipped with a line on stderr,
//! unless `KEEL_TEST_REQUIRE` contains `postgres` (or is `all`): then it fails.

use std::future::Future;

use keel_store::Store;
use keel_testkit::{Backend, TestDb};

/// Runs `test` against a fresh SQLite store, then against a fresh PostgreSQL store.
pub async fn on_both<F, Fut>(name: &str, test: F)
where
    F: Fn(Store) -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(db) = TestDb::new(backend, name).await else {
            continue;
        };
        let store = Store::open(&db.url)
            .await
            .unwrap_or_else(|e| panic!("open {backend} store: {e}"));
        let result = test(store.clone()).await;
        store.close().await;
        // Dropped before the verdict, so a failing test leaves no database behind.
        drop(db);
        result.unwrap_or_else(|e| panic!("{name} on {backend}: {e:#}"));
    }
}
