//! Text forms of imported values: timestamps and dates exactly as the rest of the store
//! writes them to SQLite, and lines of PostgreSQL `COPY` text.
//!
//! Formatting is hand-rolled because it runs once per cell of files with millions of rows,
//! where `chrono`'s general formatter showed up in profiles.

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use std::io::Write;

/// `2014-12-31T10:00:00+00:00`: the form sqlx gives a whole-second `DateTime<Utc>` in SQLite,
/// so imported timestamps compare as strings with every other timestamp of the store.
/// Sub-second parts are dropped (the store keeps whole seconds, see `crate::now`).
pub fn ts_text(t: &DateTime<Utc>) -> String {
    let mut b = [0u8; 25];
    fill_date(&mut b[..10], t.year(), t.month(), t.day());
    b[10] = b'T';
    two(&mut b[11..13], t.hour());
    b[13] = b':';
    two(&mut b[14..16], t.minute());
    b[16] = b':';
    two(&mut b[17..19], t.second());
    b[19..].copy_from_slice(b"+00:00");
    ascii(&b)
}

/// `2014-12-31`, the form sqlx gives a `NaiveDate` in SQLite.
pub fn date_text(d: &NaiveDate) -> String {
    let mut b = [0u8; 10];
    fill_date(&mut b, d.year(), d.month(), d.day());
    ascii(&b)
}

fn fill_date(b: &mut [u8], year: i32, month: u32, day: u32) {
    // Imports accept years 1000–9999 only, so four digits always suffice.
    let y = year.clamp(0, 9999) as u32;
    two(&mut b[0..2], y / 100);
    two(&mut b[2..4], y % 100);
    b[4] = b'-';
    two(&mut b[5..7], month);
    b[7] = b'-';
    two(&mut b[8..10], day);
}

fn two(b: &mut [u8], n: u32) {
    b[0] = b'0' + (n / 10 % 10) as u8;
    b[1] = b'0' + (n % 10) as u8;
}

fn ascii(b: &[u8]) -> String {
    b.iter().map(|&c| c as char).collect()
}

/// One line of `COPY … FROM STDIN` in PostgreSQL's text format being written: every value is
/// preceded by a tab (the line starts with the staging table's line number), `\N` is NULL.
pub struct CopyRow<'a> {
    out: &'a mut Vec<u8>,
}

impl<'a> CopyRow<'a> {
    /// Starts a line with its sequence number, the staging table's first column.
    pub fn start(out: &'a mut Vec<u8>, seq: u64) -> CopyRow<'a> {
        let _ = write!(out, "{seq}");
        CopyRow { out }
    }

    /// Ends the line.
    pub fn end(self) {
        self.out.push(b'\n');
    }

    pub fn null(&mut self) {
        self.out.extend_from_slice(b"\t\\N");
    }

    /// A text value, escaped as the text format requires (backslash, tab, newline, CR).
    pub fn text(&mut self, s: &str) {
        self.out.push(b'\t');
        for &c in s.as_bytes() {
            match c {
                b'\\' => self.out.extend_from_slice(b"\\\\"),
                b'\t' => self.out.extend_from_slice(b"\\t"),
                b'\n' => self.out.extend_from_slice(b"\\n"),
                b'\r' => self.out.extend_from_slice(b"\\r"),
                _ => self.out.push(c),
            }
        }
    }

    pub fn opt_text(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.text(s),
            None => self.null(),
        }
    }

    pub fn int(&mut self, n: Option<i64>) {
        match n {
            Some(n) => {
                let _ = write!(self.out, "\t{n}");
            }
            None => self.null(),
        }
    }

    /// A float in Rust's shortest round-trip form, which PostgreSQL reads back to the same
    /// double, so re-importing a file finds the stored value unchanged.
    pub fn float(&mut self, n: Option<f64>) {
        match n {
            Some(n) => {
                let _ = write!(self.out, "\t{n:?}");
            }
            None => self.null(),
        }
    }

    pub fn bool(&mut self, b: bool) {
        self.out.extend_from_slice(if b { b"\tt" } else { b"\tf" });
    }

    pub fn ts(&mut self, t: &DateTime<Utc>) {
        self.out.push(b'\t');
        self.out.extend_from_slice(ts_text(t).as_bytes());
    }

    pub fn date(&mut self, d: &NaiveDate) {
        self.out.push(b'\t');
        self.out.extend_from_slice(date_text(d).as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn timestamps_match_what_sqlx_writes_for_whole_seconds() {
        let t = Utc.with_ymd_and_hms(2014, 3, 9, 7, 5, 1).unwrap();
        assert_eq!(ts_text(&t), t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false));
        assert_eq!(date_text(&t.date_naive()), "2014-03-09");
    }

    #[test]
    fn copy_text_escapes_its_separators() {
        let mut buf = Vec::new();
        let mut row = CopyRow::start(&mut buf, 7);
        row.text("a\tb\\c\nd");
        row.int(None);
        row.float(Some(12.5));
        row.bool(true);
        row.end();
        assert_eq!(buf, b"7\ta\\tb\\\\c\\nd\t\\N\t12.5\tt\n");
    }
}
