//! The period report for the client as a document (`keel_docs`), in one language: the
//! summary written from the data, goals with progress and forecast, KPIs against the period
//! before, the daily ER trend, best and worst posts, suspected purchases and their ER damage,
//! ads per campaign, the funnel by zone with baselines, the approval workflow, and the
//! period's meeting decisions and action items. The same document becomes the PDF and the
//! XLSX; its figures are the report JSON's (`keel_report`), formatted as the analytics page
//! formats them.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use keel_docs::{
    Block, Brand, Cell, Chart, Column, Document, Logo, LogoKind, NumberFormat, Picture, Section, Series, Table,
};
use keel_domain::local_days::LocalZone;
use keel_domain::metrics::funnel::{Verdict, Zone};
use keel_domain::workflow::health::{PostHistory, workflow_health};
use keel_report::series::{build_analytics, build_summary};
use keel_report::{Analytics, PostRow, Report};
use keel_store::Store;
use keel_store::projects::Project;

use crate::analytics::view::{stage_key, verdict_of, zone_of};
use crate::charts::format::Fmt;
use crate::i18n::{Arg, Lang, LangExt, Tr};

/// Best and worst posts listed.
const TOP: u32 = 5;
/// Accounts drawn on the ER trend chart.
const CHARTED: usize = 5;

/// Everything a report document is made from, read from the store.
pub struct ReportData {
    pub project: Project,
    pub analytics: Analytics,
    /// The period just before, as long as this one (for a closed period).
    pub previous: Option<Report>,
    pub brand: Brand,
    pub workflow: keel_domain::workflow::health::WorkflowHealth,
    /// Meeting decisions (text, when) and action items (text, owner, due, done) of the period.
    pub decisions: Vec<(String, DateTime<Utc>)>,
    pub actions: Vec<(String, Option<String>, NaiveDate, bool)>,
    /// The first image of each listed (best or worst) post that Keel itself published, by
    /// `(platform, post id)`: PNG or JPEG only (what the PDF can embed).
    pub pictures: Vec<((String, String), Logo)>,
}

