//! Newtype identifiers, so a project id can never be passed where a user id is expected.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<i64> for $name {
            fn from(id: i64) -> $name {
                $name(id)
            }
        }
    )*};
}

id_type!(
    /// An organization (tenant): every other row belongs to exactly one.
    OrgId,
    /// A person who can log in.
    UserId,
    /// A client company inside an organization.
    ClientId,
    /// One client engagement.
    ProjectId,
    /// A social-media account attached to a project.
    AccountId,
    /// An API bearer token.
    TokenId,
    /// A post of the content plan.
    PostId,
    /// A comment (or suggestion) on a post of the content plan.
    CommentId,
    /// A goal of a project.
    GoalId,
    /// A recorded meeting of a project.
    MeetingId,
);

/// A stored name (a state, a status) that no variant of its enum has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownName {
    /// What was being read (`post state`, `project status`).
    pub what: &'static str,
    pub name: String,
}

impl std::fmt::Display for UnknownName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown {} `{}`", self.what, self.name)
    }
}

impl std::error::Error for UnknownName {}
