//! Keel's use cases, between the edges (the web app and API, the Telegram bot, the command
//! line, the background jobs) and the store. Each rule is applied here once:
//!
//! - [`access`]: who may see a project or a post, and take which action there;
//! - [`goals`]: setting, changing and agreeing goals, with the validation of a goal as typed;
//! - [`brief`]: saving a new version of the brief and acknowledging one;
//! - [`meetings`]: the team matrix, the meeting schedule, meetings, decisions, action items;
//! - [`workflow`]: the decisions on a post (approve, request changes, submit, schedule, …),
//!   whoever takes them and wherever;
//! - [`jobs`]: the background runner with every job kind (notifications, deliveries, the
//!   urgent-post SLA clock);
//! - [`publishing`]: connections to the platforms (checked on connect) and publishing;
//! - [`refusal`] and [`wording`]: why something was refused, as a value, and its words in
//!   the reader's language — the edges only choose the language.

#![forbid(unsafe_code)]

pub mod access;
pub mod brief;
pub mod goals;
pub mod jobs;
pub mod meetings;
pub mod people;
pub mod publishing;
pub mod pulls;
pub mod refusal;
pub mod review;
pub mod wording;
pub mod workflow;

pub use access::ProjectAccess;
pub use keel_domain::Lang;
pub use refusal::{AppError, AppResult, Refusal, RefusalKind};
