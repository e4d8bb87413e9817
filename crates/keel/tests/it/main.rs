//! Keel's integration tests: one test binary (one link) with a module per feature. Tests that
//! touch storage run on SQLite and on PostgreSQL (`on_both_backends!`).

#[macro_use]
mod helpers;
mod analytics;
mod analytics_many_accounts;
mod analytics_page;
mod api;
mod auth;
mod backup;
mod browser;
mod calendar_feed;
mod cli;
mod client_reports;
mod content_plan_pages;
mod figure_cache;
mod goals;
mod goals_and_meetings_pages;
mod hostile_input;
mod inbox_queue;
mod invitations;
mod jobs;
mod load;
mod notification_pages;
mod notifications_delivery;
mod notifications_storage;
mod page_reads;
mod people;
mod publishing;
mod publishing_instagram;
mod publishing_serve;
mod pulls;
mod real_data;
mod report_links;
mod report_schedule;
mod review_links;
mod routes_by_role;
mod russian_pages;
mod security_headers;
mod storage;
mod telegram_bot;
mod workflow;
