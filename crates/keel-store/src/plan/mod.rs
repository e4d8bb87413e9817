//! The content plan and its approvals: posts with per-platform variants and images,
//! comments and suggestions, workflow settings, what the SLA timers and notifications store. Every
//! transition goes through the domain's state machine and writes its audit entry in the
//! same transaction.

pub mod actions;
pub mod comments;
pub mod health;
pub mod images;
pub mod inbox;
pub mod media_links;
pub mod posts;
pub mod publications;
pub mod settings;
pub mod timers;

use crate::{Store, StoreError, StoreResult};
use keel_domain::workflow::{Refusal, Relation};
use keel_domain::{ProjectId, Role, UserId};

/// A state-machine refusal as a store error, kept typed for the use-case layer to word.
pub(crate) fn refusal(r: Refusal) -> StoreError {
    StoreError::Refused(r)
}

impl Store {
    /// The actor's relation to a post of `project` written by `author`.
    pub async fn relation_to(&self, project: ProjectId, user: UserId, author: i64) -> StoreResult<Relation> {
        let roles = self.roles_in(project, user).await?.into_iter().collect();
        Ok(Relation::new(roles, user.0 == author))
    }

    /// The project's designated approvers: its `client_approver` members.
    pub async fn approvers_of(&self, project: ProjectId) -> StoreResult<Vec<crate::members::Member>> {
        Ok(self
            .members_of(project)
            .await?
            .into_iter()
            .filter(|m| m.role() == Some(Role::ClientApprover))
            .collect())
    }
}
