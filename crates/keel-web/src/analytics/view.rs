//! The sections the analytics page and the standalone HTML report share
//! (`templates/analytics_sections.html`), worded and formatted in one language: accounts
//! with their charts, suspected purchases, best and worst posts, ads and the funnel.

use keel_domain::metrics::funnel::{Stage, Verdict, Zone};
use std::collections::HashMap;

use keel_report::{AccountRow, AccountSeries, CampaignRow, FunnelStage, PostRow, Report, SeriesDay, SpikeRow};
use keel_store::data::{PostKey, PostText};

use crate::charts::Chart;
use crate::charts::bars::{Bar, bar_chart};
use crate::charts::format::Fmt;
use crate::charts::funnel::{StageBar, funnel_chart};
use crate::charts::line::{Line, LineChart, Marker, line_chart};
use crate::i18n::Tr;

use super::charted::{CHARTED_ACCOUNTS, charted};

/// What the sections are built from.
pub struct Input<'a> {
    pub report: &'a Report,
    /// The day-by-day series; `None` when the caller has only a report (the charts over
    /// time are then left out, with a note).
    pub series: Option<&'a [AccountSeries]>,
    pub best: &'a [PostRow],
    pub worst: &'a [PostRow],
    /// The listed posts' text and address, when the imported files had them.
    pub texts: Option<&'a HashMap<PostKey, PostText>>,
    /// The currencies the ad spend is in (one, normally), shown beside money.
    pub currencies: &'a [String],
    /// The report of the period just before, as long as this one, for the changes; `None`
    /// for "all data" or when nothing precedes.
    pub previous: Option<&'a Report>,
    /// The project's time zone: a post's day is its local publication day.
    pub zone: keel_domain::local_days::LocalZone,
}

/// A figure as shown: its text, or undefined ("—", linking to the definition).
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub text: String,
    pub defined: bool,
}

impl Figure {
    fn of(text: Option<String>) -> Figure {
        match text {
            Some(text) => Figure { text, defined: true },
            None => Figure {
                text: crate::charts::format::UNDEFINED.to_owned(),
                defined: false,
            },
        }
    }
}

/// Everything the shared template prints.
pub struct Sections {
    /// Where the definitions live: `/definitions` on the site, `` (this document) in the
    /// standalone report. Links are `{defs}#er` etc.
    pub defs: &'static str,
    /// The project's data page, for empty states; `None` in the standalone report.
    pub data_url: Option<String>,
    /// `false` when the series were not available (see [`Input::series`]).
    pub has_series: bool,
    /// Set when some accounts are left without charts: says which are charted.
    pub charted_note: Option<String>,
    pub accounts: Vec<AccountView>,
    pub spikes: Vec<SpikeView>,
    /// The best and the worst posts, as (title key, rows).
    /// The best and the worst posts by ER, once each: a table with a bar per row.
    pub post_tables: Vec<(&'static str, &'static str, Vec<PostView>)>,
    pub has_posts: bool,
    pub ads: AdsView,
    pub funnel: FunnelView,
}

impl Sections {
    /// Nothing at all in the period: no account, no ads, no funnel stage with trials
    /// (baselines may still exist: they come from before the period).
    pub fn is_empty(&self) -> bool {
        self.accounts.is_empty() && !self.ads.any && !self.funnel.in_period
    }
}

pub struct AccountView {
    pub platform: String,
    pub account: String,
    pub followers_start: Figure,
    pub followers_end: Figure,
    pub growth: Figure,
    pub posts: String,
    pub interactions: String,
    pub er: Figure,
    pub err: Figure,
    pub erv: Figure,
    /// Changes against the previous period ("+0.31 pp", "−12 %"), empty without one.
    pub er_change: Change,
    pub interactions_change: Change,
    pub growth_change: Change,
    /// The charts over time; `None` without series or for an account not among the
    /// charted ones (see [`super::charted`]).
    pub charts: Option<AccountCharts>,
    /// Suspected purchases on this account in the period.
    pub spikes: usize,
}

/// One account's charts over time.
pub struct AccountCharts {
    pub followers: Chart,
    pub er: Chart,
    pub reach: Chart,
}

