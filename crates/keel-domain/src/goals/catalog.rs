//! The metric catalog goals are set on (PRODUCT.md core rules 1, 2 and 6), and the KPI
//! presets by goal type.
//!
//! Each metric says how its value *on a day* is formed from daily figures, because a goal
//! compares two such values (the baseline at the goal's start and the target at its
//! deadline) and its feasibility compares changes of that value:
//! - a **level** (followers) is the figure of the day itself;
//! - a **flow** (reach, leads, revenue…) is the total of the 30 days ending that day — a
//!   monthly volume, so that one quiet day does not read as a collapse;
//! - a **rate** (ER, CPL, lead→deal…) is computed over the same 30 days from the sums of
//!   its numerator and denominator (ER: the mean of the days' ER, as PRODUCT.md's period
//!   ER is a mean).

use crate::metrics::funnel::Zone;
use serde::Serialize;
use std::str::FromStr;

/// Days summed by a flow or rate metric's value on a day.
pub const WINDOW_DAYS: i64 = 30;

/// How a metric's value on a day is formed from its daily points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    /// The latest day's figure (followers).
    Level,
    /// The sum over the window.
    Sum,
    /// `Σnumerator / Σdenominator × scale` over the window.
    Ratio { scale: u32 },
    /// The mean of the days' `numerator / denominator × scale` over the window.
    MeanOfDays { scale: u32 },
}

/// A metric a goal can be set on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    Followers,
    ErFollowers,
    ErrReach,
    Reach,
    Mentions,
    HashtagUses,
    Interactions,
    RepeatRequests,
    Clicks,
    Leads,
    Cpc,
    Cpl,
    Cpv,
    LeadToDeal,
    Revenue,
}

/// What the catalog says about one metric.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, utoipa::ToSchema)]
pub struct MetricInfo {
    pub metric: Metric,
    /// The catalog name used in the API (`followers`, `er_followers`, …).
    pub name: &'static str,
    /// How the value is computed, in English (pages translate by `name`).
    pub definition: &'static str,
    /// `count`, `percent` or `money`.
    pub unit: &'static str,
    /// Who answers for it by default.
    pub zone: Zone,
    /// `false` for costs (CPC, CPL, CPV): lower is better.
    pub higher_is_better: bool,
    /// Vanity metrics (followers, likes) say little about business results alone.
    pub vanity: bool,
    pub aggregation: Aggregation,
    /// The `/definitions` anchor explaining the formula.
    pub anchor: &'static str,
}

impl Metric {
    pub const ALL: [Metric; 15] = [
        Metric::Followers,
        Metric::ErFollowers,
        Metric::ErrReach,
        Metric::Reach,
        Metric::Mentions,
        Metric::HashtagUses,
        Metric::Interactions,
        Metric::RepeatRequests,
        Metric::Clicks,
        Metric::Leads,
        Metric::Cpc,
        Metric::Cpl,
        Metric::Cpv,
        Metric::LeadToDeal,
        Metric::Revenue,
    ];

    pub fn as_str(self) -> &'static str {
        self.info().name
    }

    /// The catalog entry. Written out per metric so every property is visible in one place.
    pub fn info(self) -> MetricInfo {
        use Aggregation::*;
        use Metric::*;
        let (name, definition, unit, zone, higher, vanity, aggregation, anchor) = match self {
            Followers => (
                "followers",
                "Followers of all the project's accounts on the day (daily figures).",
                "count",
                Zone::Agency,
                true,
                true,
                Level,
                "growth",
            ),
            ErFollowers => (
                "er_followers",
                "Engagement rate by followers: the mean daily ER (ΣI of the day's posts / followers × 100) over 30 days.",
                "percent",
                Zone::Agency,
                true,
                false,
                MeanOfDays { scale: 100 },
                "er",
            ),
            ErrReach => (
                "err_reach",
                "Engagement rate by reach: ΣI / Σreach of the posts × 100 over 30 days.",
                "percent",
                Zone::Agency,
                true,
                false,
                Ratio { scale: 100 },
                "err",
            ),
            Reach => (
                "reach",
                "Accounts' reach (daily figures) summed over 30 days.",
                "count",
                Zone::Agency,
                true,
                false,
                Sum,
                "goal-metrics",
            ),
            Mentions => (
                "mentions",
                "Brand mentions (daily figures) summed over 30 days.",
                "count",
                Zone::Agency,
                true,
                false,
                Sum,
                "goal-metrics",
            ),
            HashtagUses => (
                "hashtag_uses",
                "Uses of the brand hashtag (daily figures) summed over 30 days.",
                "count",
                Zone::Agency,
                true,
                false,
                Sum,
                "goal-metrics",
            ),
            Interactions => (
                "interactions",
                "Likes + comments + shares + saves of the posts published in 30 days.",
                "count",
                Zone::Agency,
                true,
                false,
                Sum,
                "interactions",
            ),
            RepeatRequests => (
                "repeat_requests",
                "Leads marked as repeat requests from existing customers, created in 30 days.",
                "count",
                Zone::Client,
                true,
                false,
                Sum,
                "funnel",
            ),
            Clicks => (
                "clicks",
                "Ad clicks summed over 30 days.",
                "count",
                Zone::Agency,
                true,
                false,
                Sum,
                "ads",
            ),
            Leads => (
                "leads",
                "Leads from ads (ads figures) summed over 30 days.",
                "count",
                Zone::Agency,
                true,
                false,
                Sum,
                "ads",
            ),
            Cpc => (
                "cpc",
                "Cost per click: Σspend / Σclicks over 30 days.",
                "money",
                Zone::Agency,
                false,
                false,
                Ratio { scale: 1 },
                "ads",
            ),
            Cpl => (
                "cpl",
                "Cost per lead: Σspend / Σleads (ads) over 30 days.",
                "money",
                Zone::Agency,
                false,
                false,
                Ratio { scale: 1 },
                "ads",
            ),
            Cpv => (
                "cpv",
                "Cost per video view: Σspend / Σvideo views over 30 days.",
                "money",
                Zone::Agency,
                false,
                false,
                Ratio { scale: 1 },
                "ads",
            ),
            LeadToDeal => (
                "lead_to_deal",
                "Lead→deal conversion: leads created in 30 days that are won / leads created × 100.",
                "percent",
                Zone::Client,
                true,
                false,
                Ratio { scale: 100 },
                "funnel",
            ),
            Revenue => (
                "revenue",
                "Amount of the won deals among leads created in 30 days.",
                "money",
                Zone::Client,
                true,
                false,
                Sum,
                "funnel",
            ),
        };
        MetricInfo {
            metric: self,
            name,
            definition,
            unit,
            zone,
            higher_is_better: higher,
            vanity,
            aggregation,
            anchor,
        }
    }

    /// Sales metrics are the client's sales team's work: core rule 6 forbids putting them in
    /// the agency's zone.
    pub fn is_sales(self) -> bool {
        matches!(self, Metric::LeadToDeal | Metric::Revenue | Metric::RepeatRequests)
    }
}

