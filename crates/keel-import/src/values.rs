//! Parsers for single cell values. Each error is the reason shown to the user, quoting the
//! value (shortened) so the cell is easy to find.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use keel_store::data::POST_TEXT_CHARS;

use crate::error::Reason;

const TIMESTAMP_FORMS: &str = "YYYY-MM-DD, YYYY-MM-DD HH:MM:SS or YYYY-MM-DDTHH:MM:SS with an optional Z or ±HH:MM";

/// The value as it appears in a message: in quotes, cut at 40 characters.
fn quoted(s: &str) -> String {
    format!("\"{}\"", shortened(s))
}

/// The value as a Russian message quotes it: «…».
fn quoted_ru(s: &str) -> String {
    format!("«{}»", shortened(s))
}

fn shortened(s: &str) -> String {
    match s.char_indices().nth(40) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_owned(),
    }
}

/// A whole number ≥ 0 (digits only).
pub(crate) fn count(s: &str) -> Result<i64, Reason> {
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(if s.starts_with('-') && s[1..].bytes().all(|b| b.is_ascii_digit()) {
            Reason::new(
                format!("{} is negative; counts cannot be", quoted(s)),
                format!(
                    "{} — отрицательное число, а счётчик не бывает меньше нуля",
                    quoted_ru(s)
                ),
            )
        } else {
            Reason::new(
                format!("{} is not a whole number", quoted(s)),
                format!("{} — не целое число", quoted_ru(s)),
            )
        });
    }
    s.parse::<i64>().map_err(|_| {
        Reason::new(
            format!("{} is too large", quoted(s)),
            format!("{} — слишком большое число", quoted_ru(s)),
        )
    })
}

/// A finite decimal number ≥ 0 with a dot as the decimal separator (money).
pub(crate) fn decimal(s: &str) -> Result<f64, Reason> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        Ok(v) if v.is_finite() => Err(Reason::new(
            format!("{} is negative", quoted(s)),
            format!("{} — отрицательное число", quoted_ru(s)),
        )),
        _ => Err(Reason::new(
            format!(
                "{} is not a number (use a dot for decimals, no thousands separators)",
                quoted(s)
            ),
            format!(
                "{} — не число (дробную часть отделяйте точкой, без пробелов между разрядами)",
                quoted_ru(s)
            ),
        )),
    }
}

/// `YYYY-MM-DD` with a year from 1000 to 9999.
pub(crate) fn date(s: &str) -> Result<NaiveDate, Reason> {
    parse_date(s).ok_or_else(|| {
        Reason::new(
            format!("{} is not a date (expected YYYY-MM-DD)", quoted(s)),
            format!("{} — не дата (нужно ГГГГ-ММ-ДД, например 2026-10-31)", quoted_ru(s)),
        )
    })
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y = digits(&b[0..4])?;
    let d = NaiveDate::from_ymd_opt(y as i32, digits(&b[5..7])?, digits(&b[8..10])?)?;
    (1000..=9999).contains(&y).then_some(d)
}

fn digits(b: &[u8]) -> Option<u32> {
    b.iter()
        .try_fold(0u32, |n, &c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
}

/// A timestamp: a bare date (midnight UTC), or a date and `HH:MM:SS` (optionally with a
/// fraction, dropped) separated by `T` or a space, then `Z`, `±HH:MM`, `±HHMM` or nothing
/// (UTC). Stored in UTC.
pub(crate) fn timestamp(s: &str) -> Result<DateTime<Utc>, Reason> {
    parse_timestamp(s).ok_or_else(|| {
        Reason::new(
            format!("{} is not a timestamp (expected {TIMESTAMP_FORMS})", quoted(s)),
            format!(
                "{} — не дата и время (нужно ГГГГ-ММ-ДД, ГГГГ-ММ-ДД ЧЧ:ММ:СС или ГГГГ-ММ-ДДTЧЧ:ММ:СС, можно с Z или ±ЧЧ:ММ)",
                quoted_ru(s)
            ),
        )
    })
}

fn parse_timestamp(s: &str) -> Option<DateTime<Utc>> {
    let date = parse_date(s.get(..10)?)?;
    let rest = &s.as_bytes()[10..];
    if rest.is_empty() {
        return Some(date.and_time(NaiveTime::MIN).and_utc());
    }
    if !matches!(rest[0], b'T' | b't' | b' ') || rest.len() < 9 || rest[3] != b':' || rest[6] != b':' {
        return None;
    }
    let time = NaiveTime::from_hms_opt(digits(&rest[1..3])?, digits(&rest[4..6])?, digits(&rest[7..9])?)?;
    let mut zone = &rest[9..];
    if let Some(frac) = zone.strip_prefix(b".") {
        let n = frac.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return None;
        }
        zone = &frac[n..];
    }
    let offset_minutes = match zone {
        b"" | b"Z" | b"z" => 0,
        [sign @ (b'+' | b'-'), h1, h2, rest @ ..] => {
            let mins = match rest {
                [] => 0,
                [b':', m1, m2] | [m1, m2] => digits(&[*m1, *m2])?,
                _ => return None,
            };
            let hours = digits(&[*h1, *h2])?;
            if hours > 23 || mins > 59 {
                return None;
            }
            let total = i64::from(hours * 60 + mins);
            if *sign == b'-' { -total } else { total }
        }
        _ => return None,
    };
    let utc = date.and_time(time).and_utc() - Duration::minutes(offset_minutes);
    (1000..=9999).contains(&utc.year()).then_some(utc)
}

