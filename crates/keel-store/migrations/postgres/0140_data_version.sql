-- A per-project data version (PostgreSQL). Kept in step with ../sqlite/0140_data_version.sql.
--
-- Bumped in the same transaction as every write that changes what the analytics page and
-- the report read (imports of posts, daily figures, ads and leads; goals). Every `keel
-- serve` keys its cache of computed analytics by it, and reads it with the project on every
-- request, so no instance serves a figure computed from older data than the database holds
-- (several instances share one database).
ALTER TABLE projects ADD COLUMN data_version BIGINT NOT NULL DEFAULT 0;
