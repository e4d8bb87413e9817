//! Charts as inline SVG, drawn by pure functions: data in, markup out.
//!
//! The analytics page and the standalone HTML report embed the same markup, so a chart
//! needs no script, no request and no image file: it prints, works offline, and scales with
//! its container (`viewBox`, `width: 100%`). Its colours come from classes styled in
//! `static/keel.css` (the page's variables), with plain colours as presentation attributes
//! underneath so that an SVG copied out of the page still reads. Text is SVG `<text>` set
//! in the page's own font.
//!
//! Why not the `plotters` crate: it lays text out itself, which needs a font file to
//! measure glyphs — one more binary blob to ship inside Keel, and text in a font other than
//! the page's. Here the browser sets the text; the few places that need a width (long
//! labels) estimate it conservatively and truncate, with the full text in a `<title>`.
//!
//! Sizes are in `viewBox` units chosen so that 12-unit text stays about 11 px on a 390-px
//! phone (the chart box is about 320 px wide there); wider screens cap the chart's width in
//! CSS so the text does not grow large.
//!
//! Every piece of text that reaches the markup goes through [`escape`]; the markup is then
//! printed unescaped by the templates (`|safe`), which is only sound because of that.

pub mod bars;
pub mod format;
pub mod funnel;
pub mod line;

use std::fmt;

/// Width of every chart in `viewBox` units.
pub const WIDTH: f64 = 340.0;
/// Font size of chart text in `viewBox` units.
pub const FONT: f64 = 12.0;
/// Roughly the widest a character of chart text gets, for truncating labels.
const CHAR_WIDTH: f64 = 6.8;

/// Markup of one chart: an `<svg>` figure, or, without data to draw, an empty-state
/// paragraph saying so. Built only by this module, with every text escaped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart(String);

impl Chart {
    /// The markup.
    #[cfg(test)]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `true` when this is the empty state rather than a drawing.
    pub fn is_empty_state(&self) -> bool {
        self.0.starts_with("<p")
    }

    /// The empty state: `message` in a dashed box, where the chart would be.
    pub fn empty(message: &str) -> Chart {
        Chart(format!(r#"<p class="empty chart-empty">{}</p>"#, escape(message)))
    }
}

impl fmt::Display for Chart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The markup is escaped as it is built (see the module documentation).
impl askama::filters::HtmlSafe for Chart {}

/// `text` made safe for SVG/HTML text and attribute values (one copy, in the domain).
pub use keel_domain::text::escape_html as escape;

/// `text` cut to about `width` units of chart text, with "…" when cut.
pub(crate) fn fit(text: &str, width: f64) -> String {
    let max = (width / CHAR_WIDTH).floor().max(2.0) as usize;
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max - 1).collect();
    cut.push('…');
    cut
}

/// A number for an SVG coordinate: at most two decimals, no `-0`.
pub(crate) fn n(v: f64) -> String {
    let r = (v * 100.0).round() / 100.0;
    if r == 0.0 { "0".to_owned() } else { format!("{r}") }
}

/// Opens an `<svg>` of `height` units, labelled for screen readers by `title`.
pub(crate) fn open_svg(class: &str, height: f64, title: &str) -> String {
    format!(
        r#"<svg class="chart {class}" viewBox="0 0 {w} {h}" width="100%" preserveAspectRatio="xMidYMid meet" role="img" aria-label="{t}" font-size="{FONT}" xmlns="http://www.w3.org/2000/svg"><title>{t}</title>"#,
        w = n(WIDTH),
        h = n(height),
        t = escape(title),
    )
}

/// A linear map from the data interval `domain` onto the drawing interval `range`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Scale {
    pub domain: (f64, f64),
    pub range: (f64, f64),
}

impl Scale {
    /// Maps `v`; a zero-width domain maps everything to the middle of the range.
    pub fn map(&self, v: f64) -> f64 {
        let (d0, d1) = self.domain;
        let (r0, r1) = self.range;
        if d1 == d0 {
            return (r0 + r1) / 2.0;
        }
        r0 + (v - d0) / (d1 - d0) * (r1 - r0)
    }
}