pub struct SpikeView {
    pub account: String,
    pub date: String,
    pub gain: String,
    pub excess: String,
    pub er_before: Figure,
    pub er_after: Figure,
}

pub struct PostView {
    pub post_id: String,
    /// The start of the post's text, when Keel has it (the post id is shown otherwise).
    pub text: Option<String>,
    /// The post on its platform, when Keel knows the address (`http(s)://` only, checked on import).
    pub url: Option<String>,
    /// The bar's length: the post's ER against the highest of its table, in percent.
    pub bar: f64,
    /// "instagram · clientb.fitness".
    pub account: String,
    pub date: String,
    pub interactions: String,
    pub er: Figure,
    pub err: Figure,
    pub erv: Figure,
}

pub struct AdsView {
    /// Any ads rows in the period.
    pub any: bool,
    /// The currency of the money figures ("RUB"); several joined with " + " (then
    /// `mixed` warns that the totals add unlike amounts).
    pub currency: String,
    pub mixed: bool,
    pub spend: String,
    pub impressions: String,
    pub clicks: String,
    pub leads: String,
    pub video_views: String,
    pub ctr: Figure,
    pub cpc: Figure,
    pub cpl: Figure,
    pub cpv: Figure,
    pub cpm: Figure,
    pub campaigns: Vec<CampaignView>,
    /// CTR, CPC, CPL and CPM per campaign: (title, chart).
    pub charts: Vec<(&'static str, Chart)>,
}

pub struct CampaignView {
    pub platform: String,
    pub campaign: String,
    pub spend: String,
    pub impressions: String,
    pub clicks: String,
    pub leads: String,
    pub ctr: Figure,
    pub cpc: Figure,
    pub cpl: Figure,
    pub cpv: Figure,
    pub cpm: Figure,
}

pub struct FunnelView {
    /// Any stage with a conversion or a baseline.
    pub any: bool,
    /// Any stage with a conversion in the period.
    pub in_period: bool,
    pub chart: Chart,
    pub stages: Vec<StageView>,
}

pub struct StageView {
    pub name: &'static str,
    pub zone: &'static str,
    pub zone_class: &'static str,
    pub conversion: Figure,
    pub baseline: Figure,
    pub z: Figure,
    pub verdict: &'static str,
    pub verdict_class: &'static str,
    /// "15 of 50 → 19 of 100", the counts behind the two rates.
    pub counts: String,
    /// The baseline's window: "2 Aug 2025 – 31 Oct 2025".
    pub window: String,
    /// Whose zone a deviation belongs to, in a sentence.
    pub sentence: String,
}

/// Builds the sections in the language of `t`.
pub fn build(input: &Input<'_>, t: Tr, defs: &'static str, data_url: Option<String>) -> Sections {
    let f = Fmt(t.0);
    let r = input.report;
    let accounts = r
        .accounts
        .iter()
        .zip(charted(&r.accounts))
        .map(|(a, charted)| {
            let before = input.previous.and_then(|p| {
                p.accounts
                    .iter()
                    .find(|b| b.platform == a.platform && b.account == a.account)
            });
            account(a, before, input.series.filter(|_| charted), &r.bot_spikes, t, defs)
        })
        .collect();
    let charted_note = (input.series.is_some() && r.accounts.len() > CHARTED_ACCOUNTS)
        .then(|| t.count("analytics.charted", CHARTED_ACCOUNTS as i64));
    Sections {
        defs,
        data_url,
        has_series: input.series.is_some(),
        charted_note,
        accounts,
        spikes: r.bot_spikes.iter().map(|s| spike(s, f)).collect(),
        post_tables: vec![
            ("analytics.best", "bar-good", posts(input.best, input, f)),
            ("analytics.worst", "bar-bad", posts(input.worst, input, f)),
        ],
        has_posts: !input.best.is_empty() || !input.worst.is_empty(),
        ads: ads(r, input.currencies, t),
        funnel: funnel(&r.funnel, t),
    }
}

fn pct2(f: Fmt, v: Option<f64>) -> Figure {
    Figure::of(f.opt(v, |f, v| f.pct(v, 2)))
}

fn money(f: Fmt, v: Option<f64>) -> Figure {
    Figure::of(f.opt(v, |f, v| f.dec(v, 2)))
}

/// The account's figures, and its charts when `series` is given.
fn account(
    a: &AccountRow,
    before: Option<&AccountRow>,
    series: Option<&[AccountSeries]>,
    spikes: &[SpikeRow],
    t: Tr,
    defs: &str,
) -> AccountView {
    let f = Fmt(t.0);
    let mine: Vec<&SpikeRow> = spikes
        .iter()
        .filter(|s| s.platform == a.platform && s.account == a.account)
        .collect();
    AccountView {
        platform: a.platform.clone(),
        account: a.account.clone(),
        followers_start: Figure::of(a.followers_start.map(|v| f.int(v))),
        followers_end: Figure::of(a.followers_end.map(|v| f.int(v))),
        growth: Figure::of(f.opt(a.follower_growth_pct, |f, v| f.signed_pct(v, 1))),
        posts: f.int(a.posts),
        interactions: f.int(a.interactions),
        er: pct2(f, a.er_followers),
        err: pct2(f, a.err_reach),
        erv: pct2(f, a.er_views),
        er_change: Change::points(t, a.er_followers, before.and_then(|b| b.er_followers)),
        interactions_change: Change::relative(t, Some(a.interactions as f64), before.map(|b| b.interactions as f64)),
        growth_change: Change::points(t, a.follower_growth_pct, before.and_then(|b| b.follower_growth_pct)),
        charts: series.map(|all| {
            let days = all
                .iter()
                .find(|s| s.platform == a.platform && s.account == a.account)
                .map_or(&[][..], |s| s.days.as_slice());
            account_charts(a, days, &mine, t, defs)
        }),
        spikes: mine.len(),
    }
}

/// Followers, daily ER and reach of one account over `days`, its suspected purchases marked.
fn account_charts(a: &AccountRow, days: &[SeriesDay], mine: &[&SpikeRow], t: Tr, defs: &str) -> AccountCharts {
    let f = Fmt(t.0);
    let name = format!("{} · {}", a.platform, a.account);
    let markers: Vec<Marker> = mine
        .iter()
        .map(|s| Marker {
            date: s.date,
            label: format!("{} · {}", t.get("analytics.marker"), f.day_month(s.date)),
            href: format!("{defs}#bots"),
        })
        .collect();
    let count = |v: f64| f.int(v.round() as i64);
    let percent = |v: f64| f.pct(v, 1);
    let followers = line_chart(&LineChart {
        title: &format!("{} · {name}", t.get("analytics.followers")),
        lines: vec![Line {
            name: name.clone(),
            points: days
                .iter()
                .filter_map(|d| Some((d.date, d.followers? as f64)))
                .collect(),
        }],
        markers: markers.clone(),
        y_label: &count,
        from_zero: false,
        fmt: f,
        empty: t.get("analytics.chart.no_followers"),
    });
    let er = line_chart(&LineChart {
        title: &format!("{} · {name}", t.get("analytics.daily_er")),
        lines: vec![Line {
            name: name.clone(),
            points: days.iter().filter_map(|d| Some((d.date, d.daily_er?))).collect(),
        }],
        markers,
        y_label: &percent,
        from_zero: true,
        fmt: f,
        empty: t.get("analytics.chart.no_er"),
    });
    // Reach: the account's daily reach where recorded, else the reach of its posts.
    let daily_reach: Vec<_> = days.iter().filter_map(|d| Some((d.date, d.reach? as f64))).collect();
    let reach_points = if daily_reach.is_empty() {
        days.iter()
            .filter(|d| d.posts > 0 && d.post_reach > 0)
            .map(|d| (d.date, d.post_reach as f64))
            .collect()
    } else {
        daily_reach
    };
    let reach = line_chart(&LineChart {
        title: &format!("{} · {name}", t.get("analytics.reach")),
        lines: vec![Line {
            name,
            points: reach_points,
        }],
        markers: vec![],
        y_label: &count,
        from_zero: true,
        fmt: f,
        empty: t.get("analytics.chart.no_reach"),
    });
    AccountCharts { followers, er, reach }
}

fn spike(s: &SpikeRow, f: Fmt) -> SpikeView {
    SpikeView {
        account: format!("{} · {}", s.platform, s.account),
        date: f.date(s.date),
        gain: f.signed_int(s.gain),
        excess: f.int(s.excess.round() as i64),
        er_before: pct2(f, s.er_before),
        er_after: pct2(f, s.er_after),
    }
}

/// A table's rows, each with its bar scaled to the table's highest ER.
fn posts(list: &[PostRow], input: &Input<'_>, f: Fmt) -> Vec<PostView> {
    let top = list.iter().filter_map(|p| p.er).fold(0.0_f64, f64::max);
    list.iter()
        .map(|p| PostView {
            bar: match p.er {
                Some(er) if top > 0.0 => (er / top * 100.0).clamp(2.0, 100.0),
                _ => 0.0,
            },
            ..post(p, input, f)
        })
        .collect()
}

/// How much of a post's text a row shows: about two lines on a phone.
const TEXT_SHOWN_CHARS: usize = 120;

fn post(p: &PostRow, input: &Input<'_>, f: Fmt) -> PostView {
    let texts = input.texts;
    let known = texts.and_then(|m| m.get(&(p.platform.clone(), p.account.clone(), p.post_id.clone())));
    PostView {
        bar: 0.0,
        post_id: p.post_id.clone(),
        text: known
            .and_then(|k| k.text.as_deref())
            .map(shorten)
            .filter(|s| !s.is_empty()),
        url: known.and_then(|k| k.url.clone()),
        account: format!("{} · {}", p.platform, p.account),
        date: f.date(input.zone.day_of(p.published_at)),
        interactions: f.int(p.interactions),
        er: pct2(f, p.er),
        err: pct2(f, p.err),
        erv: pct2(f, p.erv),
    }
}

/// The text on one line, cut at a word near [`TEXT_SHOWN_CHARS`] with an ellipsis.
fn shorten(text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(TEXT_SHOWN_CHARS) {
        None => flat,
        Some((cut, _)) => {
            let head = &flat[..cut];
            let at_word = head.rfind(' ').filter(|&i| i > cut / 2).unwrap_or(cut);
            format!("{}…", head[..at_word].trim_end())
        }
    }
}

fn ads(r: &Report, currencies: &[String], t: Tr) -> AdsView {
    let f = Fmt(t.0);
    let a = &r.ads.totals;
    let campaigns: Vec<CampaignView> = r.ads.campaigns.iter().map(|c| campaign(c, f)).collect();
    type Pick = fn(&CampaignRow) -> Option<f64>;
    let ratios: [(&'static str, Pick, bool); 4] = [
        ("analytics.ads.ctr", |c| c.figures.ctr, true),
        ("analytics.ads.cpc", |c| c.figures.cpc, false),
        ("analytics.ads.cpl", |c| c.figures.cpl, false),
        ("analytics.ads.cpm", |c| c.figures.cpm, false),
    ];
    let charts = if r.ads.campaigns.is_empty() {
        Vec::new()
    } else {
        ratios
            .iter()
            .map(|(key, pick, is_pct)| {
                let bars: Vec<Bar> = r
                    .ads
                    .campaigns
                    .iter()
                    .map(|c| {
                        let v = pick(c);
                        Bar {
                            label: format!("{} · {}", c.platform, c.campaign),
                            value: v,
                            text: f
                                .opt(v, |f, v| if *is_pct { f.pct(v, 2) } else { f.dec(v, 2) })
                                .unwrap_or_default(),
                            class: "bar-ads",
                        }
                    })
                    .collect();
                (*key, bar_chart(t.get(key), &bars, t.get("analytics.ads.none")))
            })
            .collect()
    };
    AdsView {
        currency: currencies.join(" + "),
        mixed: currencies.len() > 1,
        any: !r.ads.campaigns.is_empty(),
        spend: f.dec(a.spend, 2),
        impressions: f.int(a.impressions),
        clicks: f.int(a.clicks),
        leads: f.int(a.leads),
        video_views: f.int(a.video_views),
        ctr: pct2(f, a.ctr),
        cpc: money(f, a.cpc),
        cpl: money(f, a.cpl),
        cpv: money(f, a.cpv),
        cpm: money(f, a.cpm),
        campaigns,
        charts,
    }
}

fn campaign(c: &CampaignRow, f: Fmt) -> CampaignView {
    let x = &c.figures;
    CampaignView {
        platform: c.platform.clone(),
        campaign: c.campaign.clone(),
        spend: f.dec(x.spend, 2),
        impressions: f.int(x.impressions),
        clicks: f.int(x.clicks),
        leads: f.int(x.leads),
        ctr: pct2(f, x.ctr),
        cpc: money(f, x.cpc),
        cpl: money(f, x.cpl),
        cpv: money(f, x.cpv),
        cpm: money(f, x.cpm),
    }
}

/// Translation keys of a stage's name.
pub(crate) fn stage_key(s: Stage) -> &'static str {
    match s {
        Stage::ImpressionsToClicks => "funnel.impressions_to_clicks",
        Stage::ClicksToLeads => "funnel.clicks_to_leads",
        Stage::LeadsToDeals => "funnel.leads_to_deals",
    }
}

pub(crate) fn zone_of(z: Zone) -> (&'static str, &'static str) {
    match z {
        Zone::Agency => ("funnel.zone.agency", "zone-agency"),
        Zone::Client => ("funnel.zone.client", "zone-client"),
    }
}

/// The verdict's words and class, and the sentence saying whose zone a deviation is in.
/// A client-zone stage is never put on the agency.
pub(crate) fn verdict_of(v: Option<Verdict>, zone: Zone) -> (&'static str, &'static str, &'static str) {
    match (v, zone) {
        (Some(Verdict::Worse), Zone::Client) => ("funnel.worse", "verdict-worse", "funnel.say.worse_client"),
        (Some(Verdict::Worse), Zone::Agency) => ("funnel.worse", "verdict-worse", "funnel.say.worse_agency"),
        (Some(Verdict::Better), Zone::Client) => ("funnel.better", "verdict-better", "funnel.say.better_client"),
        (Some(Verdict::Better), Zone::Agency) => ("funnel.better", "verdict-better", "funnel.say.better_agency"),
        (Some(Verdict::Steady), _) => ("funnel.steady", "verdict-steady", "funnel.say.steady"),
        (None, _) => ("funnel.none", "verdict-none", "funnel.say.none"),
    }
}

fn funnel(stages: &[FunnelStage], t: Tr) -> FunnelView {
    let f = Fmt(t.0);
    let pct = |v: Option<f64>| Figure::of(f.opt(v, |f, v| f.pct(v, 2)));
    let mut bars = Vec::new();
    let mut views = Vec::new();
    for s in stages {
        let r = &s.result;
        let (zone_key, zone_class) = zone_of(r.zone);
        let (verdict_key, verdict_class, say_key) = verdict_of(r.verdict, r.zone);
        let (conversion, baseline) = (pct(r.conversion), pct(r.baseline));
        let name = t.get(stage_key(r.stage));
        bars.push(StageBar {
            name: name.to_owned(),
            zone: t.get(zone_key).to_owned(),
            zone_class,
            conversion: r.conversion,
            baseline: r.baseline,
            conversion_text: conversion.text.clone(),
            baseline_text: format!("{} {}", t.get("funnel.baseline"), baseline.text),
            verdict: t.get(verdict_key).to_owned(),
            verdict_class,
        });
        let sentence = format!(
            "{name}: {conv} {vs} {base}. {say}",
            conv = conversion.text,
            vs = t.get("funnel.vs_baseline"),
            base = baseline.text,
            say = t.get(say_key),
        );
        views.push(StageView {
            name,
            zone: t.get(zone_key),
            zone_class,
            conversion,
            baseline,
            z: Figure::of(f.opt(r.z, |f, v| f.dec(v, 2))),
            verdict: t.get(verdict_key),
            verdict_class,
            counts: format!(
                "{} / {} → {} / {}",
                f.int(s.baseline_successes),
                f.int(s.baseline_trials),
                f.int(s.successes),
                f.int(s.trials)
            ),
            window: format!("{} – {}", f.date(s.baseline_from), f.date(s.baseline_to)),
            sentence,
        });
    }
    let chart = funnel_chart(t.get("analytics.funnel"), &bars, t.get("analytics.funnel.none"));
    FunnelView {
        any: !chart.is_empty_state(),
        in_period: stages.iter().any(|s| s.result.conversion.is_some()),
        chart,
        stages: views,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, LangExt};
    use chrono::NaiveDate;
    use keel_domain::metrics::funnel::{Proportion, evaluate};

    fn stage(stage: Stage, period: (i64, i64), baseline: (i64, i64)) -> FunnelStage {
        let day = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        FunnelStage {
            result: evaluate(
                stage,
                Proportion {
                    successes: period.0,
                    trials: period.1,
                },
                Proportion {
                    successes: baseline.0,
                    trials: baseline.1,
                },
            ),
            successes: period.0,
            trials: period.1,
            baseline_successes: baseline.0,
            baseline_trials: baseline.1,
            baseline_from: day,
            baseline_to: day,
        }
    }

    #[test]
    fn a_worse_sales_stage_is_put_in_the_client_zone_never_the_agency() {
        let stages = [
            stage(Stage::ImpressionsToClicks, (100, 10_000), (100, 10_000)),
            stage(Stage::LeadsToDeals, (190, 1000), (300, 1000)),
        ];
        let v = funnel(&stages, Lang::En.tr());
        assert!(v.any);
        let sales = &v.stages[1];
        assert_eq!(
            (sales.verdict_class, sales.zone_class),
            ("verdict-worse", "zone-client")
        );
        assert!(
            sales.sentence.starts_with("Leads → deals: 19.00% vs baseline 30.00%."),
            "{}",
            sales.sentence
        );
        assert!(sales.sentence.contains("client"), "{}", sales.sentence);
        assert!(
            !sales.sentence.to_lowercase().contains("agency's zone"),
            "{}",
            sales.sentence
        );
        assert_eq!(v.stages[0].verdict, "steady");
        let ru = funnel(&stages, Lang::Ru.tr());
        assert_eq!(ru.stages[1].conversion.text, "19,00\u{a0}%");
    }

    #[test]
    fn undefined_figures_are_marked_as_such() {
        let v = funnel(&[stage(Stage::ClicksToLeads, (0, 0), (0, 0))], Lang::En.tr());
        assert!(!v.any && v.chart.is_empty_state());
        assert!(!v.stages[0].conversion.defined && !v.stages[0].z.defined);
        assert_eq!(v.stages[0].conversion.text, "—");
    }
}

/// A figure's change against the previous period, in words for the page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Change {
    /// "+0.31 pp vs 2.80%", empty when either period lacks the figure.
    pub text: String,
    /// `up`, `down` or `flat`, for the colour.
    pub direction: &'static str,
}

