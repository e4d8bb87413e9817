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
    /// VK API `wall.get` answers (JSON), optionally with `stats.getPostReach` answers merged
    /// per post, imported as posts.
    VkWall,
    /// A Telegram Desktop channel export `result.json`, imported as posts.
    TelegramExport,
    /// Instagram Graph API `/{ig-user-id}/media` pages with each media's `insights`, imported
    /// as posts.
    InstagramMedia,
    /// A Yandex Direct Reports v5 `CAMPAIGN_PERFORMANCE_REPORT` (TSV), imported as ads.
    YandexDirect,
    /// Meta Marketing API campaign insights answers (JSON), imported as ads.
    MetaAds,
    /// amoCRM API v4 `/api/v4/leads` pages (JSON), imported as leads.
    Amocrm,
    /// Bitrix24 `crm.deal.list` answers (JSON), imported as leads.
    Bitrix24,
}

impl Format {
    /// Every format, in the order they are listed to users.
    pub const ALL: [Format; 12] = [
        Format::Posts,
        Format::Daily,
        Format::Ads,
        Format::Leads,
        Format::FacebookMetrics,
        Format::VkWall,
        Format::TelegramExport,
        Format::InstagramMedia,
        Format::YandexDirect,
        Format::MetaAds,
        Format::Amocrm,
        Format::Bitrix24,
    ];

    /// The name used on the command line, in the API and in the `imports` log.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Posts => "posts",
            Format::Daily => "daily",
            Format::Ads => "ads",
            Format::Leads => "leads",
            Format::FacebookMetrics => "facebook-metrics",
            Format::VkWall => "vk-wall",
            Format::TelegramExport => "telegram-export",
            Format::InstagramMedia => "instagram-media",
            Format::YandexDirect => "yandex-direct",
            Format::MetaAds => "meta-ads",
            Format::Amocrm => "amocrm",
            Format::Bitrix24 => "bitrix24",
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
            Format::VkWall => include_str!("../samples/vk-wall.json"),
            Format::TelegramExport => include_str!("../samples/telegram-export.json"),
            Format::InstagramMedia => include_str!("../samples/instagram-media.json"),
            Format::YandexDirect => include_str!("../samples/yandex-direct.tsv"),
            Format::MetaAds => include_str!("../samples/meta-ads.json"),
            Format::Amocrm => include_str!("../samples/amocrm.json"),
            Format::Bitrix24 => include_str!("../samples/bitrix24.json"),
        }
    }

    /// The sample's file name: the format's name and the extension of what it holds.
    pub fn sample_file_name(self) -> String {
        format!("{}.{}", self.as_str(), self.extension())
    }

    /// The extension of a file of this format: `csv`, `tsv` or `json`.
    pub fn extension(self) -> &'static str {
        match self {
            Format::YandexDirect => "tsv",
            Format::VkWall
            | Format::TelegramExport
            | Format::InstagramMedia
            | Format::MetaAds
            | Format::Amocrm
            | Format::Bitrix24 => "json",
            _ => "csv",
        }
    }

    /// The media type a file of this format is served with.
    pub fn content_type(self) -> &'static str {
        match self.extension() {
            "json" => "application/json",
            "tsv" => "text/tab-separated-values; charset=utf-8",
            _ => "text/csv; charset=utf-8",
        }
    }

    /// Whether the format is one of Keel's own canonical CSVs (else a tool's or API's own).
    pub fn is_canonical(self) -> bool {
        matches!(self, Format::Posts | Format::Daily | Format::Ads | Format::Leads)
    }

    /// What a file of this format becomes: `posts`, `daily`, `ads` or `leads`.
    pub fn becomes(self) -> &'static str {
        match self {
            Format::Posts
            | Format::FacebookMetrics
            | Format::VkWall
            | Format::TelegramExport
            | Format::InstagramMedia => "posts",
            Format::Daily => "daily",
            Format::Ads | Format::YandexDirect | Format::MetaAds => "ads",
            Format::Leads | Format::Amocrm | Format::Bitrix24 => "leads",
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
        assert!(
            err.contains(
                "posts, daily, ads, leads, facebook-metrics, vk-wall, telegram-export, instagram-media, yandex-direct, meta-ads, amocrm, bitrix24"
            ),
            "{err}"
        );
    }
}
