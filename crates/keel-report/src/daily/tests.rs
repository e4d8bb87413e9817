//! The spike screen must never hide a candidate the domain would find.

use chrono::{Days, NaiveDate};
use keel_domain::metrics::bots::{DayPoint, spike_candidates};

use super::could_spike;
use crate::Period;
use crate::scope::Scope;

fn scope(from: NaiveDate, to: NaiveDate) -> Scope {
    Scope {
        project_id: 1,
        period: Period {
            from: Some(from),
            to: Some(to),
        },
        started_on: from,
        first_day: from,
        last_day: to,
        zone: keel_domain::local_days::LocalZone::UTC,
    }
}

/// A small deterministic generator (64-bit LCG), so failures reproduce.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: i64) -> i64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % below as u64) as i64
    }
}

#[test]
fn the_screen_never_hides_a_candidate() {
    let start = NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
    let mut rng = Lcg(42);
    let (mut screened, mut with_candidates) = (0, 0);
    for _ in 0..2000 {
        // 90 days of noisy growth around 0.1 % a day, with a jump now and then.
        let mut followers = 1000 + rng.next(100_000);
        let days: Vec<DayPoint> = (0..90u64)
            .map(|k| {
                let jump = if rng.next(40) == 0 {
                    followers / (1 + rng.next(100))
                } else {
                    0
                };
                followers += followers / 1000 + rng.next(20) - 10 + jump;
                DayPoint {
                    date: start + Days::new(k),
                    followers,
                    interactions: 0,
                    posts: 0,
                }
            })
            .collect();
        let from = start + Days::new(rng.next(90) as u64);
        let to = from + Days::new(rng.next(60) as u64);
        let s = scope(from, to);
        let found = spike_candidates(&days).iter().any(|(date, _, _)| s.contains(*date));
        if found {
            with_candidates += 1;
            assert!(could_spike(&s, &days), "screened out a candidate in {days:?}");
        }
        if !could_spike(&s, &days) {
            screened += 1;
        }
    }
    // The generator exercises both sides of the screen.
    assert!(with_candidates > 50 && screened > 50, "{with_candidates} / {screened}");
}

#[test]
fn steady_growth_is_screened_out() {
    let start = NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
    // +5 a day on 10 000 followers is 0.05 %, a tenth of the 0.5 % a spike needs.
    let days: Vec<DayPoint> = (0..60u64)
        .map(|k| DayPoint {
            date: start + Days::new(k),
            followers: 10_000 + 5 * k as i64,
            interactions: 0,
            posts: 0,
        })
        .collect();
    assert!(!could_spike(&scope(start, start + Days::new(59)), &days));
}
