//! A person's own access: accepting an invitation, changing and resetting a password, personal
//! API tokens, and the organization's settings page (its admins and people, deactivation).

pub mod accept;
pub mod organization;
pub mod password;
pub mod signup;
pub mod tokens;
