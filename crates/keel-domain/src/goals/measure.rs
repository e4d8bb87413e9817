//! A metric's value on a day, from its daily points (see [`Aggregation`]).

use super::catalog::{Aggregation, WINDOW_DAYS};
use chrono::{Days, NaiveDate};

/// One day's inputs of a metric: the figure itself (`num`) and, for rates, the denominator.
/// Levels and flows leave `den` at 0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MetricDay {
    pub date: NaiveDate,
    pub num: f64,
    pub den: f64,
}

impl MetricDay {
    pub fn new(date: NaiveDate, num: f64, den: f64) -> Self {
        MetricDay { date, num, den }
    }
}

/// A metric's daily points, sorted by date, and how they add up.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricSeries {
    pub aggregation: Aggregation,
    days: Vec<MetricDay>,
}

impl MetricSeries {
    /// Sorts the points; a date given twice keeps its last point.
    pub fn new(aggregation: Aggregation, mut days: Vec<MetricDay>) -> Self {
        days.sort_by_key(|d| d.date);
        days.dedup_by(|later, earlier| {
            let same = later.date == earlier.date;
            if same {
                *earlier = *later;
            }
            same
        });
        MetricSeries { aggregation, days }
    }

    pub fn days(&self) -> &[MetricDay] {
        &self.days
    }

    pub fn first_day(&self) -> Option<NaiveDate> {
        self.days.first().map(|d| d.date)
    }

    pub fn last_day(&self) -> Option<NaiveDate> {
        self.days.last().map(|d| d.date)
    }

    /// The value on `day`: `None` without data, and — for flows and rates — when the 30-day
    /// window reaches back before the first day of data (a partial month would read as
    /// growth that never happened).
    pub fn value_on(&self, day: NaiveDate) -> Option<f64> {
        let first = self.first_day()?;
        if self.aggregation == Aggregation::Level {
            let at = self.days.partition_point(|d| d.date <= day);
            return at.checked_sub(1).map(|i| self.days[i].num);
        }
        let window_start = day.checked_sub_days(Days::new(WINDOW_DAYS as u64 - 1))?;
        if window_start < first {
            return None;
        }
        let lo = self.days.partition_point(|d| d.date < window_start);
        let hi = self.days.partition_point(|d| d.date <= day);
        let window = &self.days[lo..hi];
        if window.is_empty() {
            return None;
        }
        match self.aggregation {
            Aggregation::Level => unreachable!("handled above"),
            Aggregation::Sum => Some(window.iter().map(|d| d.num).sum()),
            Aggregation::Ratio { scale } => {
                let (num, den) = window.iter().fold((0.0, 0.0), |(n, d), p| (n + p.num, d + p.den));
                crate::metrics::ratio(num, den).map(|r| r * f64::from(scale))
            }
            Aggregation::MeanOfDays { scale } => {
                let daily: Vec<f64> = window
                    .iter()
                    .filter_map(|p| crate::metrics::ratio(p.num, p.den))
                    .collect();
                (!daily.is_empty()).then(|| daily.iter().sum::<f64>() / daily.len() as f64 * f64::from(scale))
            }
        }
    }

    /// The value on the last day with data on or before `day` (with that day): a goal that
    /// starts after the latest import takes its baseline from the latest figures, not from
    /// days that hold nothing yet.
    pub fn latest_on_or_before(&self, day: NaiveDate) -> Option<(NaiveDate, f64)> {
        let at = self.days.partition_point(|d| d.date <= day);
        self.days[..at]
            .iter()
            .rev()
            .find_map(|d| self.value_on(d.date).map(|v| (d.date, v)))
    }

    /// The value on every day of `from ..= to` where it is defined.
    pub fn values(&self, from: NaiveDate, to: NaiveDate) -> Vec<(NaiveDate, f64)> {
        from.iter_days()
            .take_while(|d| *d <= to)
            .filter_map(|d| self.value_on(d).map(|v| (d, v)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::goals::catalog::Aggregation::*;

    fn day(n: u64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Days::new(n)
    }

    #[test]
    fn a_level_is_the_latest_figure() {
        let s = MetricSeries::new(
            Level,
            vec![MetricDay::new(day(0), 100.0, 0.0), MetricDay::new(day(2), 130.0, 0.0)],
        );
        assert_eq!(s.value_on(day(1)), Some(100.0));
        assert_eq!(s.value_on(day(5)), Some(130.0));
        assert_eq!(s.value_on(day(0).pred_opt().unwrap()), None);
    }

    #[test]
    fn a_flow_sums_thirty_full_days() {
        let points = (0..40).map(|i| MetricDay::new(day(i), (i + 1) as f64, 0.0)).collect();
        let s = MetricSeries::new(Sum, points);
        assert_eq!(s.value_on(day(28)), None, "only 29 days of data");
        // days 0..=29 hold 1..=30: 465.
        assert_eq!(s.value_on(day(29)), Some(465.0));
        // days 10..=39 hold 11..=40: 765.
        assert_eq!(s.value_on(day(39)), Some(765.0));
    }

    #[test]
    fn a_rate_divides_the_sums_and_a_mean_averages_the_days() {
        let points = vec![
            MetricDay::new(day(0), 10.0, 100.0),
            MetricDay::new(day(29), 30.0, 100.0),
        ];
        let ratio = MetricSeries::new(Ratio { scale: 100 }, points.clone());
        assert_eq!(ratio.value_on(day(29)), Some(20.0));
        let mean = MetricSeries::new(MeanOfDays { scale: 100 }, points);
        assert_eq!(mean.value_on(day(29)), Some(20.0));
        let uneven = MetricSeries::new(
            MeanOfDays { scale: 100 },
            vec![MetricDay::new(day(0), 1.0, 100.0), MetricDay::new(day(29), 30.0, 300.0)],
        );
        // (1 % + 10 %) / 2, while the pooled ratio would be 31 / 400 = 7.75 %.
        assert_eq!(uneven.value_on(day(29)), Some(5.5));
        let no_denominator = MetricSeries::new(
            Ratio { scale: 1 },
            vec![MetricDay::new(day(29), 50.0, 0.0), MetricDay::new(day(0), 0.0, 0.0)],
        );
        assert_eq!(no_denominator.value_on(day(29)), None, "undefined, never infinity");
    }

    #[test]
    fn the_latest_value_skips_days_without_data() {
        let s = MetricSeries::new(
            Level,
            vec![MetricDay::new(day(0), 5.0, 0.0), MetricDay::new(day(3), 8.0, 0.0)],
        );
        assert_eq!(s.latest_on_or_before(day(10)), Some((day(3), 8.0)));
        assert_eq!(s.latest_on_or_before(day(2)), Some((day(0), 5.0)));
    }
}
