//! Tests of the bot-spike detector, with every expected value worked out by hand.

use super::*;
use crate::metrics::close;

fn date(i: usize) -> NaiveDate {
    let start = NaiveDate::from_ymd_opt(2024, 1, 1).expect("valid date");
    start + Days::new(i as u64)
}

/// A series starting at `start` followers on 2024-01-01, then one day per gain.
fn series(start: i64, gains: &[i64]) -> Vec<DayPoint> {
    let mut f = start;
    let mut out = vec![DayPoint {
        date: date(0),
        followers: f,
        interactions: 0,
        posts: 0,
    }];
    for (k, g) in gains.iter().enumerate() {
        f += g;
        out.push(DayPoint {
            date: date(k + 1),
            followers: f,
            interactions: 0,
            posts: 0,
        });
    }
    out
}

/// 59 gains (a 60-day series) of a steady +10/day with noise: the gain of day `i` is
/// `[10, 8, 10, 12][(i − 1) % 4]`, so any 28 consecutive gains hold seven 8s, fourteen
/// 10s and seven 12s: m = mean(10, 10) = 10; deviations fourteen 0s and fourteen 2s,
/// MAD = mean(0, 2) = 1; threshold 6 × max(1 × 1.4826, 1) = 8.8956.
fn noisy_gains() -> Vec<i64> {
    (0..59).map(|k| [10, 8, 10, 12][k % 4]).collect()
}

fn post(days: &mut [DayPoint], i: usize, interactions: i64) {
    days[i].interactions = interactions;
    days[i].posts = 1;
}

/// Day 45 (2024-02-15) gets +5000 bought followers on top of its usual +10. Followers:
/// F_i = 10000 + S(i) (+5000 from day 45), S(4k) = 40k, S(4k+3) = 40k + 28.
fn purchase() -> Vec<DayPoint> {
    let mut gains = noisy_gains();
    gains[44] += 5000; // gain of day 45: 10 + 5000 = 5010
    let mut days = series(10_000, &gains);
    post(&mut days, 30, 9_999); // d−15: outside the window, would dominate if counted
    post(&mut days, 31, 206); // d−14: F = 10000 + 308 = 10308
    post(&mut days, 40, 208); // d−6:  F = 10000 + 400 = 10400
    post(&mut days, 45, 9_999); // d itself: in neither window
    days
}

#[test]
fn purchase_followed_by_er_drop_is_reported() {
    let mut days = purchase();
    post(&mut days, 48, 150); // d+3:  F = 10000 + 480 + 5000 = 15480
    post(&mut days, 59, 155); // d+14: F = 10000 + 588 + 5000 = 15588
    let spikes = detect_spikes(&days);
    assert_eq!(spikes.len(), 1);
    let s = spikes[0];
    assert_eq!(s.date, NaiveDate::from_ymd_opt(2024, 2, 15).expect("date"));
    assert_eq!(s.gain, 5010);
    // excess = 5010 − 10 = 5000, exactly the purchase.
    assert_eq!(s.excess, 5000.0);
    // before = (206/10308×100 + 208/10400×100) / 2 = (1.998448… + 2.0) / 2 = 1.999224…
    assert!(close(s.er_before, (206.0 / 10308.0 * 100.0 + 2.0) / 2.0));
    // after = (150/15480×100 + 155/15588×100) / 2 = (0.968992… + 0.994354…) / 2
    //       = 0.981673… < 0.8 × 1.999224… = 1.599379…
    assert!(close(
        s.er_after,
        (150.0 / 15480.0 * 100.0 + 155.0 / 15588.0 * 100.0) / 2.0
    ));
}

#[test]
fn viral_day_keeping_er_is_not_reported() {
    let mut days = purchase();
    post(&mut days, 48, 400); // 400/15480×100 = 2.583979…
    post(&mut days, 59, 320); // 320/15588×100 = 2.052861…
    // after = 2.318420… ≥ 0.8 × 1.999224… = 1.599379…: the new followers interact.
    assert!(detect_spikes(&days).is_empty());
    // It is still a spike, listed for explanation pages.
    assert_eq!(spike_candidates(&days), vec![(date(45), 5010, 5000.0)]);
}

#[test]
fn spike_without_er_after_is_not_reported() {
    // No post and no interactions after the spike: ER after is undefined.
    let days = purchase();
    assert!(detect_spikes(&days).is_empty());
    assert_eq!(spike_candidates(&days).len(), 1);
}

#[test]
fn first_28_gains_are_not_tested() {
    // Day i has i − 1 earlier gains; day 28 has 27, day 29 has 28.
    let mut gains = vec![10; 39];
    gains[27] = 510; // day 28
    assert!(spike_candidates(&series(1000, &gains)).is_empty());

    let mut gains = vec![10; 39];
    gains[28] = 510; // day 29: m = 10, MAD = 0 → threshold 6; excess = 510 − 10 = 500
    assert_eq!(spike_candidates(&series(1000, &gains)), vec![(date(29), 510, 500.0)]);
}

