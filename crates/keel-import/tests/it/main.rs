//! Integration tests of keel-import: every storage test runs on SQLite (in a temporary
//! directory) and on PostgreSQL (a fresh database per test, skipped with a message when no
//! server is reachable unless `KEEL_TEST_REQUIRE` asks for it).

#[macro_use]
mod support;

mod bulk;
mod crash;
mod facebook;
mod formats;
mod fuzz;
mod hostile;
mod idempotent;
mod native;
mod problems;
mod vk_schema;
