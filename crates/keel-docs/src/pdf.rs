//! The document as an A4 PDF, laid out in two passes: [`Layout`] places every piece on its
//! page as a list of drawing operations (so the total page count is known), then
//! [`render`] writes them with `krilla`, adding the brand band and the "page n of N" footer
//! to each page.
//!
//! Coordinates are points from the page's top-left corner (krilla's convention); a text's
//! `y` is its baseline.

use crate::text::{BOLD, Metrics, REGULAR};
use crate::{Block, Brand, Cell, Chart, Document, LogoKind, Table};
use krilla::Document as Pdf;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::image::Image;
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const MARGIN: f32 = 42.0;
const TOP: f32 = 52.0;
const BOTTOM: f32 = PAGE_H - 50.0;
const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN;

const INK: [u8; 3] = [0x1f, 0x23, 0x28];
const GREY: [u8; 3] = [0x6a, 0x73, 0x7d];
const RULE: [u8; 3] = [0xd0, 0xd7, 0xde];
const STRIPE: [u8; 3] = [0xf4, 0xf6, 0xf8];
/// Lines after the first series.
const PALETTE: [[u8; 3]; 4] = [
    [0x57, 0x60, 0x6a],
    [0xbf, 0x87, 0x00],
    [0x1a, 0x7f, 0x37],
    [0x82, 0x50, 0xdf],
];

const BODY: f32 = 10.0;
const SMALL: f32 = 8.5;
const TABLE: f32 = 8.5;

