//! The embedded fonts and the width of text set in them, for line breaking and alignment.
//!
//! DejaVu Sans (regular and bold) from Debian's `fonts-dejavu-core`: Latin and Cyrillic, and
//! a licence (Bitstream Vera, `fonts/LICENSE-DejaVu`) that allows embedding and
//! redistribution with its notice. Widths are the glyphs' advances (no kerning: DejaVu's
//! pairs move text by a fraction of a point, which a break decision can absorb).

use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

pub const REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
pub const BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

/// Advance widths of one font, per em.
pub struct Metrics {
    font: FontRef<'static>,
    upem: f32,
}

impl Metrics {
    pub fn new(bytes: &'static [u8]) -> Metrics {
        // The fonts are compiled in: they parse, or the build is broken.
        let font = FontRef::new(bytes).expect("embedded font parses");
        let upem = f32::from(font.metrics(Size::unscaled(), LocationRef::default()).units_per_em);
        Metrics { font, upem }
    }

    /// The width of `text` at `size` points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let charmap = self.font.charmap();
        let glyphs = self.font.glyph_metrics(Size::unscaled(), LocationRef::default());
        let units: f32 = text
            .chars()
            .map(|c| glyphs.advance_width(charmap.map(c).unwrap_or_default()).unwrap_or(0.0))
            .sum();
        units / self.upem * size
    }

    /// `text` broken into lines no wider than `max` (a word longer than a line is cut).
    pub fn wrap(&self, text: &str, size: f32, max: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
                let candidate = if line.is_empty() {
                    word.to_owned()
                } else {
                    format!("{line} {word}")
                };
                if self.width(&candidate, size) <= max {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                // A word wider than the line on its own is cut where it overflows.
                let mut rest = word.to_owned();
                while self.width(&rest, size) > max && rest.chars().count() > 1 {
                    let mut cut = String::new();
                    for c in rest.chars() {
                        cut.push(c);
                        if self.width(&cut, size) > max {
                            cut.pop();
                            break;
                        }
                    }
                    if cut.is_empty() {
                        break;
                    }
                    rest = rest[cut.len()..].to_owned();
                    lines.push(cut);
                }
                line = rest;
            }
            lines.push(line);
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cyrillic_has_widths_and_long_text_wraps() {
        let m = Metrics::new(REGULAR);
        assert!(m.width("Отчёт", 10.0) > 20.0);
        assert!(m.width("ab", 10.0) < m.width("abab", 10.0));
        let lines = m.wrap("вовлечённость выросла с 3,1 % до 3,6 %", 10.0, 80.0);
        assert!(lines.len() > 1, "{lines:?}");
        assert!(lines.iter().all(|l| m.width(l, 10.0) <= 80.0), "{lines:?}");
        assert_eq!(lines.join(" "), "вовлечённость выросла с 3,1 % до 3,6 %");
    }
}
