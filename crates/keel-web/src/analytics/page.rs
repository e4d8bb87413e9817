//! A project's analytics page (`/projects/{slug}/analytics`) over the period picked with
//! `from` / `to` (inclusive `YYYY-MM-DD`; without them, all data); the report downloads
//! (`crate::reports::download`) take the same period.
//!
//! The page is computed by `keel_report::series::build_analytics` — aggregates, the series
//! and the best and worst posts, never the list of every post — so it stays fast on a
//! project with a million posts.

pub use super::view::{Input, Sections, build};

use std::sync::Arc;
use std::time::Instant;

use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{Days, NaiveDate};
use keel_report::series::{build_analytics, data_span};
use keel_store::Store;
use keel_store::projects::Project;
use serde::Deserialize;

use crate::analytics::cache::{Cached, Key, Kind, PageFigures};
use crate::auth::ProjectCtx;
use crate::charts::format::Fmt;
use crate::i18n::{Lang, LangExt, Tr};
use crate::layout::Chrome;
use crate::{AppState, WebError};

/// Posts listed as best and as worst.
pub const TOP_POSTS: u32 = 5;

/// `?from=&to=` as typed: kept as text so a bad value can be shown back in the form.
#[derive(Debug, Default, Deserialize)]
pub struct PeriodParams {
    from: Option<String>,
    to: Option<String>,
}

/// Why a period was refused, in the reader's language.
#[derive(Debug, Clone, PartialEq)]
pub struct BadPeriod(pub String);

impl PeriodParams {
    fn text(v: &Option<String>) -> &str {
        v.as_deref().map(str::trim).unwrap_or("")
    }

    /// The period as dates (empty = open end); an unparsable date or `from` after `to`
    /// is refused with a message saying which and how to write it.
    pub fn parse(&self, t: Tr) -> Result<(Option<NaiveDate>, Option<NaiveDate>), BadPeriod> {
        let day = |key: &str, v: &Option<String>| -> Result<Option<NaiveDate>, BadPeriod> {
            match Self::text(v) {
                "" => Ok(None),
                s => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .map(Some)
                    .map_err(|_| BadPeriod(format!("{}: “{s}” {}", t.get(key), t.get("analytics.error.date")))),
            }
        };
        let (from, to) = (day("analytics.from", &self.from)?, day("analytics.to", &self.to)?);
        if let (Some(f), Some(to)) = (from, to)
            && f > to
        {
            return Err(BadPeriod(t.get("analytics.error.order").to_owned()));
        }
        Ok((from, to))
    }

    /// `?from=…&to=…` for links that keep the period (empty without one).
    fn query(&self) -> String {
        let pairs: Vec<(&str, &str)> = [("from", Self::text(&self.from)), ("to", Self::text(&self.to))]
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .collect();
        if pairs.is_empty() {
            String::new()
        } else {
            format!("?{}", serde_urlencoded::to_string(pairs).unwrap_or_default())
        }
    }
}

/// A quick period link.
pub struct QuickLink {
    pub key: &'static str,
    pub href: String,
    pub current: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "analytics.html")]
pub struct AnalyticsPage {
    chrome: Chrome,
    t: Tr,
    slug: String,
    name: String,
    tab: &'static str,
    /// The form's values, as typed.
    from: String,
    to: String,
    /// `?from=&to=` of the period shown, for the download links.
    query: String,
    quick: Vec<QuickLink>,
    /// "1 Nov 2025 – 31 Oct 2026".
    period_label: String,
    /// The project holds data at all.
    has_data: bool,
    error: Option<String>,
    /// The sections, rendered (`analytics_sections.html`), from the cache when it holds them.
    sections: Option<Arc<str>>,
}

/// The sections alone, rendered once per project, period, data version and language.
#[derive(Template)]
#[template(source = "{% include \"analytics_sections.html\" %}", ext = "html")]
struct SectionsFragment<'a> {
    s: &'a Sections,
    t: Tr,
}

