//! `keel report --format csv`: every section of the report as one CSV table.
//!
//! Layout: one header row, then one row per item, with a first column `section` naming the
//! table the row belongs to:
//!
//! | `section` | one row per | columns filled |
//! |---|---|---|
//! | `post` | post | `platform, account, post_id, published_at, interactions, er, err, erv` |
//! | `account` | account | `platform, account, followers_start, followers_end, follower_growth_pct, posts, interactions, er_followers, err_reach, er_views` |
//! | `bot_spike` | suspected purchase | `platform, account, date, gain, excess, er_before, er_after` |
//! | `ads_total` | (one row) | `spend, impressions, clicks, leads, video_views, ctr, cpc, cpl, cpv, cpm` |
//! | `ads_campaign` | campaign | `platform, campaign`, and the columns of `ads_total` |
//! | `funnel` | stage | `stage, zone, conversion, baseline, z, verdict, successes, trials, baseline_successes, baseline_trials, baseline_from, baseline_to` |
//!
//! Columns carry the names and meaning of the JSON keys (percentages in percent). A cell is
//! empty when the column does not apply to the section, or when the value is undefined
//! (`null` in JSON). Sections come in the order above (as in the JSON, posts first: the
//! other sections are computed while they stream); goals have no rows yet. A single
//! Text cells that a spreadsheet would read as a formula (starting with `=`, `+`, `-`, `@`)
//! are written with a leading `'` (see [`SafeText`]). A single
//! rectangular table (rather than one block per section) loads as-is into a spreadsheet,
//! DuckDB or pandas, where `section` filters out the table wanted.

use std::io::Write;

use chrono::NaiveDate;
use keel_domain::metrics::funnel::{Stage, Verdict, Zone};
use keel_store::Store;
use keel_store::projects::Project;
use serde::Serialize;

use crate::ads::{AdsFigures, CampaignRow};
use crate::run;
use crate::scope::Scope;

/// Text from imported data, written so a spreadsheet cannot take it for a formula: a cell
/// starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'` (OWASP's
/// advice; spreadsheets show the text without it). An account named
/// `=HYPERLINK("http://evil.example/…")` is then shown, never run. Numbers are written as
/// numbers and are not touched.
#[derive(Debug, Clone, Copy)]
struct SafeText<'a>(&'a str);

impl Serialize for SafeText<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.0.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            serializer.serialize_str(&format!("'{}", self.0))
        } else {
            serializer.serialize_str(self.0)
        }
    }
}

/// One CSV row: the union of every section's columns, unused ones empty.
#[derive(Debug, Default, Serialize)]
struct Row<'a> {
    section: &'a str,
    platform: Option<SafeText<'a>>,
    account: Option<SafeText<'a>>,
    post_id: Option<SafeText<'a>>,
    published_at: Option<String>,
    campaign: Option<SafeText<'a>>,
    stage: Option<Stage>,
    zone: Option<Zone>,
    date: Option<NaiveDate>,
    followers_start: Option<i64>,
    followers_end: Option<i64>,
    follower_growth_pct: Option<f64>,
    posts: Option<i64>,
    interactions: Option<i64>,
    er_followers: Option<f64>,
    err_reach: Option<f64>,
    er_views: Option<f64>,
    er: Option<f64>,
    err: Option<f64>,
    erv: Option<f64>,
    gain: Option<i64>,
    excess: Option<f64>,
    er_before: Option<f64>,
    er_after: Option<f64>,
    spend: Option<f64>,
    impressions: Option<i64>,
    clicks: Option<i64>,
    leads: Option<i64>,
    video_views: Option<i64>,
    ctr: Option<f64>,
    cpc: Option<f64>,
    cpl: Option<f64>,
    cpv: Option<f64>,
    cpm: Option<f64>,
    conversion: Option<f64>,
    baseline: Option<f64>,
    z: Option<f64>,
    verdict: Option<Verdict>,
    successes: Option<i64>,
    trials: Option<i64>,
    baseline_successes: Option<i64>,
    baseline_trials: Option<i64>,
    baseline_from: Option<NaiveDate>,
    baseline_to: Option<NaiveDate>,
}

/// Writes the report of `project` over `from ..= to` to `out` as CSV (layout above),
/// streaming the `post` rows from the database while the other sections are computed.
pub async fn write_report_csv(
    store: &Store,
    project: &Project,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    out: impl Write,
) -> anyhow::Result<()> {
    let scope = Scope::new(project, from, to)?;
    let mut w = csv::WriterBuilder::new().buffer_capacity(1 << 16).from_writer(out);

    let s = run(store, &scope, |p| {
        w.serialize(Row {
            section: "post",
            platform: Some(SafeText(&p.platform)),
            account: Some(SafeText(&p.account)),
            post_id: Some(SafeText(&p.post_id)),
            published_at: Some(p.published_at_text()),
            interactions: Some(p.interactions),
            er: p.er,
            err: p.err,
            erv: p.erv,
            ..Row::default()
        })?;
        Ok(())
    })
    .await?;
    for a in &s.accounts {
        w.serialize(Row {
            section: "account",
            platform: Some(SafeText(&a.platform)),
            account: Some(SafeText(&a.account)),
            followers_start: a.followers_start,
            followers_end: a.followers_end,
            follower_growth_pct: a.follower_growth_pct,
            posts: Some(a.posts),
            interactions: Some(a.interactions),
            er_followers: a.er_followers,
            err_reach: a.err_reach,
            er_views: a.er_views,
            ..Row::default()
        })?;
    }
    for b in &s.bot_spikes {
        w.serialize(Row {
            section: "bot_spike",
            platform: Some(SafeText(&b.platform)),
            account: Some(SafeText(&b.account)),
            date: Some(b.date),
            gain: Some(b.gain),
            excess: Some(b.excess),
            er_before: b.er_before,
            er_after: b.er_after,
            ..Row::default()
        })?;
    }
    w.serialize(ads_row("ads_total", None, &s.ads.totals))?;
    for c in &s.ads.campaigns {
        w.serialize(ads_row("ads_campaign", Some(c), &c.figures))?;
    }
    for f in &s.funnel {
        let r = &f.result;
        w.serialize(Row {
            section: "funnel",
            stage: Some(r.stage),
            zone: Some(r.zone),
            conversion: r.conversion,
            baseline: r.baseline,
            z: r.z,
            verdict: r.verdict,
            successes: Some(f.successes),
            trials: Some(f.trials),
            baseline_successes: Some(f.baseline_successes),
            baseline_trials: Some(f.baseline_trials),
            baseline_from: Some(f.baseline_from),
            baseline_to: Some(f.baseline_to),
            ..Row::default()
        })?;
    }
    w.flush()?;
    Ok(())
}

/// An `ads_total` or `ads_campaign` row.
fn ads_row<'a>(section: &'a str, campaign: Option<&'a CampaignRow>, f: &AdsFigures) -> Row<'a> {
    Row {
        section,
        platform: campaign.map(|c| SafeText(&c.platform)),
        campaign: campaign.map(|c| SafeText(&c.campaign)),
        spend: Some(f.spend),
        impressions: Some(f.impressions),
        clicks: Some(f.clicks),
        leads: Some(f.leads),
        video_views: Some(f.video_views),
        ctr: f.ctr,
        cpc: f.cpc,
        cpl: f.cpl,
        cpv: f.cpv,
        cpm: f.cpm,
        ..Row::default()
    }
}
