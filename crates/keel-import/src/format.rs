//! The formats `keel import --format` accepts.

use std::fmt;
use std::str::FromStr;

/// A file format Keel can import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// Canonical posts CSV.
    Posts,
    /// Canonical daily account figures CSV.
    Daily,
    /// Canonical ad statistics CSV.
    Ads,
    /// Canonical leads CSV.
    Leads,
    /// The UCI "Facebook metrics" export (semicolon separated), imported as posts.
    FacebookMetrics,
}

impl Format {
    /// Every format, in the order they are listed to users.
    pub const ALL: [Format; 5] = [
        Format::Posts,
        Format::Daily,
        Format::Ads,
        Format::Leads,
        Format::FacebookMetrics,
    ];

    /// The name used on the command line, in the API and in the `imports` log.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Posts => "posts",
            Format::Daily => "daily",
            Format::Ads => "ads",
            Format::Leads => "leads",
            Format::FacebookMetrics => "facebook-metrics",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A format name Keel does not know; its message lists the valid ones.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown import format `{0}`; valid formats: {list}", list = valid_list())]
pub struct UnknownFormat(pub String);

fn valid_list() -> String {
    Format::ALL.map(Format::as_str).join(", ")
}

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase().replace('_', "-");
        Format::ALL
            .into_iter()
            .find(|f| f.as_str() == wanted)
            .ok_or_else(|| UnknownFormat(s.to_owned()))
    }
}

impl Format {
    /// A small file of this format that imports as it is: what a person can download, look
    /// at and fill in (the data page offers one per format).
    pub fn sample(self) -> &'static str {
        match self {
            Format::Posts => include_str!("../samples/posts.csv"),
            Format::Daily => include_str!("../samples/daily.csv"),
            Format::Ads => include_str!("../samples/ads.csv"),
            Format::Leads => include_str!("../samples/leads.csv"),
            Format::FacebookMetrics => include_str!("../samples/facebook-metrics.csv"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_ones_list_the_valid() {
        for f in Format::ALL {
            assert_eq!(f.as_str().parse::<Format>(), Ok(f));
        }
        let err = "tweets".parse::<Format>().unwrap_err().to_string();
        assert!(err.contains("`tweets`"), "{err}");
        assert!(err.contains("posts, daily, ads, leads, facebook-metrics"), "{err}");
    }
}
