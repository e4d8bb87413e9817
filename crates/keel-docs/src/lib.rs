//! A report as a document — sections of paragraphs, tables and charts, each number carried
//! both as its value and as the text a reader sees — rendered to files:
//!
//! - [`pdf::render`]: an A4 PDF written by `krilla` inside the process (no browser), with
//!   DejaVu Sans embedded (Cyrillic included; the fonts are subset into the file), vector
//!   charts, tables that break across pages with their header repeated, the brand on every
//!   page and "page n of N" footers;
//! - [`xlsx::render`]: an XLSX workbook (`rust_xlsxwriter`) with one sheet per section whose
//!   cells hold the numbers themselves, under real number formats.
//!
//! The document knows nothing of Keel's report: the web crate builds it, in the reader's
//! language, from the report's figures.

#![forbid(unsafe_code)]

pub mod pdf;
mod text;
pub mod xlsx;

/// Whose report it is: the agency's name, accent colour and logo.
#[derive(Debug, Clone, PartialEq)]
pub struct Brand {
    pub name: String,
    /// RGB.
    pub accent: [u8; 3],
    pub logo: Option<Logo>,
}

/// A logo image: PNG or JPEG only.
#[derive(Debug, Clone, PartialEq)]
pub struct Logo {
    pub bytes: Vec<u8>,
    pub kind: LogoKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogoKind {
    Png,
    Jpeg,
}

impl Logo {
    /// The logo when `bytes` start like a PNG or a JPEG file; `None` for anything else.
    pub fn sniff(bytes: Vec<u8>) -> Option<Logo> {
        let kind = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            LogoKind::Png
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            LogoKind::Jpeg
        } else {
            return None;
        };
        Some(Logo { bytes, kind })
    }

    pub fn content_type(&self) -> &'static str {
        match self.kind {
            LogoKind::Png => "image/png",
            LogoKind::Jpeg => "image/jpeg",
        }
    }
}

/// A whole report.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// "Client A — report".
    pub title: String,
    /// The period, "1 Oct 2026 – 31 Oct 2026".
    pub subtitle: String,
    /// BCP 47 language of the text (`en`, `ru`).
    pub lang: String,
    pub brand: Brand,
    /// "Page {n} of {total}" with `{n}` and `{total}` to fill in.
    pub page_label: String,
    pub sections: Vec<Section>,
}

/// A section: a heading in the PDF, a sheet in the XLSX.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub title: String,
    /// The sheet's name (at most 31 characters; `[]:*?/\` are replaced).
    pub sheet: String,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph(String),
    /// A smaller, grey line (a definition, a note on missing data).
    Note(String),
    Table(Table),
    Chart(Chart),
    /// A row of images with a caption under each (the listed posts' own pictures). The PDF
    /// draws them; a spreadsheet has no place for them and leaves them out.
    Pictures(Vec<Picture>),
}

/// One image of a [`Block::Pictures`]: PNG or JPEG bytes and what it shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Picture {
    pub image: Logo,
    pub caption: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub title: String,
    /// Share of the table's width, relative to the other columns.
    pub width: f32,
    /// Right-aligned (numbers).
    pub numeric: bool,
}

impl Column {
    pub fn text(title: impl Into<String>, width: f32) -> Column {
        Column {
            title: title.into(),
            width,
            numeric: false,
        }
    }
    pub fn number(title: impl Into<String>, width: f32) -> Column {
        Column {
            title: title.into(),
            width,
            numeric: true,
        }
    }
}

/// How a number is written in a spreadsheet cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberFormat {
    /// `#,##0`.
    Integer,
    /// `#,##0.00`.
    Decimal,
    /// A value in percent units (4.2 means 4.2 %), shown `0.00 %`-like without being divided.
    Percent,
    /// A signed value (z-scores), `0.00`.
    Signed,
}

impl NumberFormat {
    pub fn excel(self) -> &'static str {
        match self {
            NumberFormat::Integer => "#,##0",
            NumberFormat::Decimal => "#,##0.00",
            NumberFormat::Percent => "0.00\" %\"",
            NumberFormat::Signed => "+0.00;-0.00;0.00",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// A number: its value (what the spreadsheet holds) and its text (what the PDF prints).
    Number {
        value: f64,
        shown: String,
        format: NumberFormat,
    },
    /// A day: `(year, month, day)` and its text.
    Date {
        ymd: (u16, u8, u8),
        shown: String,
    },
    /// An undefined figure: "—" in the PDF, an empty cell in the XLSX.
    Undefined,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    /// What the PDF prints.
    pub fn shown(&self) -> &str {
        match self {
            Cell::Text(s) => s,
            Cell::Number { shown, .. } | Cell::Date { shown, .. } => shown,
            Cell::Undefined => "—",
        }
    }
}

/// A line chart over days: one line per series, the x axis labelled at both ends.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub title: String,
    /// Labels of the first and the last point.
    pub x_labels: (String, String),
    pub series: Vec<Series>,
    /// Formats an axis value ("3.5 %").
    pub unit: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    /// One value per x position; `None` is a gap.
    pub points: Vec<Option<f64>>,
}