impl Change {
    fn of(text: String, delta: f64) -> Change {
        let direction = if delta.abs() < 1e-9 {
            "flat"
        } else if delta > 0.0 {
            "up"
        } else {
            "down"
        };
        Change { text, direction }
    }

    /// A percentage's change in percentage points, beside the previous value.
    fn points(t: Tr, now: Option<f64>, before: Option<f64>) -> Change {
        let (Some(now), Some(before)) = (now, before) else {
            return Change::default();
        };
        let f = Fmt(t.0);
        let delta = now - before;
        let pp = t.get("analytics.pp");
        let sign = if delta > 0.0 { "+" } else { "" };
        let text = format!(
            "{sign}{}\u{a0}{pp} {} {}",
            f.dec(delta, 2),
            t.get("analytics.vs"),
            f.pct(before, 2)
        );
        Change::of(text, delta)
    }

    /// A count's change in percent of the previous value.
    fn relative(t: Tr, now: Option<f64>, before: Option<f64>) -> Change {
        let (Some(now), Some(before)) = (now, before) else {
            return Change::default();
        };
        if before == 0.0 {
            return Change::default();
        }
        let f = Fmt(t.0);
        let delta = (now - before) / before * 100.0;
        let text = format!(
            "{} {} {}",
            f.signed_pct(delta, 1),
            t.get("analytics.vs"),
            f.dec(before, 0)
        );
        Change::of(text, delta)
    }
}
