//! The project brief: what the agency must know about the client's business (PRODUCT.md
//! "the agency is kept out of the business"). Versioned by the store: every save is a new
//! version, none is ever changed.

use serde::{Deserialize, Serialize};

/// The longest text a field may hold (characters).
pub const MAX_FIELD_CHARS: usize = 5000;

/// One version's content. Every text is trimmed; empty means "not filled in yet".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct BriefContent {
    pub business: String,
    pub products: String,
    pub audience: String,
    pub competitors: String,
    pub tone_of_voice: String,
    pub taboo_topics: String,
    /// Who approves content on the client's side (names or roles).
    pub approvers: String,
    /// Logos, brand book, fonts: text and links.
    pub brand_assets: String,
    /// Engagement terms: the agency's fixed monthly fee.
    pub fixed_fee: Option<f64>,
    /// Monthly ad budget (spent on ads, not the agency's pay).
    pub ad_budget: Option<f64>,
    /// How often the agency reports: `weekly`, `biweekly`, `monthly`.
    pub reporting_cadence: String,
    /// The share of sales the agency's pay depends on, in percent (`None`: not tied).
    pub sales_share_pct: Option<f64>,
}

/// The text fields, with their names, in the order pages show them.
pub const TEXT_FIELDS: [&str; 9] = [
    "business",
    "products",
    "audience",
    "competitors",
    "tone_of_voice",
    "taboo_topics",
    "approvers",
    "brand_assets",
    "reporting_cadence",
];

pub const CADENCES: [&str; 3] = ["weekly", "biweekly", "monthly"];

/// The field of a brief that cannot be kept as typed, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BriefProblem {
    pub field: &'static str,
    pub reason: String,
}

impl std::fmt::Display for BriefProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "field `{}`: {}", self.field, self.reason)
    }
}

impl std::error::Error for BriefProblem {}

impl BriefContent {
    /// Trims every text and checks each field, naming the first one that is wrong.
    pub fn validated(mut self) -> Result<Self, BriefProblem> {
        let problem = |field: &'static str, reason: String| Err(BriefProblem { field, reason });
        for (name, value) in self.texts_mut() {
            *value = value.trim().to_owned();
            if value.chars().count() > MAX_FIELD_CHARS {
                return problem(name, format!("is longer than {MAX_FIELD_CHARS} characters"));
            }
        }
        if !self.reporting_cadence.is_empty() && !CADENCES.contains(&self.reporting_cadence.as_str()) {
            let reason = format!("`{}` is not one of weekly, biweekly, monthly", self.reporting_cadence);
            return problem("reporting_cadence", reason);
        }
        for (name, value) in [("fixed_fee", self.fixed_fee), ("ad_budget", self.ad_budget)] {
            if value.is_some_and(|v| !v.is_finite() || v < 0.0) {
                return problem(name, "must be a number ≥ 0".into());
            }
        }
        if self
            .sales_share_pct
            .is_some_and(|v| !v.is_finite() || !(0.0..=100.0).contains(&v))
        {
            return problem("sales_share_pct", "must be a percentage between 0 and 100".into());
        }
        if self.business.is_empty() {
            return problem("business", "say what the client's business is".into());
        }
        Ok(self)
    }

    fn texts_mut(&mut self) -> [(&'static str, &mut String); 9] {
        [
            ("business", &mut self.business),
            ("products", &mut self.products),
            ("audience", &mut self.audience),
            ("competitors", &mut self.competitors),
            ("tone_of_voice", &mut self.tone_of_voice),
            ("taboo_topics", &mut self.taboo_topics),
            ("approvers", &mut self.approvers),
            ("brand_assets", &mut self.brand_assets),
            ("reporting_cadence", &mut self.reporting_cadence),
        ]
    }

    /// Every field as (name, shown value), money and shares included, for comparison.
    pub fn fields(&self) -> Vec<(&'static str, String)> {
        let num = |v: Option<f64>| v.map(|v| format!("{v}")).unwrap_or_default();
        let mut out: Vec<(&'static str, String)> = vec![
            ("business", self.business.clone()),
            ("products", self.products.clone()),
            ("audience", self.audience.clone()),
            ("competitors", self.competitors.clone()),
            ("tone_of_voice", self.tone_of_voice.clone()),
            ("taboo_topics", self.taboo_topics.clone()),
            ("approvers", self.approvers.clone()),
            ("brand_assets", self.brand_assets.clone()),
        ];
        out.push(("fixed_fee", num(self.fixed_fee)));
        out.push(("ad_budget", num(self.ad_budget)));
        out.push(("reporting_cadence", self.reporting_cadence.clone()));
        out.push(("sales_share_pct", num(self.sales_share_pct)));
        out
    }

    /// Pay tied to a share of sales makes the agency answer for the client's sales team
    /// (core rule 6): a warning the brief shows.
    pub fn pay_tied_to_sales(&self) -> bool {
        self.sales_share_pct.is_some_and(|p| p > 0.0)
    }
}

/// One field of two versions side by side.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct FieldChange {
    pub field: &'static str,
    pub left: String,
    pub right: String,
    pub changed: bool,
}

/// Two versions field by field.
pub fn compare(left: &BriefContent, right: &BriefContent) -> Vec<FieldChange> {
    left.fields()
        .into_iter()
        .zip(right.fields())
        .map(|((field, l), (_, r))| FieldChange {
            field,
            changed: l != r,
            left: l,
            right: r,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brief() -> BriefContent {
        BriefContent {
            business: "  Coffee roastery ".into(),
            reporting_cadence: "monthly".into(),
            ..Default::default()
        }
    }

    #[test]
    fn texts_are_trimmed_and_bad_fields_named() {
        assert_eq!(brief().validated().unwrap().business, "Coffee roastery");
        let err = BriefContent {
            reporting_cadence: "daily".into(),
            ..brief()
        }
        .validated()
        .unwrap_err();
        assert_eq!(err.field, "reporting_cadence", "{err}");
        let err = BriefContent {
            ad_budget: Some(-1.0),
            ..brief()
        }
        .validated()
        .unwrap_err();
        assert_eq!(err.field, "ad_budget", "{err}");
        let err = BriefContent {
            business: " ".into(),
            ..brief()
        }
        .validated()
        .unwrap_err();
        assert_eq!(err.field, "business", "{err}");
        let err = BriefContent {
            sales_share_pct: Some(150.0),
            ..brief()
        }
        .validated()
        .unwrap_err();
        assert_eq!(err.field, "sales_share_pct", "{err}");
    }

    #[test]
    fn pay_tied_to_sales_is_flagged() {
        assert!(!brief().pay_tied_to_sales());
        assert!(
            BriefContent {
                sales_share_pct: Some(5.0),
                ..brief()
            }
            .pay_tied_to_sales()
        );
        assert!(
            !BriefContent {
                sales_share_pct: Some(0.0),
                ..brief()
            }
            .pay_tied_to_sales()
        );
    }

    #[test]
    fn comparison_marks_exactly_the_changed_fields() {
        let a = brief();
        let b = BriefContent {
            tone_of_voice: "warm".into(),
            fixed_fee: Some(1000.0),
            ..brief()
        };
        let changes = compare(&a, &b);
        let changed: Vec<_> = changes.iter().filter(|c| c.changed).map(|c| c.field).collect();
        assert_eq!(changed, ["tone_of_voice", "fixed_fee"]);
        assert_eq!(changes.len(), 12);
    }
}
