-- Per project and account, the sums of its posts for each UTC day with posts (PostgreSQL). Kept
-- in step with ../sqlite/0040_post_days.sql.
--
-- The analytics page draws each account's days and its period rates; summing a million
-- posts per page view took seconds. These rows are derived data, written by every import
-- in its own transaction for the accounts it touched; `days` is a packed array of per-day
-- sums, one row per account rather than per day because writing 300,000 day rows cost an
-- import as much as its posts. Layout, columns and why: keel-store `data/post_days.rs`.
-- A store opening a database with posts but no rows here fills them in.
CREATE TABLE post_days (
    project_id  BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    platform    TEXT NOT NULL,
    account     TEXT NOT NULL,
    days        BYTEA NOT NULL,
    PRIMARY KEY (project_id, platform, account)
);
-- Stored uncompressed: compressing 36 MB of arrays (a million posts) with pglz took 3.4 s of
-- an import; out of line without compression, 0.2 s.
ALTER TABLE post_days ALTER COLUMN days SET STORAGE EXTERNAL;
