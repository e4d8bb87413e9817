//! Per-platform text of a post and each platform's documented limits.
//!
//! Lengths are counted in Unicode characters (what a person sees and what VK, Instagram and
//! Facebook count); Telegram counts UTF-16 code units, which equals characters except for
//! emoji and other characters outside the Basic Multilingual Plane, so Telegram is counted in
//! UTF-16 units.

use crate::Lang;
use std::fmt;

/// A platform a post can go to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Platform {
    Vk,
    Telegram,
    Instagram,
    Facebook,
}

impl Platform {
    pub const ALL: [Platform; 4] = [
        Platform::Vk,
        Platform::Telegram,
        Platform::Instagram,
        Platform::Facebook,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Vk => "vk",
            Platform::Telegram => "telegram",
            Platform::Instagram => "instagram",
            Platform::Facebook => "facebook",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Platform::Vk => "VK",
            Platform::Telegram => "Telegram",
            Platform::Instagram => "Instagram",
            Platform::Facebook => "Facebook",
        }
    }

    pub fn parse(text: &str) -> Option<Platform> {
        Platform::ALL
            .into_iter()
            .find(|p| p.as_str() == text.trim().to_ascii_lowercase())
    }

    /// The longest text the platform accepts; Telegram allows less under a photo (a caption).
    pub fn text_limit(self, with_images: bool) -> usize {
        match self {
            // A VK wall post's text.
            Platform::Vk => 16_384,
            // A Telegram message; a media caption is limited to 1 024.
            Platform::Telegram if with_images => 1_024,
            Platform::Telegram => 4_096,
            // An Instagram caption.
            Platform::Instagram => 2_200,
            // A Facebook post.
            Platform::Facebook => 63_206,
        }
    }

    /// The length of `text` as this platform counts it.
    pub fn length(self, text: &str) -> usize {
        match self {
            Platform::Telegram => text.encode_utf16().count(),
            _ => text.chars().count(),
        }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Instagram refuses captions with more hashtags than this.
pub const INSTAGRAM_MAX_HASHTAGS: usize = 30;

/// One problem with a post's text for one platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VariantProblem {
    TooLong {
        platform: Platform,
        length: usize,
        limit: usize,
    },
    TooManyHashtags {
        count: usize,
        limit: usize,
    },
    /// Instagram publishes only posts with a picture.
    NeedsImage {
        platform: Platform,
    },
    Empty {
        platform: Platform,
    },
}

impl VariantProblem {
    /// The problem in `lang` (the English wording is also this type's `Display`).
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.to_string(),
            Lang::Ru => match self {
                VariantProblem::TooLong {
                    platform,
                    length,
                    limit,
                } => format!(
                    "{}: в тексте {length} симв., это на {} больше предела площадки ({limit})",
                    platform.label(),
                    length - limit
                ),
                VariantProblem::TooManyHashtags { count, limit } => {
                    format!("Instagram: хештегов {count}, площадка допускает не больше {limit}")
                }
                VariantProblem::NeedsImage { platform } => {
                    format!("{}: посту нужно хотя бы одно изображение", platform.label())
                }
                VariantProblem::Empty { platform } => format!("{}: текст пуст", platform.label()),
            },
        }
    }
}

impl fmt::Display for VariantProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VariantProblem::TooLong {
                platform,
                length,
                limit,
            } => write!(
                f,
                "{}: the text is {length} characters, over the platform's limit of {limit} by {}",
                platform.label(),
                length - limit
            ),
            VariantProblem::TooManyHashtags { count, limit } => {
                write!(f, "Instagram: {count} hashtags, the platform allows at most {limit}")
            }
            VariantProblem::NeedsImage { platform } => {
                write!(f, "{}: a post needs at least one image", platform.label())
            }
            VariantProblem::Empty { platform } => write!(f, "{}: the text is empty", platform.label()),
        }
    }
}

