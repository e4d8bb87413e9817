//! A line chart over dates: followers, daily ER or reach of an account, day by day, with
//! labelled vertical markers (suspected follower purchases) that link to their definition.

use chrono::{Datelike, Months, NaiveDate};

use super::format::Fmt;
use super::{Chart, FONT, Scale, WIDTH, escape, fit, n, nice_ticks, open_svg};

const HEIGHT: f64 = 210.0;
const LEFT: f64 = 50.0;
const RIGHT: f64 = 10.0;
const TOP: f64 = 24.0;
const BOTTOM: f64 = 24.0;
/// Series colours when there is no stylesheet (classes `line-0`, `line-1`… override them).
const COLOURS: [&str; 4] = ["#1d3557", "#2a9d8f", "#b45309", "#6d5bd0"];

/// One line: a name (for the legend) and its points, by date; days without a value are
/// left out and the line joins its neighbours.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub name: String,
    pub points: Vec<(NaiveDate, f64)>,
}

/// A vertical marker on a day, with a short label, linking to `href`.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    pub date: NaiveDate,
    pub label: String,
    pub href: String,
}

/// What to draw and how to word it.
pub struct LineChart<'a> {
    /// Read by screen readers, shown as a tooltip.
    pub title: &'a str,
    pub lines: Vec<Line>,
    pub markers: Vec<Marker>,
    /// Formats a value for the y axis.
    pub y_label: &'a dyn Fn(f64) -> String,
    /// Draws the y axis from 0 (rates) rather than from the data's minimum (counts that
    /// never get near 0, such as followers).
    pub from_zero: bool,
    pub fmt: Fmt,
    /// Shown instead of the chart when no line has a point.
    pub empty: &'a str,
}

/// The chart as SVG, or the empty state when there is nothing to draw.
pub fn line_chart(c: &LineChart<'_>) -> Chart {
    let points = c
        .lines
        .iter()
        .flat_map(|l| l.points.iter())
        .filter(|(_, v)| v.is_finite());
    let (mut first, mut last, mut lo, mut hi) =
        (None::<NaiveDate>, None::<NaiveDate>, f64::INFINITY, f64::NEG_INFINITY);
    for (d, v) in points {
        first = Some(first.map_or(*d, |f| f.min(*d)));
        last = Some(last.map_or(*d, |l| l.max(*d)));
        lo = lo.min(*v);
        hi = hi.max(*v);
    }
    let (Some(first), Some(last)) = (first, last) else {
        return Chart::empty(c.empty);
    };
    if c.from_zero {
        lo = lo.min(0.0);
    }
    let ticks = nice_ticks(lo, hi, 4);
    let y = Scale {
        domain: (ticks[0], *ticks.last().unwrap_or(&hi)),
        range: (HEIGHT - BOTTOM, TOP),
    };
    let x = Scale {
        domain: (day_number(first), day_number(last)),
        range: (LEFT, WIDTH - RIGHT),
    };

    let mut svg = open_svg("line-chart", HEIGHT, c.title);
    // Grid and y labels.
    for t in &ticks {
        let ty = y.map(*t);
        svg += &format!(
            r##"<line class="grid" x1="{l}" x2="{r}" y1="{y}" y2="{y}" stroke="#e3e6ee"/><text class="axis" x="{lx}" y="{ty}" text-anchor="end" fill="#6b7280">{label}</text>"##,
            l = n(LEFT),
            r = n(WIDTH - RIGHT),
            y = n(ty),
            lx = n(LEFT - 4.0),
            ty = n(ty + FONT * 0.35),
            label = escape(&(c.y_label)(*t)),
        );
    }
    // X labels.
    for (d, label) in x_ticks(first, last, c.fmt) {
        let tx = x.map(day_number(d));
        let anchor = if tx < LEFT + 20.0 {
            "start"
        } else if tx > WIDTH - RIGHT - 20.0 {
            "end"
        } else {
            "middle"
        };
        svg += &format!(
            r##"<line class="tick" x1="{x}" x2="{x}" y1="{b}" y2="{b2}" stroke="#6b7280"/><text class="axis" x="{x}" y="{ly}" text-anchor="{anchor}" fill="#6b7280">{label}</text>"##,
            x = n(tx),
            b = n(HEIGHT - BOTTOM),
            b2 = n(HEIGHT - BOTTOM + 3.0),
            ly = n(HEIGHT - BOTTOM + 3.0 + FONT),
            label = escape(&label),
        );
    }
    // Lines (a lone point is a dot).
    for (i, line) in c.lines.iter().enumerate() {
        let colour = COLOURS[i % COLOURS.len()];
        let pts: Vec<String> = line
            .points
            .iter()
            .filter(|(_, v)| v.is_finite())
            .map(|(d, v)| format!("{},{}", n(x.map(day_number(*d))), n(y.map(*v))))
            .collect();
        match pts.as_slice() {
            [] => {}
            [one] => {
                let (px, py) = one.split_once(',').unwrap_or(("0", "0"));
                svg += &format!(
                    r#"<circle class="dot line-{i}" cx="{px}" cy="{py}" r="3" fill="{colour}"><title>{name}</title></circle>"#,
                    name = escape(&line.name),
                );
            }
            _ => {
                svg += &format!(
                    r#"<polyline class="line line-{i}" fill="none" stroke="{colour}" stroke-width="1.6" stroke-linejoin="round" points="{p}"><title>{name}</title></polyline>"#,
                    p = pts.join(" "),
                    name = escape(&line.name),
                );
            }
        }
    }
    // Legend, when there is more than one line.
    if c.lines.len() > 1 {
        let mut lx = LEFT;
        for (i, line) in c.lines.iter().enumerate() {
            let name = fit(&line.name, 120.0);
            svg += &format!(
                r#"<rect class="swatch line-{i}" x="{x}" y="4" width="10" height="10" fill="{colour}"/><text x="{tx}" y="13">{name}</text>"#,
                x = n(lx),
                tx = n(lx + 14.0),
                colour = COLOURS[i % COLOURS.len()],
                name = escape(&name),
            );
            lx += 24.0 + name.chars().count() as f64 * 6.0;
        }
    }
    // Markers on top, inside the plotted days only.
    for m in c.markers.iter().filter(|m| (first..=last).contains(&m.date)) {
        let mx = x.map(day_number(m.date));
        // The label goes on the side with more room, cut to that room.
        let (anchor, tx, room) = if mx > WIDTH / 2.0 {
            ("end", mx - 3.0, mx - 6.0)
        } else {
            ("start", mx + 3.0, WIDTH - mx - 6.0)
        };
        svg += &format!(
            r##"<a class="marker" href="{href}"><title>{label}</title><line x1="{x}" x2="{x}" y1="{t}" y2="{b}" stroke="#b42318" stroke-width="1.5" stroke-dasharray="4 3"/><text x="{tx}" y="{ty}" text-anchor="{anchor}" fill="#b42318">{short}</text></a>"##,
            href = escape(&m.href),
            label = escape(&m.label),
            short = escape(&fit(&m.label, room)),
            x = n(mx),
            t = n(TOP - 6.0),
            b = n(HEIGHT - BOTTOM),
            tx = n(tx),
            ty = n(TOP - 9.0),
        );
    }
    svg += "</svg>";
    Chart(svg)
}

