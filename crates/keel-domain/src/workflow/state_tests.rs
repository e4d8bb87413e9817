//! Every state × every action × every role (with and without authorship), against tables
//! written out by hand.

use super::state::*;
use crate::role::{Role, RoleSet};
use PostAction::*;
use PostState::*;

/// What an actor allowed to take the action gets, per state, in `PostState::ALL` order:
/// `Some(next)` or `None` for "not in this state".
fn by_state(action: PostAction) -> [Option<PostState>; 7] {
    const N: Option<PostState> = None;
    match action {
        //                 Draft            InReview               ChangesRequested        Approved          Scheduled         Published        Failed
        Edit => [Some(Draft), N, Some(ChangesRequested), N, N, N, N],
        Submit => [Some(InReview), N, Some(InReview), N, N, N, N],
        Approve => [N, Some(Approved), N, N, N, N, N],
        RequestChanges => [N, Some(ChangesRequested), N, N, N, N, N],
        Comment => [
            Some(Draft),
            Some(InReview),
            Some(ChangesRequested),
            Some(Approved),
            Some(Scheduled),
            Some(Published),
            Some(Failed),
        ],
        ResolveSuggestion => [Some(Draft), Some(InReview), Some(ChangesRequested), N, N, N, N],
        Schedule => [N, N, N, Some(Scheduled), Some(Scheduled), N, N],
        MarkPublished => [N, N, N, Some(Published), Some(Published), N, N],
        MarkFailed => [N, N, N, N, Some(Failed), N, N],
        BackToDraft => [N, Some(Draft), Some(Draft), Some(Draft), Some(Draft), N, Some(Draft)],
    }
}

/// Which refusal (if any) a single-role actor meets for each action, regardless of state:
/// (role, author) → per action in `PostAction::ALL` order.
fn by_role(role: Role, author: bool) -> [Option<Refusal>; 10] {
    use Refusal::*;
    const OK: Option<Refusal> = None;
    let (a, p, o, r) = (Some(NotAgency), Some(NotApprover), Some(OwnPost), Some(ReadOnly));
    //                       Edit Submit Approve RequestCh Comment Resolve Schedule Published Failed BackToDraft
    match (role, author) {
        (Role::ClientOwner, _) => [a, a, p, p, OK, a, a, a, a, a],
        (Role::ClientApprover, false) => [a, a, OK, OK, OK, a, a, a, a, a],
        (Role::ClientApprover, true) => [a, a, o, o, OK, a, a, a, a, a],
        (Role::ClientMember, _) => [a, a, p, p, OK, a, a, a, a, a],
        (Role::AgencyLead, _) | (Role::Specialist, _) => [OK, OK, p, p, OK, OK, OK, OK, OK, OK],
        (Role::Viewer, _) => [a, a, p, p, r, a, a, a, a, a],
    }
}

#[test]
fn every_state_action_and_role_matches_the_tables() {
    let mut checked = 0;
    for role in Role::ALL {
        for author in [false, true] {
            let who = Relation::new(RoleSet::of(role), author);
            let refusals = by_role(role, author);
            for (action, refusal) in PostAction::ALL.into_iter().zip(refusals) {
                for (state, next) in PostState::ALL.into_iter().zip(by_state(action)) {
                    let expected = match (refusal, next) {
                        (Some(refusal), _) => Err(refusal),
                        (None, Some(next)) => Ok(next),
                        (None, None) => Err(Refusal::WrongState),
                    };
                    assert_eq!(
                        transition(state, action, who),
                        expected,
                        "{role} (author: {author}) / {action:?} in {state}"
                    );
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(checked, 6 * 2 * 10 * 7);
}

#[test]
fn an_approver_who_also_writes_for_the_agency_cannot_approve_their_own_post() {
    let both = Relation::new(RoleSet::of(Role::Specialist).with(Role::ClientApprover), true);
    assert_eq!(transition(InReview, Approve, both), Err(Refusal::OwnPost));
    assert_eq!(transition(InReview, RequestChanges, both), Err(Refusal::OwnPost));
    // … but may still edit and submit it as the agency member they also are.
    assert_eq!(transition(Draft, Submit, both), Ok(InReview));
    let other = Relation::new(RoleSet::of(Role::Specialist).with(Role::ClientApprover), false);
    assert_eq!(transition(InReview, Approve, other), Ok(Approved));
}

#[test]
fn a_client_owner_holding_the_approver_role_approves() {
    let owner_approver = Relation::new(RoleSet::of(Role::ClientOwner).with(Role::ClientApprover), false);
    assert!(owner_approver.approver);
    assert_eq!(transition(InReview, Approve, owner_approver), Ok(Approved));
    assert!(!comment_is_advisory(owner_approver));
}

#[test]
fn only_approvers_comments_are_binding() {
    for role in Role::ALL {
        let who = Relation::new(RoleSet::of(role), false);
        assert_eq!(comment_is_advisory(who), role != Role::ClientApprover, "{role}");
    }
}

#[test]
fn wrong_state_is_not_a_permission_refusal() {
    assert!(!Refusal::WrongState.is_permission());
    assert!(Refusal::OwnPost.is_permission());
}

#[test]
fn auto_approval_only_takes_a_post_still_waiting() {
    for state in PostState::ALL {
        let expected = if state == InReview { Some(Approved) } else { None };
        assert_eq!(auto_approve(state), expected, "{state}");
    }
}

#[test]
fn rounds_flag_past_two_and_approvers_warn_past_two() {
    assert!(!flagged_for_rounds(0));
    assert!(!flagged_for_rounds(2));
    assert!(flagged_for_rounds(3));
    assert!(!too_many_approvers(2));
    assert!(too_many_approvers(3));
}

#[test]
fn open_suggestions_block_resubmission_declined_ones_do_not() {
    assert!(submit_blocked_by_open_suggestions(1));
    assert!(!submit_blocked_by_open_suggestions(0));
}

#[test]
fn state_names_round_trip() {
    for state in PostState::ALL {
        assert_eq!(PostState::parse(state.as_str()), Some(state));
    }
    assert_eq!(PostState::parse("done"), None);
}
