-- Invitations to a project by e-mail (PostgreSQL). Kept in step with
-- ../sqlite/0080_invitations.sql.
--
-- A person who is not yet a user is invited with a role in one project. Only the SHA-256 of
-- the link's token is stored; resending replaces it (the old link dies), revoking or accepting
-- stamps the row so the link answers 404 from then on.
CREATE TABLE invitations (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id       BIGINT NOT NULL REFERENCES organizations(id),
    project_id   BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    email        TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('client_owner', 'client_approver', 'client_member',
                                               'agency_lead', 'specialist', 'viewer')),
    lang         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    invited_by   BIGINT NOT NULL REFERENCES users(id),
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    accepted_at  TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX invitations_by_project ON invitations (project_id);
