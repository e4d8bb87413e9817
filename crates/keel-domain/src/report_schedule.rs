//! When a scheduled report goes out and which period it covers, in the project's time zone.
//!
//! A schedule is monthly (day N of the month, 1..28, so every month has it) or weekly (an ISO
//! weekday, 1 = Monday), at a local time. A monthly delivery covers the calendar month before
//! its local date; a weekly one the seven local days before it. Instants are UTC; the zone
//! decides which local day an instant falls on and which UTC instant a local time is (on a
//! daylight-saving gap, the first valid instant after it; on a repeated hour, the earlier).

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// How often.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cadence {
    /// On this day of the month (1..=28).
    Monthly(u32),
    /// On this ISO weekday (1 = Monday ..= 7 = Sunday).
    Weekly(u32),
}

impl Cadence {
    /// From the stored `cadence` and `day_of`; `None` when out of range.
    pub fn parse(cadence: &str, day_of: i64) -> Option<Cadence> {
        match cadence {
            "monthly" if (1..=28).contains(&day_of) => Some(Cadence::Monthly(day_of as u32)),
            "weekly" if (1..=7).contains(&day_of) => Some(Cadence::Weekly(day_of as u32)),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Cadence::Monthly(_) => "monthly",
            Cadence::Weekly(_) => "weekly",
        }
    }

    pub fn day_of(self) -> u32 {
        match self {
            Cadence::Monthly(d) | Cadence::Weekly(d) => d,
        }
    }
}

/// An IANA zone name (`Europe/Moscow`), or `None`.
pub fn parse_zone(name: &str) -> Option<Tz> {
    name.trim().parse().ok()
}

/// The local day of `at` in `tz`.
pub fn local_day(at: DateTime<Utc>, tz: Tz) -> NaiveDate {
    at.with_timezone(&tz).date_naive()
}

/// The UTC instant of the local `day` at `time` in `tz`.
pub fn instant(day: NaiveDate, time: NaiveTime, tz: Tz) -> DateTime<Utc> {
    let local = day.and_time(time);
    match tz.from_local_datetime(&local) {
        chrono::LocalResult::Single(t) => t.with_timezone(&Utc),
        chrono::LocalResult::Ambiguous(a, _) => a.with_timezone(&Utc),
        // A skipped hour: an hour later exists.
        chrono::LocalResult::None => instant(day, time + chrono::Duration::hours(1), tz),
    }
}

/// The first delivery strictly after `after`.
pub fn next_run(cadence: Cadence, time: NaiveTime, tz: Tz, after: DateTime<Utc>) -> DateTime<Utc> {
    let today = local_day(after, tz);
    // Look from the local day before (an instant later that day may still be ahead) forwards.
    let mut day = today.pred_opt().unwrap_or(today);
    loop {
        let due = match cadence {
            Cadence::Monthly(d) => day.day() == d,
            Cadence::Weekly(w) => day.weekday().number_from_monday() == w,
        };
        if due {
            let at = instant(day, time, tz);
            if at > after {
                return at;
            }
        }
        day = day.succ_opt().expect("dates within chrono's range");
    }
}

/// The period (inclusive local days) a delivery at `at` covers.
pub fn period_of(cadence: Cadence, tz: Tz, at: DateTime<Utc>) -> (NaiveDate, NaiveDate) {
    let day = local_day(at, tz);
    match cadence {
        Cadence::Monthly(_) => {
            let first_this = day.with_day(1).expect("day 1 exists");
            let first_before = first_this - Months::new(1);
            (first_before, first_this.pred_opt().expect("a day before"))
        }
        Cadence::Weekly(_) => (day - Days::new(7), day - Days::new(1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }
    fn nine() -> NaiveTime {
        NaiveTime::from_hms_opt(9, 0, 0).unwrap()
    }

    #[test]
    fn a_monthly_delivery_is_at_nine_in_moscow_and_covers_the_month_before() {
        let msk = parse_zone("Europe/Moscow").unwrap();
        let next = next_run(Cadence::Monthly(1), nine(), msk, utc("2026-10-15T12:00:00Z"));
        assert_eq!(next, utc("2026-11-01T06:00:00Z"), "09:00 MSK is 06:00 UTC");
        let (from, to) = period_of(Cadence::Monthly(1), msk, next);
        assert_eq!(
            (from.to_string(), to.to_string()),
            ("2026-10-01".into(), "2026-10-31".into())
        );
        // Right after one delivery comes the next month's.
        assert_eq!(
            next_run(Cadence::Monthly(1), nine(), msk, next),
            utc("2026-12-01T06:00:00Z")
        );
    }

    #[test]
    fn the_local_day_decides_at_the_day_boundary_in_moscow_and_new_york() {
        let msk = parse_zone("Europe/Moscow").unwrap();
        let nyc = parse_zone("America/New_York").unwrap();
        // 22:30 UTC on 31 October: already 1 November in Moscow (UTC+3), still 31 October
        // (18:30, EDT) in New York.
        let at = utc("2026-10-31T22:30:00Z");
        assert_eq!(local_day(at, msk).to_string(), "2026-11-01");
        assert_eq!(local_day(at, nyc).to_string(), "2026-10-31");
        // So a delivery at that instant covers October in Moscow and September in New York.
        assert_eq!(period_of(Cadence::Monthly(1), msk, at).1.to_string(), "2026-10-31");
        assert_eq!(period_of(Cadence::Monthly(1), nyc, at).1.to_string(), "2026-09-30");
        // Midnight local, on either side of New York's fall-back (1 November 2026, 02:00 EDT → EST).
        let midnight = NaiveTime::MIN;
        assert_eq!(
            next_run(Cadence::Monthly(1), midnight, nyc, utc("2026-10-15T00:00:00Z")),
            utc("2026-11-01T04:00:00Z"),
            "00:00 EDT"
        );
        assert_eq!(
            next_run(Cadence::Monthly(2), midnight, nyc, utc("2026-10-15T00:00:00Z")),
            utc("2026-11-02T05:00:00Z"),
            "00:00 EST"
        );
    }

    #[test]
    fn a_weekly_delivery_is_on_its_weekday_and_covers_the_seven_days_before() {
        let msk = parse_zone("Europe/Moscow").unwrap();
        // 2026-12-04 is a Friday; the next Monday is the 7th.
        let next = next_run(Cadence::Weekly(1), nine(), msk, utc("2026-12-04T10:00:00Z"));
        assert_eq!(next, utc("2026-12-07T06:00:00Z"));
        let (from, to) = period_of(Cadence::Weekly(1), msk, next);
        assert_eq!(
            (from.to_string(), to.to_string()),
            ("2026-11-30".into(), "2026-12-06".into())
        );
    }

    #[test]
    fn bad_schedules_and_zones_are_refused() {
        assert_eq!(Cadence::parse("monthly", 29), None);
        assert_eq!(Cadence::parse("weekly", 0), None);
        assert_eq!(Cadence::parse("daily", 1), None);
        assert!(parse_zone("Mars/Olympus").is_none());
    }
}
