//! A project's days: which local day an instant falls on in the project's time zone, and at
//! which instant a local day begins. Storage keeps instants in UTC; figures by day (a post's
//! publication day, a lead's creation day, a report's `from ..= to`) follow the zone.
//!
//! Where a day has no local midnight (a daylight-saving jump at 00:00, as in some zones'
//! history) it begins at its first local instant; where midnight happens twice, at the
//! earlier. Both follow from [`crate::report_schedule::instant`].

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

/// A project's time zone (an IANA zone; `UTC` by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalZone(Tz);

impl Default for LocalZone {
    fn default() -> Self {
        LocalZone::UTC
    }
}

/// One stretch of time with a constant UTC offset: instants from `from` on (until the next
/// stretch's `from`) are `offset_seconds` ahead of UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OffsetSpan {
    pub from: DateTime<Utc>,
    pub offset_seconds: i32,
}

impl LocalZone {
    pub const UTC: LocalZone = LocalZone(chrono_tz::UTC);

    /// The zone of an IANA name (`Europe/Moscow`); `None` for a name the database lacks.
    pub fn parse(name: &str) -> Option<LocalZone> {
        name.trim().parse().ok().map(LocalZone)
    }

    /// The zone of a stored name, UTC when the name is unknown (stored names were checked
    /// when they were set; a tz database without one must not stop a report).
    pub fn or_utc(name: &str) -> LocalZone {
        LocalZone::parse(name).unwrap_or(LocalZone::UTC)
    }

    pub fn name(self) -> &'static str {
        self.0.name()
    }

    pub fn tz(self) -> Tz {
        self.0
    }

    /// `true` for UTC itself (the stores' fast paths take days straight from the text).
    pub fn is_utc(self) -> bool {
        matches!(
            self.0.name(),
            "UTC"
                | "Etc/UTC"
                | "UCT"
                | "Etc/UCT"
                | "GMT"
                | "Etc/GMT"
                | "Universal"
                | "Etc/Universal"
                | "Zulu"
                | "Etc/Zulu"
        )
    }

    /// The local day of `at`.
    pub fn day_of(self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.0).date_naive()
    }

    /// The first instant of the local `day`.
    pub fn start_of(self, day: NaiveDate) -> DateTime<Utc> {
        crate::report_schedule::instant(day, NaiveTime::MIN, self.0)
    }

    /// The first instant after the local `day` (the start of the next day).
    pub fn end_of(self, day: NaiveDate) -> DateTime<Utc> {
        day.checked_add_days(Days::new(1))
            .map_or(DateTime::<Utc>::MAX_UTC, |next| self.start_of(next))
    }

    /// Today, in the zone.
    pub fn today(self) -> NaiveDate {
        self.day_of(Utc::now())
    }

    /// The UTC offset at `at`, in seconds.
    pub fn offset_at(self, at: DateTime<Utc>) -> i32 {
        self.0.offset_from_utc_datetime(&at.naive_utc()).fix().local_minus_utc()
    }

    /// The stretches of constant offset covering `from .. to`, the first starting at `from`.
    /// Found by stepping a day at a time and narrowing each change down to the second (zones
    /// change offset at most a few times a year, never twice within a day).
    pub fn offset_spans(self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<OffsetSpan> {
        let mut spans = vec![OffsetSpan {
            from,
            offset_seconds: self.offset_at(from),
        }];
        if self.is_utc() {
            return spans;
        }
        let day = chrono::Duration::days(1);
        let mut at = from;
        while at < to {
            let next = (at + day).min(to);
            let current = spans.last().map_or(0, |s| s.offset_seconds);
            if self.offset_at(next) != current {
                // The change lies in (at, next]: narrow to the first second with the new offset.
                let (mut lo, mut hi) = (at, next);
                while (hi - lo).num_seconds() > 1 {
                    let mid = lo + (hi - lo) / 2;
                    if self.offset_at(mid) == current {
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                }
                spans.push(OffsetSpan {
                    from: hi,
                    offset_seconds: self.offset_at(hi),
                });
            }
            at = next;
        }
        spans
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn moscow_days_begin_at_21_utc() {
        let z = LocalZone::parse("Europe/Moscow").unwrap();
        assert_eq!(z.start_of(day("2026-11-01")), at("2026-10-31T21:00:00Z"));
        assert_eq!(z.day_of(at("2026-10-31T20:59:59Z")), day("2026-10-31"));
        assert_eq!(z.day_of(at("2026-10-31T21:00:00Z")), day("2026-11-01"));
        assert_eq!(z.end_of(day("2026-10-31")), at("2026-10-31T21:00:00Z"));
    }

    #[test]
    fn new_york_days_follow_daylight_saving() {
        // 2026-11-01: EDT (−4) ends at 06:00 UTC; that day is 25 hours long.
        let z = LocalZone::parse("America/New_York").unwrap();
        assert_eq!(z.start_of(day("2026-11-01")), at("2026-11-01T04:00:00Z"));
        assert_eq!(z.start_of(day("2026-11-02")), at("2026-11-02T05:00:00Z"));
        assert_eq!(z.day_of(at("2026-11-02T04:30:00Z")), day("2026-11-01"));
        let spans = z.offset_spans(at("2026-10-01T00:00:00Z"), at("2026-12-01T00:00:00Z"));
        assert_eq!(
            spans,
            vec![
                OffsetSpan {
                    from: at("2026-10-01T00:00:00Z"),
                    offset_seconds: -4 * 3600
                },
                OffsetSpan {
                    from: at("2026-11-01T06:00:00Z"),
                    offset_seconds: -5 * 3600
                },
            ]
        );
    }

    #[test]
    fn utc_is_one_span_and_unknown_names_fall_back() {
        let z = LocalZone::or_utc("Mars/Olympus");
        assert!(z.is_utc());
        assert_eq!(
            z.offset_spans(at("2020-01-01T00:00:00Z"), at("2030-01-01T00:00:00Z"))
                .len(),
            1
        );
        assert_eq!(z.start_of(day("2026-11-01")), at("2026-11-01T00:00:00Z"));
    }
}
