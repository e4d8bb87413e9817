//! Tests of the engagement metrics, with expected values worked out by hand.

use super::*;
use crate::metrics::close;

#[test]
fn interactions_total_and_post_er() {
    let i = Interactions {
        likes: 10,
        comments: 2,
        shares: 3,
        saves: 1,
    };
    // I = 10 + 2 + 3 + 1 = 16
    assert_eq!(i.total(), 16);
    // ER = 16 / 800 × 100 = 2.0
    assert!(close(post_er(i.total(), Some(800)), 2.0));
    // ERR = 16 / 400 × 100 = 4.0
    assert!(close(post_err(16, Some(400)), 4.0));
    // ERV = 16 / 3200 × 100 = 0.5
    assert!(close(post_erv(16, Some(3200)), 0.5));
    // Missing fields are passed as 0: I = 7 + 0 + 0 + 0 = 7.
    assert_eq!(
        Interactions {
            likes: 7,
            ..Default::default()
        }
        .total(),
        7
    );
}

#[test]
fn zero_or_unknown_denominators_are_undefined() {
    assert_eq!(post_er(16, None), None);
    assert_eq!(post_er(16, Some(0)), None);
    assert_eq!(post_err(16, Some(0)), None);
    assert_eq!(post_erv(16, None), None);
    assert_eq!(daily_er(16, Some(0)), None);
    assert_eq!(daily_er(16, None), None);
    // Zero interactions over a real audience is a real 0 %.
    assert_eq!(post_er(0, Some(800)), Some(0.0));
}

#[test]
fn followers_on_prefers_the_daily_count() {
    assert_eq!(followers_on(Some(1000), Some(990)), Some(1000));
    assert_eq!(followers_on(None, Some(990)), Some(990));
    assert_eq!(followers_on(None, None), None);
}

#[test]
fn daily_er_value() {
    // Two posts that day: ΣI = 30 + 45 = 75; ER = 75 / 1500 × 100 = 5.0
    assert!(close(daily_er(30 + 45, Some(1500)), 5.0));
}

#[test]
fn mean_of_er_differs_from_ratio_of_sums() {
    let mut p = PeriodEngagement::new();
    // Post A: I = 10, followers 100, reach 100 → ER = 10 / 100 × 100 = 10.0
    p.add_post(10, Some(100), Some(100), Some(200));
    // Post B: I = 90, followers 1000, reach 1000 → ER = 90 / 1000 × 100 = 9.0
    p.add_post(90, Some(1000), Some(1000), Some(1800));
    assert_eq!(p.posts(), 2);
    assert_eq!(p.interactions(), 100);
    // Period ER = (10.0 + 9.0) / 2 = 9.5
    assert!(close(p.er_followers(), 9.5));
    // Period ERR = (10 + 90) / (100 + 1000) × 100 = 100 / 1100 × 100 = 9.0909…
    assert!(close(p.err_reach(), 100.0 / 1100.0 * 100.0));
    // Period ERV = 100 / (200 + 1800) × 100 = 5.0
    assert!(close(p.er_views(), 5.0));
}

#[test]
fn posts_without_denominators_are_skipped_per_rate() {
    let mut p = PeriodEngagement::new();
    // ER 20 / 400 × 100 = 5.0; reach unknown; views 0.
    p.add_post(20, Some(400), None, Some(0));
    // Followers unknown; reach 0; views unknown.
    p.add_post(50, None, Some(0), None);
    // Followers 0; reach 1000 → ERR = 30 / 1000 × 100 = 3.0.
    p.add_post(30, Some(0), Some(1000), None);
    assert_eq!(p.posts(), 3);
    assert_eq!(p.interactions(), 100);
    // Only the first post has followers: ER = 5.0
    assert!(close(p.er_followers(), 5.0));
    // Only the third post has reach > 0: 30 / 1000 × 100 = 3.0
    assert!(close(p.err_reach(), 3.0));
    // No post with views > 0.
    assert_eq!(p.er_views(), None);
}

#[test]
fn empty_period_is_undefined_not_zero() {
    let p = PeriodEngagement::new();
    assert_eq!(p.posts(), 0);
    assert_eq!(p.interactions(), 0);
    assert_eq!(p.er_followers(), None);
    assert_eq!(p.err_reach(), None);
    assert_eq!(p.er_views(), None);
}

#[test]
fn merged_chunks_equal_one_pass() {
    let posts = [
        (16, Some(800), Some(400), Some(3200)),
        (10, Some(100), None, Some(50)),
        (90, None, Some(1000), None),
        (5, Some(250), Some(0), Some(100)),
    ];
    let mut whole = PeriodEngagement::new();
    for &(i, f, r, v) in &posts {
        whole.add_post(i, f, r, v);
    }
    let (mut a, mut b) = (PeriodEngagement::new(), PeriodEngagement::new());
    for &(i, f, r, v) in &posts[..2] {
        a.add_post(i, f, r, v);
    }
    for &(i, f, r, v) in &posts[2..] {
        b.add_post(i, f, r, v);
    }
    a.merge(&b);
    assert_eq!(a, whole);
    // ER = mean(16/800×100 = 2.0, 10/100×100 = 10.0, 5/250×100 = 2.0) = 14 / 3
    assert!(close(a.er_followers(), 14.0 / 3.0));
    // ERR = (16 + 90) / (400 + 1000) × 100 = 106 / 1400 × 100 = 7.571428…
    assert!(close(a.err_reach(), 106.0 / 1400.0 * 100.0));
    // ERV = (16 + 10 + 5) / (3200 + 50 + 100) × 100 = 31 / 3350 × 100 = 0.925373…
    assert!(close(a.er_views(), 31.0 / 3350.0 * 100.0));
}
