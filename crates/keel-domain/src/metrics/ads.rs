//! Ads: totals of spend and counts, and the cost / rate ratios computed from them.
//!
//! Ratios are always computed from *totals* (Σspend / Σclicks), never averaged over days
//! or campaigns, so a campaign-level or channel-level CPC weighs every click equally.

use std::ops::{Add, AddAssign};

use serde::Serialize;

use super::{pct, ratio};

/// Summed ads figures of a campaign, a channel or a whole report period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub struct AdsTotals {
    /// Money spent, in the campaign's currency.
    pub spend: f64,
    /// Ad impressions.
    pub impressions: i64,
    /// Clicks.
    pub clicks: i64,
    /// Leads attributed to the ads.
    pub leads: i64,
    /// Video views.
    pub video_views: i64,
    /// Deals (won leads) attributed to the ads.
    pub deals: i64,
}

/// The ratios of [`AdsTotals`]; each is `None` when its denominator is 0.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub struct AdsRatios {
    /// Click-through rate in percent: `clicks / impressions × 100`.
    pub ctr: Option<f64>,
    /// Cost per click: `spend / clicks`.
    pub cpc: Option<f64>,
    /// Cost per lead: `spend / leads`.
    pub cpl: Option<f64>,
    /// Cost per video view: `spend / video_views`.
    pub cpv: Option<f64>,
    /// Cost per thousand impressions: `spend / impressions × 1000`.
    pub cpm: Option<f64>,
    /// Cost per acquisition (deal): `spend / deals`.
    pub cpa: Option<f64>,
}

impl AdsTotals {
    /// CTR, CPC, CPL, CPV, CPM and CPA of these totals, per `PRODUCT.md`.
    pub fn ratios(&self) -> AdsRatios {
        // A count of 0 converts to 0.0, which `ratio` already treats as undefined.
        AdsRatios {
            ctr: pct(self.clicks as f64, self.impressions as f64),
            cpc: ratio(self.spend, self.clicks as f64),
            cpl: ratio(self.spend, self.leads as f64),
            cpv: ratio(self.spend, self.video_views as f64),
            cpm: ratio(self.spend, self.impressions as f64)
                .map(|r| r * 1000.0)
                .filter(|v| v.is_finite()),
            cpa: ratio(self.spend, self.deals as f64),
        }
    }
}

impl AddAssign for AdsTotals {
    fn add_assign(&mut self, rhs: Self) {
        self.spend += rhs.spend;
        self.impressions += rhs.impressions;
        self.clicks += rhs.clicks;
        self.leads += rhs.leads;
        self.video_views += rhs.video_views;
        self.deals += rhs.deals;
    }
}

impl Add for AdsTotals {
    type Output = AdsTotals;

    fn add(mut self, rhs: Self) -> Self::Output {
        self += rhs;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::close;

    fn sample() -> AdsTotals {
        AdsTotals {
            spend: 150.0,
            impressions: 20_000,
            clicks: 300,
            leads: 15,
            video_views: 5_000,
            deals: 3,
        }
    }

    #[test]
    fn ratios_by_hand() {
        let r = sample().ratios();
        // CTR = 300 / 20000 × 100 = 1.5
        assert!(close(r.ctr, 1.5));
        // CPC = 150 / 300 = 0.5
        assert!(close(r.cpc, 0.5));
        // CPL = 150 / 15 = 10.0
        assert!(close(r.cpl, 10.0));
        // CPV = 150 / 5000 = 0.03
        assert!(close(r.cpv, 0.03));
        // CPM = 150 / 20000 × 1000 = 7.5
        assert!(close(r.cpm, 7.5));
        // CPA = 150 / 3 = 50.0
        assert!(close(r.cpa, 50.0));
    }

    #[test]
    fn zero_totals_give_undefined_ratios() {
        assert_eq!(AdsTotals::default().ratios(), AdsRatios::default());
        let r = AdsTotals {
            spend: 80.0,
            clicks: 40,
            ..Default::default()
        }
        .ratios();
        // Clicks without recorded impressions: CTR and CPM undefined, CPC = 80 / 40 = 2.0.
        assert_eq!(r.ctr, None);
        assert_eq!(r.cpm, None);
        assert!(close(r.cpc, 2.0));
        assert_eq!(r.cpl, None);
        assert_eq!(r.cpv, None);
        assert_eq!(r.cpa, None);
    }

    #[test]
    fn zero_spend_is_a_real_zero_cost() {
        let r = AdsTotals {
            impressions: 1000,
            clicks: 10,
            ..Default::default()
        }
        .ratios();
        assert_eq!(r.cpc, Some(0.0));
        assert_eq!(r.cpm, Some(0.0));
        // CTR = 10 / 1000 × 100 = 1.0
        assert!(close(r.ctr, 1.0));
    }

    #[test]
    fn totals_add_up() {
        let mut t = sample();
        t += sample();
        let u = sample() + sample();
        assert_eq!(t, u);
        assert_eq!(
            u,
            AdsTotals {
                spend: 300.0,
                impressions: 40_000,
                clicks: 600,
                leads: 30,
                video_views: 10_000,
                deals: 6,
            }
        );
        // Ratios of summed totals: CPC = 300 / 600 = 0.5 (unchanged, both halves alike).
        assert!(close(u.ratios().cpc, 0.5));
    }
}
