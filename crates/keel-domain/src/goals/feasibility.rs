//! A goal's numbers: target value, progress, the feasibility check of core rule 1, and a
//! forecast by linear trend.
//!
//! **Rates are in the metric's units per day, in the direction of improvement** (up for most
//! metrics, down for costs). The goal needs `required_rate = (target − baseline) / L`, where
//! `L` is the goal's length in days (start to deadline). The account's best rate is the
//! largest improvement of the metric's value over *any window of the same `L` days* in its
//! history before the goal's start, divided by `L`: `max_d (V_d − V_{d−L}) / L`. A target
//! needing more than 3× that rate is `unrealistic` (the flag warns, it does not block).
//! With less than `L` days of history there is nothing to compare with: the verdict stays
//! `realistic` and `best_historical_rate` is `null`.

use super::catalog::MetricInfo;
use super::measure::MetricSeries;
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// How much faster than its best history a target may need before it is flagged.
pub const UNREALISTIC_FACTOR: f64 = 3.0;

/// A goal's target as entered: a value to reach, or a change in percent of the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    Absolute(f64),
    RelativePct(f64),
}

/// `{"absolute": n}` or `{"relative_pct": n}`: exactly one key, as serde reads it.
impl utoipa::PartialSchema for Target {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{AdditionalProperties, ObjectBuilder, OneOfBuilder, Type};
        let one = |key: &str, description: &str| {
            ObjectBuilder::new()
                .property(
                    key,
                    ObjectBuilder::new()
                        .schema_type(Type::Number)
                        .description(Some(description)),
                )
                .required(key)
                .additional_properties(Some(AdditionalProperties::FreeForm(false)))
        };
        OneOfBuilder::new()
            .item(one("absolute", "the value to reach"))
            .item(one("relative_pct", "the change to reach, in percent of the baseline"))
            .into()
    }
}

impl utoipa::ToSchema for Target {}

impl Target {
    /// The value to reach from `baseline` (`None` for a relative target without a baseline).
    pub fn value(self, baseline: Option<f64>) -> Option<f64> {
        match self {
            Target::Absolute(v) => Some(v),
            Target::RelativePct(p) => baseline.map(|b| b * (1.0 + p / 100.0)),
        }
    }

    /// Refuses numbers no goal can mean.
    pub fn validate(self) -> Result<Self, String> {
        match self {
            Target::Absolute(v) if !v.is_finite() || v < 0.0 => {
                Err(format!("target.absolute must be a number ≥ 0, got {v}"))
            }
            Target::RelativePct(p) if !p.is_finite() || p <= -100.0 => {
                Err(format!("target.relative_pct must be a number above -100, got {p}"))
            }
            t => Ok(t),
        }
    }

    /// [`Target::validate`], and refuses targets no plan for `metric` can mean: a percentage
    /// above 100, a change of more than [`MAX_CHANGE_PCT`] in one goal, or a change in the
    /// direction that makes the metric worse (down for followers, up for a cost).
    pub fn validate_for(self, metric: &MetricInfo) -> Result<Self, String> {
        let t = self.validate()?;
        match t {
            Target::Absolute(v) if metric.unit == "percent" && v > 100.0 => Err(format!(
                "{} is a percentage: a target of {v} % cannot be reached (at most 100)",
                metric.name
            )),
            Target::RelativePct(p) if p > MAX_CHANGE_PCT => Err(format!(
                "a change of {p} % is more than {MAX_CHANGE_PCT} % in one goal; set an absolute target or a nearer step"
            )),
            Target::RelativePct(p) if direction(metric.higher_is_better) * p <= 0.0 => {
                Err(if metric.higher_is_better {
                    format!("{} should grow: enter a change above 0 %, such as 10", metric.name)
                } else {
                    format!(
                        "{} is a cost and should fall: enter a change below 0 %, such as -10",
                        metric.name
                    )
                })
            }
            t => Ok(t),
        }
    }
}

/// The largest change in percent one goal may ask for (+1,000 % is eleven times the baseline).
pub const MAX_CHANGE_PCT: f64 = 1000.0;

