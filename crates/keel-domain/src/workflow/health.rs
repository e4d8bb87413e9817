//! The workflow's health on the project page: median time to approve, first-time
//! approval rate, average revision rounds, urgent SLA hit rate. Pure, so each is checked
//! against hand-worked values.

use chrono::{DateTime, Utc};

/// What the health figures need of one post.
#[derive(Debug, Clone, PartialEq)]
pub struct PostHistory {
    /// First submission for approval.
    pub first_submitted_at: Option<DateTime<Utc>>,
    /// When an approver (or Keel, at SLA expiry) approved it.
    pub approved_at: Option<DateTime<Utc>>,
    /// "Changes requested" cycles.
    pub revision_rounds: u32,
    /// For urgent posts: the deadline of the current SLA clock.
    pub sla_deadline: Option<DateTime<Utc>>,
    /// The first approver decision (approve or request changes) after the SLA clock started.
    pub first_decision_at: Option<DateTime<Utc>>,
}

/// Whether an urgent post met its SLA, missed it, or is still inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlaOutcome {
    Hit,
    Missed,
    Running,
}

/// A decision at or before the deadline is a hit; no decision by the deadline is a miss
/// (an automatic approval at expiry is Keel's, not a person's, so it is a miss too).
pub fn sla_outcome(
    deadline: DateTime<Utc>,
    first_decision_at: Option<DateTime<Utc>>,
    as_of: DateTime<Utc>,
) -> SlaOutcome {
    match first_decision_at {
        Some(at) if at <= deadline => SlaOutcome::Hit,
        Some(_) => SlaOutcome::Missed,
        None if as_of > deadline => SlaOutcome::Missed,
        None => SlaOutcome::Running,
    }
}

/// The four figures; each is `None` (shown as "—") when nothing has been measured yet.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkflowHealth {
    /// Median minutes from first submission to approval, over approved posts.
    pub median_minutes_to_approve: Option<f64>,
    /// Approved posts approved without any revision round, in percent of approved posts.
    pub first_time_approval_pct: Option<f64>,
    /// Mean revision rounds of approved posts.
    pub average_rounds: Option<f64>,
    /// Urgent posts decided within their SLA, in percent of urgent posts whose SLA is settled.
    pub sla_hit_pct: Option<f64>,
    pub approved_posts: usize,
    pub urgent_settled: usize,
}

pub fn workflow_health(posts: &[PostHistory], as_of: DateTime<Utc>) -> WorkflowHealth {
    let approved: Vec<&PostHistory> = posts.iter().filter(|p| p.approved_at.is_some()).collect();
    let mut minutes: Vec<f64> = approved
        .iter()
        .filter_map(|p| Some((p.approved_at? - p.first_submitted_at?).num_seconds() as f64 / 60.0))
        .collect();
    let n = approved.len() as f64;
    let first_time = approved.iter().filter(|p| p.revision_rounds == 0).count() as f64;
    let rounds: u32 = approved.iter().map(|p| p.revision_rounds).sum();
    let outcomes: Vec<SlaOutcome> = posts
        .iter()
        .filter_map(|p| Some(sla_outcome(p.sla_deadline?, p.first_decision_at, as_of)))
        .filter(|o| *o != SlaOutcome::Running)
        .collect();
    let hits = outcomes.iter().filter(|o| **o == SlaOutcome::Hit).count() as f64;
    WorkflowHealth {
        median_minutes_to_approve: median(&mut minutes),
        first_time_approval_pct: crate::metrics::ratio(first_time * 100.0, n),
        average_rounds: crate::metrics::ratio(rounds as f64, n),
        sla_hit_pct: crate::metrics::ratio(hits * 100.0, outcomes.len() as f64),
        approved_posts: approved.len(),
        urgent_settled: outcomes.len(),
    }
}

fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, h, m, 0).unwrap()
    }

    fn post(sub: (u32, u32), approved: Option<(u32, u32)>, rounds: u32) -> PostHistory {
        PostHistory {
            first_submitted_at: Some(at(sub.0, sub.1)),
            approved_at: approved.map(|(h, m)| at(h, m)),
            revision_rounds: rounds,
            sla_deadline: None,
            first_decision_at: None,
        }
    }

    #[test]
    fn hand_worked_example() {
        // Approved after 30, 90 and 240 minutes (median 90); rounds 0, 1, 2 → 1 of 3 first
        // time (33.3 %), average 1.0. One post still in review does not count.
        let mut posts = vec![
            post((9, 0), Some((9, 30)), 0),
            post((9, 0), Some((10, 30)), 1),
            post((10, 0), Some((14, 0)), 2),
            post((11, 0), None, 1),
        ];
        // Urgent: decided 10 min before its deadline (hit), decided 5 min late (miss), never
        // decided and past the deadline (miss), still running (excluded) → 1 of 3 = 33.3 %.
        let urgent = |deadline: (u32, u32), decided: Option<(u32, u32)>| PostHistory {
            first_submitted_at: Some(at(deadline.0, deadline.1 - 30)),
            approved_at: None,
            revision_rounds: 0,
            sla_deadline: Some(at(deadline.0, deadline.1)),
            first_decision_at: decided.map(|(h, m)| at(h, m)),
        };
        posts.push(urgent((12, 30), Some((12, 20))));
        posts.push(urgent((13, 30), Some((13, 35))));
        posts.push(urgent((14, 30), None));
        posts.push(urgent((18, 30), None));
        let health = workflow_health(&posts, at(15, 0));
        assert_eq!(health.median_minutes_to_approve, Some(90.0));
        assert!((health.first_time_approval_pct.unwrap() - 100.0 / 3.0).abs() < 1e-9);
        assert_eq!(health.average_rounds, Some(1.0));
        assert!((health.sla_hit_pct.unwrap() - 100.0 / 3.0).abs() < 1e-9);
        assert_eq!((health.approved_posts, health.urgent_settled), (3, 3));
    }

    #[test]
    fn even_count_median_is_the_mean_of_the_middle_two() {
        let posts = [post((9, 0), Some((9, 10)), 0), post((9, 0), Some((9, 40)), 0)];
        assert_eq!(workflow_health(&posts, at(12, 0)).median_minutes_to_approve, Some(25.0));
    }

    #[test]
    fn nothing_measured_is_undefined_not_zero() {
        let health = workflow_health(&[], at(12, 0));
        assert_eq!(health.median_minutes_to_approve, None);
        assert_eq!(health.first_time_approval_pct, None);
        assert_eq!(health.average_rounds, None);
        assert_eq!(health.sla_hit_pct, None);
    }

    #[test]
    fn a_decision_exactly_at_the_deadline_is_a_hit() {
        assert_eq!(sla_outcome(at(10, 0), Some(at(10, 0)), at(11, 0)), SlaOutcome::Hit);
        assert_eq!(sla_outcome(at(10, 0), None, at(10, 0)), SlaOutcome::Running);
        assert_eq!(sla_outcome(at(10, 0), None, at(10, 1)), SlaOutcome::Missed);
    }
}
