//! The HTML report (`keel report --format html`, and the analytics page's "HTML" download):
//! one self-contained document — styles inlined, charts inline SVG, no script, no request —
//! readable offline and printable, with the analytics page's sections and a short appendix
//! of the definitions its figures link to.

use askama::Template;
use keel_report::{Analytics, PostRow, Report};
use keel_store::projects::Project;

use crate::analytics::page::{Input, Sections, TOP_POSTS, build};
use crate::charts::format::Fmt;
use crate::i18n::{Lang, LangExt, Tr};

/// The stylesheet, inlined so the file needs nothing else.
const CSS: &str = include_str!("../../static/keel.css");

#[derive(Template)]
#[template(path = "report.html")]
struct ReportDocument {
    t: Tr,
    name: String,
    period: String,
    css: &'static str,
    sections: Option<Sections>,
}

/// The report of `keel report --format html`, in English, built from a full report. The
/// day-by-day charts need the series, which a `Report` does not carry: they are replaced by
/// a note (see [`standalone_analytics`] for the complete document).
pub fn standalone(project: &Project, report: &Report) -> String {
    let (best, worst) = rank(&report.posts, TOP_POSTS as usize);
    let input = Input {
        report,
        series: None,
        best: &best,
        worst: &worst,
        previous: None,
        currencies: &[],
        texts: None,
        zone: keel_report::scope::zone_of(project),
    };
    render(project, &input, Lang::En)
}

/// The complete report, charts over time included, from the analytics of a period, in
/// `lang`.
pub fn standalone_analytics(project: &Project, analytics: &Analytics, lang: Lang) -> String {
    let input = Input {
        report: &analytics.report,
        series: Some(&analytics.series),
        best: &analytics.best_posts,
        worst: &analytics.worst_posts,
        previous: None,
        currencies: &[],
        texts: None,
        zone: keel_report::scope::zone_of(project),
    };
    render(project, &input, lang)
}

fn render(project: &Project, input: &Input<'_>, lang: Lang) -> String {
    let t = lang.tr();
    let f = Fmt(lang);
    let p = input.report.period;
    // Open ends are filled in from the days the series cover, when there are series.
    let days = || {
        input
            .series
            .into_iter()
            .flatten()
            .flat_map(|s| s.days.iter().map(|d| d.date))
    };
    let (from, to) = (p.from.or_else(|| days().min()), p.to.or_else(|| days().max()));
    let period = match (from, to) {
        (None, None) => t.get("analytics.all").to_owned(),
        (from, to) => format!(
            "{} – {}",
            from.map_or_else(|| "…".to_owned(), |d| f.date(d)),
            to.map_or_else(|| "…".to_owned(), |d| f.date(d))
        ),
    };
    let sections = build(input, t, "", None);
    let doc = ReportDocument {
        t,
        name: project.name.clone(),
        period,
        css: CSS,
        sections: Some(sections),
    };
    doc.render().unwrap_or_else(|e| {
        // Rendering only writes into a String: it cannot fail short of a template bug.
        tracing::error!(error = %e, "HTML report failed to render");
        String::new()
    })
}

/// The `n` posts with the highest and with the lowest ER, in report order among equals
/// (what `keel_report::series::build_analytics` ranks in the database).
fn rank(posts: &[PostRow], n: usize) -> (Vec<PostRow>, Vec<PostRow>) {
    let mut rated: Vec<&PostRow> = posts.iter().filter(|p| p.er.is_some_and(f64::is_finite)).collect();
    rated.sort_by(|a, b| b.er.partial_cmp(&a.er).unwrap_or(std::cmp::Ordering::Equal));
    let best = rated.iter().take(n).map(|p| (*p).clone()).collect();
    // Re-sorted from report order, so that ties keep it here too.
    let mut rated: Vec<&PostRow> = posts.iter().filter(|p| p.er.is_some_and(f64::is_finite)).collect();
    rated.sort_by(|a, b| a.er.partial_cmp(&b.er).unwrap_or(std::cmp::Ordering::Equal));
    let worst = rated.iter().take(n).map(|p| (*p).clone()).collect();
    (best, worst)
}