/// The images Keel has of the listed posts: those it published through a connection, matched
/// by the platform's post id.
async fn pictures_of(store: &Store, project: &Project, a: &Analytics) -> anyhow::Result<Vec<((String, String), Logo)>> {
    let mut keys: Vec<(String, String)> = Vec::new();
    for p in a.best_posts.iter().chain(&a.worst_posts) {
        let key = (p.platform.clone(), p.post_id.clone());
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    let found = store.published_first_images(project.id(), &keys).await?;
    Ok(found
        .into_iter()
        .filter_map(|(platform, post_id, _, content_type, bytes)| {
            let kind = match content_type.as_str() {
                "image/png" => LogoKind::Png,
                "image/jpeg" => LogoKind::Jpeg,
                _ => return None,
            };
            Some(((platform, post_id), Logo { bytes, kind }))
        })
        .collect())
}

/// The brand of the project's organization, as documents carry it.
pub async fn brand_of(store: &Store, project: &Project) -> anyhow::Result<Brand> {
    let org = store.org_by_id(project.org()).await?;
    let b = store.org_brand(project.org()).await?;
    Ok(Brand {
        name: org.name,
        accent: parse_accent(&b.accent).unwrap_or([0x0b, 0x6e, 0x4f]),
        logo: b.logo.and_then(Logo::sniff),
    })
}

/// `#rrggbb` as RGB.
pub fn parse_accent(s: &str) -> Option<[u8; 3]> {
    let hex = s.trim().strip_prefix('#')?;
    if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// Reads what the report of `project` over `from ..= to` shows.
pub async fn gather(
    store: &Store,
    project: &Project,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> anyhow::Result<ReportData> {
    let analytics = build_analytics(store, project, from, to, TOP).await?;
    let previous = match (from, to) {
        (Some(f), Some(t)) => {
            let days = (t - f).num_days() + 1;
            let before_to = f - chrono::Duration::days(1);
            let before_from = f - chrono::Duration::days(days);
            Some(build_summary(store, project, Some(before_from), Some(before_to)).await?)
        }
        _ => None,
    };
    let zone = keel_report::scope::zone_of(project);
    let in_period = |at: DateTime<Utc>| {
        let d = zone.day_of(at);
        from.is_none_or(|f| d >= f) && to.is_none_or(|t| d <= t)
    };
    let posts = store.plan_posts_of(project.id()).await?;
    let histories: Vec<PostHistory> = posts
        .iter()
        .filter(|p| p.first_submitted_at.is_some_and(in_period))
        .map(|p| PostHistory {
            first_submitted_at: p.first_submitted_at,
            approved_at: p.approved_at,
            revision_rounds: p.revision_rounds.max(0) as u32,
            sla_deadline: p.sla_deadline,
            first_decision_at: p.first_decision_at,
        })
        .collect();
    let workflow = workflow_health(&histories, Utc::now());
    let mut decisions = Vec::new();
    for m in store.meetings(project.id()).await? {
        if !in_period(m.starts_at) {
            continue;
        }
        for (text, _, at) in store.decisions(project.id(), m.id).await? {
            decisions.push((text, at));
        }
    }
    let actions = store
        .action_items(project.id())
        .await?
        .into_iter()
        .filter(|a| from.is_none_or(|f| a.due_on >= f) && to.is_none_or(|t| a.due_on <= t))
        .map(|a| (a.text, a.owner_name, a.due_on, a.done_at.is_some()))
        .collect();
    Ok(ReportData {
        pictures: pictures_of(store, project, &analytics).await?,
        brand: brand_of(store, project).await?,
        project: project.clone(),
        analytics,
        previous,
        workflow,
        decisions,
        actions,
    })
}

fn num(value: f64, shown: String, format: NumberFormat) -> Cell {
    if value.is_finite() {
        Cell::Number { value, shown, format }
    } else {
        Cell::Undefined
    }
}

fn int(f: Fmt, v: i64) -> Cell {
    num(v as f64, f.int(v), NumberFormat::Integer)
}

fn opt_int(f: Fmt, v: Option<i64>) -> Cell {
    v.map_or(Cell::Undefined, |v| int(f, v))
}

/// A percentage (in percent units) with two decimals.
fn pct(f: Fmt, v: Option<f64>) -> Cell {
    v.filter(|v| v.is_finite())
        .map_or(Cell::Undefined, |v| num(v, f.pct(v, 2), NumberFormat::Percent))
}

fn dec(f: Fmt, v: Option<f64>) -> Cell {
    v.filter(|v| v.is_finite())
        .map_or(Cell::Undefined, |v| num(v, f.dec(v, 2), NumberFormat::Decimal))
}

fn date(f: Fmt, d: NaiveDate) -> Cell {
    Cell::Date {
        ymd: (d.year().clamp(0, 9999) as u16, d.month() as u8, d.day() as u8),
        shown: f.date(d),
    }
}

/// The period in words: "1 Oct 2026 – 31 Oct 2026".
pub fn period_words(t: Tr, r: &Report) -> String {
    let f = Fmt(t.0);
    match (r.period.from, r.period.to) {
        (None, None) => t.get("analytics.all").to_owned(),
        (a, b) => format!(
            "{} – {}",
            a.map_or_else(|| "…".to_owned(), |d| f.date(d)),
            b.map_or_else(|| "…".to_owned(), |d| f.date(d))
        ),
    }
}

/// The document of `data` in `lang`.
pub fn document(data: &ReportData, lang: Lang) -> Document {
    let t = lang.tr();
    let r = &data.analytics.report;
    let mut sections = vec![summary(data, t), goals(r, t), kpis(data, t), posts(data, t)];
    if !r.bot_spikes.is_empty() {
        sections.push(spikes(r, t));
    }
    sections.push(ads(r, t));
    sections.push(funnel(r, t));
    sections.push(workflow(data, t));
    sections.push(meetings(data, t));
    Document {
        title: format!("{} — {}", data.project.name, t.get("reports.document")),
        subtitle: period_words(t, r),
        lang: t.lang().to_owned(),
        brand: data.brand.clone(),
        page_label: t.with(
            "reports.page",
            &[("n", Arg::Text("{n}".into())), ("total", Arg::Text("{total}".into()))],
        ),
        sections,
    }
}

fn section(t: Tr, key: &str, blocks: Vec<Block>) -> Section {
    // Sheet names are at most 31 characters: the long titles have a short form.
    let sheet = match key {
        "analytics.funnel" => t.get("reports.sheet.funnel"),
        "analytics.spikes" => t.get("reports.sheet.spikes"),
        other => t.get(other),
    };
    Section {
        title: t.get(key).to_owned(),
        sheet: sheet.to_owned(),
        blocks,
    }
}

/// "instagram · clienta.coffee", kept on one line (no break around the dot).
pub fn label(platform: &str, name: &str) -> String {
    format!("{platform}\u{a0}·\u{a0}{name}")
}

/// The summary, written from the data: ER against the period before, funnel stages off
/// their baselines (with their zone), suspected purchases.
fn summary(data: &ReportData, t: Tr) -> Section {
    let f = Fmt(t.0);
    let r = &data.analytics.report;
    let mut lines = Vec::new();
    let mut accounts: Vec<_> = r.accounts.iter().filter(|a| a.er_followers.is_some()).collect();
    accounts.sort_by_key(|a| std::cmp::Reverse(a.interactions));
    for a in accounts.iter().take(3) {
        let name = Arg::Text(format!("{} {}", a.platform, a.account));
        let now = Arg::Text(f.pct(a.er_followers.unwrap_or_default(), 2));
        let before = data.previous.as_ref().and_then(|p| {
            p.accounts
                .iter()
                .find(|b| b.platform == a.platform && b.account == a.account)
                .and_then(|b| b.er_followers)
        });
        lines.push(match before {
            Some(b) => t.with(
                "reports.summary.er",
                &[("account", name), ("before", Arg::Text(f.pct(b, 2))), ("now", now)],
            ),
            None => t.with("reports.summary.er.now", &[("account", name), ("now", now)]),
        });
    }
    for s in &r.funnel {
        let res = &s.result;
        if matches!(res.verdict, Some(Verdict::Worse | Verdict::Better)) {
            let (verdict_key, _, say) = verdict_of(res.verdict, res.zone);
            let (zone_key, _) = zone_of(res.zone);
            let line = t.with(
                "reports.summary.stage",
                &[
                    ("stage", Arg::Text(t.get(stage_key(res.stage)).to_owned())),
                    ("verdict", Arg::Text(t.get(verdict_key).to_owned())),
                    (
                        "now",
                        Arg::Text(f.opt(res.conversion, |f, v| f.pct(v, 2)).unwrap_or_else(|| "—".into())),
                    ),
                    (
                        "base",
                        Arg::Text(f.opt(res.baseline, |f, v| f.pct(v, 2)).unwrap_or_else(|| "—".into())),
                    ),
                    ("zone", Arg::Text(t.get(zone_key).to_lowercase())),
                ],
            );
            lines.push(format!("{line} {}", t.get(say)));
        }
    }
    if !r.bot_spikes.is_empty() {
        lines.push(t.count("reports.summary.spikes", r.bot_spikes.len() as i64));
    }
    if lines.is_empty() {
        lines.push(t.get("reports.summary.nothing").to_owned());
    }
    section(t, "reports.summary", lines.into_iter().map(Block::Paragraph).collect())
}

fn goals(r: &Report, t: Tr) -> Section {
    let f = Fmt(t.0);
    if r.goals.is_empty() {
        return section(
            t,
            "reports.goals",
            vec![Block::Note(t.get("reports.goals.none").to_owned())],
        );
    }
    let columns = vec![
        Column::text(t.get("reports.metric"), 2.2),
        Column::number(t.get("reports.baseline"), 1.3),
        Column::number(t.get("reports.target"), 1.3),
        Column::number(t.get("reports.current"), 1.3),
        Column::number(t.get("reports.progress"), 1.1),
        Column::text(t.get("reports.forecast"), 1.6),
        Column::text(t.get("reports.feasibility"), 1.3),
        Column::text(t.get("reports.deadline"), 1.3),
        Column::text(t.get("analytics.zone"), 1.2),
    ];
    let rows = r
        .goals
        .iter()
        .map(|g| {
            let forecast = g.forecast.as_ref().map_or(Cell::Undefined, |fc| {
                Cell::Text(format!(
                    "{} ({})",
                    f.dec(fc.value_at_deadline, 2),
                    t.get(if fc.on_track {
                        "reports.on_track"
                    } else {
                        "reports.off_track"
                    })
                ))
            });
            let feasible = g.feasibility.as_ref().map_or(Cell::Undefined, |x| {
                Cell::text(t.get_in("reports", x.check.verdict.as_str()))
            });
            vec![
                Cell::text(t.get_in("metric", &g.metric)),
                dec(f, g.baseline),
                dec(f, g.target_value),
                dec(f, g.current),
                pct(f, g.progress_pct),
                forecast,
                feasible,
                date(f, g.deadline),
                Cell::text(t.get_in("funnel.zone", &g.zone)),
            ]
        })
        .collect();
    section(t, "reports.goals", vec![Block::Table(Table { columns, rows })])
}

fn kpis(data: &ReportData, t: Tr) -> Section {
    let f = Fmt(t.0);
    let r = &data.analytics.report;
    let columns = vec![
        Column::text(t.get("reports.account"), 2.4),
        Column::number(t.get("analytics.followers"), 1.3),
        Column::number(t.get("analytics.growth"), 1.1),
        Column::number(t.get("analytics.posts"), 0.9),
        Column::number(t.get("analytics.interactions"), 1.3),
        Column::number("ER", 1.0),
        Column::number("ERR", 1.0),
        Column::number("ERV", 1.0),
        Column::number(t.get("reports.er_before"), 1.3),
    ];
    let rows = r
        .accounts
        .iter()
        .map(|a| {
            let before = data.previous.as_ref().and_then(|p| {
                p.accounts
                    .iter()
                    .find(|b| b.platform == a.platform && b.account == a.account)
                    .and_then(|b| b.er_followers)
            });
            vec![
                Cell::text(label(&a.platform, &a.account)),
                opt_int(f, a.followers_end),
                pct(f, a.follower_growth_pct),
                int(f, a.posts),
                int(f, a.interactions),
                pct(f, a.er_followers),
                pct(f, a.err_reach),
                pct(f, a.er_views),
                pct(f, before),
            ]
        })
        .collect();
    let mut blocks = vec![Block::Table(Table { columns, rows })];
    // The daily ER of the accounts with the most interactions, over every day of the series.
    let mut series: Vec<_> = data.analytics.series.iter().collect();
    let weight = |s: &&keel_report::AccountSeries| s.days.iter().map(|d| d.interactions).sum::<i64>();
    series.sort_by_key(|s| std::cmp::Reverse(weight(s)));
    series.truncate(CHARTED);
    let days: std::collections::BTreeSet<NaiveDate> =
        series.iter().flat_map(|s| s.days.iter().map(|d| d.date)).collect();
    if let (Some(first), Some(last)) = (days.first(), days.last()) {
        let all: Vec<NaiveDate> = first.iter_days().take_while(|d| d <= last).collect();
        blocks.push(Block::Chart(Chart {
            title: t.get("reports.er_trend").to_owned(),
            x_labels: (f.date(*first), f.date(*last)),
            series: series
                .iter()
                .map(|s| {
                    let by_day: std::collections::HashMap<NaiveDate, Option<f64>> =
                        s.days.iter().map(|d| (d.date, d.daily_er)).collect();
                    Series {
                        name: label(&s.platform, &s.account),
                        points: all.iter().map(|d| by_day.get(d).copied().flatten()).collect(),
                    }
                })
                .collect(),
            unit: if t.0 == Lang::Ru { "\u{a0}%".into() } else { "%".into() },
        }));
    }
    blocks.push(Block::Note(format!(
        "{} {}",
        t.get("def.er.text"),
        t.get("def.period_er.text")
    )));
    section(t, "reports.kpis", blocks)
}

fn post_table(list: &[PostRow], zone: LocalZone, t: Tr) -> Table {
    let f = Fmt(t.0);
    Table {
        columns: vec![
            Column::text(t.get("analytics.post"), 2.0),
            Column::text(t.get("reports.account"), 2.2),
            Column::text(t.get("analytics.date"), 1.3),
            Column::number(t.get("analytics.interactions"), 1.2),
            Column::number("ER", 1.0),
        ],
        rows: list
            .iter()
            .map(|p| {
                vec![
                    Cell::text(&p.post_id),
                    Cell::text(label(&p.platform, &p.account)),
                    date(f, zone.day_of(p.published_at)),
                    int(f, p.interactions),
                    pct(f, p.er),
                ]
            })
            .collect(),
    }
}

fn posts(data: &ReportData, t: Tr) -> Section {
    let (a, zone) = (&data.analytics, keel_report::scope::zone_of(&data.project));
    let mut blocks = Vec::new();
    if a.best_posts.is_empty() {
        blocks.push(Block::Note(t.get("analytics.posts.none").to_owned()));
    } else {
        blocks.push(Block::Paragraph(t.get("analytics.best").to_owned()));
        blocks.push(Block::Table(post_table(&a.best_posts, zone, t)));
        blocks.push(Block::Paragraph(t.get("analytics.worst").to_owned()));
        blocks.push(Block::Table(post_table(&a.worst_posts, zone, t)));
        let pictures: Vec<Picture> = a
            .best_posts
            .iter()
            .chain(&a.worst_posts)
            .filter_map(|p| {
                let key = (p.platform.clone(), p.post_id.clone());
                let (_, image) = data.pictures.iter().find(|(k, _)| *k == key)?;
                Some(Picture {
                    image: image.clone(),
                    caption: format!("{} · {}", p.platform, p.post_id),
                })
            })
            .collect();
        if !pictures.is_empty() {
            blocks.push(Block::Paragraph(t.get("reports.pictures").to_owned()));
            blocks.push(Block::Pictures(pictures));
        }
    }
    section(t, "reports.posts", blocks)
}

fn spikes(r: &Report, t: Tr) -> Section {
    let f = Fmt(t.0);
    let columns = vec![
        Column::text(t.get("reports.account"), 2.2),
        Column::text(t.get("analytics.date"), 1.3),
        Column::number(t.get("analytics.spike.gain"), 1.4),
        Column::number(t.get("analytics.spike.bots"), 1.6),
        Column::number("ER →", 1.0),
        Column::number("→ ER", 1.0),
        Column::number(t.get("reports.damage"), 1.1),
    ];
    let rows = r
        .bot_spikes
        .iter()
        .map(|s| {
            let damage = match (s.er_before, s.er_after) {
                (Some(b), Some(a)) => num(
                    a - b,
                    format!("{} {}", f.dec(a - b, 2), t.get("analytics.pp")),
                    NumberFormat::Signed,
                ),
                _ => Cell::Undefined,
            };
            vec![
                Cell::text(label(&s.platform, &s.account)),
                date(f, s.date),
                int(f, s.gain),
                num(s.excess, f.int(s.excess.round() as i64), NumberFormat::Integer),
                pct(f, s.er_before),
                pct(f, s.er_after),
                damage,
            ]
        })
        .collect();
    section(
        t,
        "analytics.spikes",
        vec![
            Block::Paragraph(t.get("analytics.spikes.intro").to_owned()),
            Block::Table(Table { columns, rows }),
        ],
    )
}

fn ads(r: &Report, t: Tr) -> Section {
    let f = Fmt(t.0);
    if r.ads.campaigns.is_empty() {
        return section(
            t,
            "analytics.ads",
            vec![Block::Note(t.get("analytics.ads.none").to_owned())],
        );
    }
    let columns = vec![
        Column::text(t.get("analytics.ads.campaign"), 2.4),
        Column::number(t.get("analytics.ads.spend"), 1.3),
        Column::number(t.get("analytics.ads.impressions"), 1.3),
        Column::number(t.get("analytics.ads.clicks"), 1.0),
        Column::number(t.get("analytics.ads.leads"), 0.9),
        Column::number("CTR", 0.9),
        Column::number("CPC", 0.9),
        Column::number("CPL", 1.0),
        Column::number("CPM", 1.0),
    ];
    let row = |name: String, x: &keel_report::ads::AdsFigures| {
        vec![
            Cell::text(name),
            dec(f, Some(x.spend)),
            int(f, x.impressions),
            int(f, x.clicks),
            int(f, x.leads),
            pct(f, x.ctr),
            dec(f, x.cpc),
            dec(f, x.cpl),
            dec(f, x.cpm),
        ]
    };
    let mut rows: Vec<Vec<Cell>> = r
        .ads
        .campaigns
        .iter()
        .map(|c| row(label(&c.platform, &c.campaign), &c.figures))
        .collect();
    rows.push(row(t.get("reports.total").to_owned(), &r.ads.totals));
    section(
        t,
        "analytics.ads",
        vec![
            Block::Table(Table { columns, rows }),
            Block::Note(t.get("def.ads.text").to_owned()),
        ],
    )
}

fn funnel(r: &Report, t: Tr) -> Section {
    let f = Fmt(t.0);
    if r.funnel
        .iter()
        .all(|s| s.result.conversion.is_none() && s.result.baseline.is_none())
    {
        return section(
            t,
            "analytics.funnel",
            vec![Block::Note(t.get("analytics.funnel.none").to_owned())],
        );
    }
    let columns = vec![
        Column::text(t.get("analytics.stage"), 1.8),
        Column::text(t.get("analytics.zone"), 1.3),
        Column::number(t.get("analytics.conversion"), 1.2),
        Column::number(t.get("reports.baseline"), 1.2),
        Column::number("z", 0.8),
        Column::text(t.get("analytics.verdict"), 1.0),
    ];
    let mut sentences = Vec::new();
    let rows = r
        .funnel
        .iter()
        .map(|s| {
            let res = &s.result;
            let (verdict_key, _, say) = verdict_of(res.verdict, res.zone);
            let (zone_key, _) = zone_of(res.zone);
            if res.zone == Zone::Client || matches!(res.verdict, Some(Verdict::Worse)) {
                sentences.push(format!("{}: {}", t.get(stage_key(res.stage)), t.get(say)));
            }
            vec![
                Cell::text(t.get(stage_key(res.stage))),
                Cell::text(t.get(zone_key)),
                pct(f, res.conversion),
                pct(f, res.baseline),
                res.z
                    .filter(|z| z.is_finite())
                    .map_or(Cell::Undefined, |z| num(z, f.dec(z, 2), NumberFormat::Signed)),
                Cell::text(t.get(verdict_key)),
            ]
        })
        .collect();
    let mut blocks = vec![Block::Table(Table { columns, rows })];
    blocks.extend(sentences.into_iter().map(Block::Paragraph));
    blocks.push(Block::Note(t.get("def.baseline.text").to_owned()));
    section(t, "analytics.funnel", blocks)
}

fn workflow(data: &ReportData, t: Tr) -> Section {
    let f = Fmt(t.0);
    let w = &data.workflow;
    let rows = vec![
        vec![Cell::text(t.get("reports.approved")), int(f, w.approved_posts as i64)],
        vec![
            Cell::text(t.get("reports.median_approve")),
            dec(f, w.median_minutes_to_approve.map(|m| m / 60.0)),
        ],
        vec![
            Cell::text(t.get("reports.first_time")),
            pct(f, w.first_time_approval_pct),
        ],
        vec![Cell::text(t.get("reports.rounds")), dec(f, w.average_rounds)],
        vec![Cell::text(t.get("reports.sla")), pct(f, w.sla_hit_pct)],
    ];
    let columns = vec![
        Column::text(t.get("reports.figure"), 3.0),
        Column::number(t.get("reports.value"), 1.0),
    ];
    section(t, "reports.workflow", vec![Block::Table(Table { columns, rows })])
}

fn meetings(data: &ReportData, t: Tr) -> Section {
    let f = Fmt(t.0);
    let zone = keel_report::scope::zone_of(&data.project);
    if data.decisions.is_empty() && data.actions.is_empty() {
        return section(
            t,
            "reports.meetings",
            vec![Block::Note(t.get("reports.meetings.none").to_owned())],
        );
    }
    let columns = vec![
        Column::text(t.get("reports.kind"), 1.1),
        Column::text(t.get("reports.text"), 4.0),
        Column::text(t.get("reports.owner"), 1.4),
        Column::text(t.get("analytics.date"), 1.2),
    ];
    let mut rows: Vec<Vec<Cell>> = data
        .decisions
        .iter()
        .map(|(text, at)| {
            vec![
                Cell::text(t.get("reports.decision")),
                Cell::text(text),
                Cell::text(""),
                date(f, zone.day_of(*at)),
            ]
        })
        .collect();
    rows.extend(data.actions.iter().map(|(text, owner, due, done)| {
        vec![
            Cell::text(t.get("reports.action")),
            Cell::text(format!(
                "{text} ({})",
                t.get(if *done { "reports.done" } else { "reports.open" })
            )),
            Cell::text(owner.clone().unwrap_or_default()),
            date(f, *due),
        ]
    }));
    section(t, "reports.meetings", vec![Block::Table(Table { columns, rows })])
}

/// The report of `project` over `from ..= to` as PDF bytes, in `lang`.
pub async fn pdf(
    store: &Store,
    project: &Project,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    lang: Lang,
) -> anyhow::Result<Vec<u8>> {
    let data = gather(store, project, from, to).await?;
    let doc = document(&data, lang);
    tokio::task::spawn_blocking(move || keel_docs::pdf::render(&doc)).await?
}

/// The same as XLSX bytes.
pub async fn xlsx(
    store: &Store,
    project: &Project,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    lang: Lang,
) -> anyhow::Result<Vec<u8>> {
    let data = gather(store, project, from, to).await?;
    let doc = document(&data, lang);
    tokio::task::spawn_blocking(move || keel_docs::xlsx::render(&doc)).await?
}
