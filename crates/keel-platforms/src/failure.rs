//! What a failed platform call means for the caller, the same for every platform: wait and call
//! again, have a person reconnect the account, give up on this request, or treat the platform
//! as unreachable.

use std::time::Duration;

/// The kind of a failed call. Publishing, pulls and notification delivery decide on this, not on
/// each platform's error codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The platform asked to slow down or had a passing problem: call again later, not before
    /// `after` when the platform said how long to wait.
    RetryLater { after: Option<Duration> },
    /// The credentials no longer work (a revoked or wrong token, the bot removed or blocked): a
    /// person has to reconnect; retrying cannot help.
    Reconnect,
    /// The platform refused this request for good (a bad parameter, a text too long, a chat
    /// that does not exist); `reason` is the platform's own description.
    Rejected { reason: String },
    /// No answer, or not a documented one (network failure, timeout, a 5xx, a body that does not
    /// parse). Whether the call took effect is unknown.
    PlatformDown,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::RetryLater { after: Some(after) } => {
                write!(f, "retry in {} s", after.as_secs())
            }
            Failure::RetryLater { after: None } => f.write_str("retry later"),
            Failure::Reconnect => f.write_str("the account needs reconnecting"),
            Failure::Rejected { reason } => write!(f, "rejected: {reason}"),
            Failure::PlatformDown => f.write_str("the platform is not answering"),
        }
    }
}

/// An error of one platform's client: its details (method, code, the platform's words) for
/// logs, and its [`Failure`] kind for decisions.
pub trait PlatformError: std::error::Error + Send + Sync + 'static {
    fn failure(&self) -> Failure;
}
