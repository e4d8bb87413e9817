//! Keel's web app and JSON API.
//!
//! Every route is declared once in [`routes`], together with the guard it needs; the router,
//! the authorization checks, the OpenAPI document and the route-by-role test are all built
//! from that one list, so a new route cannot be added without saying who may use it.

#![forbid(unsafe_code)]

// Shared pieces: the route table, authentication, errors, page layout, forms, JSON bodies,
// charts, translations, the OpenAPI document, embedded assets, operations, the gate on heavy
// reads and streaming.
mod assets;
mod auth;
mod charts;
mod error;
mod flash;
mod form;
mod heavy;
mod i18n;
mod json;
mod layout;
mod openapi;
mod ops;
mod project_nav;
pub mod routes;
mod security_headers;
mod streaming;
mod text_guard;

// One folder per feature, each holding its pages, API handlers, views and inputs.
mod analytics;
/// Bytes of computed analytics and reports a server keeps by default.
pub use analytics::cache::DEFAULT_CAPACITY_BYTES as DEFAULT_FIGURE_CACHE_BYTES;
mod brief;
mod calendar_feeds;
mod connections;
mod data;
mod definitions;
mod goals;
mod health;
mod meetings;
mod notifications;
mod people;
mod plan;
mod projects;
mod reports;
mod review;
mod session;
mod team;

/// Where a project's iCal feed gets its events (kept at this path for the binary and tests).
pub use calendar_feeds::source as calendar_source;
/// Scheduled report delivery: the job handler `keel serve` registers, and setting a schedule.
pub use reports::schedule as report_schedule;

pub use auth::guard::Guard;
pub use calendar_source::CalendarSource;
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
    /// The installation's address as people reach it (`https://keel.agency.example`), for
    /// links that leave the browser: calendar feed URLs, links in feeds. `None`: taken from the
    /// request's `Host` (and `X-Forwarded-Proto`).
    pub public_url: Option<String>,
    /// Whether a Telegram bot is configured, and its username (for `t.me/<bot>?start=CODE`
    /// links; `None` when it could not be learned at start).
    pub telegram: Option<TelegramWeb>,
    /// Where invitations and password reset links are mailed from; `None`: no e-mail (the API
    /// still answers an invitation with its link).
    pub smtp: Option<keel_notify::email::SmtpSettings>,
    /// Whether `/signup` makes new organizations (off: it answers 404).
    pub allow_signup: bool,
    /// Bytes of computed analytics and reports kept (`analytics::cache`); 0 computes them on
    /// every request. `None`: [`analytics::cache::DEFAULT_CAPACITY_BYTES`].
    pub figure_cache_bytes: Option<usize>,
    /// Where the platforms' APIs are and the key credentials are sealed with (connections).
    pub platforms: keel_app::publishing::Platforms,
}

/// What the pages need to know about the configured Telegram bot.
#[derive(Debug, Clone, Default)]
pub struct TelegramWeb {
    pub bot_username: Option<String>,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            secure_cookies: false,
            max_body_bytes: 64 * 1024 * 1024,
            public_url: None,
            telegram: None,
            smtp: None,
            allow_signup: false,
            figure_cache_bytes: None,
            platforms: keel_app::publishing::Platforms::default(),
        }
    }
}

/// What every handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<WebConfig>,
    pub metrics: Arc<ops::HttpMetrics>,
    /// Where the iCal feed's events come from (see [`calendar_source`]).
    pub calendar: Arc<dyn calendar_source::CalendarSource>,
    /// The bound on concurrent whole-project reads (see [`heavy`]).
    pub heavy: Arc<heavy::HeavyGate>,
    /// Computed analytics and reports, by project, period and data version (see
    /// [`analytics::cache`]).
    pub figures: Arc<analytics::cache::FigureCache>,
    /// Invitations and password e-mails, when SMTP is configured.
    pub mail: Option<Arc<keel_notify::people::PeopleMail>>,
}

impl AppState {
    pub fn new(store: Store, config: WebConfig) -> Self {
        AppState {
            calendar: Arc::new(calendar_source::PlanCalendar::new(store.clone())),
            heavy: Arc::new(heavy::HeavyGate::for_pool(store.max_connections())),
            figures: Arc::new(analytics::cache::FigureCache::new(
                config
                    .figure_cache_bytes
                    .unwrap_or(analytics::cache::DEFAULT_CAPACITY_BYTES),
            )),
            mail: config
                .smtp
                .as_ref()
                .and_then(|smtp| match keel_notify::people::PeopleMail::new(smtp) {
                    Ok(mail) => Some(Arc::new(mail)),
                    Err(e) => {
                        tracing::warn!(error = %e, "invitations and password e-mails are off");
                        None
                    }
                }),
            store,
            config: Arc::new(config),
            metrics: Arc::new(ops::HttpMetrics::new()),
        }
    }

    /// The same state with another source of calendar events.
    pub fn with_calendar(mut self, source: Arc<dyn calendar_source::CalendarSource>) -> Self {
        self.calendar = source;
        self
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
    reports::standalone::standalone(project, report)
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
    let analytics = keel_report::series::build_analytics(store, project, from, to, analytics::page::TOP_POSTS).await?;
    Ok(reports::standalone::standalone_analytics(project, &analytics, Lang::En))
}

/// The report of `keel report --format pdf`: the period report for the client, rendered
/// inside Keel, in `lang`.
pub async fn report_pdf_for_period(
    store: &Store,
    project: &keel_store::projects::Project,
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
    lang: Lang,
) -> anyhow::Result<Vec<u8>> {
    reports::document::pdf(store, project, from, to, lang).await
}

/// The report of `keel report --format xlsx`: one sheet per section, in `lang`.
pub async fn report_xlsx_for_period(
    store: &Store,
    project: &keel_store::projects::Project,
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
    lang: Lang,
) -> anyhow::Result<Vec<u8>> {
    reports::document::xlsx(store, project, from, to, lang).await
}
