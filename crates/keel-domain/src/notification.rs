//! What Keel tells people, and the one interface every delivery channel implements.
//!
//! The workflow decides *who* hears *what* (a [`Notification`] per recipient); the in-app inbox,
//! e-mail and Telegram each implement [`Deliver`] and decide only *how*, after checking the
//! recipient's preferences for their channel. Delivery runs inside the database job runner, so an
//! `Err` is retried with backoff.

use crate::ids::{ProjectId, UserId};
use std::future::Future;
use std::pin::Pin;

/// Every kind of notification; users choose per kind and channel which they get.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NotificationKind {
    /// A post was submitted for approval (to the project's approvers).
    PostSubmitted,
    /// An urgent post was submitted: its SLA clock runs (to the approvers, at once).
    UrgentPostSubmitted,
    /// Half of an urgent post's SLA has passed without a decision (to the approvers again).
    SlaHalfway,
    /// An urgent post's SLA passed without a decision (to approvers and the agency lead).
    SlaMissed,
    /// An approver requested changes (to the post's author).
    ChangesRequested,
    /// A post was approved, by a person or automatically at SLA expiry (to the author).
    PostApproved,
    /// Someone commented on a post (to its author and approvers).
    CommentAdded,
    /// Publishing a post failed for good (to the agency lead and the author).
    PublishFailed,
}

impl NotificationKind {
    pub const ALL: [NotificationKind; 8] = [
        NotificationKind::PostSubmitted,
        NotificationKind::UrgentPostSubmitted,
        NotificationKind::SlaHalfway,
        NotificationKind::SlaMissed,
        NotificationKind::ChangesRequested,
        NotificationKind::PostApproved,
        NotificationKind::CommentAdded,
        NotificationKind::PublishFailed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NotificationKind::PostSubmitted => "post_submitted",
            NotificationKind::UrgentPostSubmitted => "urgent_post_submitted",
            NotificationKind::SlaHalfway => "sla_halfway",
            NotificationKind::SlaMissed => "sla_missed",
            NotificationKind::ChangesRequested => "changes_requested",
            NotificationKind::PostApproved => "post_approved",
            NotificationKind::CommentAdded => "comment_added",
            NotificationKind::PublishFailed => "publish_failed",
        }
    }

    pub fn parse(text: &str) -> Option<NotificationKind> {
        NotificationKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// Whether approvers can act on it right away (Telegram shows approve / request-changes
    /// buttons for these).
    pub fn asks_for_decision(self) -> bool {
        matches!(
            self,
            NotificationKind::PostSubmitted | NotificationKind::UrgentPostSubmitted | NotificationKind::SlaHalfway
        )
    }
}

/// Where a notification can reach a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    InApp,
    Email,
    Telegram,
}

impl Channel {
    pub const ALL: [Channel; 3] = [Channel::InApp, Channel::Email, Channel::Telegram];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::InApp => "in_app",
            Channel::Email => "email",
            Channel::Telegram => "telegram",
        }
    }

    pub fn parse(text: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == text)
    }
}

/// One message for one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub kind: NotificationKind,
    pub recipient: UserId,
    pub project: ProjectId,
    /// The content post it is about (every current kind is about one).
    pub post_id: i64,
    /// One line: "Approval needed: «Spring menu launch» (urgent, due 14:30 UTC)".
    pub title: String,
    /// A few lines of detail (the comment, the deadline); may be empty.
    pub body: String,
    /// The path of the post's page, e.g. `/projects/client-a/posts/42`; channels prefix the
    /// installation's public URL.
    pub link_path: String,
}

/// The result of one delivery attempt; `Err` carries a reason and is retried with backoff.
pub type DeliveryResult = Result<(), String>;

/// A delivery channel. Implementations check the recipient's preference for their channel and
/// return `Ok(())` without sending when the person opted out.
pub trait Deliver: Send + Sync {
    fn channel(&self) -> Channel;

    fn deliver<'a>(
        &'a self,
        notification: &'a Notification,
    ) -> Pin<Box<dyn Future<Output = DeliveryResult> + Send + 'a>>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for kind in NotificationKind::ALL {
            assert_eq!(NotificationKind::parse(kind.as_str()), Some(kind));
        }
        for channel in Channel::ALL {
            assert_eq!(Channel::parse(channel.as_str()), Some(channel));
        }
        assert_eq!(NotificationKind::parse("nope"), None);
    }
}
