//! Test databases on both engines, a project to import into, and small helpers.

use chrono::NaiveDate;
use keel_domain::{ProjectName, Slug};
use keel_import::{Format, ImportError, ImportSummary};
use keel_store::Store;
use keel_store::data::{DataRow, TableSpec};
use keel_store::projects::{NewProject, Project};
use sqlx::{Connection, Executor, PgConnection};
use std::future::Future;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// Which engine a test runs on.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Sqlite,
    Postgres,
}

/// What a test gets: a migrated store and an empty project in it.
#[derive(Clone)]
pub struct Env {
    pub store: Store,
    pub project: Project,
}

/// Expands to one `sqlite` and one `postgres` test per named `async fn(Env)`.
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                crate::support::run(crate::support::Kind::Sqlite, module_path!(), super::$name).await
            }
            #[tokio::test]
            async fn postgres() {
                crate::support::run(crate::support::Kind::Postgres, module_path!(), super::$name).await
            }
        }
    )*};
}

/// The PostgreSQL server tests use (without a database name).
pub fn pg_base() -> String {
    std::env::var("KEEL_TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned())
}

fn postgres_required() -> bool {
    std::env::var("KEEL_TEST_REQUIRE")
        .map(|v| v == "all" || v.contains("postgres"))
        .unwrap_or(false)
}

fn unique(prefix: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    format!("{prefix}_{}_{n}_{nanos}", std::process::id())
}

/// A fresh SQLite database file in its own temporary directory.
pub fn sqlite_url() -> (String, PathBuf) {
    let dir = std::env::temp_dir().join(unique("keel-import-test"));
    std::fs::create_dir_all(&dir).expect("temp dir");
    (format!("sqlite://{}", dir.join("keel.db").display()), dir)
}

async fn pg_admin() -> Option<PgConnection> {
    let url = format!("{}/postgres", pg_base());
    match tokio::time::timeout(Duration::from_secs(5), PgConnection::connect(&url)).await {
        Ok(Ok(conn)) => Some(conn),
        _ => None,
    }
}

/// Runs `body` on a fresh database of `kind`, then removes the database — also when the
/// body panics (the panic is passed on afterwards).
pub async fn run<F, Fut>(kind: Kind, test: &str, body: F)
where
    F: FnOnce(Env) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let (url, cleanup_dir, pg_db) = match kind {
        Kind::Sqlite => {
            let (url, dir) = sqlite_url();
            (url, Some(dir), None)
        }
        Kind::Postgres => {
            let Some(mut admin) = pg_admin().await else {
                let msg = format!("PostgreSQL not reachable at {}", pg_base());
                assert!(!postgres_required(), "{test}: {msg} (KEEL_TEST_REQUIRE)");
                let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {msg}");
                return;
            };
            let db = unique("keel_test");
            admin
                .execute(format!("CREATE DATABASE {db}").as_str())
                .await
                .expect("create test database");
            (format!("{}/{db}", pg_base()), None, Some((admin, db)))
        }
    };
    let store = Store::open(&url).await.expect("open store");
    let project = test_project(&store).await;
    let outcome = tokio::spawn(body(Env {
        store: store.clone(),
        project,
    }))
    .await;
    store.close().await;
    if let Some(dir) = cleanup_dir {
        let _ = std::fs::remove_dir_all(dir);
    }
    if let Some((mut admin, db)) = pg_db {
        let _ = admin
            .execute(format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)").as_str())
            .await;
    }
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

/// An organization with one project, made through the store's own API.
pub async fn test_project(store: &Store) -> Project {
    let org = store.ensure_org("acme", "Acme").await.expect("org");
    store
        .create_project(&NewProject {
            org: org.id(),
            slug: Slug::parse("client").expect("slug"),
            name: ProjectName::parse("Client").expect("name"),
            started_on: NaiveDate::from_ymd_opt(2024, 1, 1).expect("date"),
            client: None,
        })
        .await
        .expect("project")
}

/// Imports `text` as a file of `format`.
pub async fn import(env: &Env, format: Format, text: &str) -> Result<ImportSummary, ImportError> {
    let reader = std::io::Cursor::new(text.as_bytes().to_vec());
    keel_import::import(&env.store, &env.project, format, reader, "test.csv", "tester", &|_| {}).await
}

/// The summary `(rows_read, stored, replaced, unchanged)` of a successful import.
pub async fn counts(env: &Env, format: Format, text: &str) -> (u64, u64, u64, u64) {
    let s = import(env, format, text)
        .await
        .unwrap_or_else(|e| panic!("import failed: {e}"));
    (s.rows_read, s.stored, s.replaced, s.unchanged)
}

/// Every row of `R`'s table in the project, each as one string of all its columns, in key
/// order: equal dumps mean equal tables.
pub async fn dump<R: DataRow>(env: &Env) -> Vec<String> {
    let spec: &TableSpec = R::SPEC;
    let cols: Vec<String> = spec
        .columns
        .iter()
        .map(|(c, _)| format!("COALESCE(CAST({c} AS TEXT), '<null>')"))
        .collect();
    let sql = format!(
        "SELECT {} FROM {} WHERE project_id = $1 ORDER BY {}",
        cols.join(" || '|' || "),
        spec.table,
        spec.key.join(", ")
    );
    keel_store::on_pool!(env.store.raw_pool_for_tests(), p => {
        sqlx::query_scalar::<_, String>(&sql).bind(env.project.id).fetch_all(p).await
    })
    .expect("dump")
}

/// One integer (or NULL) of the project's data.
pub async fn scalar(env: &Env, sql: &str) -> Option<i64> {
    keel_store::on_pool!(env.store.raw_pool_for_tests(), p => {
        sqlx::query_scalar::<_, Option<i64>>(sql).bind(env.project.id).fetch_one(p).await
    })
    .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// A posts CSV with rows `range`; `likes` of each row is `likes(n)`.
pub fn posts_csv(range: std::ops::Range<u32>, likes: impl Fn(u32) -> String) -> String {
    let mut s = String::from(
        "platform,account,post_id,published_at,type,likes,comments,shares,saves,views,reach,impressions,followers\n",
    );
    for n in range {
        s.push_str(&format!(
            "vk,brand,p{n},2024-03-{:02}T10:00:00Z,photo,{},2,1,,,500,900,1000\n",
            n % 28 + 1,
            likes(n)
        ));
    }
    s
}
