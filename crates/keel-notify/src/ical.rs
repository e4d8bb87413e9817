//! An iCalendar (RFC 5545) writer for a project's calendar feed.
//!
//! Small and strict rather than general: one VCALENDAR of VEVENTs in UTC. What calendar apps
//! trip over is handled here on purpose — CRLF line ends, folding at 75 octets without
//! splitting a UTF-8 character (Russian text is two octets a letter), TEXT escaping of
//! backslash, semicolon, comma and newlines, and the required DTSTAMP/UID/PRODID/VERSION.

use chrono::{DateTime, Duration, Utc};
use keel_domain::calendar::{CalendarEntry, EventEnd};

/// Identifies the software that wrote the feed (RFC 5545 §3.7.3).
pub const PRODID: &str = "-//Keel//Content plan//EN";

/// Media type of the feed.
pub const CONTENT_TYPE: &str = "text/calendar; charset=utf-8";

/// Longest physical line, in octets, without its CRLF (RFC 5545 §3.1).
const MAX_LINE_OCTETS: usize = 75;

/// The whole feed: `name` becomes the calendar's display name (`X-WR-CALNAME`, read by Google,
/// Apple and Outlook), `generated_at` every event's DTSTAMP.
pub fn render_calendar(name: &str, entries: &[CalendarEntry], generated_at: DateTime<Utc>) -> String {
    let mut out = String::with_capacity(512 + entries.len() * 400);
    let mut line = |text: String| out.push_str(&fold(&text));
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line(format!("PRODID:{PRODID}"));
    line("CALSCALE:GREGORIAN".into());
    line("METHOD:PUBLISH".into());
    line(format!("X-WR-CALNAME:{}", escape_text(name)));
    for entry in entries {
        line("BEGIN:VEVENT".into());
        line(format!("UID:{}", escape_text(&entry.uid)));
        line(format!("DTSTAMP:{}", utc(generated_at)));
        line(format!("DTSTART:{}", utc(entry.starts_at)));
        match entry.end {
            EventEnd::At(end) if end >= entry.starts_at => line(format!("DTEND:{}", utc(end))),
            // An end before the start is invalid; the event is shown as an instant instead.
            EventEnd::At(_) => line(format!("DURATION:{}", duration(Duration::zero()))),
            EventEnd::After(d) => line(format!("DURATION:{}", duration(d))),
        }
        line(format!("SUMMARY:{}", escape_text(&entry.summary)));
        if !entry.description.is_empty() {
            line(format!("DESCRIPTION:{}", escape_text(&entry.description)));
        }
        if let Some(url) = &entry.url {
            // URI values are not TEXT: no escaping, but no line breaks either.
            line(format!("URL:{}", strip_controls(url)));
        }
        line(format!("STATUS:{}", entry.status.as_ical()));
        line(format!("LAST-MODIFIED:{}", utc(entry.last_modified)));
        line("END:VEVENT".into());
    }
    line("END:VCALENDAR".into());
    out
}

/// A UTC DATE-TIME: `20261123T143000Z`.
fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// A DURATION value (RFC 5545 §3.3.6): `P1D`, `PT1H30M`, `P2DT3H`; never negative.
fn duration(d: Duration) -> String {
    let total = d.num_seconds().max(0);
    let (days, rest) = (total / 86_400, total % 86_400);
    let (h, m, s) = (rest / 3600, rest % 3600 / 60, rest % 60);
    let mut out = String::from("P");
    if days > 0 {
        out.push_str(&format!("{days}D"));
    }
    if rest > 0 || days == 0 {
        out.push('T');
        if h > 0 {
            out.push_str(&format!("{h}H"));
        }
        if m > 0 {
            out.push_str(&format!("{m}M"));
        }
        if s > 0 || (h == 0 && m == 0) {
            out.push_str(&format!("{s}S"));
        }
    }
    out
}

/// Escapes a TEXT value (RFC 5545 §3.3.11): `\` `;` `,` and newlines; other control
/// characters, which TEXT may not hold, are dropped.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                // CRLF and a lone CR are one line break, like LF.
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn strip_controls(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).collect()
}

/// One content line, folded (RFC 5545 §3.1): no physical line longer than 75 octets, each
/// continuation starting with a space, breaks only between characters; ends with CRLF.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
    let mut octets = 0;
    for c in line.chars() {
        let width = c.len_utf8();
        if octets + width > MAX_LINE_OCTETS {
            out.push_str("\r\n ");
            octets = 1;
        }
        out.push(c);
        octets += width;
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escaping_covers_every_special_character() {
        assert_eq!(escape_text("a,b;c\\d\ne\r\nf\rg\u{7}h"), "a\\,b\\;c\\\\d\\ne\\nf\\ngh");
    }

    #[test]
    fn durations_are_written_in_rfc_form() {
        assert_eq!(duration(Duration::hours(1)), "PT1H");
        assert_eq!(duration(Duration::minutes(90)), "PT1H30M");
        assert_eq!(duration(Duration::days(2)), "P2D");
        assert_eq!(duration(Duration::days(1) + Duration::seconds(5)), "P1DT5S");
        assert_eq!(duration(Duration::zero()), "PT0S");
        assert_eq!(duration(Duration::minutes(-5)), "PT0S");
    }

    #[test]
    fn folding_counts_octets_and_never_splits_a_character() {
        // 80 ASCII octets: 75 on the first line, 5 after the space.
        let ascii = "A".repeat(80);
        assert_eq!(fold(&ascii), format!("{}\r\n {}\r\n", "A".repeat(75), "A".repeat(5)));
        // "SUMMARY:" is 8 octets; then Cyrillic letters of 2 octets each. 33 letters fill 74
        // octets; the 34th would make 76, so it moves to the next line.
        let russian = format!("SUMMARY:{}", "я".repeat(40));
        let folded = fold(&russian);
        let lines: Vec<&str> = folded.split("\r\n").collect();
        assert_eq!(lines[0], format!("SUMMARY:{}", "я".repeat(33)));
        assert_eq!(lines[1], format!(" {}", "я".repeat(7)));
        assert_eq!(lines[2], "");
        for line in folded.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        // A short line is left alone.
        assert_eq!(fold("VERSION:2.0"), "VERSION:2.0\r\n");
    }
}
