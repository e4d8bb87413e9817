//! The calendar's grid: the days a month or week view shows, Monday first.

use chrono::{Datelike, Days, Months, NaiveDate};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Month,
    Week,
    List,
}

impl View {
    pub fn parse(text: Option<&str>) -> View {
        match text {
            Some("week") => View::Week,
            Some("list") => View::List,
            _ => View::Month,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            View::Month => "month",
            View::Week => "week",
            View::List => "list",
        }
    }
}

fn monday_of(day: NaiveDate) -> NaiveDate {
    day - Days::new(u64::from(day.weekday().num_days_from_monday()))
}

/// The days shown for `anchor`: whole weeks covering its month, or its week.
pub fn days(view: View, anchor: NaiveDate) -> Vec<NaiveDate> {
    let (first, last) = match view {
        View::Week => {
            let monday = monday_of(anchor);
            (monday, monday + Days::new(6))
        }
        View::Month | View::List => {
            let first = anchor.with_day(1).expect("day 1 exists");
            let next = first + Months::new(1);
            let last = next - Days::new(1);
            (monday_of(first), monday_of(last) + Days::new(6))
        }
    };
    first.iter_days().take_while(|d| *d <= last).collect()
}

/// The anchors of the previous and next page.
pub fn neighbours(view: View, anchor: NaiveDate) -> (NaiveDate, NaiveDate) {
    match view {
        View::Week => (anchor - Days::new(7), anchor + Days::new(7)),
        View::Month | View::List => {
            let first = anchor.with_day(1).expect("day 1 exists");
            (first - Months::new(1), first + Months::new(1))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_month_is_whole_weeks_monday_first() {
        // November 2026 starts on a Sunday and ends on a Monday: 26 Oct … 6 Dec, six weeks.
        let grid = days(View::Month, d(2026, 11, 23));
        assert_eq!(grid.first(), Some(&d(2026, 10, 26)));
        assert_eq!(grid.last(), Some(&d(2026, 12, 6)));
        assert_eq!(grid.len(), 42);
        // February 2027 starts on a Monday and ends on a Sunday: exactly four weeks.
        let feb = days(View::Month, d(2027, 2, 10));
        assert_eq!((feb[0], feb.len()), (d(2027, 2, 1), 28));
    }

    #[test]
    fn a_week_runs_monday_to_sunday() {
        let week = days(View::Week, d(2026, 11, 29)); // a Sunday
        assert_eq!(week.first(), Some(&d(2026, 11, 23)));
        assert_eq!(week.last(), Some(&d(2026, 11, 29)));
    }

    #[test]
    fn paging_moves_by_the_view() {
        assert_eq!(neighbours(View::Month, d(2026, 1, 31)), (d(2025, 12, 1), d(2026, 2, 1)));
        assert_eq!(neighbours(View::Week, d(2026, 1, 1)), (d(2025, 12, 25), d(2026, 1, 8)));
    }
}
