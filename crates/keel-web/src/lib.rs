//! Keel's web app and JSON API.
//!
//! Every route is declared once in [`routes`], together with the guard it needs; the router,
//! the authorization checks, the OpenAPI document and the route-by-role test are all built
//! from that one list, so a new route cannot be added without saying who may use it.

#![forbid(unsafe_code)]

mod api;
mod assets;
mod auth;
mod charts;
mod error;
mod i18n;
mod ops;
mod pages;
mod planning;
pub mod routes;
mod streaming;
mod uploads;

pub use auth::guard::Guard;
pub use error::WebError;
pub use i18n::Lang;

use axum::Router;
use keel_store::Store;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;

/// Settings the web layer needs; the binary fills them from its configuration.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure` on every response (set when Keel is served over HTTPS). Behind a
    /// proxy that sends `X-Forwarded-Proto: https` they are marked secure regardless.
    pub secure_cookies: bool,
    /// Largest request body accepted, in bytes (file uploads included).
    pub max_body_bytes: usize,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            secure_cookies: false,
            max_body_bytes: 64 * 1024 * 1024,
        }
    }
}

/// What every handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<WebConfig>,
    pub metrics: Arc<ops::HttpMetrics>,
}

impl AppState {
    pub fn new(store: Store, config: WebConfig) -> Self {
        AppState {
            store,
            config: Arc::new(config),
            metrics: Arc::new(ops::HttpMetrics::new()),
        }
    }
}

/// The whole application as an axum router.
pub fn app(state: AppState) -> Router {
    routes::router(state)
}

/// Serves the app on `listener` until `shutdown` resolves.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = app(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}

/// The standalone HTML report of `keel report --format html`.
pub fn report_html(project: &keel_store::projects::Project, report: &keel_report::Report) -> String {
    pages::report::standalone(project, report)
}

/// The complete standalone HTML report of `project` over `from ..= to`, in English: the
/// analytics page's sections with every chart, the charts over time included (which
/// [`report_html`] cannot draw: a `Report` has no daily series). Computed from aggregates,
/// so it does not hold every post in memory either.
pub async fn report_html_for_period(
    store: &Store,
    project: &keel_store::projects::Project,
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
) -> anyhow::Result<String> {
    let analytics = keel_report::series::build_analytics(store, project, from, to, pages::analytics::TOP_POSTS).await?;
    Ok(pages::report::standalone_analytics(project, &analytics, Lang::En))
}
