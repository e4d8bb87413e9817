//! Follower growth: `(F_end − F_start) / F_start × 100` over a period, and the net daily
//! gain `g_d = F_d − F_{d−1}`.

use chrono::NaiveDate;

use super::count_pct;

/// Follower growth over a period in percent: `(end − start) / start × 100`.
///
/// `None` when `start` is 0 (growth from nothing has no percentage) or negative (not a
/// follower count; treated as bad data rather than producing a sign-flipped rate).
pub fn follower_growth_pct(start: i64, end: i64) -> Option<f64> {
    count_pct(end - start, Some(start))
}

/// Net gains of a date-sorted follower series: for each entry after the first,
/// `(date, F_date − F_previous)`.
///
/// The gain is always taken between *consecutive recorded* entries: when days are missing
/// (the account was not measured), the gain of the next recorded day covers the whole gap.
/// That keeps `Σ gains = F_last − F_first`, so no follower is lost or double-counted, at
/// the price that a gap's gain is not a one-day gain. The first entry has no gain; a
/// series with fewer than two entries yields no gains. The caller passes the series
/// sorted by date with one entry per date; the order is not re-checked here.
pub fn net_gains(series: &[(NaiveDate, i64)]) -> Vec<(NaiveDate, i64)> {
    series.windows(2).map(|w| (w[1].0, w[1].1 - w[0].1)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::close;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 3, d).expect("valid test date")
    }

    #[test]
    fn growth_pct_values() {
        // (1100 − 1000) / 1000 × 100 = 10.0
        assert!(close(follower_growth_pct(1000, 1100), 10.0));
        // (950 − 1000) / 1000 × 100 = −5.0
        assert!(close(follower_growth_pct(1000, 950), -5.0));
        // No change: 0 / 1000 × 100 = 0.0 (a real zero, not undefined).
        assert_eq!(follower_growth_pct(1000, 1000), Some(0.0));
    }

    #[test]
    fn growth_from_zero_is_undefined() {
        assert_eq!(follower_growth_pct(0, 500), None);
        assert_eq!(follower_growth_pct(0, 0), None);
        assert_eq!(follower_growth_pct(-5, 10), None);
    }

    #[test]
    fn gains_between_consecutive_days() {
        let s = [(day(1), 1000), (day(2), 1010), (day(3), 1005), (day(4), 1030)];
        // 1010 − 1000 = 10; 1005 − 1010 = −5; 1030 − 1005 = 25
        assert_eq!(net_gains(&s), vec![(day(2), 10), (day(3), -5), (day(4), 25)]);
    }

    #[test]
    fn a_gap_is_bridged_by_the_next_recorded_day() {
        // Days 3 and 4 are missing: day 5's gain is 1040 − 1010 = 30 over three days.
        let s = [(day(1), 1000), (day(2), 1010), (day(5), 1040)];
        assert_eq!(net_gains(&s), vec![(day(2), 10), (day(5), 30)]);
    }

    #[test]
    fn short_series_have_no_gains() {
        assert!(net_gains(&[]).is_empty());
        assert!(net_gains(&[(day(1), 1000)]).is_empty());
    }
}