/// "Nice" axis bounds and ticks around `min ..= max`: about `count` ticks at 1, 2, 2.5 or
/// 5 times a power of ten, the first at or below `min`, the last at or above `max`.
pub(crate) fn nice_ticks(min: f64, max: f64, count: usize) -> Vec<f64> {
    let (mut lo, mut hi) = (min.min(max), min.max(max));
    if !(lo.is_finite() && hi.is_finite()) {
        return vec![0.0, 1.0];
    }
    if hi == lo {
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        lo -= pad;
        hi += pad;
    }
    let raw = (hi - lo) / count.max(1) as f64;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * power);
    let first = (lo / step).floor() * step;
    // Rounded to the step's own decimals, so float noise (0.6000000000000001) is dropped.
    let decimals = (1.0 - step.log10().floor()).max(0.0);
    let unit = 10f64.powf(decimals);
    let mut ticks = Vec::new();
    let mut k = 0.0;
    loop {
        let t = first + k * step;
        ticks.push((t * unit).round() / unit);
        if t >= hi - step * 1e-9 || ticks.len() > 50 {
            break;
        }
        k += 1.0;
    }
    ticks
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Checks that every element opened in `markup` is closed in order (self-closing
    /// elements and the `<!doctype>`/comments aside): a cheap stand-in for an XML parser.
    #[track_caller]
    pub fn assert_balanced(markup: &str) {
        let mut stack: Vec<String> = Vec::new();
        let mut rest = markup;
        while let Some(at) = rest.find('<') {
            rest = &rest[at + 1..];
            let end = rest.find('>').expect("an unclosed tag");
            let tag = &rest[..end];
            rest = &rest[end + 1..];
            if tag.starts_with('!') || tag.starts_with('?') {
                continue;
            }
            assert!(!tag.contains('<'), "a `<` inside a tag: {tag}");
            if let Some(name) = tag.strip_prefix('/') {
                let open = stack.pop().unwrap_or_else(|| panic!("</{name}> closes nothing"));
                assert_eq!(open, name.trim(), "</{name}> closes <{open}>");
            } else if !tag.ends_with('/') {
                let name = tag.split(|c: char| c.is_whitespace()).next().unwrap_or("");
                stack.push(name.to_owned());
            }
        }
        assert!(stack.is_empty(), "left open: {stack:?}");
    }

    #[test]
    fn escape_covers_markup_and_quotes() {
        assert_eq!(
            escape(r#"<a href="x">Tom & 'Jerry'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
        );
        assert_eq!(escape("кофе · 2026"), "кофе · 2026");
    }

    #[test]
    fn the_empty_state_is_escaped_and_recognised() {
        let c = Chart::empty("No <data> yet");
        assert!(c.is_empty_state());
        assert_eq!(c.as_str(), r#"<p class="empty chart-empty">No &lt;data&gt; yet</p>"#);
        assert_balanced(c.as_str());
    }

    #[test]
    fn the_balance_check_catches_broken_markup() {
        assert_balanced("<svg><g><rect/></g><text>a</text></svg>");
        assert!(std::panic::catch_unwind(|| assert_balanced("<svg><g></svg>")).is_err());
        assert!(std::panic::catch_unwind(|| assert_balanced("<svg>")).is_err());
    }

    #[test]
    fn scales_map_the_domain_ends_to_the_range_ends() {
        let s = Scale {
            domain: (10.0, 20.0),
            range: (300.0, 100.0),
        };
        assert_eq!((s.map(10.0), s.map(20.0), s.map(15.0)), (300.0, 100.0, 200.0));
        let flat = Scale {
            domain: (5.0, 5.0),
            range: (0.0, 10.0),
        };
        assert_eq!(flat.map(5.0), 5.0);
    }

    #[test]
    fn nice_ticks_cover_the_data_with_round_steps() {
        assert_eq!(nice_ticks(0.0, 10.0, 5), [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        assert_eq!(
            nice_ticks(12_400.0, 17_560.0, 4),
            [12_000.0, 14_000.0, 16_000.0, 18_000.0]
        );
        assert_eq!(nice_ticks(0.1, 0.7, 3), [0.0, 0.2, 0.4, 0.6, 0.8]);
        assert_eq!(nice_ticks(0.0, 0.9, 4), [0.0, 0.25, 0.5, 0.75, 1.0]);
        let flat = nice_ticks(3.0, 3.0, 4);
        assert!(flat[0] <= 3.0 && *flat.last().unwrap() >= 3.0 && flat.len() >= 2);
    }

    #[test]
    fn long_labels_are_cut_with_an_ellipsis() {
        assert_eq!(fit("short", 100.0), "short");
        let cut = fit(&"x".repeat(100), 68.0);
        assert_eq!(cut.chars().count(), 10);
        assert!(cut.ends_with('…'));
        assert_eq!(n(-0.001), "0");
        assert_eq!(n(12.345), "12.35");
    }
}