/// Whether reaching `target` from `baseline` would improve the metric (up, or down for costs).
pub fn improves(higher_is_better: bool, baseline: f64, target: f64) -> bool {
    direction(higher_is_better) * (target - baseline) > 0.0
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = FeasibilityVerdict)]
pub enum Verdict {
    Realistic,
    Unrealistic,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Realistic => "realistic",
            Verdict::Unrealistic => "unrealistic",
        }
    }
}

/// The feasibility check with its numbers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Feasibility {
    /// Improvement per day the target needs.
    pub required_rate: f64,
    /// The best improvement per day over any window of the goal's length in the history
    /// before its start; `None` with too little history.
    pub best_historical_rate: Option<f64>,
    /// Days in that window (the goal's length).
    pub window_days: i64,
    pub verdict: Verdict,
}

/// `+1` when higher is better, `−1` for costs: multiplying a change by it gives improvement.
fn direction(higher_is_better: bool) -> f64 {
    if higher_is_better { 1.0 } else { -1.0 }
}

/// The goal's length in days (at least 1).
pub fn length_days(start: NaiveDate, deadline: NaiveDate) -> i64 {
    (deadline - start).num_days().max(1)
}

/// The best improvement per day over any `window_days`-day window ending on or before `until`.
/// Windows holding a day of `excluded` (suspected purchases of followers: bought followers are
/// not growth the account achieved) are left out.
pub fn best_historical_rate(
    series: &MetricSeries,
    higher_is_better: bool,
    window_days: i64,
    until: NaiveDate,
    excluded: &[NaiveDate],
) -> Option<f64> {
    let first = series.first_day()?;
    let values: std::collections::BTreeMap<NaiveDate, f64> = series.values(first, until).into_iter().collect();
    let sign = direction(higher_is_better);
    values
        .iter()
        .filter_map(|(day, v)| {
            let earlier = day.checked_sub_days(Days::new(window_days as u64))?;
            let before = values.get(&earlier)?;
            if excluded.iter().any(|x| *x > earlier && x <= day) {
                return None;
            }
            Some(sign * (v - before) / window_days as f64)
        })
        .max_by(f64::total_cmp)
}

/// Core rule 1's check for a goal from `baseline` to `target` over `window_days`.
pub fn feasibility(
    baseline: f64,
    target: f64,
    higher_is_better: bool,
    window_days: i64,
    best: Option<f64>,
) -> Feasibility {
    let required_rate = direction(higher_is_better) * (target - baseline) / window_days as f64;
    let unrealistic = required_rate > 0.0 && best.is_some_and(|b| required_rate > UNREALISTIC_FACTOR * b);
    Feasibility {
        required_rate,
        best_historical_rate: best,
        window_days,
        verdict: if unrealistic {
            Verdict::Unrealistic
        } else {
            Verdict::Realistic
        },
    }
}

/// How far from baseline to target the current value has come, in percent (negative when it
/// moved away; above 100 when it overshot). Undefined when the target equals the baseline.
pub fn progress_pct(baseline: f64, target: f64, current: f64) -> Option<f64> {
    crate::metrics::pct(current - baseline, target - baseline)
}

/// A straight line through a metric's values, and where it reaches at the deadline.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Forecast {
    /// Change per day of the trend line.
    pub slope_per_day: f64,
    /// The trend's value on the deadline.
    pub value_at_deadline: f64,
    /// Whether that value meets the target.
    pub on_track: bool,
    /// First and last day of the values the line was fitted to.
    pub fitted_from: NaiveDate,
    pub fitted_to: NaiveDate,
}

