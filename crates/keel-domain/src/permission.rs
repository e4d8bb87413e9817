//! Who may do what in a project: the one table every page, API route and CLI command consults.
//!
//! The web layer resolves the caller's [`Access`] to the project of the path once (in an
//! extractor) and asks [`decide`] for the action at hand, so no handler carries its own rule.

use crate::role::{Role, RoleSet, Side};

/// What the caller is to one project: a member with a role, an organization admin, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Access {
    /// The caller's membership roles in the project (empty when not a member).
    pub roles: RoleSet,
    /// Organization admins manage people in every project of their organization.
    pub org_admin: bool,
}

/// Something a caller may try to do in a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// See the project, its overview, analytics and reports.
    View,
    /// See who is on the project.
    ViewMembers,
    /// Add or remove members (organization admins; the client owner for client-side roles).
    ManageMembers,
    /// Load data files into the project.
    ImportData,
    // Content plan and approvals.
    /// Write, edit, submit, schedule and publish posts (the agency side).
    WritePosts,
    /// Approve posts or request changes (the designated approvers: `client_approver`).
    DecidePosts,
    /// Comment on posts (everyone on the project but viewers).
    CommentPosts,
    /// Change the project's workflow settings (urgent SLA, auto-approval).
    ManageWorkflow,
    /// Make and revoke secret iCal feed URLs of the project's plan: the agency lead and the
    /// client owner, who answer for where the plan is shared.
    ManageCalendarFeeds,
    // Goals, brief, team and meetings.
    /// Set, change and agree goals (client owner and agency lead only, core rule 1).
    ManageGoals,
    /// Write a new version of the brief (client owner and agency lead).
    EditBrief,
    /// Acknowledge a brief version on the agency's behalf (agency lead).
    AcknowledgeBrief,
    /// Plan meetings, write minutes, decisions and action items, fill the team matrix.
    ManageMeetings,
    /// Make and revoke report share links and set the report delivery schedule: the agency
    /// lead, who sends the reports, and the client owner, who answers for who reads them.
    ManageReports,
    // Connections and publishing.
    /// See the project's connections and their status (the agency side and the client owner).
    ViewConnections,
    /// Connect, reconnect and remove accounts, retry or resolve a publication (the agency
    /// lead, who answers for what is posted in the client's name).
    ManageConnections,
}

impl Action {
    pub const ALL: [Action; 16] = [
        Action::View,
        Action::ViewMembers,
        Action::ManageMembers,
        Action::ImportData,
        Action::WritePosts,
        Action::DecidePosts,
        Action::CommentPosts,
        Action::ManageWorkflow,
        Action::ManageCalendarFeeds,
        Action::ManageGoals,
        Action::EditBrief,
        Action::AcknowledgeBrief,
        Action::ManageMeetings,
        Action::ManageReports,
        Action::ViewConnections,
        Action::ManageConnections,
    ];
}

/// The answer to "may this caller do this here?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    /// The caller sees the project but their role may not do this (HTTP 403).
    Forbidden,
    /// The caller may not even know the project exists (HTTP 404).
    Invisible,
}

/// Decides one action for one caller. Pure, total, and tested below role by role.
pub fn decide(access: Access, action: Action) -> Decision {
    if access.roles.is_empty() && !access.org_admin {
        return Decision::Invisible;
    }
    // Admins see every project of their organization and manage its people.
    let by_admin = access.org_admin && matches!(action, Action::View | Action::ViewMembers | Action::ManageMembers);
    if by_admin || access.roles.iter().any(|role| role_allows(role, action)) {
        Decision::Allow
    } else {
        Decision::Forbidden
    }
}

fn role_allows(role: Role, action: Action) -> bool {
    match action {
        Action::View | Action::ViewMembers => true,
        Action::ManageMembers => role == Role::ClientOwner,
        Action::ImportData => matches!(role, Role::AgencyLead | Role::Specialist | Role::ClientOwner),
        // The state machine (`workflow::state`) refines these per post (authorship, state).
        Action::WritePosts => matches!(role, Role::AgencyLead | Role::Specialist),
        Action::DecidePosts => role == Role::ClientApprover,
        Action::CommentPosts => role != Role::Viewer,
        Action::ManageWorkflow => matches!(role, Role::AgencyLead | Role::ClientOwner),
        Action::ManageCalendarFeeds => matches!(role, Role::AgencyLead | Role::ClientOwner),
        Action::ManageGoals | Action::EditBrief => matches!(role, Role::ClientOwner | Role::AgencyLead),
        Action::AcknowledgeBrief => role == Role::AgencyLead,
        Action::ManageMeetings => matches!(role, Role::ClientOwner | Role::AgencyLead | Role::Specialist),
        Action::ManageReports => matches!(role, Role::AgencyLead | Role::ClientOwner),
        Action::ViewConnections => matches!(role, Role::ClientOwner | Role::AgencyLead | Role::Specialist),
        Action::ManageConnections => role == Role::AgencyLead,
    }
}

