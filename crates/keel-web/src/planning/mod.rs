//! Goals, brief, team, meetings and the health check (issue 5): what the pages and the API
//! share.

pub mod goal_input;
pub mod health;
