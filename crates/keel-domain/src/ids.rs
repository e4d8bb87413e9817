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
);
