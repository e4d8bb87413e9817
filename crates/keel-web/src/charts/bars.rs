//! A horizontal bar chart: ER of the best and worst posts, or one ads ratio per campaign.
//!
//! Each row is a label on its own line above the bar (labels are post ids and campaign
//! names: too long to sit beside a bar on a phone), then the bar with its value after it.
//! Bars start at 0; an undefined value has no bar and prints "—".

use super::format::UNDEFINED;
use super::{Chart, FONT, Scale, WIDTH, escape, fit, n, open_svg};

const ROW: f64 = 34.0;
const BAR: f64 = 12.0;
const PAD: f64 = 4.0;
/// Room kept right of the longest bar for its value.
const VALUE_ROOM: f64 = 74.0;

/// One bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    /// `None`: undefined (no bar, "—").
    pub value: Option<f64>,
    /// The value as people read it (`4.25%`).
    pub text: String,
    /// Colour class (`bar-good`, `bar-bad`, …); `bar` alone when empty.
    pub class: &'static str,
}

/// The chart as SVG, or the empty state without bars.
pub fn bar_chart(title: &str, bars: &[Bar], empty: &str) -> Chart {
    if bars.is_empty() {
        return Chart::empty(empty);
    }
    let max = bars
        .iter()
        .filter_map(|b| b.value)
        .filter(|v| v.is_finite())
        .fold(0.0_f64, f64::max);
    let x = Scale {
        domain: (0.0, if max > 0.0 { max } else { 1.0 }),
        range: (PAD, WIDTH - VALUE_ROOM),
    };
    let height = bars.len() as f64 * ROW + PAD;
    let mut svg = open_svg("bar-chart", height, title);
    for (i, b) in bars.iter().enumerate() {
        let top = PAD + i as f64 * ROW;
        let label_y = top + FONT;
        let bar_y = top + FONT + 4.0;
        svg += &format!(
            r#"<g class="row"><title>{full}: {text}</title><text class="label" x="{PAD}" y="{ly}">{label}</text>"#,
            full = escape(&b.label),
            text = escape(&b.text),
            ly = n(label_y),
            label = escape(&fit(&b.label, WIDTH - 2.0 * PAD)),
        );
        let (end, text) = match b.value.filter(|v| v.is_finite()) {
            Some(v) => {
                let end = x.map(v.max(0.0));
                svg += &format!(
                    r##"<rect class="bar {class}" x="{PAD}" y="{y}" width="{w}" height="{BAR}" rx="2" fill="#2a9d8f"/>"##,
                    class = b.class,
                    y = n(bar_y),
                    w = n((end - PAD).max(1.0)),
                );
                (end, b.text.as_str())
            }
            None => (PAD, UNDEFINED),
        };
        svg += &format!(
            r##"<text class="value" x="{x}" y="{y}" fill="#14213d">{text}</text></g>"##,
            x = n(end + 4.0),
            y = n(bar_y + BAR - 2.0),
            text = escape(text),
        );
    }
    svg += "</svg>";
    Chart(svg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::tests::assert_balanced;

    fn bar(label: &str, value: Option<f64>) -> Bar {
        Bar {
            label: label.into(),
            value,
            text: value.map_or("—".into(), |v| format!("{v:.2}%")),
            class: "bar-good",
        }
    }

    /// `(x, width)` of every `<rect>`.
    fn rects(svg: &str) -> Vec<(f64, f64)> {
        svg.split("<rect")
            .skip(1)
            .map(|r| {
                let attr = |name: &str| -> f64 {
                    let at = r.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
                    r[at..].split('"').next().unwrap().parse().unwrap()
                };
                (attr("x"), attr("width"))
            })
            .collect()
    }

    #[test]
    fn the_longest_bar_reaches_the_value_column_and_bars_start_at_zero() {
        let chart = bar_chart(
            "ER",
            &[bar("a", Some(2.0)), bar("b", Some(8.0)), bar("c", Some(4.0))],
            "none",
        );
        let s = chart.as_str();
        assert_balanced(s);
        let r = rects(s);
        assert_eq!(r.len(), 3);
        assert!(r.iter().all(|(x, _)| *x == PAD));
        assert_eq!(r[1].0 + r[1].1, WIDTH - VALUE_ROOM);
        assert_eq!(r[0].1 * 4.0, r[1].1);
        assert!(s.contains(r#"viewBox="0 0 340 106""#), "{s}");
    }

    #[test]
    fn an_undefined_value_has_no_bar_and_reads_as_a_dash() {
        let chart = bar_chart("CPL", &[bar("a", Some(3.0)), bar("b", None)], "none");
        assert_balanced(chart.as_str());
        assert_eq!(rects(chart.as_str()).len(), 1);
        assert!(chart.as_str().contains(">—</text>"));
    }

    #[test]
    fn labels_are_escaped_and_cut_to_the_width() {
        let long = format!("<b>{}", "x".repeat(200));
        let chart = bar_chart("t", &[bar(&long, Some(1.0))], "none");
        let s = chart.as_str();
        assert_balanced(s);
        assert!(!s.contains("<b>"));
        assert!(s.contains('…'));
    }

    #[test]
    fn no_bars_give_the_empty_state() {
        assert!(bar_chart("t", &[], "No posts with an ER").is_empty_state());
        // All zero: bars of minimal width, no division by zero.
        let zero = bar_chart("t", &[bar("a", Some(0.0))], "none");
        assert!(!zero.as_str().contains("NaN"));
    }
}