/// Every problem of `text` (the variant for `platform`, or the main text) on `platform`.
pub fn check_variant(platform: Platform, text: &str, image_count: usize) -> Vec<VariantProblem> {
    let mut problems = vec![];
    let with_images = image_count > 0;
    if text.trim().is_empty() && !(platform == Platform::Instagram && with_images) {
        problems.push(VariantProblem::Empty { platform });
    }
    let (length, limit) = (platform.length(text), platform.text_limit(with_images));
    if length > limit {
        problems.push(VariantProblem::TooLong {
            platform,
            length,
            limit,
        });
    }
    if platform == Platform::Instagram {
        let count = hashtag_count(text);
        if count > INSTAGRAM_MAX_HASHTAGS {
            problems.push(VariantProblem::TooManyHashtags {
                count,
                limit: INSTAGRAM_MAX_HASHTAGS,
            });
        }
        if !with_images {
            problems.push(VariantProblem::NeedsImage { platform });
        }
    }
    problems
}

/// Words starting with `#` followed by at least one letter or digit.
pub fn hashtag_count(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.starts_with('#') && w[1..].chars().next().is_some_and(char::is_alphanumeric))
        .count()
}

/// Parses a comma-separated platform list, refusing unknown names and duplicates.
pub fn parse_platforms(names: &[String]) -> Result<Vec<Platform>, String> {
    let mut out: Vec<Platform> = vec![];
    for name in names {
        let platform = Platform::parse(name)
            .ok_or_else(|| format!("unknown platform `{name}`: expected vk, telegram, instagram or facebook"))?;
        if !out.contains(&platform) {
            out.push(platform);
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_the_documented_ones() {
        assert_eq!(Platform::Vk.text_limit(false), 16_384);
        assert_eq!(Platform::Telegram.text_limit(false), 4_096);
        assert_eq!(Platform::Telegram.text_limit(true), 1_024);
        assert_eq!(Platform::Instagram.text_limit(true), 2_200);
        assert_eq!(Platform::Facebook.text_limit(false), 63_206);
    }

    #[test]
    fn a_text_at_the_limit_passes_and_one_over_fails_saying_by_how_much() {
        let at = "я".repeat(4_096);
        assert!(check_variant(Platform::Telegram, &at, 0).is_empty());
        let over = "я".repeat(4_097);
        let problems = check_variant(Platform::Telegram, &over, 0);
        assert_eq!(
            problems,
            [VariantProblem::TooLong {
                platform: Platform::Telegram,
                length: 4_097,
                limit: 4_096
            }]
        );
        assert!(problems[0].to_string().contains("by 1"));
        // The same text under a photo is a caption: 1 024 at most.
        assert_eq!(check_variant(Platform::Telegram, &"a".repeat(1_025), 1).len(), 1);
    }

    #[test]
    fn telegram_counts_emoji_as_two_units() {
        assert_eq!(Platform::Telegram.length("☕"), 1);
        assert_eq!(Platform::Telegram.length("🚀"), 2);
        assert_eq!(Platform::Vk.length("🚀"), 1);
    }

    #[test]
    fn instagram_needs_an_image_and_at_most_thirty_hashtags() {
        let problems = check_variant(Platform::Instagram, "Hello", 0);
        assert_eq!(
            problems,
            [VariantProblem::NeedsImage {
                platform: Platform::Instagram
            }]
        );
        let tags: String = (0..31).map(|i| format!("#tag{i} ")).collect();
        assert_eq!(
            check_variant(Platform::Instagram, &tags, 1),
            [VariantProblem::TooManyHashtags { count: 31, limit: 30 }]
        );
        // A photo without a caption is a valid Instagram post.
        assert!(check_variant(Platform::Instagram, "", 1).is_empty());
        assert_eq!(hashtag_count("# not #1 #ok ##"), 2);
    }

    #[test]
    fn platform_lists_parse_strictly() {
        let names = ["Telegram".to_owned(), "vk".to_owned(), "vk".to_owned()];
        assert_eq!(parse_platforms(&names).unwrap(), [Platform::Vk, Platform::Telegram]);
        let err = parse_platforms(&["tiktok".to_owned()]).unwrap_err();
        assert!(err.contains("tiktok") && err.contains("facebook"));
    }
}