/// `GET /projects/{slug}/analytics`.
pub async fn page(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(ctx): Extension<ProjectCtx>,
    Query(params): Query<PeriodParams>,
) -> Result<Response, WebError> {
    let started = Instant::now();
    let t = chrome.t;
    let slug = ctx.project.slug.clone();
    let base = format!("/projects/{slug}/analytics");
    let mut page = AnalyticsPage {
        t,
        slug: slug.clone(),
        name: ctx.project.name.clone(),
        tab: "analytics",
        from: PeriodParams::text(&params.from).to_owned(),
        to: PeriodParams::text(&params.to).to_owned(),
        query: params.query(),
        quick: Vec::new(),
        period_label: String::new(),
        has_data: false,
        error: None,
        sections: None,
        chrome,
    };
    let (from, to) = match params.parse(t) {
        Ok(period) => period,
        Err(BadPeriod(message)) => {
            page.has_data = data_span(&state.store, &ctx.project).await?.is_some();
            page.error = Some(message);
            return Ok((StatusCode::BAD_REQUEST, page).into_response());
        }
    };
    let figures = figures(&state, &ctx.project, from, to).await?;
    let span = figures.span;
    page.has_data = span.is_some();
    page.quick = quick_links(&base, span, (from, to));
    page.period_label = period_label(Fmt(t.0), t, span, (from, to));
    if let Some(a) = &figures.analytics {
        let key = Key::new(Kind::PageHtml(t.0), &ctx.project, from, to);
        page.sections = Some(match state.figures.html(&key) {
            Some(html) => html,
            None => {
                let input = Input {
                    texts: Some(&figures.texts),
                    report: &a.report,
                    series: Some(&a.series),
                    best: &a.best_posts,
                    worst: &a.worst_posts,
                    previous: figures.previous.as_ref(),
                    currencies: &figures.currencies,
                    zone: keel_report::scope::zone_of(&ctx.project),
                };
                let sections = build(&input, t, "/definitions", Some(format!("/projects/{slug}/data")));
                let html: Arc<str> = SectionsFragment { s: &sections, t }
                    .render()
                    .map_err(|e| WebError::Internal(e.into()))?
                    .into();
                state.figures.insert(key, Cached::Html(html.clone()));
                html
            }
        });
    }
    let elapsed = started.elapsed();
    tracing::debug!(project = slug, ?elapsed, "analytics page computed");
    // Lets anyone see the cost in the browser's network panel.
    let timing = format!("analytics;dur={:.1}", elapsed.as_secs_f64() * 1000.0);
    Ok(([("server-timing", timing)], page).into_response())
}

