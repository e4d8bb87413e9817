//! Integration tests of `keel-report`: every test runs on SQLite and on PostgreSQL
//! (see `harness`), on fixture rows inserted with plain SQL (see `fixtures`), and checks
//! the report against figures worked out by hand in the comments.

mod accounts;
mod ads;
mod engagement;
mod fixtures;
mod funnel;
mod harness;
mod kaggle;
mod memory;
mod output;
mod posts;
mod series;
mod spikes;
mod time_zones;
