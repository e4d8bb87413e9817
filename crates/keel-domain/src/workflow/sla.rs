//! The urgent-post clock (PRODUCT.md rule 4): a deadline from submission, a reminder at half
//! of it, a miss at expiry.

use chrono::{DateTime, Duration, Utc};

/// The SLA when a project has not set its own.
pub const DEFAULT_SLA_MINUTES: u32 = 30;

/// The shortest and longest SLA a project may set (a minute to a week).
pub const SLA_MINUTES_RANGE: std::ops::RangeInclusive<u32> = 1..=7 * 24 * 60;

/// When a decision is due for a post submitted at `submitted_at`.
pub fn deadline(submitted_at: DateTime<Utc>, sla_minutes: u32) -> DateTime<Utc> {
    submitted_at + Duration::minutes(i64::from(sla_minutes))
}

/// When approvers are reminded: half of the SLA after submission (whole seconds).
pub fn halfway(submitted_at: DateTime<Utc>, sla_minutes: u32) -> DateTime<Utc> {
    submitted_at + Duration::seconds(i64::from(sla_minutes) * 30)
}

/// Checks a project's SLA setting.
pub fn validate_sla_minutes(minutes: i64) -> Result<u32, String> {
    u32::try_from(minutes)
        .ok()
        .filter(|m| SLA_MINUTES_RANGE.contains(m))
        .ok_or_else(|| {
            format!(
                "the urgent SLA must be between 1 and {} minutes, not {minutes}",
                SLA_MINUTES_RANGE.end()
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn thirty_minutes_by_default_reminder_at_fifteen() {
        let t = Utc.with_ymd_and_hms(2026, 1, 1, 23, 50, 0).unwrap();
        assert_eq!(
            deadline(t, DEFAULT_SLA_MINUTES),
            Utc.with_ymd_and_hms(2026, 1, 2, 0, 20, 0).unwrap()
        );
        assert_eq!(
            halfway(t, DEFAULT_SLA_MINUTES),
            Utc.with_ymd_and_hms(2026, 1, 2, 0, 5, 0).unwrap()
        );
        // An odd SLA halves to the second.
        assert_eq!(halfway(t, 1), t + Duration::seconds(30));
    }

    #[test]
    fn sla_settings_are_bounded() {
        assert_eq!(validate_sla_minutes(30), Ok(30));
        assert!(validate_sla_minutes(0).unwrap_err().contains("between 1 and 10080"));
        assert!(validate_sla_minutes(-5).is_err());
        assert!(validate_sla_minutes(10_081).is_err());
    }
}
