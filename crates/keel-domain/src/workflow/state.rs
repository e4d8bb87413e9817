//! The content-plan state machine (PRODUCT.md core rules 3–5): what each person may do to a
//! post in each state, and where it leads.
//!
//! **Designated approvers.** A project's approvers are exactly its members holding
//! `client_approver` (demo: approver-a on client-a, client-b@ on client-b). That keeps one
//! source of truth — the team page — and makes "who may approve" visible to everyone; a client
//! owner who should approve takes the approver role as well (client-b@ holds both).
//!
//! **Who writes posts.** The agency side (agency lead, specialists) drafts, edits, submits,
//! schedules and publishes; any of them may work on any post of the project (a team covers for
//! each other). The author is recorded because nobody may approve their own post — which
//! matters where one person holds an agency role and the approver role.

use crate::role::{Role, RoleSet, Side};
use std::fmt;

/// Where a post is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PostState {
    Draft,
    InReview,
    ChangesRequested,
    Approved,
    Scheduled,
    Published,
    Failed,
}

impl PostState {
    pub const ALL: [PostState; 7] = [
        PostState::Draft,
        PostState::InReview,
        PostState::ChangesRequested,
        PostState::Approved,
        PostState::Scheduled,
        PostState::Published,
        PostState::Failed,
    ];

    /// The name used in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            PostState::Draft => "draft",
            PostState::InReview => "in_review",
            PostState::ChangesRequested => "changes_requested",
            PostState::Approved => "approved",
            PostState::Scheduled => "scheduled",
            PostState::Published => "published",
            PostState::Failed => "failed",
        }
    }

    pub fn parse(text: &str) -> Option<PostState> {
        PostState::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Whether the text and variants may change (a post under review or approved is frozen:
    /// the approver decides on what they saw).
    pub fn editable(self) -> bool {
        matches!(self, PostState::Draft | PostState::ChangesRequested)
    }
}

impl TryFrom<String> for PostState {
    type Error = crate::ids::UnknownName;

    /// A stored state (as written by [`PostState::as_str`]).
    fn try_from(name: String) -> Result<PostState, Self::Error> {
        PostState::parse(&name).ok_or(crate::ids::UnknownName {
            what: "post state",
            name,
        })
    }
}

impl fmt::Display for PostState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Something a person does to a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PostAction {
    /// Change text, variants, platforms, date, images.
    Edit,
    /// Send for approval (again, after changes were requested: a resubmission).
    Submit,
    Approve,
    /// Send back with feedback; each one is a revision round.
    RequestChanges,
    Comment,
    /// Mark a suggestion accepted, or declined with a reason.
    ResolveSuggestion,
    /// Put an approved post on the publishing schedule.
    Schedule,
    MarkPublished,
    MarkFailed,
    /// Withdraw from review, or reopen an approved, scheduled or failed post for editing.
    BackToDraft,
}

impl PostAction {
    pub const ALL: [PostAction; 10] = [
        PostAction::Edit,
        PostAction::Submit,
        PostAction::Approve,
        PostAction::RequestChanges,
        PostAction::Comment,
        PostAction::ResolveSuggestion,
        PostAction::Schedule,
        PostAction::MarkPublished,
        PostAction::MarkFailed,
        PostAction::BackToDraft,
    ];

    /// The audit-trail verb recorded when the action succeeds.
    pub fn audit_verb(self) -> &'static str {
        match self {
            PostAction::Edit => "edited",
            PostAction::Submit => "submitted",
            PostAction::Approve => "approved",
            PostAction::RequestChanges => "changes_requested",
            PostAction::Comment => "commented",
            PostAction::ResolveSuggestion => "suggestion_resolved",
            PostAction::Schedule => "scheduled",
            PostAction::MarkPublished => "published",
            PostAction::MarkFailed => "failed",
            PostAction::BackToDraft => "back_to_draft",
        }
    }
}

/// The actor's relation to one post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Relation {
    /// Their roles in the post's project.
    pub roles: RoleSet,
    /// Whether they are one of the project's designated approvers (see the module docs).
    pub approver: bool,
    /// Whether they wrote the post.
    pub author: bool,
}

impl Relation {
    /// The relation under Keel's approver model: approvers are the `client_approver` members.
    pub fn new(roles: RoleSet, author: bool) -> Relation {
        Relation {
            roles,
            approver: roles.contains(Role::ClientApprover),
            author,
        }
    }

