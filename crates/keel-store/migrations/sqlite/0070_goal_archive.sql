-- Goals can be archived (SQLite). Kept in step with ../postgres/0070_goal_archive.sql.
-- An archived goal leaves the goals list, the report, the health check and the agenda, and
-- keeps its history: it is never deleted, and the archiving is on the audit trail.
ALTER TABLE goals ADD COLUMN archived_at TEXT;
ALTER TABLE goals ADD COLUMN archived_by INTEGER REFERENCES users(id);