/// The name was not in the catalog.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown metric `{0}`: expected one of {list}", list = catalog_names())]
pub struct UnknownMetric(pub String);

fn catalog_names() -> String {
    Metric::ALL.map(|m| m.as_str()).join(", ")
}

impl FromStr for Metric {
    type Err = UnknownMetric;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Metric::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| UnknownMetric(s.to_owned()))
    }
}

impl std::fmt::Display for Metric {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Parses a zone name (`agency` or `client`).
pub fn parse_zone(s: &str) -> Option<Zone> {
    match s {
        "agency" => Some(Zone::Agency),
        "client" => Some(Zone::Client),
        _ => None,
    }
}

/// The four goal types of core rule 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GoalType {
    Awareness,
    Loyalty,
    Leads,
    Sales,
}

impl GoalType {
    pub const ALL: [GoalType; 4] = [GoalType::Awareness, GoalType::Loyalty, GoalType::Leads, GoalType::Sales];

    pub fn as_str(self) -> &'static str {
        match self {
            GoalType::Awareness => "awareness",
            GoalType::Loyalty => "loyalty",
            GoalType::Leads => "leads",
            GoalType::Sales => "sales",
        }
    }

    /// The KPIs of core rule 2, in its order. "Active customers" of loyalty has no imported
    /// figure yet: repeat requests from existing customers stand for it.
    pub fn preset(self) -> &'static [Metric] {
        use Metric::*;
        match self {
            GoalType::Awareness => &[Mentions, HashtagUses, Followers, Reach],
            GoalType::Loyalty => &[Followers, Interactions, ErFollowers, RepeatRequests],
            GoalType::Leads => &[Clicks, Leads, Cpc, Cpl, Cpv],
            GoalType::Sales => &[LeadToDeal, Revenue],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_metric_round_trips_through_its_catalog_name() {
        for m in Metric::ALL {
            assert_eq!(m.as_str().parse::<Metric>(), Ok(m));
        }
        for name in ["followers", "er_followers", "reach", "mentions", "leads", "cpl"] {
            assert!(name.parse::<Metric>().is_ok(), "{name} is an API example of PRODUCT.md");
        }
        let err = "likes".parse::<Metric>().unwrap_err().to_string();
        assert!(err.contains("er_followers"), "{err}");
    }

    #[test]
    fn costs_are_lower_is_better_and_followers_are_vanity() {
        for m in [Metric::Cpc, Metric::Cpl, Metric::Cpv] {
            assert!(!m.info().higher_is_better);
        }
        assert!(Metric::Followers.info().vanity);
        assert!(!Metric::ErFollowers.info().vanity);
    }

    #[test]
    fn sales_metrics_belong_to_the_client() {
        for m in Metric::ALL.into_iter().filter(|m| m.is_sales()) {
            assert_eq!(m.info().zone, Zone::Client, "{m}");
        }
    }

    #[test]
    fn presets_follow_core_rule_two() {
        use Metric::*;
        assert_eq!(GoalType::Awareness.preset(), &[Mentions, HashtagUses, Followers, Reach]);
        assert_eq!(GoalType::Leads.preset(), &[Clicks, Leads, Cpc, Cpl, Cpv]);
        assert_eq!(GoalType::Sales.preset(), &[LeadToDeal, Revenue]);
        assert!(GoalType::Loyalty.preset().contains(&Interactions));
    }
}
