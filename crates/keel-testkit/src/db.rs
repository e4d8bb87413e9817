//! A database that exists for one test, on either backend, and the rule for services a machine
//! may lack (PostgreSQL, Chromium): skip with a line on stderr, unless `KEEL_TEST_REQUIRE`
//! demands the service.

use sqlx::Connection;
use std::io::Write;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl std::fmt::Display for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        })
    }
}

/// Whether the environment demands `what` (`KEEL_TEST_REQUIRE=all` or a list such as
/// `postgres,chromium`): then a missing service fails the test instead of skipping it.
pub fn required(what: &str) -> bool {
    std::env::var("KEEL_TEST_REQUIRE").is_ok_and(|v| v == "all" || v.split(',').any(|p| p.trim() == what))
}

/// Reports a skipped test on the real stderr (test output capture does not hide it), or fails
/// when the service is required.
pub fn skip(test: &str, service: &str, reason: &str) {
    if required(service) {
        panic!("{test}: {reason} (KEEL_TEST_REQUIRE demands {service})");
    }
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {reason}");
}

/// The PostgreSQL database tests connect to in order to create and drop theirs:
/// `KEEL_TEST_POSTGRES_URL`, else the `postgres` database at 127.0.0.1:5432 as user `postgres`.
pub fn postgres_admin_url() -> String {
    std::env::var("KEEL_TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// A `sqlite://` URL of a database file (not yet created) in a new temporary directory, which
/// is removed when the returned guard is dropped.
pub fn temp_sqlite() -> (String, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("keel.db").display());
    (url, dir)
}

/// A database that exists for one test and is removed when this is dropped (also when the
/// test panics).
pub struct TestDb {
    pub url: String,
    pub backend: Backend,
    dir: Option<tempfile::TempDir>,
    pg_name: Option<String>,
}

impl TestDb {
    /// A new empty database, or `None` (after reporting the skip through [`skip`]) when
    /// PostgreSQL is not reachable.
    pub async fn new(backend: Backend, test: &str) -> Option<TestDb> {
        match backend {
            Backend::Sqlite => {
                let (url, dir) = temp_sqlite();
                Some(TestDb {
                    url,
                    backend,
                    dir: Some(dir),
                    pg_name: None,
                })
            }
            Backend::Postgres => {
                let admin = postgres_admin_url();
                let mut conn =
                    match tokio::time::timeout(Duration::from_secs(5), sqlx::PgConnection::connect(&admin)).await {
                        Ok(Ok(c)) => c,
                        Ok(Err(e)) => {
                            skip(test, "postgres", &format!("PostgreSQL not reachable at {admin}: {e}"));
                            return None;
                        }
                        Err(_) => {
                            skip(
                                test,
                                "postgres",
                                &format!("PostgreSQL not reachable at {admin}: no answer in 5 s"),
                            );
                            return None;
                        }
                    };
                let name = format!("keel_test_{}", uuid::Uuid::new_v4().simple());
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut conn)
                    .await
                    .expect("create test database");
                let _ = conn.close().await;
                let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
                Some(TestDb {
                    url: format!("{base}/{name}"),
                    backend,
                    dir: None,
                    pg_name: Some(name),
                })
            }
        }
    }

    /// The SQLite database's directory (for files a test puts beside it); `None` on PostgreSQL.
    pub fn dir(&self) -> Option<&std::path::Path> {
        self.dir.as_ref().map(|d| d.path())
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some(name) = self.pg_name.take() else {
            return;
        };
        // Drop runs outside async context: use a throwaway runtime on its own thread.
        // `WITH (FORCE)` ends connections a failed test left open.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                if let Ok(mut conn) = sqlx::PgConnection::connect(&postgres_admin_url()).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(&mut conn)
                        .await;
                    let _ = conn.close().await;
                }
            });
        })
        .join();
    }
}