/// The standalone report as a share link shows it: `noindex`, the agency's accent colour,
/// name and logo on top, a PDF download, and nothing that leads into Keel.
pub fn shared(html: &str, brand: &keel_docs::Brand, lang: Lang, base: &str) -> String {
    let t = lang.tr();
    let [r, g, b] = brand.accent;
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let head = format!(
        "<meta name=\"robots\" content=\"noindex, nofollow, noarchive\">\n<style>:root {{ --brand: #{r:02x}{g:02x}{b:02x}; }} .shared-brand {{ display: flex; align-items: center; gap: .75rem; flex-wrap: wrap; border-top: 6px solid var(--brand); padding-top: .75rem; }} .shared-brand img {{ max-height: 44px; max-width: 150px; }}</style>\n</head>"
    );
    let logo = if brand.logo.is_some() {
        format!("<img src=\"{base}/logo\" alt=\"{}\">", escape(&brand.name))
    } else {
        String::new()
    };
    let top = format!(
        "<main class=\"page\">\n<div class=\"shared-brand\" data-test=\"brand\">{logo}<strong>{}</strong><span class=\"muted\">{}</span><a href=\"{base}/report.pdf\" data-test=\"pdf\">{}</a></div>",
        escape(&brand.name),
        t.get("reports.shared"),
        t.get("reports.format.pdf"),
    );
    html.replacen("</head>", &head, 1)
        .replacen("<main class=\"page\">", &top, 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::tests::assert_balanced;
    use chrono::{DateTime, NaiveDate, Utc};
    use keel_domain::metrics::funnel::{Proportion, Stage, evaluate};
    use keel_report::{AccountRow, Ads, FunnelStage, Period, SpikeRow};

    fn project() -> Project {
        Project {
            id: 1,
            org_id: 1,
            slug: "client-b".into(),
            name: "Client <B> & Co".into(),
            started_on: NaiveDate::from_ymd_opt(2025, 11, 1).unwrap(),
            status: keel_domain::ProjectStatus::Active,
            client_name: None,
            time_zone: "UTC".into(),
            data_version: 0,
        }
    }

    fn post(id: &str, er: Option<f64>) -> PostRow {
        PostRow {
            platform: "instagram".into(),
            account: "clientb.fitness".into(),
            post_id: id.into(),
            published_at: DateTime::<Utc>::UNIX_EPOCH,
            interactions: 10,
            er,
            err: None,
            erv: None,
        }
    }

    fn report() -> Report {
        let day = NaiveDate::from_ymd_opt(2026, 6, 12).unwrap();
        let stage = |s, p: (i64, i64), b: (i64, i64)| FunnelStage {
            result: evaluate(
                s,
                Proportion {
                    successes: p.0,
                    trials: p.1,
                },
                Proportion {
                    successes: b.0,
                    trials: b.1,
                },
            ),
            successes: p.0,
            trials: p.1,
            baseline_successes: b.0,
            baseline_trials: b.1,
            baseline_from: day,
            baseline_to: day,
        };
        Report {
            project: "client-b".into(),
            period: Period::default(),
            posts: vec![
                post("p1", Some(1.0)),
                post("p2", None),
                post("p3", Some(4.0)),
                post("p4", Some(1.0)),
            ],
            accounts: vec![AccountRow {
                platform: "instagram".into(),
                account: "clientb.fitness".into(),
                followers_start: Some(10_000),
                followers_end: Some(17_500),
                follower_growth_pct: Some(75.0),
                posts: 4,
                interactions: 40,
                er_followers: Some(2.0),
                err_reach: None,
                er_views: None,
            }],
            bot_spikes: vec![SpikeRow {
                platform: "instagram".into(),
                account: "clientb.fitness".into(),
                date: day,
                gain: 6100,
                excess: 6080.0,
                er_before: Some(4.1),
                er_after: Some(2.3),
            }],
            ads: Ads::default(),
            funnel: vec![stage(Stage::LeadsToDeals, (190, 1000), (300, 1000))],
            goals: vec![],
        }
    }

    #[test]
    fn the_standalone_report_is_one_self_contained_document() {
        let html = standalone(&project(), &report());
        assert!(html.starts_with("<!doctype html>"));
        let body = &html[html.find("<body").unwrap()..html.find("</html>").unwrap()];
        assert_balanced(body);
        // Styles inlined; nothing fetched.
        assert!(html.contains("<style>") && html.contains("--brand"));
        assert!(!html.contains("<link") && !html.contains("<script") && !html.contains("src=\""));
        // The project's name is escaped; the spike, the funnel verdict and the definitions are there.
        assert!(
            html.contains("Client &#60;B&#62; &#38; Co") || html.contains("Client &lt;B&gt; &amp; Co"),
            "{html}"
        );
        assert!(html.contains("12 Jun 2026"));
        assert!(html.contains("Leads → deals") && html.contains("worse"));
        assert!(html.contains(r#"id="bots""#) && html.contains(r##"href="#bots""##));
    }

    #[test]
    fn posts_are_ranked_by_er_with_ties_in_report_order() {
        let (best, worst) = rank(&report().posts, 2);
        let ids = |v: &[PostRow]| v.iter().map(|p| p.post_id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&best), ["p3", "p1"]);
        assert_eq!(ids(&worst), ["p1", "p4"]);
    }
}
