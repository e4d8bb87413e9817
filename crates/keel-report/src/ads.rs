//! The `ads` section: spend, impressions, clicks, leads and video views with CTR, CPC,
//! CPL, CPV and CPM, in total and per campaign.
//!
//! The database sums each campaign's days; the totals are the sum of the campaigns
//! (`AdsTotals` addition) and every ratio comes from `AdsTotals::ratios`, so a total CPC
//! weighs every click equally instead of averaging campaign CPCs.

use keel_domain::metrics::ads::AdsTotals;
use keel_store::report::ReportReader;
use serde::Serialize;

use crate::scope::Scope;

/// The figures of one campaign or of all of them, as listed in `PRODUCT.md`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct AdsFigures {
    pub spend: f64,
    pub impressions: i64,
    pub clicks: i64,
    pub leads: i64,
    pub video_views: i64,
    /// `clicks / impressions × 100`.
    pub ctr: Option<f64>,
    /// `spend / clicks`.
    pub cpc: Option<f64>,
    /// `spend / leads`.
    pub cpl: Option<f64>,
    /// `spend / video_views`.
    pub cpv: Option<f64>,
    /// `spend / impressions × 1000`.
    pub cpm: Option<f64>,
}

impl From<AdsTotals> for AdsFigures {
    fn from(t: AdsTotals) -> AdsFigures {
        let r = t.ratios();
        AdsFigures {
            spend: t.spend,
            impressions: t.impressions,
            clicks: t.clicks,
            leads: t.leads,
            video_views: t.video_views,
            ctr: r.ctr,
            cpc: r.cpc,
            cpl: r.cpl,
            cpv: r.cpv,
            cpm: r.cpm,
        }
    }
}

/// One campaign: its platform and name, then its figures.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct CampaignRow {
    pub platform: String,
    pub campaign: String,
    #[serde(flatten)]
    pub figures: AdsFigures,
}

/// The `ads` object: the totals' figures at the top level, and `campaigns`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Ads {
    #[serde(flatten)]
    pub totals: AdsFigures,
    /// Per campaign, ordered by platform, then campaign.
    pub campaigns: Vec<CampaignRow>,
}

/// The `ads` section of the period. Spend is summed across currencies as stored: a
/// project is expected to buy its ads in one currency.
pub(crate) async fn ads(reader: &mut ReportReader, scope: &Scope) -> anyhow::Result<Ads> {
    let mut total = AdsTotals::default();
    let mut campaigns = Vec::new();
    for c in reader.campaign_sums(scope.days()).await? {
        let sums = AdsTotals {
            spend: c.spend,
            impressions: c.impressions,
            clicks: c.clicks,
            leads: c.leads,
            video_views: c.video_views,
            deals: 0,
        };
        total += sums;
        campaigns.push(CampaignRow {
            platform: c.platform,
            campaign: c.campaign,
            figures: sums.into(),
        });
    }
    Ok(Ads {
        totals: total.into(),
        campaigns,
    })
}
