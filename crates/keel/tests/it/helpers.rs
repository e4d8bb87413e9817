//! The test harness: a running Keel on a random port over a fresh database per test (on either
//! backend, from keel-testkit), and one helper per role.

use keel_store::Store;
use keel_web::{AppState, WebConfig};
use std::net::SocketAddr;

pub const DEMO_PASSWORD: &str = keel::demo::DEMO_PASSWORD;

pub use keel_testkit::{Backend, TestDb, skip};

/// A running Keel with the demo data.
pub struct TestApp {
    pub store: Store,
    pub addr: SocketAddr,
    _db: TestDb,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl TestApp {
    /// Keel on an empty database (or `None` when the backend is unavailable and skipped).
    pub async fn empty(backend: Backend, test: &str) -> Option<TestApp> {
        TestApp::with_state(backend, test, |store| {
            AppState::new(
                store,
                WebConfig {
                    secure_cookies: false,
                    max_body_bytes: 4 * 1024 * 1024,
                    ..Default::default()
                },
            )
        })
        .await
    }

    /// Keel on an empty database with the app state `make` builds from the store (other
    /// settings, another calendar source).
    pub async fn with_state(backend: Backend, test: &str, make: impl FnOnce(Store) -> AppState) -> Option<TestApp> {
        TestApp::with_state_at(backend, test, |store, _| make(store)).await
    }

    /// As [`TestApp::with_state`], with the address Keel will listen on (for `public_url`).
    pub async fn with_state_at(
        backend: Backend,
        test: &str,
        make: impl FnOnce(Store, SocketAddr) -> AppState,
    ) -> Option<TestApp> {
        let db = TestDb::new(backend, test).await?;
        let store = Store::open(&db.url).await.expect("open test store");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = make(store.clone(), addr);
        let server = tokio::spawn(async move {
            keel_web::serve(listener, state, std::future::pending()).await.unwrap();
        });
        Some(TestApp {
            store,
            addr,
            _db: db,
            server,
        })
    }

    /// Keel with `keel demo` filled in.
    pub async fn demo(backend: Backend, test: &str) -> Option<TestApp> {
        let app = TestApp::empty(backend, test).await?;
        keel::demo::fill(&app.store).await.expect("demo data");
        Some(app)
    }

    /// The SQLite database file, when the app runs on SQLite.
    pub fn sqlite_path(&self) -> Option<std::path::PathBuf> {
        let path = self._db.url.strip_prefix("sqlite://")?;
        Some(std::path::PathBuf::from(path.split('?').next().unwrap_or(path)))
    }

    /// The database's URL (to open another store or server on it).
    pub fn database_url(&self) -> &str {
        &self._db.url
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// An API client for the demo user `email` (a fresh token).
    pub async fn token(&self, email: &str) -> String {
        keel::commands::create_token(&self.store, email, "test")
            .await
            .expect("token")
    }

    /// A browser-like client (cookies kept, redirects not followed).
    pub fn browser() -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    /// A session cookie value for `email`, made directly in the store.
    pub async fn session(&self, email: &str) -> String {
        let user = self
            .store
            .user_by_email(&keel_domain::Email::parse(email).unwrap())
            .await
            .unwrap()
            .expect("user exists");
        self.store.create_session(user.id()).await.unwrap()
    }

    /// Logs `client` in through the login form, as a person would.
    pub async fn login(&self, client: &reqwest::Client, email: &str, password: &str) -> reqwest::Response {
        let page = client
            .get(self.url("/login"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let csrf = csrf_of(&page);
        client
            .post(self.url("/login"))
            .form(&[
                ("email", email),
                ("password", password),
                ("_csrf", &csrf),
                ("next", "/projects"),
            ])
            .send()
            .await
            .unwrap()
    }
}

/// The `_csrf` value of the first form in `html`.
pub fn csrf_of(html: &str) -> String {
    let at = html.find("name=\"_csrf\" value=\"").expect("a form with a CSRF field");
    html[at + 20..].split('"').next().unwrap().to_owned()
}

/// Runs each test body once per backend: `mod name { sqlite(), postgres() }`.
macro_rules! on_both_backends {
    ($(async fn $name:ident($backend:ident) $body:block)*) => {$(
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            async fn run($backend: $crate::helpers::Backend) $body
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() { run($crate::helpers::Backend::Sqlite).await }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() { run($crate::helpers::Backend::Postgres).await }
        }
    )*};
}
