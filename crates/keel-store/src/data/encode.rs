//! Encodings of imported values: timestamps and dates as text exactly as the rest of the
//! store writes them to SQLite, and rows of PostgreSQL's binary `COPY`.
//!
//! Formatting is hand-rolled because it runs once per cell of files with millions of rows,
//! where `chrono`'s general formatter showed up in profiles.

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};

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

/// Opens a `COPY … FROM STDIN WITH (FORMAT binary)` stream: signature, flags, no extension.
pub fn copy_header(out: &mut Vec<u8>) {
    out.extend_from_slice(b"PGCOPY\n\xff\r\n\0");
    out.extend_from_slice(&0i32.to_be_bytes());
    out.extend_from_slice(&0i32.to_be_bytes());
}

/// Closes a binary `COPY` stream.
pub fn copy_trailer(out: &mut Vec<u8>) {
    out.extend_from_slice(&(-1i16).to_be_bytes());
}

/// Microseconds from the Unix epoch to PostgreSQL's, 2000-01-01 00:00 UTC.
const PG_EPOCH_MICROS: i64 = 946_684_800_000_000;

/// One row of a binary `COPY … FROM STDIN` being written. PostgreSQL's binary input is read
/// without parsing numbers and timestamps from text: on a million posts the server's side
/// of the copy took markedly less time than with the text format.
///
/// Each value is its length (`i32`, −1 for NULL) and its bytes in the column type's binary
/// form: `BIGINT` 8 bytes, `DOUBLE PRECISION` the IEEE bits, `BOOLEAN` one byte,
/// `TIMESTAMPTZ` microseconds and `DATE` days since 2000-01-01, `TEXT` its UTF-8 bytes.
pub struct CopyRow<'a> {
    out: &'a mut Vec<u8>,
}

impl<'a> CopyRow<'a> {
    /// Starts a row of `fields` values, the first being the integer `first` (the staging
    /// table's line number, or the `org_id` of a row copied straight into its table).
    pub fn start(out: &'a mut Vec<u8>, fields: usize, first: i64) -> CopyRow<'a> {
        out.extend_from_slice(&(fields as i16).to_be_bytes());
        let mut row = CopyRow { out };
        row.int(Some(first));
        row
    }

    /// Ends the row (the binary format needs no terminator).
    pub fn end(self) {}

    pub fn null(&mut self) {
        self.out.extend_from_slice(&(-1i32).to_be_bytes());
    }

    fn value(&mut self, bytes: &[u8]) {
        self.out.extend_from_slice(&(bytes.len() as i32).to_be_bytes());
        self.out.extend_from_slice(bytes);
    }

    pub fn text(&mut self, s: &str) {
        self.value(s.as_bytes());
    }

    pub fn opt_text(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.text(s),
            None => self.null(),
        }
    }

    pub fn int(&mut self, n: Option<i64>) {
        match n {
            Some(n) => self.value(&n.to_be_bytes()),
            None => self.null(),
        }
    }

    pub fn float(&mut self, n: Option<f64>) {
        match n {
            Some(n) => self.value(&n.to_bits().to_be_bytes()),
            None => self.null(),
        }
    }

    pub fn bool(&mut self, b: bool) {
        self.value(&[u8::from(b)]);
    }

    /// Whole seconds, like [`ts_text`]: both engines keep the same instant.
    pub fn ts(&mut self, t: &DateTime<Utc>) {
        self.value(&(t.timestamp() * 1_000_000 - PG_EPOCH_MICROS).to_be_bytes());
    }

    pub fn date(&mut self, d: &NaiveDate) {
        let epoch = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default();
        self.value(&((*d - epoch).num_days() as i32).to_be_bytes());
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
    fn binary_copy_rows_are_lengths_and_big_endian_values() {
        let mut buf = Vec::new();
        let mut row = CopyRow::start(&mut buf, 6, 7);
        row.text("a\tb");
        row.int(None);
        row.float(Some(12.5));
        row.bool(true);
        row.ts(&Utc.with_ymd_and_hms(2000, 1, 1, 0, 0, 1).unwrap());
        row.end();
        let mut want: Vec<u8> = vec![0, 6, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 7];
        want.extend_from_slice(&[0, 0, 0, 3, b'a', b'\t', b'b']);
        want.extend_from_slice(&[0xff, 0xff, 0xff, 0xff]);
        want.extend_from_slice(&[0, 0, 0, 8, 0x40, 0x29, 0, 0, 0, 0, 0, 0]);
        want.extend_from_slice(&[0, 0, 0, 1, 1]);
        want.extend_from_slice(&[0, 0, 0, 8, 0, 0, 0, 0, 0, 0x0f, 0x42, 0x40]);
        assert_eq!(buf, want);
        let mut d = Vec::new();
        CopyRow::start(&mut d, 2, 0).date(&NaiveDate::from_ymd_opt(2000, 1, 3).unwrap());
        assert_eq!(&d[14..], &[0, 0, 0, 4, 0, 0, 0, 2]);
    }
}