/// A lead status: `new`, `qualified`, `won` or `lost` (any case), stored in lower case.
pub(crate) fn status(s: &str) -> Result<String, Reason> {
    let lower = s.to_ascii_lowercase();
    match lower.as_str() {
        "new" | "qualified" | "won" | "lost" => Ok(lower),
        _ => Err(Reason::new(
            format!(
                "{} is not a lead status (expected new, qualified, won or lost)",
                quoted(s)
            ),
            format!(
                "{} — не статус заявки (нужно new, qualified, won или lost)",
                quoted_ru(s)
            ),
        )),
    }
}

/// A post's text: at most [`POST_TEXT_CHARS`] characters (longer is refused, not cut, so an
/// import never stores less than the file said without saying so).
pub(crate) fn post_text(s: &str) -> Result<String, Reason> {
    let chars = s.chars().count();
    if chars > POST_TEXT_CHARS {
        return Err(Reason::new(
            format!(
                "is {chars} characters long; a post's text may be at most {POST_TEXT_CHARS} (shorten it or leave the column out)"
            ),
            format!(
                "длина {chars} символов, а текст поста может быть не длиннее {POST_TEXT_CHARS} (сократите его или уберите столбец)"
            ),
        ));
    }
    Ok(s.to_owned())
}

/// The longest address kept: browsers and servers commonly stop at about 2,000 bytes.
const MAX_URL_BYTES: usize = 2_048;

/// A post's address. Only `http://` and `https://`: the analytics page makes it a link, and
/// any other scheme (`javascript:`, `data:`) would run in the reader's browser.
pub(crate) fn web_address(s: &str) -> Result<String, Reason> {
    let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    let scheme_ok = lower.starts_with("https://") || lower.starts_with("http://");
    let host_ok = s
        .split_once("://")
        .is_some_and(|(_, rest)| !rest.is_empty() && !rest.starts_with('/'));
    if !scheme_ok || !host_ok {
        return Err(Reason::new(
            format!(
                "{} is not a web address (expected one starting with https:// or http://)",
                quoted(s)
            ),
            format!(
                "{} — не веб-адрес (нужен адрес, начинающийся с https:// или http://)",
                quoted_ru(s)
            ),
        ));
    }
    if s.len() > MAX_URL_BYTES || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Reason::new(
            format!("is not a usable web address (no spaces, at most {MAX_URL_BYTES} bytes)"),
            format!("не годится как веб-адрес (без пробелов, не длиннее {MAX_URL_BYTES} байт)"),
        ));
    }
    Ok(s.to_owned())
}

/// A yes/no value: true/false, 1/0, yes/no (any case).
pub(crate) fn flag(s: &str) -> Result<bool, Reason> {
    match s.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err(Reason::new(
            format!(
                "{} is not a yes/no value (expected true, false, 1, 0, yes, no or empty)",
                quoted(s)
            ),
            format!(
                "{} — не «да/нет» (нужно true, false, 1, 0, yes, no или пустая ячейка)",
                quoted_ru(s)
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> String {
        keel_store::data::ts_text(&timestamp(s).unwrap())
    }

    #[test]
    fn timestamps_in_every_accepted_form_land_in_utc() {
        assert_eq!(utc("2024-03-01"), "2024-03-01T00:00:00+00:00");
        assert_eq!(utc("2024-03-01 09:30:00"), "2024-03-01T09:30:00+00:00");
        assert_eq!(utc("2024-03-01T09:30:00Z"), "2024-03-01T09:30:00+00:00");
        assert_eq!(utc("2024-03-01T09:30:00.123Z"), "2024-03-01T09:30:00+00:00");
        assert_eq!(utc("2024-03-01T09:30:00+03:00"), "2024-03-01T06:30:00+00:00");
        assert_eq!(utc("2024-03-01T23:30:00-0100"), "2024-03-02T00:30:00+00:00");
        for bad in [
            "2024-3-1",
            "2024-02-30",
            "01.03.2024",
            "2024-03-01T25:00:00",
            "2024-03-01T09:30",
            "2024-03-01T09:30:00+3",
        ] {
            assert!(timestamp(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn counts_are_whole_and_not_negative() {
        assert_eq!(count("0"), Ok(0));
        assert_eq!(count("120"), Ok(120));
        assert_eq!(
            count("12a").unwrap_err(),
            Reason::new("\"12a\" is not a whole number", "«12a» — не целое число")
        );
        assert!(count("-5").unwrap_err().en.contains("negative"));
        assert!(count("-5").unwrap_err().ru.contains("отрицательное"));
        assert!(count("1.5").is_err());
        assert!(count("99999999999999999999").unwrap_err().en.contains("too large"));
    }

    #[test]
    fn decimals_flags_and_statuses() {
        assert_eq!(decimal("12.50"), Ok(12.5));
        assert!(decimal("1,5").is_err());
        assert!(decimal("NaN").is_err());
        assert!(decimal("-1").is_err());
        assert_eq!(flag("Yes"), Ok(true));
        assert_eq!(flag("0"), Ok(false));
        assert!(flag("maybe").is_err());
        assert_eq!(status("Won").as_deref(), Ok("won"));
        assert!(status("closed").is_err());
    }
}