#[test]
fn zero_mad_uses_the_floor_of_one() {
    // Steady +10: m = 10, MAD = 0 → threshold 6 × max(0 × 1.4826, 1) = 6.
    // Size: F_29 = 1000 + 290 = 1290, 0.005 × 1290 = 6.45.
    let mut gains = vec![10; 30];
    gains[29] = 16; // excess 6, not > 6
    assert!(spike_candidates(&series(1000, &gains)).is_empty());
    gains[29] = 17; // excess 7 > 6, and 17 > 6.45
    assert_eq!(spike_candidates(&series(1000, &gains)), vec![(date(30), 17, 7.0)]);
}

#[test]
fn scaled_mad_threshold() {
    // Noisy series from 1000: threshold 8.8956; size F_44 = 1000 + 440 = 1440 → 7.2.
    let mut gains = noisy_gains();
    gains[44] = 18; // excess 18 − 10 = 8 ≤ 8.8956
    assert!(spike_candidates(&series(1000, &gains)).is_empty());
    gains[44] = 19; // excess 9 > 8.8956
    assert_eq!(spike_candidates(&series(1000, &gains)), vec![(date(45), 19, 9.0)]);
}

#[test]
fn gain_must_exceed_half_a_percent_of_followers() {
    // F_0 = 1 000 000, steady +10: F_29 = 1 000 290, 0.005 × F_29 = 5001.45.
    let mut gains = vec![10; 30];
    gains[29] = 5001;
    assert!(spike_candidates(&series(1_000_000, &gains)).is_empty());
    gains[29] = 5002;
    assert_eq!(
        spike_candidates(&series(1_000_000, &gains)),
        vec![(date(30), 5002, 4992.0)]
    );
}

#[test]
fn interactions_per_follower_stand_in_without_posts() {
    // Steady +10 from 1000, +1000 on day 30: F_29 = 1290, F_30 = 2300, F_40 = 2400.
    let mut gains = vec![10; 45];
    gains[29] = 1010;
    let mut days = series(1000, &gains);
    days[20].interactions = 129; // F_20 = 1200: 129/1200×100 = 10.75, no posts
    days[40].interactions = 120; // 120/2400×100 = 5.0, no posts
    let spikes = detect_spikes(&days);
    assert_eq!(spikes.len(), 1);
    assert_eq!((spikes[0].gain, spikes[0].excess), (1010, 1000.0));
    assert!(close(spikes[0].er_before, 10.75));
    assert!(close(spikes[0].er_after, 5.0));

    // A day with posts in the window takes over: only it counts.
    post(&mut days, 38, 23); // F_38 = 2380: 23/2380×100 = 0.966386… (day 40 ignored)
    assert!(close(detect_spikes(&days)[0].er_after, 23.0 / 2380.0 * 100.0));
}

#[test]
fn er_windows_are_calendar_days() {
    let p = |d: u32, followers, interactions| DayPoint {
        date: NaiveDate::from_ymd_opt(2024, 5, d).expect("date"),
        followers,
        interactions,
        posts: 1,
    };
    // Recorded days with gaps: May 1, 5, 9, 20.
    let days = [p(1, 100, 50), p(5, 200, 4), p(9, 400, 12), p(20, 100, 50)];
    let d = |d: u32| NaiveDate::from_ymd_opt(2024, 5, d).expect("date");
    // May 2 … May 15 holds May 5 (4/200×100 = 2.0) and May 9 (12/400×100 = 3.0): 2.5.
    assert!(close(window_er(&days, d(2), d(15)), 2.5));
    // Both ends inclusive: May 1 … May 5 = mean(50, 2) = 26.
    assert!(close(window_er(&days, d(1), d(5)), 26.0));
    // Nothing recorded May 10 … May 19.
    assert_eq!(window_er(&days, d(10), d(19)), None);
}

#[test]
fn er_drop_must_be_more_than_twenty_percent() {
    // 0.8 × 2.0 = 1.6: exactly 20 % below is not "more than".
    assert!(!er_dropped(Some(2.0), Some(1.6)));
    assert!(er_dropped(Some(2.0), Some(1.59)));
    assert!(!er_dropped(None, Some(0.1)));
    assert!(!er_dropped(Some(2.0), None));
}

#[test]
fn median_of_odd_and_even_counts() {
    assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
    // Even: mean of the two middle values, (2 + 3) / 2 = 2.5.
    assert_eq!(median(vec![10.0, 2.0, 1.0, 3.0]), Some(2.5));
    assert_eq!(median(vec![]), None);
}

#[test]
fn short_series_yield_nothing() {
    assert!(detect_spikes(&[]).is_empty());
    assert!(detect_spikes(&series(1000, &[10; 20])).is_empty());
}
