//! Numbers and dates for people, in the page's language: thousands separators, one or two
//! decimals, percent signs, short month names. Used by the charts and the analytics pages.
//!
//! English: `12,345.67`, `4.25%`, `12 Jun 2026`. Russian: `12 345,67`, `4,25 %`,
//! `12 июн. 2026` (no-break spaces, so a number never wraps inside).
//! A value that is not finite prints as "—", like an undefined one.

use chrono::{Datelike, NaiveDate};

use crate::i18n::Lang;

/// No-break space: the Russian thousands separator and the space before `%`.
const NBSP: char = '\u{a0}';
/// The minus sign (not a hyphen) in front of negative numbers.
const MINUS: char = '\u{2212}';
/// What an undefined value prints as.
pub const UNDEFINED: &str = "—";

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
/// CLDR's abbreviated month names in the form a date takes ("3 дек. 2026", "1 мая").
const MONTHS_RU: [&str; 12] = [
    "янв.",
    "февр.",
    "мар.",
    "апр.",
    "мая",
    "июн.",
    "июл.",
    "авг.",
    "сент.",
    "окт.",
    "нояб.",
    "дек.",
];

const MONTH_TITLES_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTH_TITLES_RU: [&str; 12] = [
    "Январь",
    "Февраль",
    "Март",
    "Апрель",
    "Май",
    "Июнь",
    "Июль",
    "Август",
    "Сентябрь",
    "Октябрь",
    "Ноябрь",
    "Декабрь",
];

/// Formats numbers and dates in one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fmt(pub Lang);

impl Fmt {
    fn group(self) -> char {
        match self.0 {
            Lang::En => ',',
            Lang::Ru => NBSP,
        }
    }

    fn point(self) -> char {
        match self.0 {
            Lang::En => '.',
            Lang::Ru => ',',
        }
    }

