//! Why a use case did not happen: a refusal (a rule, or invalid input) the caller can act
//! on, or a failure of the store underneath.

use keel_domain::Lang;
use keel_domain::workflow;
use keel_store::StoreError;

/// A rule or a check said no. [`Refusal::text`] words it (see [`crate::wording`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The thing does not exist, or the caller may not know it does.
    NotFound,
    /// The caller's role in the project does not allow the action.
    Forbidden,
    /// Only the agency side writes, schedules and publishes posts.
    NotAgency,
    /// Only the project's designated approvers approve or request changes.
    NotApprover,
    /// Nobody approves (or sends back) their own post.
    OwnPost,
    /// Viewers read posts; they do not comment.
    ReadOnly,
    /// The action is not possible in the post's current state.
    WrongState,
    /// Requesting changes needs a comment saying what should change.
    CommentRequired,
    /// Resubmitting waits until every suggestion is answered; this many are open.
    OpenSuggestions(u32),
    /// Someone else moved or edited the post meanwhile.
    ChangedMeanwhile,
    /// A field's value is not acceptable.
    Invalid { field: String, reason: String },
    /// A new password is too short, too common or absurdly long.
    WeakPassword(keel_domain::password::PasswordProblem),
    /// The link (invitation, password reset) is unknown, used, revoked or expired.
    LinkGone,
    /// Removing this membership would leave the project without anyone in a leading role
    /// (its agency lead, or the client's owner).
    LastLead(keel_domain::Role),
    /// A connection could not be made: the platform's check said why.
    Connection(crate::publishing::Problem),
}

/// The broad class of a refusal, which each edge maps to its own status (HTTP 404, 403, 409,
/// 400).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalKind {
    NotFound,
    Forbidden,
    Conflict,
    Invalid,
}

impl Refusal {
    pub fn kind(&self) -> RefusalKind {
        match self {
            Refusal::NotFound => RefusalKind::NotFound,
            Refusal::Forbidden | Refusal::NotAgency | Refusal::NotApprover | Refusal::OwnPost | Refusal::ReadOnly => {
                RefusalKind::Forbidden
            }
            Refusal::WrongState | Refusal::OpenSuggestions(_) | Refusal::ChangedMeanwhile | Refusal::LastLead(_) => {
                RefusalKind::Conflict
            }
            Refusal::CommentRequired | Refusal::Invalid { .. } | Refusal::WeakPassword(_) | Refusal::Connection(_) => {
                RefusalKind::Invalid
            }
            Refusal::LinkGone => RefusalKind::NotFound,
        }
    }

    /// The refusal in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        crate::wording::refusal(self, lang)
    }

    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Refusal {
        Refusal::Invalid {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

impl std::fmt::Display for Refusal {
    /// In English (logs, and edges without a reader's language).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

impl From<workflow::Refusal> for Refusal {
    fn from(r: workflow::Refusal) -> Refusal {
        match r {
            workflow::Refusal::NotAgency => Refusal::NotAgency,
            workflow::Refusal::NotApprover => Refusal::NotApprover,
            workflow::Refusal::OwnPost => Refusal::OwnPost,
            workflow::Refusal::ReadOnly => Refusal::ReadOnly,
            workflow::Refusal::WrongState => Refusal::WrongState,
            workflow::Refusal::CommentRequired => Refusal::CommentRequired,
            workflow::Refusal::OpenSuggestions(n) => Refusal::OpenSuggestions(n),
            workflow::Refusal::ChangedMeanwhile => Refusal::ChangedMeanwhile,
        }
    }
}

/// What a use case returns when it did not happen.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    Refused(Refusal),
    /// The store failed, or refused in words of its own (an invalid value it checked).
    #[error(transparent)]
    Store(StoreError),
    /// Anything else that failed underneath (a report's query).
    #[error(transparent)]
    Internal(anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

impl From<Refusal> for AppError {
    fn from(r: Refusal) -> AppError {
        AppError::Refused(r)
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        match e {
            StoreError::NotFound => AppError::Refused(Refusal::NotFound),
            StoreError::Refused(r) => AppError::Refused(r.into()),
            other => AppError::Store(other),
        }
    }
}
