-- The audit trail (PRODUCT.md core rule 5): every decision with actor and time. Append-only:
-- the triggers below make the database itself refuse to change or remove an entry, so no code
-- path (and no hand-typed SQL) can rewrite history. Kept in step with ../postgres/0005_audit.sql.

CREATE TABLE audit_events (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES organizations(id),
    project_id    INTEGER NOT NULL REFERENCES projects(id),
    -- What the entry is about: 'post', 'goal', 'brief', 'meeting', 'project', ….
    subject_kind  TEXT NOT NULL,
    subject_id    INTEGER NOT NULL,
    -- NULL when Keel itself acted (an SLA timer, auto-approval).
    actor_id      INTEGER REFERENCES users(id),
    action        TEXT NOT NULL,
    -- A JSON object with the entry's particulars (comment, old and new values, reason).
    detail        TEXT NOT NULL DEFAULT '{}',
    at            TEXT NOT NULL
);
CREATE INDEX audit_events_by_subject ON audit_events (project_id, subject_kind, subject_id, id);

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only: entries cannot be changed');
END;

CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only: entries cannot be deleted');
END;