/// The page's figures over `from ..= to`: from the cache when computed at the project's
/// current data version, else computed (holding a heavy-request permit) and kept.
pub async fn figures(
    state: &AppState,
    project: &Project,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<Arc<PageFigures>, WebError> {
    let key = Key::new(Kind::Page, project, from, to);
    if let Some(hit) = state.figures.page(&key) {
        return Ok(hit);
    }
    let _permit = state.heavy.enter().await?;
    // Computed by another request while this one waited for its turn?
    if let Some(hit) = state.figures.page(&key) {
        return Ok(hit);
    }
    let figures = Arc::new(compute(&state.store, project, from, to).await?);
    state.figures.insert(key, Cached::Page(figures.clone()));
    Ok(figures)
}

/// Everything the page shows that does not depend on the reader's language.
async fn compute(
    store: &Store,
    project: &Project,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> anyhow::Result<PageFigures> {
    let span = data_span(store, project).await?;
    let Some((first, _)) = span else {
        return Ok(PageFigures {
            span,
            analytics: None,
            previous: None,
            currencies: Vec::new(),
            texts: Default::default(),
        });
    };
    let a = build_analytics(store, project, from, to, TOP_POSTS).await?;
    // The period before, as long as this one, when this one is a chosen range that does
    // not start with the data.
    let previous = match (from, to) {
        (Some(from), Some(to)) if from > first => {
            let days = (to - from).num_days() + 1;
            let before_to = from - chrono::Duration::days(1);
            let before_from = from - chrono::Duration::days(days);
            Some(keel_report::series::build_summary(store, project, Some(before_from), Some(before_to)).await?)
        }
        _ => None,
    };
    let currencies = store.ad_currencies(project).await?;
    let listed: Vec<_> = (a.best_posts.iter().chain(&a.worst_posts))
        .map(|p| (p.platform.clone(), p.account.clone(), p.post_id.clone()))
        .collect();
    let texts = store.post_texts(project, &listed).await?;
    Ok(PageFigures {
        span,
        analytics: Some(a),
        previous,
        currencies,
        texts,
    })
}

/// Last 30 and 90 days of data (counted back from the last day holding any), and all.
fn quick_links(
    base: &str,
    span: Option<(NaiveDate, NaiveDate)>,
    current: (Option<NaiveDate>, Option<NaiveDate>),
) -> Vec<QuickLink> {
    let Some((_, last)) = span else {
        return Vec::new();
    };
    let mut links: Vec<QuickLink> = [("analytics.last30", 29), ("analytics.last90", 89)]
        .into_iter()
        .map(|(key, back)| {
            let from = last.checked_sub_days(Days::new(back)).unwrap_or(last);
            QuickLink {
                key,
                href: format!("{base}?from={from}&to={last}"),
                current: current == (Some(from), Some(last)),
            }
        })
        .collect();
    links.push(QuickLink {
        key: "analytics.all",
        href: base.to_owned(),
        current: current == (None, None),
    });
    links
}

/// The period in words, open ends filled in from the data: "1 Nov 2025 – 31 Oct 2026".
fn period_label(
    f: Fmt,
    t: Tr,
    span: Option<(NaiveDate, NaiveDate)>,
    (from, to): (Option<NaiveDate>, Option<NaiveDate>),
) -> String {
    let first = from.or(span.map(|s| s.0));
    let last = to.or(span.map(|s| s.1));
    match (first, last) {
        (Some(a), Some(b)) => format!("{} – {}", f.date(a), f.date(b)),
        _ => t.get("analytics.all").to_owned(),
    }
}

/// The period of a download request; a bad one is a 400 with the reason.
pub fn download_period(params: &PeriodParams) -> Result<(Option<NaiveDate>, Option<NaiveDate>), WebError> {
    params
        .parse(Lang::En.tr())
        .map_err(|BadPeriod(message)| WebError::BadRequest(message))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(from: &str, to: &str) -> PeriodParams {
        PeriodParams {
            from: Some(from.into()),
            to: Some(to.into()),
        }
    }

    #[test]
    fn periods_parse_or_say_what_is_wrong() {
        let t = Lang::En.tr();
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(params("", " ").parse(t), Ok((None, None)));
        assert_eq!(
            params("2026-01-01", "2026-01-31").parse(t),
            Ok((Some(d("2026-01-01")), Some(d("2026-01-31"))))
        );
        let BadPeriod(bad) = params("2026-13-01", "").parse(t).unwrap_err();
        assert!(bad.contains("2026-13-01") && bad.contains("YYYY-MM-DD"), "{bad}");
        assert!(params("2026-02-01", "2026-01-01").parse(t).is_err());
        let BadPeriod(ru) = params("вчера", "").parse(Lang::Ru.tr()).unwrap_err();
        assert!(ru.contains("ГГГГ-ММ-ДД"), "{ru}");
    }

    #[test]
    fn quick_links_count_back_from_the_last_day_of_data() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let links = quick_links("/p", Some((d("2025-11-01"), d("2026-10-31"))), (None, None));
        let hrefs: Vec<&str> = links.iter().map(|l| l.href.as_str()).collect();
        assert_eq!(
            hrefs,
            [
                "/p?from=2026-10-02&to=2026-10-31",
                "/p?from=2026-08-03&to=2026-10-31",
                "/p"
            ]
        );
        assert!(links[2].current && !links[0].current);
        assert!(quick_links("/p", None, (None, None)).is_empty());
    }

    #[test]
    fn period_query_keeps_the_period() {
        assert_eq!(params("2026-01-01", "").query(), "?from=2026-01-01");
        assert_eq!(PeriodParams::default().query(), "");
    }
}
