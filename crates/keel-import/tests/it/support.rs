//! Test databases on both engines, a project to import into, and small helpers.

use chrono::NaiveDate;
use keel_domain::{ProjectName, Slug};
use keel_import::{Format, ImportError, ImportSummary};
use keel_store::Store;
use keel_store::data::{DataRow, TableSpec};
use keel_store::projects::{NewProject, Project};
use keel_testkit::{Backend, TestDb};
use std::future::Future;

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
                crate::support::run(keel_testkit::Backend::Sqlite, module_path!(), super::$name).await
            }
            #[tokio::test]
            async fn postgres() {
                crate::support::run(keel_testkit::Backend::Postgres, module_path!(), super::$name).await
            }
        }
    )*};
}

/// Runs `body` on a fresh database of `backend`, then removes the database — also when the
/// body panics (the panic is passed on afterwards).
pub async fn run<F, Fut>(backend: Backend, test: &str, body: F)
where
    F: FnOnce(Env) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Some(db) = TestDb::new(backend, test).await else {
        return;
    };
    let store = Store::open(&db.url).await.expect("open store");
    let project = test_project(&store).await;
    let outcome = tokio::spawn(body(Env {
        store: store.clone(),
        project,
    }))
    .await;
    store.close().await;
    drop(db);
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
