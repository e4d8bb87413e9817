//! Project roles of `PRODUCT.md` ("People and roles").

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Which side of the client–agency relationship a role sits on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Client,
    Agency,
    /// Read-only observers (an auditor, an investor) belong to neither side.
    Neutral,
}

/// A user's role in one project. A user may hold different roles in different projects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    ClientOwner,
    ClientApprover,
    ClientMember,
    AgencyLead,
    Specialist,
    Viewer,
}

impl Role {
    /// Every role, in the order pages list them.
    pub const ALL: [Role; 6] = [
        Role::ClientOwner,
        Role::ClientApprover,
        Role::ClientMember,
        Role::AgencyLead,
        Role::Specialist,
        Role::Viewer,
    ];

    /// The name used in the CLI, the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::ClientOwner => "client_owner",
            Role::ClientApprover => "client_approver",
            Role::ClientMember => "client_member",
            Role::AgencyLead => "agency_lead",
            Role::Specialist => "specialist",
            Role::Viewer => "viewer",
        }
    }

    pub fn side(self) -> Side {
        match self {
            Role::ClientOwner | Role::ClientApprover | Role::ClientMember => Side::Client,
            Role::AgencyLead | Role::Specialist => Side::Agency,
            Role::Viewer => Side::Neutral,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text was not one of the six role names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown role `{0}`: expected one of client_owner, client_approver, client_member, agency_lead, specialist, viewer"
)]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

/// The roles one person holds in one project (a client owner may also approve).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct RoleSet(u8);

impl RoleSet {
    pub const EMPTY: RoleSet = RoleSet(0);

    pub fn of(role: Role) -> RoleSet {
        RoleSet(1 << role as u8)
    }

    pub fn with(self, role: Role) -> RoleSet {
        RoleSet(self.0 | 1 << role as u8)
    }

    pub fn contains(self, role: Role) -> bool {
        self.0 & (1 << role as u8) != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn iter(self) -> impl Iterator<Item = Role> {
        Role::ALL.into_iter().filter(move |r| self.contains(*r))
    }
}

impl FromIterator<Role> for RoleSet {
    fn from_iter<I: IntoIterator<Item = Role>>(iter: I) -> Self {
        iter.into_iter().fold(RoleSet::EMPTY, RoleSet::with)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips_through_its_name() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
    }

    #[test]
    fn a_role_set_holds_exactly_what_was_put_in() {
        let set: RoleSet = [Role::ClientOwner, Role::ClientApprover].into_iter().collect();
        assert!(set.contains(Role::ClientApprover));
        assert!(!set.contains(Role::Viewer));
        assert_eq!(set.iter().count(), 2);
        assert!(RoleSet::EMPTY.is_empty());
    }

    #[test]
    fn an_unknown_role_names_the_valid_ones() {
        let err = "owner".parse::<Role>().unwrap_err();
        assert!(err.to_string().contains("client_owner"));
    }
}
