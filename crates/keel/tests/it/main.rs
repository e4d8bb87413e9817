//! Keel's integration tests: one test binary (one link) with a module per area. Tests that
//! touch storage run on SQLite and on PostgreSQL (`on_both_backends!`).

#[macro_use]
mod helpers;
mod analytics;
mod analytics_page;
mod api;
mod auth;
mod browser;
mod cli;
mod goals;
mod hostile_input;
mod planning_pages;
mod real_data;
mod routes_by_role;
mod storage;
// Content plan and approvals (issue 4)
mod jobs;
mod load;
mod plan_pages;
mod workflow;
// Notifications and calendars (helper "notify").
mod notify_serve;
mod notify_store;
mod notify_web;
// Analytics of a project with many accounts (helper "page").
mod analytics_many_accounts;
// The workflow wired into e-mail, Telegram, feeds and health (helper "wire").
#[path = "../../../keel-notify/tests/it/bot_server.rs"]
#[allow(dead_code)]
mod bot_server;
#[path = "../../../keel-import/tests/it/day_sums.rs"]
mod day_sums;
#[path = "../../../keel-notify/tests/it/smtp_server.rs"]
#[allow(dead_code)]
mod smtp_server;
mod wire_delivery;
mod wire_feed;
