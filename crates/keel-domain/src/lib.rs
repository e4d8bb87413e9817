//! Keel's domain: the types, rules and metric formulas of `PRODUCT.md`.
//!
//! Nothing here does I/O, so every rule can be unit-tested to the decimal and shared by
//! the storage layer, the web app, the CLI and the tests alike.

pub mod brief;
pub mod calendar;
pub mod connection;
pub mod first_steps;
pub mod goals;
pub mod health;
pub mod ids;
pub mod lang;
pub mod local_days;
pub mod meeting;
pub mod metrics;
pub mod notification;
pub mod password;
pub mod permission;
pub mod project;
pub mod report_schedule;
pub mod role;
pub mod text;
pub mod user;
pub mod words;
pub mod workflow;

pub use ids::*;
pub use lang::Lang;
pub use permission::{Access, Action, Decision, decide, may_assign, may_create_projects};
pub use project::{ProjectName, ProjectStatus, Slug};
pub use role::{Role, RoleSet, Side};
pub use user::Email;
