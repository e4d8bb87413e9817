//! The iCalendar writer, read back by an independent parser (the `ical` crate) and checked
//! octet by octet where folding and escaping matter.

use chrono::{Duration, TimeZone, Utc};
use keel_domain::calendar::{CalendarEntry, EntryStatus, EventEnd};
use keel_notify::ical::render_calendar;
use std::io::BufReader;

fn entry(uid: &str, summary: &str, description: &str) -> CalendarEntry {
    CalendarEntry {
        uid: uid.into(),
        starts_at: Utc.with_ymd_and_hms(2026, 3, 14, 9, 30, 0).unwrap(),
        end: EventEnd::After(Duration::minutes(30)),
        summary: summary.into(),
        description: description.into(),
        url: Some("https://keel.agency.test/projects/client-a/posts/42".into()),
        status: EntryStatus::Tentative,
        last_modified: Utc.with_ymd_and_hms(2026, 3, 10, 12, 0, 0).unwrap(),
    }
}

fn parse(text: &str) -> ical::parser::ical::component::IcalCalendar {
    let mut calendars = ical::IcalParser::new(BufReader::new(text.as_bytes()));
    let calendar = calendars.next().expect("one calendar").expect("parses");
    assert!(calendars.next().is_none());
    calendar
}

fn prop<'a>(props: &'a [ical::property::Property], name: &str) -> Option<&'a str> {
    props.iter().find(|p| p.name == name).and_then(|p| p.value.as_deref())
}

/// Reverses TEXT escaping, as a calendar app does.
fn unescape(value: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') | Some('N') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn an_empty_calendar_is_still_a_valid_calendar() {
    let generated = Utc.with_ymd_and_hms(2026, 11, 23, 6, 0, 0).unwrap();
    let text = render_calendar("Client A — content plan", &[], generated);
    assert_eq!(
        text,
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Keel//Content plan//EN\r\nCALSCALE:GREGORIAN\r\n\
         METHOD:PUBLISH\r\nX-WR-CALNAME:Client A — content plan\r\nEND:VCALENDAR\r\n"
    );
    let calendar = parse(&text);
    assert!(calendar.events.is_empty());
    assert_eq!(prop(&calendar.properties, "VERSION"), Some("2.0"));
}

#[test]
fn events_round_trip_through_an_independent_parser() {
    let generated = Utc.with_ymd_and_hms(2026, 11, 23, 6, 0, 0).unwrap();
    let summary = "Запуск весеннего меню: кофе, десерты; всё по плану — «VK» и Telegram \\ Instagram";
    let description = "Строка 1, с запятой\nLine 2; with semicolon\r\nLine 3 \\ backslash";
    let mut second = entry("post-43@keel.agency.test", "Short", "");
    second.end = EventEnd::At(Utc.with_ymd_and_hms(2026, 3, 15, 11, 0, 0).unwrap());
    second.starts_at = Utc.with_ymd_and_hms(2026, 3, 15, 10, 0, 0).unwrap();
    second.status = EntryStatus::Confirmed;
    second.url = None;
    let text = render_calendar(
        "Client A",
        &[entry("post-42@keel.agency.test", summary, description), second],
        generated,
    );

    // Every physical line ends in CRLF and is at most 75 octets.
    assert!(text.ends_with("\r\n"));
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        assert!(!line.contains('\n') && !line.contains('\r'));
    }
    assert!(text.contains("\r\n "), "the long Russian summary is folded");

    let calendar = parse(&text);
    assert_eq!(prop(&calendar.properties, "PRODID"), Some("-//Keel//Content plan//EN"));
    assert_eq!(calendar.events.len(), 2);
    let first = &calendar.events[0].properties;
    assert_eq!(prop(first, "UID"), Some("post-42@keel.agency.test"));
    assert_eq!(prop(first, "DTSTAMP"), Some("20261123T060000Z"));
    assert_eq!(prop(first, "DTSTART"), Some("20260314T093000Z"));
    assert_eq!(prop(first, "DURATION"), Some("PT30M"));
    assert_eq!(prop(first, "STATUS"), Some("TENTATIVE"));
    assert_eq!(prop(first, "LAST-MODIFIED"), Some("20260310T120000Z"));
    assert_eq!(
        prop(first, "URL"),
        Some("https://keel.agency.test/projects/client-a/posts/42")
    );
    assert_eq!(unescape(prop(first, "SUMMARY").unwrap()), summary);
    assert_eq!(
        unescape(prop(first, "DESCRIPTION").unwrap()),
        "Строка 1, с запятой\nLine 2; with semicolon\nLine 3 \\ backslash"
    );
    let second = &calendar.events[1].properties;
    assert_eq!(prop(second, "DTEND"), Some("20260315T110000Z"));
    assert_eq!(prop(second, "STATUS"), Some("CONFIRMED"));
    assert_eq!(prop(second, "DESCRIPTION"), None);
    assert_eq!(prop(second, "URL"), None);
}

#[test]
fn escaping_and_folding_match_hand_written_text() {
    let generated = Utc.with_ymd_and_hms(2026, 11, 23, 6, 0, 0).unwrap();
    let mut e = entry("post-1@k", "a,b;c\\d", "x\ny");
    e.url = None;
    let text = render_calendar("K", &[e], generated);
    assert!(text.contains("\r\nSUMMARY:a\\,b\\;c\\\\d\r\n"), "{text}");
    assert!(text.contains("\r\nDESCRIPTION:x\\ny\r\n"), "{text}");

    // 8 octets of "SUMMARY:" + 40 two-octet letters: 33 letters (74 octets) on the first line,
    // the other 7 after a single space.
    let e = entry("post-2@k", &"ж".repeat(40), "");
    let text = render_calendar("K", &[e], generated);
    let expected = format!("\r\nSUMMARY:{}\r\n {}\r\n", "ж".repeat(33), "ж".repeat(7));
    assert!(text.contains(&expected), "{text}");
    // A three-octet character at the boundary moves whole to the next line.
    let e = entry("post-3@k", &format!("{}€€", "a".repeat(64)), "");
    let text = render_calendar("K", &[e], generated);
    let expected = format!("\r\nSUMMARY:{}€\r\n €\r\n", "a".repeat(64));
    assert!(text.contains(&expected), "{text}");
}