    /// A whole number with thousands separators: `12,345` / `12 345`.
    pub fn int(self, v: i64) -> String {
        let digits = v.unsigned_abs().to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
        if v < 0 {
            out.push(MINUS);
        }
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(self.group());
            }
            out.push(c);
        }
        out
    }

    /// A number with `places` decimals and thousands separators: `1,234.57` / `1 234,57`.
    pub fn dec(self, v: f64, places: usize) -> String {
        if !v.is_finite() {
            return UNDEFINED.to_owned();
        }
        let text = format!("{:.*}", places, v.abs());
        let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
        // "-0.00" is zero: no sign.
        let negative = v < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0');
        let whole: i64 = whole.parse().unwrap_or(i64::MAX);
        let mut out = self.int(whole);
        if negative {
            out.insert(0, MINUS);
        }
        if !frac.is_empty() {
            out.push(self.point());
            out.push_str(frac);
        }
        out
    }

    /// A percentage (`v` in percent): `4.25%` / `4,25 %`.
    pub fn pct(self, v: f64, places: usize) -> String {
        let number = self.dec(v, places);
        if number == UNDEFINED {
            return number;
        }
        match self.0 {
            Lang::En => format!("{number}%"),
            Lang::Ru => format!("{number}{NBSP}%"),
        }
    }

    /// A percentage with its sign, for changes: `+4.2%`, `−1.5%`, `0.0%`.
    pub fn signed_pct(self, v: f64, places: usize) -> String {
        let text = self.pct(v, places);
        if text.starts_with(MINUS) || text == UNDEFINED || !text.chars().any(|c| c.is_ascii_digit() && c != '0') {
            text
        } else {
            format!("+{text}")
        }
    }

    /// A whole number with its sign: `+6,120`, `−35`, `0`.
    pub fn signed_int(self, v: i64) -> String {
        if v > 0 {
            format!("+{}", self.int(v))
        } else {
            self.int(v)
        }
    }

    /// A day: `12 Jun 2026` / `12 июн 2026`.
    pub fn date(self, d: NaiveDate) -> String {
        format!("{} {} {}", d.day(), self.month(d), d.year())
    }

    /// A day without its year, for chart axes: `12 Jun`.
    pub fn day_month(self, d: NaiveDate) -> String {
        format!("{} {}", d.day(), self.month(d))
    }

    /// A month, for chart axes: `Jun 2026` / `июн 2026` (the standalone form, no period).
    pub fn month_year(self, d: NaiveDate) -> String {
        let month = self.month(d);
        format!("{} {}", month.trim_end_matches('.'), d.year())
    }

    /// A month as a title: `December 2026` / `Декабрь 2026`.
    pub fn month_title(self, d: NaiveDate) -> String {
        let names = match self.0 {
            Lang::En => &MONTH_TITLES_EN,
            Lang::Ru => &MONTH_TITLES_RU,
        };
        format!("{} {}", names[d.month0() as usize], d.year())
    }

    /// A moment: `3 Dec 2026, 14:05 UTC` / `3 дек. 2026, 14:05 UTC`.
    pub fn moment(self, at: chrono::DateTime<chrono::Utc>) -> String {
        format!("{}, {} UTC", self.date(at.date_naive()), at.format("%H:%M"))
    }

    /// A month's short name: `Jun` / `июн`.
    pub fn month(self, d: NaiveDate) -> &'static str {
        let months = match self.0 {
            Lang::En => &MONTHS_EN,
            Lang::Ru => &MONTHS_RU,
        };
        months[d.month0() as usize]
    }

    /// A value that may be undefined: `None` (or not finite) stays `None`.
    pub fn opt(self, v: Option<f64>, f: impl Fn(Fmt, f64) -> String) -> Option<String> {
        v.filter(|v| v.is_finite()).map(|v| f(self, v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EN: Fmt = Fmt(Lang::En);
    const RU: Fmt = Fmt(Lang::Ru);

    #[test]
    fn whole_numbers_get_thousands_separators() {
        assert_eq!(EN.int(0), "0");
        assert_eq!(EN.int(999), "999");
        assert_eq!(EN.int(1000), "1,000");
        assert_eq!(EN.int(12_345_678), "12,345,678");
        assert_eq!(EN.int(-6120), "−6,120");
        assert_eq!(RU.int(12_345), "12\u{a0}345");
        assert_eq!(EN.signed_int(6120), "+6,120");
        assert_eq!(EN.signed_int(0), "0");
    }

    #[test]
    fn decimals_use_the_language_point_and_round() {
        assert_eq!(EN.dec(1234.567, 2), "1,234.57");
        assert_eq!(RU.dec(1234.567, 2), "1\u{a0}234,57");
        assert_eq!(EN.dec(0.005, 1), "0.0");
        assert_eq!(EN.dec(-0.001, 2), "0.00");
        assert_eq!(EN.dec(-2.5, 1), "−2.5");
        assert_eq!(EN.dec(7.0, 0), "7");
        assert_eq!(EN.dec(f64::NAN, 2), "—");
        assert_eq!(EN.dec(f64::INFINITY, 2), "—");
    }

    #[test]
    fn percentages_carry_the_sign_the_language_writes() {
        assert_eq!(EN.pct(4.254, 2), "4.25%");
        assert_eq!(RU.pct(4.254, 2), "4,25\u{a0}%");
        assert_eq!(EN.signed_pct(41.6, 1), "+41.6%");
        assert_eq!(EN.signed_pct(-1.54, 1), "−1.5%");
        assert_eq!(EN.signed_pct(0.01, 1), "0.0%");
        assert_eq!(EN.opt(None, |f, v| f.pct(v, 2)), None);
        assert_eq!(EN.opt(Some(f64::NAN), |f, v| f.pct(v, 2)), None);
        assert_eq!(EN.opt(Some(1.0), |f, v| f.pct(v, 1)), Some("1.0%".into()));
    }

    #[test]
    fn dates_read_as_people_write_them() {
        let d = NaiveDate::from_ymd_opt(2026, 6, 12).unwrap();
        assert_eq!(EN.date(d), "12 Jun 2026");
        assert_eq!(RU.date(d), "12 июн. 2026");
        assert_eq!(RU.date(NaiveDate::from_ymd_opt(2026, 12, 3).unwrap()), "3 дек. 2026");
        assert_eq!(RU.date(NaiveDate::from_ymd_opt(2026, 5, 1).unwrap()), "1 мая 2026");
        assert_eq!(EN.day_month(d), "12 Jun");
        assert_eq!(RU.month_year(d), "июн 2026");
        assert_eq!(RU.month_title(d), "Июнь 2026");
        let at = chrono::DateTime::parse_from_rfc3339("2026-12-03T14:05:00Z")
            .unwrap()
            .to_utc();
        assert_eq!(RU.moment(at), "3 дек. 2026, 14:05 UTC");
    }
}