/// Days since the Common Era began: a date's position on the x axis.
fn day_number(d: NaiveDate) -> f64 {
    f64::from(d.num_days_from_ce())
}

/// Dates to label on the x axis: month starts (every k-th, at most five) over spans of two
/// months or more, else up to five evenly spaced days.
fn x_ticks(first: NaiveDate, last: NaiveDate, fmt: Fmt) -> Vec<(NaiveDate, String)> {
    let span = (last - first).num_days();
    if span >= 60 {
        let mut months = Vec::new();
        let mut m = first.with_day(1).unwrap_or(first);
        if m < first {
            m = m.checked_add_months(Months::new(1)).unwrap_or(last);
        }
        while m <= last {
            months.push(m);
            m = match m.checked_add_months(Months::new(1)) {
                Some(next) => next,
                None => break,
            };
        }
        let step = months.len().div_ceil(5).max(1);
        // The year only on the first label and on January: short labels never collide.
        months
            .into_iter()
            .step_by(step)
            .enumerate()
            .map(|(i, d)| {
                let label = if i == 0 || d.month() == 1 {
                    fmt.month_year(d)
                } else {
                    fmt.month(d).to_owned()
                };
                (d, label)
            })
            .collect()
    } else if span == 0 {
        vec![(first, fmt.day_month(first))]
    } else {
        let count = span.min(4);
        (0..=count)
            .map(|k| first + chrono::Days::new((span * k / count) as u64))
            .map(|d| (d, fmt.day_month(d)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::tests::assert_balanced;
    use crate::i18n::Lang;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn chart(lines: Vec<Line>, markers: Vec<Marker>) -> Chart {
        let label = |v: f64| format!("{v}");
        line_chart(&LineChart {
            title: "Followers <of> \"alpha\"",
            lines,
            markers,
            y_label: &label,
            from_zero: false,
            fmt: Fmt(Lang::En),
            empty: "No daily figures",
        })
    }

    fn followers() -> Line {
        Line {
            name: "clientb.fitness".into(),
            points: vec![
                (day("2026-01-01"), 100.0),
                (day("2026-02-15"), 150.0),
                (day("2026-03-31"), 300.0),
            ],
        }
    }

    /// The `points` attribute of the first polyline, as numbers.
    fn polyline(svg: &str) -> Vec<(f64, f64)> {
        let at = svg.find("points=\"").unwrap() + 8;
        svg[at..]
            .split('"')
            .next()
            .unwrap()
            .split(' ')
            .map(|p| {
                let (x, y) = p.split_once(',').unwrap();
                (x.parse().unwrap(), y.parse().unwrap())
            })
            .collect()
    }

    #[test]
    fn the_first_and_last_days_sit_on_the_plot_edges() {
        let svg = chart(vec![followers()], vec![]);
        assert_balanced(svg.as_str());
        let pts = polyline(svg.as_str());
        assert_eq!(pts.first().unwrap().0, LEFT);
        assert_eq!(pts.last().unwrap().0, WIDTH - RIGHT);
        // 100 … 300 get ticks 100 … 300: min on the bottom edge, max on the top edge.
        assert_eq!(pts.first().unwrap().1, HEIGHT - BOTTOM);
        assert_eq!(pts.last().unwrap().1, TOP);
        assert!(svg.as_str().contains(r#"viewBox="0 0 340 210""#));
        assert!(svg.as_str().contains(r#"width="100%""#));
    }

    #[test]
    fn labels_and_titles_are_escaped() {
        let line = Line {
            name: "<script>alert(1)</script>".into(),
            ..followers()
        };
        let marker = Marker {
            date: day("2026-02-15"),
            label: "Bots & <b>".into(),
            href: "/definitions#bots".into(),
        };
        let svg = chart(vec![line.clone(), line], vec![marker]);
        let s = svg.as_str();
        assert_balanced(s);
        assert!(!s.contains("<script>") && s.contains("&lt;script&gt;"));
        assert!(s.contains("Bots &amp; &lt;b&gt;"));
        assert!(s.contains("Followers &lt;of&gt; &quot;alpha&quot;"));
    }

    #[test]
    fn a_marker_is_a_labelled_link_on_its_day() {
        let marker = Marker {
            date: day("2026-02-15"),
            label: "Suspected purchase".into(),
            href: "/definitions#bots".into(),
        };
        let outside = Marker {
            date: day("2027-01-01"),
            ..marker.clone()
        };
        let svg = chart(vec![followers()], vec![marker, outside]);
        let s = svg.as_str();
        assert_eq!(s.matches(r#"<a class="marker" href="/definitions#bots">"#).count(), 1);
        assert!(s.contains(">Suspected purchase</text>"));
        // The marker stands where the series' 02-15 point is.
        let x = polyline(s)[1].0;
        assert!(s.contains(&format!(r#"x1="{}" x2="{}""#, n(x), n(x))));
    }

    #[test]
    fn no_points_give_the_empty_state() {
        let empty = chart(vec![], vec![]);
        assert!(empty.is_empty_state());
        assert!(empty.as_str().contains("No daily figures"));
        let nothing = chart(
            vec![Line {
                name: "a".into(),
                points: vec![],
            }],
            vec![],
        );
        assert!(nothing.is_empty_state());
    }

    #[test]
    fn a_single_point_is_a_dot_not_a_broken_line() {
        let one = Line {
            name: "a".into(),
            points: vec![(day("2026-01-01"), 5.0)],
        };
        let svg = chart(vec![one], vec![]);
        assert_balanced(svg.as_str());
        assert!(svg.as_str().contains("<circle") && !svg.as_str().contains("<polyline"));
        assert!(!svg.as_str().contains("NaN"));
    }

    #[test]
    fn a_year_is_labelled_by_months() {
        let ticks = x_ticks(day("2025-11-01"), day("2026-10-31"), Fmt(Lang::En));
        assert!(ticks.len() <= 6, "{ticks:?}");
        let labels: Vec<&str> = ticks.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["Nov 2025", "Feb", "May", "Aug"]);
        let two = x_ticks(day("2025-12-15"), day("2026-03-20"), Fmt(Lang::En));
        let labels: Vec<&str> = two.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["Jan 2026", "Feb", "Mar"]);
        let short = x_ticks(day("2026-01-01"), day("2026-01-10"), Fmt(Lang::Ru));
        assert_eq!(short.first().unwrap().1, "1 янв.");
        assert_eq!(short.last().unwrap().1, "10 янв.");
    }
}
