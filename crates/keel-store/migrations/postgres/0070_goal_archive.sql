-- Goals can be archived (PostgreSQL). Kept in step with ../sqlite/0070_goal_archive.sql.
-- An archived goal leaves the goals list, the report, the health check and the agenda, and
-- keeps its history: it is never deleted, and the archiving is on the audit trail.
ALTER TABLE goals ADD COLUMN archived_at TIMESTAMPTZ;
ALTER TABLE goals ADD COLUMN archived_by BIGINT REFERENCES users(id);
