//! Reading cells: columns are found by header name, and every cell is checked so a problem
//! can name its line, column and value.

use crate::error::{Problems, Reason};
use crate::values;
use chrono::{DateTime, NaiveDate, Utc};
use csv::ByteRecord;

/// The header row, names trimmed and compared case-insensitively.
pub(crate) struct Header {
    names: Vec<String>,
}

impl Header {
    pub fn new(record: &ByteRecord) -> Header {
        let names = record
            .iter()
            .map(|raw| {
                let name = String::from_utf8_lossy(raw);
                // Spreadsheets like to start UTF-8 files with a byte-order mark.
                name.trim_start_matches('\u{feff}').trim().to_lowercase()
            })
            .collect();
        Header { names }
    }

    fn find(&self, name: &str) -> Option<usize> {
        let name = name.to_lowercase();
        self.names.iter().position(|n| *n == name)
    }

    /// A column the format cannot do without; its absence is a problem on line 1.
    pub fn required(&self, name: &'static str, problems: &mut Problems) -> Col {
        let idx = self.find(name);
        if idx.is_none() {
            problems.push(
                1,
                name,
                Reason::new(
                    "this required column is missing",
                    "нет этого обязательного столбца (добавьте его в строку заголовков)",
                ),
            );
        }
        Col { idx, name }
    }

    /// A column that may be left out; every cell then reads as empty.
    pub fn optional(&self, name: &'static str) -> Col {
        Col {
            idx: self.find(name),
            name,
        }
    }
}

/// Where a column is in the file, if it is there.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Col {
    idx: Option<usize>,
    name: &'static str,
}

/// The cells of one row being read. A bad cell records a problem and reads as a
/// placeholder; `ok` then turns false and the row is not stored.
pub(crate) struct Cells<'r> {
    pub record: &'r ByteRecord,
    pub line: u64,
    pub problems: &'r mut Problems,
    pub ok: bool,
}

impl<'r> Cells<'r> {
    pub(crate) fn bad(&mut self, col: &Col, reason: Reason) {
        self.ok = false;
        self.problems.push(self.line, col.name, reason);
    }