/// Least-squares line through `points`, extended to `deadline`; `None` with fewer than two
/// points (a single day shows no trend).
pub fn forecast(
    points: &[(NaiveDate, f64)],
    deadline: NaiveDate,
    target: f64,
    higher_is_better: bool,
) -> Option<Forecast> {
    let (first, last) = (points.first()?.0, points.last()?.0);
    if points.len() < 2 || first == last {
        return None;
    }
    let n = points.len() as f64;
    let xs: Vec<f64> = points.iter().map(|(d, _)| (*d - first).num_days() as f64).collect();
    let mean_x = xs.iter().sum::<f64>() / n;
    let mean_y = points.iter().map(|(_, v)| v).sum::<f64>() / n;
    let sxy: f64 = xs
        .iter()
        .zip(points)
        .map(|(x, (_, y))| (x - mean_x) * (y - mean_y))
        .sum();
    let sxx: f64 = xs.iter().map(|x| (x - mean_x).powi(2)).sum();
    let slope = sxy / sxx;
    let at = (deadline - first).num_days() as f64;
    let value = mean_y + slope * (at - mean_x);
    Some(Forecast {
        slope_per_day: slope,
        value_at_deadline: value,
        on_track: direction(higher_is_better) * (value - target) >= 0.0,
        fitted_from: first,
        fitted_to: last,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::goals::catalog::Aggregation;
    use crate::goals::measure::MetricDay;

    fn day(n: u64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Days::new(n)
    }

    /// Followers 1,000 growing 10 a day for 60 days, except days 20–29 growing 40 a day.
    fn followers() -> MetricSeries {
        let mut f = 1000.0;
        let mut points = vec![];
        for i in 0..60u64 {
            points.push(MetricDay::new(day(i), f, 0.0));
            f += if (20..30).contains(&i) { 40.0 } else { 10.0 };
        }
        MetricSeries::new(Aggregation::Level, points)
    }

    #[test]
    fn targets_no_plan_can_mean_are_refused_with_the_reason() {
        use crate::goals::Metric;
        let ok = |m: Metric, t: Target| t.validate_for(&m.info());
        assert!(ok(Metric::ErFollowers, Target::Absolute(4.5)).is_ok());
        let err = ok(Metric::ErFollowers, Target::Absolute(250.0)).unwrap_err();
        assert!(err.contains("percentage") && err.contains("250"), "{err}");
        assert!(ok(Metric::LeadToDeal, Target::Absolute(100.0)).is_ok());
        assert!(
            ok(Metric::Followers, Target::Absolute(250.0)).is_ok(),
            "a count has no ceiling"
        );
        let err = ok(Metric::Followers, Target::RelativePct(1_000_000_000.0)).unwrap_err();
        assert!(err.contains("1000 %"), "{err}");
        assert!(ok(Metric::Followers, Target::RelativePct(1000.0)).is_ok());
        let err = ok(Metric::Followers, Target::RelativePct(-10.0)).unwrap_err();
        assert!(err.contains("grow"), "{err}");
        assert!(
            ok(Metric::Followers, Target::RelativePct(0.0)).is_err(),
            "no change is no goal"
        );
        let err = ok(Metric::Cpl, Target::RelativePct(10.0)).unwrap_err();
        assert!(err.contains("cost"), "{err}");
        assert!(ok(Metric::Cpl, Target::RelativePct(-10.0)).is_ok());
        assert!(improves(true, 100.0, 110.0) && !improves(true, 100.0, 90.0) && !improves(true, 100.0, 100.0));
        assert!(improves(false, 500.0, 400.0) && !improves(false, 500.0, 600.0));
    }

    #[test]
    fn targets_resolve_against_the_baseline() {
        assert_eq!(Target::RelativePct(900.0).value(Some(1000.0)), Some(10_000.0));
        assert_eq!(Target::RelativePct(1.0).value(Some(1000.0)), Some(1010.0));
        assert_eq!(Target::Absolute(5.0).value(None), Some(5.0));
        assert_eq!(Target::RelativePct(5.0).value(None), None);
        assert!(Target::RelativePct(-100.0).validate().is_err());
        assert!(Target::Absolute(f64::NAN).validate().is_err());
    }

    #[test]
    fn the_best_rate_is_the_best_window_of_the_goals_length() {
        // Any 10-day window inside days 20–30 gains 400: 40 a day. Windows of 30 days hold
        // at most the 10 fast days: (10×40 + 20×10) / 30 = 20 a day.
        let s = followers();
        assert_eq!(best_historical_rate(&s, true, 10, day(59), &[]), Some(40.0));
        assert_eq!(best_historical_rate(&s, true, 30, day(59), &[]), Some(20.0));
        // Only the history before the goal counts: up to day 15, 10 a day.
        assert_eq!(best_historical_rate(&s, true, 10, day(15), &[]), Some(10.0));
        assert_eq!(
            best_historical_rate(&s, true, 30, day(15), &[]),
            None,
            "too little history"
        );
        // With a suspected purchase on day 25, the 10-day windows (d−10, d] holding it
        // (d = 25…34) are left out. The best left: d = 35, whose gains are those of days
        // 25–34, five of them fast: (5×40 + 5×10) / 10 = 25 a day.
        assert_eq!(best_historical_rate(&s, true, 10, day(59), &[day(25)]), Some(25.0));
    }

    #[test]
    fn nine_hundred_percent_in_thirty_days_is_unrealistic_and_one_percent_is_not() {
        // Day 59's followers: 1000 + 59×10 + 10×30 = 1890.
        let s = followers();
        let baseline = s.value_on(day(59)).unwrap();
        assert_eq!(baseline, 1890.0);
        let best = best_historical_rate(&s, true, 30, day(59), &[]);
        let big = feasibility(
            baseline,
            Target::RelativePct(900.0).value(Some(baseline)).unwrap(),
            true,
            30,
            best,
        );
        // 9 × 1890 / 30 = 567 a day against 20: more than 3×.
        assert!((big.required_rate - 567.0).abs() < 1e-9);
        assert_eq!(big.verdict, Verdict::Unrealistic);
        let small = feasibility(
            baseline,
            Target::RelativePct(1.0).value(Some(baseline)).unwrap(),
            true,
            30,
            best,
        );
        assert!((small.required_rate - 0.63).abs() < 1e-9);
        assert_eq!(small.verdict, Verdict::Realistic);
        // Exactly 3× is not "more than" 3×.
        assert_eq!(
            feasibility(0.0, 1800.0, true, 30, Some(20.0)).verdict,
            Verdict::Realistic
        );
        assert_eq!(
            feasibility(0.0, 1801.0, true, 30, Some(20.0)).verdict,
            Verdict::Unrealistic
        );
    }

    #[test]
    fn costs_improve_downwards() {
        // CPL from 500 to 400 in 10 days: 10 a day down. The history cut it by 5 a day at best.
        let f = feasibility(500.0, 400.0, false, 10, Some(5.0));
        assert_eq!(f.required_rate, 10.0);
        assert_eq!(f.verdict, Verdict::Realistic);
        assert_eq!(
            feasibility(500.0, 300.0, false, 10, Some(5.0)).verdict,
            Verdict::Unrealistic
        );
        // A history that never improved cannot support any improvement.
        assert_eq!(
            feasibility(500.0, 490.0, false, 10, Some(-1.0)).verdict,
            Verdict::Unrealistic
        );
        // A target already met needs nothing.
        assert_eq!(
            feasibility(500.0, 600.0, false, 10, Some(-1.0)).verdict,
            Verdict::Realistic
        );
    }

    #[test]
    fn progress_is_the_share_of_the_way_covered() {
        assert_eq!(progress_pct(1000.0, 1100.0, 1025.0), Some(25.0));
        assert_eq!(progress_pct(500.0, 400.0, 450.0), Some(50.0), "costs: halfway down");
        assert_eq!(progress_pct(1000.0, 1100.0, 990.0), Some(-10.0));
        assert_eq!(progress_pct(1000.0, 1000.0, 1000.0), None);
    }

    #[test]
    fn the_forecast_extends_the_least_squares_line() {
        // y = 100 + 2x on days 0, 1, 2 (exact), deadline day 10: 120.
        let points = [(day(0), 100.0), (day(1), 102.0), (day(2), 104.0)];
        let f = forecast(&points, day(10), 115.0, true).unwrap();
        assert!((f.slope_per_day - 2.0).abs() < 1e-12);
        assert!((f.value_at_deadline - 120.0).abs() < 1e-9);
        assert!(f.on_track);
        // Scattered points: (0,1), (1,3), (2,2) → slope 0.5, mean (1, 2) → at day 4: 3.5.
        let f = forecast(&[(day(0), 1.0), (day(1), 3.0), (day(2), 2.0)], day(4), 4.0, true).unwrap();
        assert!((f.value_at_deadline - 3.5).abs() < 1e-9);
        assert!(!f.on_track);
        assert!(forecast(&[(day(0), 1.0)], day(4), 4.0, true).is_none());
    }
}