/// Which roles a member manager may hand out or take away. A client owner manages their own
/// side (and viewers); only an organization admin touches the agency side.
pub fn may_assign(access: Access, target: Role) -> bool {
    if access.org_admin {
        return true;
    }
    access.roles.contains(Role::ClientOwner) && matches!(target.side(), Side::Client | Side::Neutral)
}

/// Who may start a new project in the organization: its admins, and anyone who leads the
/// agency side of one of its projects (they run engagements; they become the new project's
/// agency lead).
pub fn may_create_projects(org_admin: bool, agency_lead_somewhere: bool) -> bool {
    org_admin || agency_lead_somewhere
}

#[cfg(test)]
mod tests {
    use super::*;
    use Decision::*;

    fn member(role: Role) -> Access {
        Access {
            roles: RoleSet::of(role),
            org_admin: false,
        }
    }

    /// The whole table, written out by hand so a change to `decide` must change this too.
    #[test]
    fn every_role_and_action_matches_the_table() {
        use Action::*;
        let (a, f) = (Allow, Forbidden);
        let table: [(Role, [Decision; 16]); 6] = [
            //                  View ViewMembers ManageMembers ImportData WritePosts DecidePosts CommentPosts ManageWorkflow ManageCalendarFeeds ManageGoals EditBrief AckBrief ManageMeetings ManageReports ViewConnections ManageConnections
            (Role::ClientOwner, [a, a, a, a, f, f, a, a, a, a, a, f, a, a, a, f]),
            (Role::ClientApprover, [a, a, f, f, f, a, a, f, f, f, f, f, f, f, f, f]),
            (Role::ClientMember, [a, a, f, f, f, f, a, f, f, f, f, f, f, f, f, f]),
            (Role::AgencyLead, [a, a, f, a, a, f, a, a, a, a, a, a, a, a, a, a]),
            (Role::Specialist, [a, a, f, a, a, f, a, f, f, f, f, f, a, f, a, f]),
            (Role::Viewer, [a, a, f, f, f, f, f, f, f, f, f, f, f, f, f, f]),
        ];
        let actions = [
            View,
            ViewMembers,
            ManageMembers,
            ImportData,
            WritePosts,
            DecidePosts,
            CommentPosts,
            ManageWorkflow,
            ManageCalendarFeeds,
            ManageGoals,
            EditBrief,
            AcknowledgeBrief,
            ManageMeetings,
            ManageReports,
            ViewConnections,
            ManageConnections,
        ];
        for (role, expected) in table {
            for (action, want) in actions.into_iter().zip(expected) {
                assert_eq!(decide(member(role), action), want, "{role} / {action:?}");
            }
        }
    }

    #[test]
    fn outsiders_see_nothing() {
        let outsider = Access {
            roles: RoleSet::EMPTY,
            org_admin: false,
        };
        for action in Action::ALL {
            assert_eq!(decide(outsider, action), Invisible);
        }
    }

    #[test]
    fn an_admin_without_membership_manages_people_but_imports_nothing() {
        let admin = Access {
            roles: RoleSet::EMPTY,
            org_admin: true,
        };
        assert_eq!(decide(admin, Action::ManageMembers), Allow);
        assert_eq!(decide(admin, Action::View), Allow);
        assert_eq!(decide(admin, Action::ImportData), Forbidden);
        assert_eq!(decide(admin, Action::ManageCalendarFeeds), Forbidden);
    }

    #[test]
    fn an_admin_who_is_a_member_keeps_the_role_rights_and_manages_people() {
        let lead_admin = Access {
            roles: RoleSet::of(Role::AgencyLead),
            org_admin: true,
        };
        assert_eq!(decide(lead_admin, Action::ManageMembers), Allow);
        assert_eq!(decide(lead_admin, Action::ImportData), Allow);
    }

    #[test]
    fn several_roles_allow_what_any_of_them_allows() {
        let both = Access {
            roles: RoleSet::of(Role::ClientApprover).with(Role::ClientOwner),
            org_admin: false,
        };
        assert_eq!(decide(both, Action::ManageMembers), Allow);
    }

    #[test]
    fn a_client_owner_assigns_only_client_side_and_viewer_roles() {
        let owner = member(Role::ClientOwner);
        assert!(may_assign(owner, Role::ClientApprover));
        assert!(may_assign(owner, Role::Viewer));
        assert!(!may_assign(owner, Role::AgencyLead));
        assert!(!may_assign(owner, Role::Specialist));
        assert!(!may_assign(member(Role::AgencyLead), Role::ClientMember));
    }
}