    /// The trimmed cell (`""` for an absent optional column), or `None` when it is unreadable.
    pub(crate) fn raw(&mut self, col: &Col) -> Option<&'r str> {
        let Some(idx) = col.idx else { return Some("") };
        let Some(bytes) = self.record.get(idx) else {
            let n = self.record.len();
            // A quote that is never closed swallows the rest of the file into one cell, so
            // the row comes up short with line breaks inside a cell: say that, not "short".
            let reason = if self.record.iter().any(|cell| cell.contains(&b'\n')) {
                Reason::new(
                    "a quote (\") opened in this row is never closed: the rest of the file was read as one cell",
                    "кавычка (\"), открытая в этой строке, не закрыта: остаток файла прочитан как одна ячейка",
                )
            } else {
                Reason::new(
                    format!("the row ends after {n} cells, before this column"),
                    format!("строка кончается после ячейки № {n}, раньше этого столбца"),
                )
            };
            self.bad(col, reason);
            return None;
        };
        match std::str::from_utf8(bytes) {
            Ok(s) if s.contains('\0') => {
                self.bad(col, Reason::new("contains a NUL character", "содержит символ NUL"));
                None
            }
            Ok(s) => Some(s.trim()),
            Err(_) => {
                self.bad(
                    col,
                    Reason::new(
                        "is not valid UTF-8",
                        "не в кодировке UTF-8 (сохраните файл как CSV UTF-8)",
                    ),
                );
                None
            }
        }
    }

    /// Runs `parse` on the cell; an empty cell is `None`, a problem when `required`.
    fn cell<T>(&mut self, col: &Col, required: bool, parse: fn(&str) -> Result<T, Reason>) -> Option<T> {
        let s = self.raw(col)?;
        if s.is_empty() {
            if required {
                self.bad(
                    col,
                    Reason::new("is empty; a value is required", "пусто, а значение обязательно"),
                );
            }
            return None;
        }
        parse(s).map_err(|reason| self.bad(col, reason)).ok()
    }

    fn opt<T>(&mut self, col: &Col, parse: fn(&str) -> Result<T, Reason>) -> Option<T> {
        self.cell(col, false, parse)
    }

    /// A cell that must hold a value; a placeholder stands in for a bad one.
    fn req<T: Default>(&mut self, col: &Col, parse: fn(&str) -> Result<T, Reason>) -> T {
        self.cell(col, true, parse).unwrap_or_default()
    }

    pub fn text(&mut self, col: &Col) -> String {
        self.req(col, bounded_text)
    }

    pub fn opt_text(&mut self, col: &Col) -> Option<String> {
        self.opt(col, bounded_text)
    }

    pub fn count(&mut self, col: &Col) -> Option<i64> {
        self.opt(col, values::count)
    }

    /// A count where an empty cell means 0 (native exports that leave zeros blank).
    pub fn count_or_zero(&mut self, col: &Col) -> i64 {
        self.count(col).unwrap_or(0)
    }

    pub fn decimal(&mut self, col: &Col) -> f64 {
        self.req(col, values::decimal)
    }

    pub fn opt_decimal(&mut self, col: &Col) -> Option<f64> {
        self.opt(col, values::decimal)
    }

    pub fn timestamp(&mut self, col: &Col) -> DateTime<Utc> {
        self.req(col, values::timestamp)
    }

    pub fn opt_timestamp(&mut self, col: &Col) -> Option<DateTime<Utc>> {
        self.opt(col, values::timestamp)
    }

    pub fn date(&mut self, col: &Col) -> NaiveDate {
        self.req(col, values::date)
    }

    pub fn status(&mut self, col: &Col) -> String {
        self.req(col, values::status)
    }

    /// A count in `lo..=hi` where an empty cell means 0 (the Facebook export's month,
    /// weekday and hour).
    pub fn count_in(&mut self, col: &Col, lo: i64, hi: i64) -> Option<i64> {
        let s = self.raw(col)?;
        let s = if s.is_empty() { "0" } else { s };
        let checked = values::count(s).and_then(|n| {
            if (lo..=hi).contains(&n) {
                Ok(n)
            } else {
                Err(Reason::new(
                    format!("\"{n}\" is out of range (expected {lo} to {hi})"),
                    format!("«{n}» вне допустимого (нужно от {lo} до {hi})"),
                ))
            }
        });
        checked.map_err(|reason| self.bad(col, reason)).ok()
    }

    /// A post's text, kept when it is at most [`POST_TEXT_CHARS`] characters.
    pub fn opt_post_text(&mut self, col: &Col) -> Option<String> {
        self.opt(col, values::post_text)
    }

    /// An address a browser may open (`http://` or `https://`).
    pub fn opt_url(&mut self, col: &Col) -> Option<String> {
        self.opt(col, values::web_address)
    }

    /// A yes/no cell; empty means no.
    pub fn flag(&mut self, col: &Col) -> bool {
        self.opt(col, values::flag).unwrap_or(false)
    }
}

/// The longest text cell an import takes, in characters. Every text column of the formats is
/// a name, an identifier or a label (platform, account, post id, campaign, lead id, source,
/// post type, currency): a longer cell is a mistake or an attack. One 5 MB account once grew
/// the analytics page to 31 MB on SQLite and failed PostgreSQL's index (2,704 bytes a key).
pub const MAX_TEXT_CHARS: usize = 256;

fn bounded_text(s: &str) -> Result<String, Reason> {
    let chars = s.chars().count();
    if chars > MAX_TEXT_CHARS {
        return Err(Reason::new(
            format!("is {chars} characters long; at most {MAX_TEXT_CHARS} are allowed here"),
            format!("длина {chars} символов, а здесь допустимо не больше {MAX_TEXT_CHARS}"),
        ));
    }
    Ok(s.to_owned())
}
