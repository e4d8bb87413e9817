//! A project's team (members and their roles): the team page and the members API.

pub mod api;
pub mod invitations;
pub mod page;
