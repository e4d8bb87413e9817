//! A project's team (members and their roles): the team page. The members API is part of the
//! projects API (`projects::api`), under `/api/v1/projects/{slug}/members`.

pub mod page;