/// One drawing operation on a page.
#[derive(Debug, Clone)]
enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        rgb: [u8; 3],
        text: String,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        rgb: [u8; 3],
    },
    Line {
        points: Vec<(f32, f32)>,
        width: f32,
        rgb: [u8; 3],
    },
    Logo {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
    /// The `index`th image of the document's pictures.
    Picture {
        index: usize,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
}

/// The most pictures in one row, and the box each is fitted into (points).
const PICTURES_PER_ROW: usize = 4;
const PICTURE_W: f32 = 118.0;
const PICTURE_H: f32 = 96.0;

struct Layout {
    pages: Vec<Vec<Op>>,
    y: f32,
    regular: Metrics,
    bold: Metrics,
    accent: [u8; 3],
    decimal_comma: bool,
}

impl Layout {
    fn new(accent: [u8; 3], lang: &str) -> Layout {
        Layout {
            pages: vec![Vec::new()],
            y: TOP,
            regular: Metrics::new(REGULAR),
            bold: Metrics::new(BOLD),
            accent,
            decimal_comma: lang == "ru",
        }
    }

    fn push(&mut self, op: Op) {
        self.pages.last_mut().expect("a page").push(op);
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    /// Starts a new page unless `h` more points fit on this one.
    fn ensure(&mut self, h: f32) -> bool {
        if self.y + h > BOTTOM && self.y > TOP {
            self.new_page();
            return true;
        }
        false
    }

    fn metrics(&self, bold: bool) -> &Metrics {
        if bold { &self.bold } else { &self.regular }
    }

    fn text(&mut self, x: f32, y: f32, size: f32, bold: bool, rgb: [u8; 3], text: &str) {
        if !text.is_empty() {
            self.push(Op::Text {
                x,
                y,
                size,
                bold,
                rgb,
                text: text.to_owned(),
            });
        }
    }

    fn lines(&mut self, text: &str, size: f32, bold: bool, rgb: [u8; 3]) {
        let leading = size * 1.4;
        for line in self.metrics(bold).wrap(text, size, CONTENT_W) {
            self.ensure(leading);
            self.text(MARGIN, self.y + size, size, bold, rgb, &line);
            self.y += leading;
        }
    }

    fn title(&mut self, doc: &Document, logo: Option<(f32, f32)>) {
        if let Some((w, h)) = logo {
            self.push(Op::Logo {
                x: PAGE_W - MARGIN - w,
                y: self.y,
                w,
                h,
            });
        }
        let width = CONTENT_W - logo.map_or(0.0, |(w, _)| w + 12.0);
        for line in self.bold.wrap(&doc.title, 18.0, width) {
            self.text(MARGIN, self.y + 18.0, 18.0, true, INK, &line);
            self.y += 24.0;
        }
        self.text(MARGIN, self.y + 11.0, 11.0, false, GREY, &doc.subtitle);
        self.y += 18.0;
        self.y = self.y.max(TOP + logo.map_or(0.0, |(_, h)| h + 6.0));
        let accent = self.accent;
        self.push(Op::Rect {
            x: MARGIN,
            y: self.y,
            w: CONTENT_W,
            h: 2.0,
            rgb: accent,
        });
        self.y += 14.0;
    }

    fn heading(&mut self, title: &str) {
        // A heading is never the last line of a page.
        self.ensure(70.0);
        if self.y > TOP {
            self.y += 8.0;
        }
        let accent = self.accent;
        self.text(MARGIN, self.y + 13.0, 13.0, true, accent, title);
        self.y += 18.0;
        self.push(Op::Rect {
            x: MARGIN,
            y: self.y,
            w: CONTENT_W,
            h: 0.6,
            rgb: RULE,
        });
        self.y += 8.0;
    }

    fn table(&mut self, table: &Table) {
        let pad = 4.0;
        let widths = self.column_widths(table, pad);
        let leading = TABLE * 1.3;
        let wrap = |m: &Metrics, text: &str, w: f32| m.wrap(text, TABLE, (w - 2.0 * pad).max(10.0));
        let header: Vec<Vec<String>> = table
            .columns
            .iter()
            .zip(&widths)
            .map(|(c, w)| wrap(&self.bold, &c.title, *w))
            .collect();
        let header_h = header.iter().map(Vec::len).max().unwrap_or(1) as f32 * leading + 2.0 * pad;
        let draw_header = |me: &mut Layout| {
            let tint = tint(me.accent);
            me.push(Op::Rect {
                x: MARGIN,
                y: me.y,
                w: CONTENT_W,
                h: header_h,
                rgb: tint,
            });
            me.cells(
                &header,
                &widths,
                &table.columns.iter().map(|c| c.numeric).collect::<Vec<_>>(),
                true,
            );
            me.y += header_h;
        };
        self.ensure(header_h + leading + 2.0 * pad);
        draw_header(self);
        let numeric: Vec<bool> = table.columns.iter().map(|c| c.numeric).collect();
        for (i, row) in table.rows.iter().enumerate() {
            let lines: Vec<Vec<String>> = row
                .iter()
                .zip(&widths)
                .map(|(c, w)| wrap(&self.regular, c.shown(), *w))
                .collect();
            let h = lines.iter().map(Vec::len).max().unwrap_or(1) as f32 * leading + 2.0 * pad;
            if self.ensure(h) {
                draw_header(self);
            }
            if i % 2 == 1 {
                self.push(Op::Rect {
                    x: MARGIN,
                    y: self.y,
                    w: CONTENT_W,
                    h,
                    rgb: STRIPE,
                });
            }
            self.cells(&lines, &widths, &numeric, false);
            self.y += h;
        }
        self.push(Op::Rect {
            x: MARGIN,
            y: self.y,
            w: CONTENT_W,
            h: 0.6,
            rgb: RULE,
        });
        self.y += 10.0;
    }

    /// Each column's share of the width, widened so that no word of it (and no number) is
    /// cut, taking the room from the columns that have more than they need.
    fn column_widths(&self, table: &Table, pad: f32) -> Vec<f32> {
        let total: f32 = table.columns.iter().map(|c| c.width).sum::<f32>().max(f32::EPSILON);
        let mut widths: Vec<f32> = table.columns.iter().map(|c| c.width / total * CONTENT_W).collect();
        let need: Vec<f32> = table
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let words = |m: &Metrics, s: &str| s.split(' ').map(|w| m.width(w, TABLE)).fold(0.0f32, f32::max);
                let header = words(&self.bold, &c.title);
                let cells = table.rows.iter().filter_map(|r| r.get(i)).map(|cell| {
                    if c.numeric || matches!(cell, Cell::Date { .. }) {
                        self.regular.width(cell.shown(), TABLE)
                    } else {
                        words(&self.regular, cell.shown())
                    }
                });
                cells.fold(header, f32::max) + 2.0 * pad + 1.0
            })
            .collect();
        if need.iter().sum::<f32>() > CONTENT_W {
            return widths;
        }
        for _ in 0..4 {
            let short: f32 = widths.iter().zip(&need).map(|(w, n)| (n - w).max(0.0)).sum();
            if short <= 0.01 {
                break;
            }
            let spare: f32 = widths.iter().zip(&need).map(|(w, n)| (w - n).max(0.0)).sum();
            let give = (short / spare).min(1.0);
            for (w, n) in widths.iter_mut().zip(&need) {
                if *w < *n {
                    *w = *n;
                } else {
                    *w -= (*w - n) * give;
                }
            }
        }
        widths
    }

    fn cells(&mut self, cells: &[Vec<String>], widths: &[f32], numeric: &[bool], bold: bool) {
        let pad = 4.0;
        let leading = TABLE * 1.3;
        let mut x = MARGIN;
        for ((lines, w), right) in cells.iter().zip(widths).zip(numeric) {
            for (n, line) in lines.iter().enumerate() {
                let tx = if *right {
                    x + w - pad - self.metrics(bold).width(line, TABLE)
                } else {
                    x + pad
                };
                let y = self.y + pad + TABLE + n as f32 * leading;
                self.text(tx, y, TABLE, bold, INK, line);
            }
            x += w;
        }
    }

    fn axis_label(&self, v: f64, unit: &str) -> String {
        let places = if v.abs() >= 100.0 { 0 } else { 1 };
        let mut s = format!("{v:.places$}");
        if self.decimal_comma {
            s = s.replace('.', ",");
        }
        s.replace('-', "\u{2212}") + unit
    }

    fn chart(&mut self, chart: &Chart) {
        let plot_h = 130.0;
        let legend_h = 14.0 * chart.series.len().div_ceil(3) as f32;
        self.ensure(20.0 + plot_h + 18.0 + legend_h);
        self.text(MARGIN, self.y + 9.5, 9.5, true, INK, &chart.title);
        self.y += 16.0;
        let values = chart.series.iter().flat_map(|s| s.points.iter().flatten().copied());
        let (lo, hi) = values
            .filter(|v| v.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
        let (lo, hi) = if lo.is_finite() {
            let lo = lo.min(0.0);
            if hi > lo { (lo, hi * 1.05) } else { (lo, lo + 1.0) }
        } else {
            (0.0, 1.0)
        };
        let left = MARGIN + 44.0;
        let width = CONTENT_W - 44.0;
        let top = self.y;
        for k in 0..=4 {
            let v = lo + (hi - lo) * f64::from(k) / 4.0;
            let y = top + plot_h - (plot_h * k as f32 / 4.0);
            self.push(Op::Rect {
                x: left,
                y,
                w: width,
                h: 0.4,
                rgb: RULE,
            });
            let label = self.axis_label(v, &chart.unit);
            let lw = self.regular.width(&label, 7.0);
            self.text(left - 4.0 - lw, y + 2.5, 7.0, false, GREY, &label);
        }
        let n = chart.series.iter().map(|s| s.points.len()).max().unwrap_or(0);
        let x_of = |i: usize| {
            left + if n > 1 {
                width * i as f32 / (n - 1) as f32
            } else {
                width / 2.0
            }
        };
        let y_of = |v: f64| top + plot_h - ((v - lo) / (hi - lo)) as f32 * plot_h;
        for (s, series) in chart.series.iter().enumerate() {
            let rgb = if s == 0 {
                self.accent
            } else {
                PALETTE[(s - 1) % PALETTE.len()]
            };
            let mut run: Vec<(f32, f32)> = Vec::new();
            for (i, p) in series.points.iter().enumerate() {
                match p.filter(|v| v.is_finite()) {
                    Some(v) => run.push((x_of(i), y_of(v))),
                    None => self.flush_run(&mut run, rgb),
                }
            }
            self.flush_run(&mut run, rgb);
        }
        self.y = top + plot_h + 4.0;
        let (first, last) = &chart.x_labels;
        self.text(left, self.y + 7.0, 7.0, false, GREY, first);
        let lw = self.regular.width(last, 7.0);
        self.text(left + width - lw, self.y + 7.0, 7.0, false, GREY, last);
        self.y += 14.0;
        let mut x = left;
        for (s, series) in chart.series.iter().enumerate() {
            let rgb = if s == 0 {
                self.accent
            } else {
                PALETTE[(s - 1) % PALETTE.len()]
            };
            let w = 14.0 + self.regular.width(&series.name, 7.5) + 14.0;
            if x + w > MARGIN + CONTENT_W {
                x = left;
                self.y += 12.0;
            }
            self.push(Op::Rect {
                x,
                y: self.y + 2.0,
                w: 9.0,
                h: 3.0,
                rgb,
            });
            self.text(x + 12.0, self.y + 6.5, 7.5, false, INK, &series.name);
            x += w;
        }
        self.y += 20.0;
    }

    fn flush_run(&mut self, run: &mut Vec<(f32, f32)>, rgb: [u8; 3]) {
        match run.len() {
            0 => {}
            // A lone point between gaps: a dot, so it is not lost.
            1 => self.push(Op::Rect {
                x: run[0].0 - 1.2,
                y: run[0].1 - 1.2,
                w: 2.4,
                h: 2.4,
                rgb,
            }),
            _ => self.push(Op::Line {
                points: run.clone(),
                width: 1.3,
                rgb,
            }),
        }
        run.clear();
    }
}

/// The accent mixed with white, for table headers.
fn tint([r, g, b]: [u8; 3]) -> [u8; 3] {
    let mix = |c: u8| (f32::from(c) * 0.15 + 255.0 * 0.85) as u8;
    [mix(r), mix(g), mix(b)]
}

fn color([r, g, b]: [u8; 3]) -> rgb::Color {
    rgb::Color::new(r, g, b)
}

fn fill(c: [u8; 3]) -> Fill {
    Fill {
        paint: color(c).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

/// The logo's drawn size (at most 150 × 44 points, proportions kept) and its image.
fn logo(brand: &Brand) -> anyhow::Result<Option<(Image, f32, f32)>> {
    let Some(logo) = &brand.logo else { return Ok(None) };
    let data = krilla::Data::from(logo.bytes.clone());
    let image = match logo.kind {
        LogoKind::Png => Image::from_png(data, true),
        LogoKind::Jpeg => Image::from_jpeg(data, true),
    }
    .map_err(|e| anyhow::anyhow!("the logo cannot be read: {e}"))?;
    let (pw, ph) = image.size();
    if pw == 0 || ph == 0 {
        return Ok(None);
    }
    let scale = (150.0 / pw as f32).min(44.0 / ph as f32);
    Ok(Some((image, pw as f32 * scale, ph as f32 * scale)))
}

/// An image of the document and its size in pixels; `None` when it cannot be read (a
/// picture that does not decode is left out rather than failing the whole report).
fn decode(image: &crate::Logo) -> Option<(Image, u32, u32)> {
    let data = krilla::Data::from(image.bytes.clone());
    let decoded = match image.kind {
        LogoKind::Png => Image::from_png(data, true),
        LogoKind::Jpeg => Image::from_jpeg(data, true),
    }
    .ok()?;
    let (w, h) = decoded.size();
    (w > 0 && h > 0).then_some((decoded, w, h))
}

impl Layout {
    /// A row (or rows) of pictures, each fitted into its box, its caption under it.
    /// `first` is the index of the first picture in the document's decoded list.
    fn pictures(&mut self, sizes: &[Option<(u32, u32)>], captions: &[&str], first: usize) {
        let gap = (CONTENT_W - PICTURE_W * PICTURES_PER_ROW as f32) / (PICTURES_PER_ROW as f32 - 1.0);
        let indexed: Vec<usize> = (0..sizes.len()).filter(|k| sizes[*k].is_some()).collect();
        for row in indexed.chunks(PICTURES_PER_ROW) {
            self.ensure(PICTURE_H + 26.0);
            let top = self.y;
            for (slot, k) in row.iter().enumerate() {
                let Some((pw, ph)) = sizes[*k] else { continue };
                let scale = (PICTURE_W / pw as f32).min(PICTURE_H / ph as f32);
                let (w, h) = (pw as f32 * scale, ph as f32 * scale);
                let x = MARGIN + slot as f32 * (PICTURE_W + gap);
                self.push(Op::Picture {
                    index: first + k,
                    x: x + (PICTURE_W - w) / 2.0,
                    y: top + (PICTURE_H - h),
                    w,
                    h,
                });
                let caption = self.regular.wrap(captions[*k], SMALL, PICTURE_W).into_iter().next();
                self.text(
                    x,
                    top + PICTURE_H + 11.0,
                    SMALL,
                    false,
                    GREY,
                    &caption.unwrap_or_default(),
                );
            }
            self.y = top + PICTURE_H + 22.0;
        }
    }
}

/// The document as PDF bytes.
pub fn render(doc: &Document) -> anyhow::Result<Vec<u8>> {
    let logo = logo(&doc.brand)?;
    // Every picture decoded once, in document order; ops refer to them by index.
    let mut pictures: Vec<Option<(Image, u32, u32)>> = Vec::new();
    let mut layout = Layout::new(doc.brand.accent, &doc.lang);
    layout.title(doc, logo.as_ref().map(|(_, w, h)| (*w, *h)));
    for section in &doc.sections {
        layout.heading(&section.title);
        for block in &section.blocks {
            match block {
                Block::Paragraph(text) => {
                    layout.lines(text, BODY, false, INK);
                    layout.y += 4.0;
                }
                Block::Note(text) => {
                    layout.lines(text, SMALL, false, GREY);
                    layout.y += 4.0;
                }
                Block::Table(table) => layout.table(table),
                Block::Chart(chart) => layout.chart(chart),
                Block::Pictures(list) => {
                    let first = pictures.len();
                    pictures.extend(list.iter().map(|p| decode(&p.image)));
                    let sizes: Vec<_> = pictures[first..]
                        .iter()
                        .map(|d| d.as_ref().map(|(_, w, h)| (*w, *h)))
                        .collect();
                    let captions: Vec<&str> = list.iter().map(|p| p.caption.as_str()).collect();
                    layout.pictures(&sizes, &captions, first);
                }
            }
        }
    }
    let regular = Font::new(krilla::Data::from(REGULAR), 0).ok_or_else(|| anyhow::anyhow!("regular font"))?;
    let bold = Font::new(krilla::Data::from(BOLD), 0).ok_or_else(|| anyhow::anyhow!("bold font"))?;
    let mut pdf = Pdf::new();
    pdf.set_metadata(
        Metadata::new()
            .title(doc.title.clone())
            .description(doc.subtitle.clone())
            .language(doc.lang.clone())
            .creator("Keel".to_owned())
            .authors(vec![doc.brand.name.clone()]),
    );
    let total = layout.pages.len();
    let settings = || PageSettings::from_wh(PAGE_W, PAGE_H).expect("A4 is a valid size");
    for (n, ops) in layout.pages.iter().enumerate() {
        let mut page = pdf.start_page_with(settings());
        let mut surface = page.surface();
        // The brand band and the footer.
        let band = PathBuilder::rect(0.0, 0.0, PAGE_W, 6.0);
        surface.set_fill(Some(fill(doc.brand.accent)));
        surface.draw_path(&band);
        surface.set_fill(Some(fill(GREY)));
        surface.draw_text(
            Point::from_xy(MARGIN, 26.0),
            regular.clone(),
            7.5,
            &doc.brand.name,
            false,
            TextDirection::Auto,
        );
        let label = doc
            .page_label
            .replace("{n}", &(n + 1).to_string())
            .replace("{total}", &total.to_string());
        let lw = layout.regular.width(&label, 7.5);
        surface.draw_text(
            Point::from_xy(PAGE_W - MARGIN - lw, PAGE_H - 24.0),
            regular.clone(),
            7.5,
            &label,
            false,
            TextDirection::Auto,
        );
        let title_w = layout.regular.width(&doc.title, 7.5);
        if title_w < CONTENT_W - lw - 20.0 {
            surface.draw_text(
                Point::from_xy(MARGIN, PAGE_H - 24.0),
                regular.clone(),
                7.5,
                &doc.title,
                false,
                TextDirection::Auto,
            );
        }
        for op in ops {
            match op {
                Op::Text {
                    x,
                    y,
                    size,
                    bold: b,
                    rgb,
                    text,
                } => {
                    surface.set_fill(Some(fill(*rgb)));
                    let font = if *b { bold.clone() } else { regular.clone() };
                    surface.draw_text(Point::from_xy(*x, *y), font, *size, text, false, TextDirection::Auto);
                }
                Op::Rect { x, y, w, h, rgb } => {
                    surface.set_stroke(None);
                    surface.set_fill(Some(fill(*rgb)));
                    surface.draw_path(&PathBuilder::rect(*x, *y, *w, *h));
                }
                Op::Line { points, width, rgb } => {
                    let mut pb = krilla::geom::PathBuilder::new();
                    for (i, (x, y)) in points.iter().enumerate() {
                        if i == 0 { pb.move_to(*x, *y) } else { pb.line_to(*x, *y) }
                    }
                    if let Some(path) = pb.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke {
                            paint: color(*rgb).into(),
                            width: *width,
                            line_join: krilla::paint::LineJoin::Round,
                            ..Default::default()
                        }));
                        surface.draw_path(&path);
                        surface.set_stroke(None);
                    }
                }
                Op::Picture { index, x, y, w, h } => {
                    if let (Some(Some((image, _, _))), Some(size)) = (pictures.get(*index), Size::from_wh(*w, *h)) {
                        surface.push_transform(&Transform::from_translate(*x, *y));
                        surface.draw_image(image.clone(), size);
                        surface.pop();
                    }
                }
                Op::Logo { x, y, w, h } => {
                    if let (Some((image, _, _)), Some(size)) = (&logo, Size::from_wh(*w, *h)) {
                        surface.push_transform(&Transform::from_translate(*x, *y));
                        surface.draw_image(image.clone(), size);
                        surface.pop();
                    }
                }
            }
        }
        surface.finish();
        page.finish();
    }
    pdf.finish().map_err(|e| anyhow::anyhow!("writing the PDF: {e:?}"))
}

/// A rectangle path.
trait RectPath {
    fn rect(x: f32, y: f32, w: f32, h: f32) -> krilla::geom::Path;
}

impl RectPath for PathBuilder {
    fn rect(x: f32, y: f32, w: f32, h: f32) -> krilla::geom::Path {
        let mut pb = PathBuilder::new();
        if let Some(r) = Rect::from_xywh(x, y, w.max(0.01), h.max(0.01)) {
            pb.push_rect(r);
        }
        pb.finish().expect("a rectangle is a path")
    }
}