    fn agency(self) -> bool {
        self.roles.iter().any(|r| r.side() == Side::Agency)
    }

    fn participant(self) -> bool {
        self.roles.iter().any(|r| r != Role::Viewer)
    }
}

/// Why an action was refused. The words for each (English and Russian) are the use-case
/// layer's (`keel-app`'s `wording`), so every edge says the same thing in the reader's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Only the agency side writes, schedules and publishes posts.
    NotAgency,
    /// Only designated approvers approve or request changes.
    NotApprover,
    /// Nobody approves (or sends back) their own post.
    OwnPost,
    /// Viewers read; they do not comment.
    ReadOnly,
    /// The action exists but not in this state (HTTP 409).
    WrongState,
    /// Changes are requested with a comment saying what should change (it becomes a
    /// suggestion).
    CommentRequired,
    /// Resubmitting waits until every suggestion is answered; this many are still open.
    OpenSuggestions(u32),
    /// Someone else moved or edited the post while this action was on its way.
    ChangedMeanwhile,
}

impl Refusal {
    /// Whether the refusal is about who the actor is (HTTP 403) rather than the post's state
    /// or the request's content.
    pub fn is_permission(self) -> bool {
        matches!(
            self,
            Refusal::NotAgency | Refusal::NotApprover | Refusal::OwnPost | Refusal::ReadOnly
        )
    }
}

/// The transition function: state × action × relation → the new state, or why not.
///
/// Who is checked before the state, so a person who may never take an action hears that
/// (403) rather than "not now" (409).
pub fn transition(state: PostState, action: PostAction, who: Relation) -> Result<PostState, Refusal> {
    use PostAction::*;
    use PostState::*;
    match action {
        Edit | Submit | ResolveSuggestion | Schedule | MarkPublished | MarkFailed | BackToDraft if !who.agency() => {
            return Err(Refusal::NotAgency);
        }
        Approve | RequestChanges if !who.approver => return Err(Refusal::NotApprover),
        Approve | RequestChanges if who.author => return Err(Refusal::OwnPost),
        Comment if !who.participant() => return Err(Refusal::ReadOnly),
        _ => {}
    }
    let next = match (action, state) {
        (Edit, Draft | ChangesRequested) => state,
        (Submit, Draft | ChangesRequested) => InReview,
        (Approve, InReview) => Approved,
        (RequestChanges, InReview) => ChangesRequested,
        // Discussion never closes: a published post can still collect remarks.
        (Comment, _) => state,
        (ResolveSuggestion, Draft | InReview | ChangesRequested) => state,
        (Schedule, Approved | Scheduled) => Scheduled,
        (MarkPublished, Approved | Scheduled) => Published,
        (MarkFailed, Scheduled) => Failed,
        (BackToDraft, InReview | ChangesRequested | Approved | Scheduled | Failed) => Draft,
        _ => return Err(Refusal::WrongState),
    };
    Ok(next)
}

/// Keel's own move at an urgent post's SLA expiry when the project opted into "silence means
/// consent": only a post still waiting for a decision is approved.
pub fn auto_approve(state: PostState) -> Option<PostState> {
    (state == PostState::InReview).then_some(PostState::Approved)
}

/// Whether a comment by this person is advisory (PRODUCT.md rule 3): everyone's but an
/// approver's.
pub fn comment_is_advisory(who: Relation) -> bool {
    !who.approver
}

/// A post past this many revision rounds is flagged.
pub const ROUNDS_BEFORE_FLAG: u32 = 2;

/// Whether a post with `rounds` "changes requested" cycles is flagged.
pub fn flagged_for_rounds(rounds: u32) -> bool {
    rounds > ROUNDS_BEFORE_FLAG
}

/// More approvers than this raise a warning on the project (too many cooks).
pub const APPROVERS_BEFORE_WARNING: usize = 2;

pub fn too_many_approvers(count: usize) -> bool {
    count > APPROVERS_BEFORE_WARNING
}

/// Resubmitting needs every suggestion answered; accepted and declined both count as
/// answered, so a declined suggestion never blocks the post.
pub fn submit_blocked_by_open_suggestions(open_suggestions: u32) -> bool {
    open_suggestions > 0
}
