-- Invitations to a project by e-mail (SQLite). Kept in step with
-- ../postgres/0080_invitations.sql.
--
-- A person who is not yet a user is invited with a role in one project. Only the SHA-256 of
-- the link's token is stored; resending replaces it (the old link dies), revoking or accepting
-- stamps the row so the link answers 404 from then on.
CREATE TABLE invitations (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER NOT NULL REFERENCES organizations(id),
    project_id   INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    email        TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('client_owner', 'client_approver', 'client_member',
                                               'agency_lead', 'specialist', 'viewer')),
    lang         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    invited_by   INTEGER NOT NULL REFERENCES users(id),
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    accepted_at  TEXT,
    revoked_at   TEXT
);
CREATE INDEX invitations_by_project ON invitations (project_id);
