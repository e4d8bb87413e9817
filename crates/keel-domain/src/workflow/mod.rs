//! The content plan's workflow: post states and actions, per-platform text rules, SLA
//! arithmetic and the workflow's health figures. Pure; the store applies it in transactions.

pub mod draft;
pub mod health;
pub mod sla;
pub mod state;
#[cfg(test)]
mod state_tests;
pub mod variants;

pub use state::{PostAction, PostState, Refusal, Relation, transition};
pub use variants::Platform;
