//! Tests of the funnel stages, the z-test and baseline windows, with expected values worked out by hand.

use super::*;
use crate::metrics::close;

fn prop(successes: i64, trials: i64) -> Proportion {
    Proportion { successes, trials }
}

#[test]
fn zones_of_stages() {
    assert_eq!(Stage::ImpressionsToClicks.zone(), Zone::Agency);
    assert_eq!(Stage::ClicksToLeads.zone(), Zone::Agency);
    assert_eq!(Stage::LeadsToDeals.zone(), Zone::Client);
}

#[test]
fn names_match_product_md() {
    let stages: Vec<_> = Stage::ALL.iter().map(|s| s.as_str()).collect();
    assert_eq!(stages, ["impressions_to_clicks", "clicks_to_leads", "leads_to_deals"]);
    assert_eq!((Zone::Agency.as_str(), Zone::Client.as_str()), ("agency", "client"));
    assert_eq!(
        [Verdict::Worse, Verdict::Steady, Verdict::Better].map(Verdict::as_str),
        ["worse", "steady", "better"]
    );
}

#[test]
fn rate_pct_values() {
    // 30 / 1000 × 100 = 3.0
    assert!(close(prop(30, 1000).rate_pct(), 3.0));
    assert_eq!(prop(0, 0).rate_pct(), None);
    assert_eq!(prop(0, 10).rate_pct(), Some(0.0));
}

#[test]
fn z_test_worse_by_hand() {
    // p1 = 30/1000 = 0.03, p2 = 60/1000 = 0.06, p = 90/2000 = 0.045
    // se = √(0.045 × 0.955 × (1/1000 + 1/1000)) = √0.00008595 = 0.0092709222…
    // z = (0.03 − 0.06) / 0.0092709222 = −3.2359240…
    let z = two_proportion_z(prop(30, 1000), prop(60, 1000));
    assert!(close(z, -3.235_924_008_452_867));
    assert_eq!(verdict(z), Some(Verdict::Worse));
    // Swapped: z = +3.2359… → better.
    let z = two_proportion_z(prop(60, 1000), prop(30, 1000));
    assert!(close(z, 3.235_924_008_452_867));
    assert_eq!(verdict(z), Some(Verdict::Better));
}

#[test]
fn z_test_steady_by_hand() {
    // p1 = 0.033, p2 = 0.030, p = 63/2000 = 0.0315
    // se = √(0.0315 × 0.9685 × 0.002) = √0.0000610155 = 0.0078112418…
    // z = 0.003 / 0.0078112418 = 0.3840618…
    let z = two_proportion_z(prop(33, 1000), prop(30, 1000));
    assert!(close(z, 0.384_061_848_154_957_3));
    assert_eq!(verdict(z), Some(Verdict::Steady));
}

#[test]
fn z_test_undefined_cases() {
    assert_eq!(two_proportion_z(prop(0, 0), prop(30, 1000)), None);
    assert_eq!(two_proportion_z(prop(30, 1000), prop(0, 0)), None);
    // p = 0 → se = 0.
    assert_eq!(two_proportion_z(prop(0, 100), prop(0, 200)), None);
    // p = 1 → se = 0.
    assert_eq!(two_proportion_z(prop(100, 100), prop(200, 200)), None);
    // Not a proportion.
    assert_eq!(two_proportion_z(prop(120, 100), prop(30, 1000)), None);
    assert_eq!(two_proportion_z(prop(-1, 100), prop(30, 1000)), None);
    assert_eq!(verdict(None), None);
}

#[test]
fn verdict_threshold_is_strict() {
    assert_eq!(verdict(Some(2.58)), Some(Verdict::Steady));
    assert_eq!(verdict(Some(-2.58)), Some(Verdict::Steady));
    assert_eq!(verdict(Some(2.581)), Some(Verdict::Better));
    assert_eq!(verdict(Some(-2.581)), Some(Verdict::Worse));
    assert_eq!(verdict(Some(0.0)), Some(Verdict::Steady));
}

#[test]
fn evaluate_fills_a_report_row() {
    let r = evaluate(Stage::LeadsToDeals, prop(30, 1000), prop(60, 1000));
    assert_eq!(r.stage, Stage::LeadsToDeals);
    assert_eq!(r.zone, Zone::Client);
    assert!(close(r.conversion, 3.0));
    assert!(close(r.baseline, 6.0));
    assert!(close(r.z, -3.235_924_008_452_867));
    assert_eq!(r.verdict, Some(Verdict::Worse));

    // No baseline data: conversion still shown, comparison undefined.
    let r = evaluate(Stage::ClicksToLeads, prop(5, 100), prop(0, 0));
    assert_eq!(r.zone, Zone::Agency);
    assert!(close(r.conversion, 5.0));
    assert_eq!((r.baseline, r.z, r.verdict), (None, None, None));
}

#[test]
fn baseline_window_is_the_90_days_before() {
    let start = NaiveDate::from_ymd_opt(2024, 4, 1).expect("date");
    let (from, to) = baseline_window(start);
    // 2024-04-01 − 90 days = 2024-01-02 (Jan 31 + Feb 29 (leap) + Mar 31 = 91 days
    // back reaches Jan 1, so 90 back is Jan 2); − 1 day = 2024-03-31.
    assert_eq!(from, NaiveDate::from_ymd_opt(2024, 1, 2).expect("date"));
    assert_eq!(to, NaiveDate::from_ymd_opt(2024, 3, 31).expect("date"));
    // Inclusive on both ends: exactly 90 days.
    assert_eq!((to - from).num_days() + 1, 90);
}

#[test]
fn fallback_window_is_the_first_90_days() {
    let first = NaiveDate::from_ymd_opt(2024, 1, 1).expect("date");
    let (from, to) = first_days_window(first);
    assert_eq!(from, first);
    // 2024-01-01 + 89 days = 2024-03-30 (31 + 29 = 60 → Mar 1, + 29 → Mar 30).
    assert_eq!(to, NaiveDate::from_ymd_opt(2024, 3, 30).expect("date"));
    assert_eq!((to - from).num_days() + 1, 90);
}
