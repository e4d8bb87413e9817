//! Connections of a project to the platforms, and what publishing records per platform
//! (PRODUCT.md "Connections and publishing"). Names only; the checks and the calls are
//! `keel-app`'s and `keel-platforms`'.

use std::fmt;

/// A platform a project can connect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ConnectionPlatform {
    Vk,
    Telegram,
    Instagram,
    YandexDirect,
    MetaAds,
    Amocrm,
    Bitrix24,
}

impl ConnectionPlatform {
    pub const ALL: [ConnectionPlatform; 7] = [
        ConnectionPlatform::Vk,
        ConnectionPlatform::Telegram,
        ConnectionPlatform::Instagram,
        ConnectionPlatform::YandexDirect,
        ConnectionPlatform::MetaAds,
        ConnectionPlatform::Amocrm,
        ConnectionPlatform::Bitrix24,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ConnectionPlatform::Vk => "vk",
            ConnectionPlatform::Telegram => "telegram",
            ConnectionPlatform::Instagram => "instagram",
            ConnectionPlatform::YandexDirect => "yandex_direct",
            ConnectionPlatform::MetaAds => "meta_ads",
            ConnectionPlatform::Amocrm => "amocrm",
            ConnectionPlatform::Bitrix24 => "bitrix24",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ConnectionPlatform::Vk => "VK",
            ConnectionPlatform::Telegram => "Telegram",
            ConnectionPlatform::Instagram => "Instagram",
            ConnectionPlatform::YandexDirect => "Yandex Direct",
            ConnectionPlatform::MetaAds => "Meta Ads",
            ConnectionPlatform::Amocrm => "amoCRM",
            ConnectionPlatform::Bitrix24 => "Bitrix24",
        }
    }

    pub fn parse(text: &str) -> Option<ConnectionPlatform> {
        ConnectionPlatform::ALL.into_iter().find(|p| p.as_str() == text.trim())
    }

    /// The content platform posts are published to through this connection, if any.
    pub fn publishes(self) -> Option<crate::workflow::variants::Platform> {
        use crate::workflow::variants::Platform;
        match self {
            ConnectionPlatform::Vk => Some(Platform::Vk),
            ConnectionPlatform::Telegram => Some(Platform::Telegram),
            ConnectionPlatform::Instagram => Some(Platform::Instagram),
            _ => None,
        }
    }

    /// The connection that publishes to a content platform.
    pub fn for_posts(platform: crate::workflow::variants::Platform) -> Option<ConnectionPlatform> {
        ConnectionPlatform::ALL
            .into_iter()
            .find(|c| c.publishes() == Some(platform))
    }
}

impl fmt::Display for ConnectionPlatform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a connection works.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConnectionStatus {
    Ok,
    /// The platform refused the credentials (revoked, expired, the bot removed): a person has
    /// to reconnect; nothing is sent through it until then.
    NeedsReconnecting,
    /// Something else went wrong at the last use; see `last_error`.
    Error,
}

impl ConnectionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ConnectionStatus::Ok => "ok",
            ConnectionStatus::NeedsReconnecting => "needs_reconnecting",
            ConnectionStatus::Error => "error",
        }
    }

    pub fn parse(text: &str) -> Option<ConnectionStatus> {
        [
            ConnectionStatus::Ok,
            ConnectionStatus::NeedsReconnecting,
            ConnectionStatus::Error,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// Where one platform's publication of a post is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PublicationState {
    /// Waiting for its time (or for a retry).
    Pending,
    /// Claimed, and the call may be on its way: never sent again without reconciling.
    Sending,
    Published,
    /// Refused for good; `error` says why in words.
    Failed,
    /// The call may or may not have taken effect and the platform cannot tell: a person
    /// looks at the channel and marks it published, or sends it again.
    Unknown,
}

impl PublicationState {
    pub const ALL: [PublicationState; 5] = [
        PublicationState::Pending,
        PublicationState::Sending,
        PublicationState::Published,
        PublicationState::Failed,
        PublicationState::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PublicationState::Pending => "pending",
            PublicationState::Sending => "sending",
            PublicationState::Published => "published",
            PublicationState::Failed => "failed",
            PublicationState::Unknown => "unknown",
        }
    }

    pub fn parse(text: &str) -> Option<PublicationState> {
        PublicationState::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

impl TryFrom<String> for PublicationState {
    type Error = crate::ids::UnknownName;

    fn try_from(name: String) -> Result<PublicationState, Self::Error> {
        PublicationState::parse(&name).ok_or(crate::ids::UnknownName {
            what: "publication state",
            name,
        })
    }
}

/// What the post becomes from its publications: `published` when every one is, `failed` when
/// one failed for good, else it stays scheduled (some still pending, sending or unknown).
pub fn settled_post_state(states: &[PublicationState]) -> Option<crate::workflow::PostState> {
    use crate::workflow::PostState;
    if states.is_empty() {
        return None;
    }
    if states.contains(&PublicationState::Failed) {
        Some(PostState::Failed)
    } else if states.iter().all(|s| *s == PublicationState::Published) {
        Some(PostState::Published)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflow::PostState;
    use PublicationState::*;

    #[test]
    fn names_round_trip() {
        for p in ConnectionPlatform::ALL {
            assert_eq!(ConnectionPlatform::parse(p.as_str()), Some(p));
        }
        for s in PublicationState::ALL {
            assert_eq!(PublicationState::parse(s.as_str()), Some(s));
        }
        assert_eq!(
            ConnectionStatus::parse("needs_reconnecting"),
            Some(ConnectionStatus::NeedsReconnecting)
        );
    }

    #[test]
    fn a_post_settles_when_every_platform_is_published_or_one_failed() {
        assert_eq!(settled_post_state(&[Published, Published]), Some(PostState::Published));
        assert_eq!(settled_post_state(&[Published, Failed]), Some(PostState::Failed));
        assert_eq!(settled_post_state(&[Published, Sending]), None);
        assert_eq!(settled_post_state(&[Published, Unknown]), None);
        assert_eq!(settled_post_state(&[]), None);
    }
}
