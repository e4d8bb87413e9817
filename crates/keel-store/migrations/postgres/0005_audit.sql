-- The audit trail (PRODUCT.md core rule 5): every decision with actor and time. Append-only:
-- the triggers below make the database itself refuse to change or remove an entry (TRUNCATE
-- included), so no code path can rewrite history. Kept in step with ../sqlite/0005_audit.sql.

CREATE TABLE audit_events (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id        BIGINT NOT NULL REFERENCES organizations(id),
    project_id    BIGINT NOT NULL REFERENCES projects(id),
    -- What the entry is about: 'post', 'goal', 'brief', 'meeting', 'project', ….
    subject_kind  TEXT NOT NULL,
    subject_id    BIGINT NOT NULL,
    -- NULL when Keel itself acted (an SLA timer, auto-approval).
    actor_id      BIGINT REFERENCES users(id),
    action        TEXT NOT NULL,
    -- A JSON object with the entry's particulars (comment, old and new values, reason).
    detail        TEXT NOT NULL DEFAULT '{}',
    at            TIMESTAMPTZ NOT NULL
);
CREATE INDEX audit_events_by_subject ON audit_events (project_id, subject_kind, subject_id, id);

CREATE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: entries cannot be changed or deleted';
END;
$$;

CREATE TRIGGER audit_events_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();
