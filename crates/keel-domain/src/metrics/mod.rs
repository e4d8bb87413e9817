//! Every metric formula of `PRODUCT.md` § "Metric definitions", as pure functions.
//!
//! The storage and report layers feed numbers in and format what comes out; nothing here
//! reads a clock, a file or a database, so each formula can be checked to the decimal.
//!
//! One rule runs through all of it: a ratio with a zero (or otherwise meaningless)
//! denominator is *undefined*, returned as `None`, shown as "—" and serialized as `null`.
//! It is never 0 (which would read as "measured, and it was nothing") and never
//! infinity or NaN (which JSON cannot carry and charts cannot draw).
//!
//! - [`engagement`]: interactions, ER / ERR / ERV per post, per period and per day.
//! - [`growth`]: follower growth over a period and net daily gains.
//! - [`ads`]: ads totals and CTR, CPC, CPL, CPV, CPM, CPA.
//! - [`funnel`]: funnel stages, their zones, baselines and the two-proportion z-test.
//! - [`bots`]: suspected purchased followers (follower spikes followed by an ER drop).

pub mod ads;
pub mod bots;
pub mod engagement;
pub mod funnel;
pub mod growth;

/// `num / den`, or `None` when the ratio is undefined.
///
/// Undefined means: `den == 0`, either operand not finite, or a result that is not finite
/// (an overflow such as `1e308 / 1e-308`), so callers never see infinity or NaN.
pub fn ratio(num: f64, den: f64) -> Option<f64> {
    if den == 0.0 || !num.is_finite() || !den.is_finite() {
        return None;
    }
    let r = num / den;
    r.is_finite().then_some(r)
}

/// `num / den × 100` (a percentage: 4.2 means 4.2 %), or `None` when [`ratio`] is undefined.
pub fn pct(num: f64, den: f64) -> Option<f64> {
    ratio(num, den).map(|r| r * 100.0).filter(|p| p.is_finite())
}

/// `num / den × 100` for counts, where the denominator may be unknown.
///
/// Counts used as denominators here (followers, reach, views, trials) cannot meaningfully
/// be negative, so a negative one is treated like an unknown one rather than producing a
/// negative rate out of bad data.
pub(crate) fn count_pct(num: i64, den: Option<i64>) -> Option<f64> {
    match den {
        Some(d) if d > 0 => pct(num as f64, d as f64),
        _ => None,
    }
}

/// Test helper: `a` is `Some` and within `1e-9` of `b` (relative for large values).
#[cfg(test)]
pub(crate) fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() <= 1e-9 * b.abs().max(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratio_of_zero_denominator_is_undefined() {
        assert_eq!(ratio(5.0, 0.0), None);
        assert_eq!(ratio(0.0, 0.0), None);
        assert_eq!(pct(5.0, 0.0), None);
        assert_eq!(ratio(5.0, -0.0), None);
    }

    #[test]
    fn non_finite_inputs_and_overflow_are_undefined() {
        assert_eq!(ratio(f64::NAN, 2.0), None);
        assert_eq!(ratio(1.0, f64::INFINITY), None);
        assert_eq!(ratio(f64::NEG_INFINITY, 1.0), None);
        // 1e308 / 1e-308 overflows to +inf.
        assert_eq!(ratio(1e308, 1e-308), None);
        // 1e307 / 1 is finite, but × 100 overflows.
        assert_eq!(pct(1e307, 1.0), None);
    }

    #[test]
    fn ratio_and_pct_values() {
        // 1 / 4 = 0.25; × 100 = 25 %.
        assert_eq!(ratio(1.0, 4.0), Some(0.25));
        assert_eq!(pct(1.0, 4.0), Some(25.0));
        // A zero numerator over a real denominator is a real 0, not undefined.
        assert_eq!(pct(0.0, 7.0), Some(0.0));
        assert_eq!(ratio(-3.0, 2.0), Some(-1.5));
    }

    #[test]
    fn count_pct_needs_a_positive_known_denominator() {
        assert_eq!(count_pct(5, None), None);
        assert_eq!(count_pct(5, Some(0)), None);
        assert_eq!(count_pct(5, Some(-10)), None);
        // 5 / 20 × 100 = 25.
        assert_eq!(count_pct(5, Some(20)), Some(25.0));
    }
}
