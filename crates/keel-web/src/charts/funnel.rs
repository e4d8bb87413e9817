//! The funnel: one bar per stage, coloured by the stage's zone of responsibility (agency or
//! client), its conversion against a tick at its baseline, with the verdict and the zone
//! in words beside it (colour alone never carries the meaning).
//!
//! Conversions of different stages differ by orders of magnitude (a click-through rate of
//! 1 % next to a lead-to-deal rate of 25 %), so each bar is scaled to its own stage: the
//! comparison that matters is a stage with its baseline, not stages with each other.

use super::format::UNDEFINED;
use super::{Chart, FONT, Scale, WIDTH, escape, fit, n, open_svg};

const ROW: f64 = 62.0;
const BAR: f64 = 14.0;
const PAD: f64 = 4.0;

/// One stage, worded by the caller in the page's language.
#[derive(Debug, Clone, PartialEq)]
pub struct StageBar {
    /// "Leads → deals".
    pub name: String,
    /// "Client zone".
    pub zone: String,
    /// `zone-agency` or `zone-client`.
    pub zone_class: &'static str,
    pub conversion: Option<f64>,
    pub baseline: Option<f64>,
    /// "19.0%" and "baseline 30.1%".
    pub conversion_text: String,
    pub baseline_text: String,
    /// "worse" / "steady" / "better" / "not enough data".
    pub verdict: String,
    /// `verdict-worse`, `verdict-steady`, `verdict-better` or `verdict-none`.
    pub verdict_class: &'static str,
}

/// Colours without a stylesheet; the classes override them.
fn zone_colour(class: &str) -> &'static str {
    if class == "zone-client" { "#6d5bd0" } else { "#2a9d8f" }
}

fn verdict_colour(class: &str) -> &'static str {
    match class {
        "verdict-worse" => "#b42318",
        "verdict-better" => "#067647",
        _ => "#46506a",
    }
}

/// The funnel as SVG, or the empty state without stages.
pub fn funnel_chart(title: &str, stages: &[StageBar], empty: &str) -> Chart {
    if stages.is_empty() || stages.iter().all(|s| s.conversion.is_none() && s.baseline.is_none()) {
        return Chart::empty(empty);
    }
    let height = stages.len() as f64 * ROW + PAD;
    let mut svg = open_svg("funnel-chart", height, title);
    for (i, s) in stages.iter().enumerate() {
        let top = PAD + i as f64 * ROW;
        let top_max = [s.conversion, s.baseline]
            .into_iter()
            .flatten()
            .filter(|v| v.is_finite())
            .fold(0.0_f64, f64::max);
        let x = Scale {
            domain: (0.0, if top_max > 0.0 { top_max * 1.15 } else { 1.0 }),
            range: (PAD, WIDTH - PAD),
        };
        let bar_y = top + FONT + 5.0;
        svg += &format!(
            r##"<g class="stage {zone_class}"><title>{name} · {zone}: {conv}, {base} · {verdict}</title><text x="{PAD}" y="{ty}"><tspan font-weight="600">{name_fit}</tspan> · {zone}</text><rect class="track" x="{PAD}" y="{by}" width="{tw}" height="{BAR}" rx="2" fill="#eef0f4"/>"##,
            zone_class = s.zone_class,
            name = escape(&s.name),
            name_fit = escape(&fit(&s.name, 170.0)),
            zone = escape(&s.zone),
            conv = escape(&s.conversion_text),
            base = escape(&s.baseline_text),
            verdict = escape(&s.verdict),
            ty = n(top + FONT),
            by = n(bar_y),
            tw = n(WIDTH - 2.0 * PAD),
        );
        if let Some(c) = s.conversion.filter(|c| c.is_finite()) {
            svg += &format!(
                r#"<rect class="bar {zc}" x="{PAD}" y="{y}" width="{w}" height="{BAR}" rx="2" fill="{colour}"/>"#,
                zc = s.zone_class,
                y = n(bar_y),
                w = n((x.map(c.max(0.0)) - PAD).max(1.0)),
                colour = zone_colour(s.zone_class),
            );
        }
        if let Some(b) = s.baseline.filter(|b| b.is_finite()) {
            let bx = x.map(b.max(0.0));
            svg += &format!(
                r##"<line class="baseline" x1="{x}" x2="{x}" y1="{y1}" y2="{y2}" stroke="#14213d" stroke-width="2"/>"##,
                x = n(bx),
                y1 = n(bar_y - 3.0),
                y2 = n(bar_y + BAR + 3.0),
            );
        }
        let conversion = if s.conversion.is_some() {
            s.conversion_text.as_str()
        } else {
            UNDEFINED
        };
        svg += &format!(
            r#"<text x="{PAD}" y="{y}"><tspan font-weight="600">{conv}</tspan> · {base} · <tspan class="{vc}" fill="{colour}" font-weight="600">{verdict}</tspan></text></g>"#,
            y = n(bar_y + BAR + FONT + 3.0),
            conv = escape(conversion),
            base = escape(&s.baseline_text),
            vc = s.verdict_class,
            colour = verdict_colour(s.verdict_class),
            verdict = escape(&s.verdict),
        );
    }
    svg += "</svg>";
    Chart(svg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::tests::assert_balanced;

    fn stage(name: &str, zone_class: &'static str, conversion: Option<f64>, baseline: Option<f64>) -> StageBar {
        StageBar {
            name: name.into(),
            zone: if zone_class == "zone-client" {
                "Client zone".into()
            } else {
                "Agency zone".into()
            },
            zone_class,
            conversion,
            baseline,
            conversion_text: conversion.map_or("—".into(), |c| format!("{c:.1}%")),
            baseline_text: baseline.map_or("baseline —".into(), |b| format!("baseline {b:.1}%")),
            verdict: "worse".into(),
            verdict_class: "verdict-worse",
        }
    }

    #[test]
    fn stages_are_coloured_by_zone_with_the_verdict_in_words() {
        let chart = funnel_chart(
            "Funnel",
            &[
                stage("Impressions → clicks", "zone-agency", Some(1.1), Some(1.2)),
                stage("Leads → deals", "zone-client", Some(19.0), Some(30.0)),
            ],
            "none",
        );
        let s = chart.as_str();
        assert_balanced(s);
        assert!(s.contains(r#"<g class="stage zone-agency">"#));
        assert!(s.contains(r#"<rect class="bar zone-client""#));
        assert!(s.contains("Client zone") && s.contains(">worse</tspan>"));
        // The baseline (the larger value) sits at 1/1.15 of the track: a tick, not the edge.
        let bx = PAD + 30.0 / (30.0 * 1.15) * (WIDTH - 2.0 * PAD);
        assert!(s.contains(&format!(r#"x1="{}""#, n(bx))), "{s}");
    }

    #[test]
    fn stages_without_data_give_the_empty_state() {
        assert!(funnel_chart("Funnel", &[], "No ads or leads").is_empty_state());
        let none = stage("Leads → deals", "zone-client", None, None);
        assert!(funnel_chart("Funnel", &[none], "No ads or leads").is_empty_state());
        let only_baseline = stage("Leads → deals", "zone-client", None, Some(20.0));
        let chart = funnel_chart("Funnel", &[only_baseline], "none");
        assert_balanced(chart.as_str());
        assert!(chart.as_str().contains(">—</tspan>"));
    }

    #[test]
    fn stage_names_are_escaped() {
        let chart = funnel_chart("F<>", &[stage("<i>x</i>", "zone-agency", Some(1.0), None)], "none");
        assert_balanced(chart.as_str());
        assert!(!chart.as_str().contains("<i>"));
    }
}
