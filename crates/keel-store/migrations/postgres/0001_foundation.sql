-- Keel foundation schema (PostgreSQL). Kept in step with ../sqlite/0001_foundation.sql:
-- the same tables, columns and keys, with PostgreSQL types. Never edit an applied migration;
-- add a new numbered file instead.
--
-- Every row carries org_id (directly or through its project) so that no query can join
-- across tenants by accident: lookups always filter by the caller's organization.

CREATE TABLE organizations (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

-- Login is by e-mail alone, so an address is unique across the installation.
CREATE TABLE users (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id         BIGINT NOT NULL REFERENCES organizations(id),
    email          TEXT NOT NULL UNIQUE,
    display_name   TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    is_org_admin   BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE clients (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id      BIGINT NOT NULL REFERENCES organizations(id),
    name        TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (org_id, name)
);

-- Slugs are unique inside an organization; URLs resolve them in the caller's organization.
CREATE TABLE projects (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id      BIGINT NOT NULL REFERENCES organizations(id),
    client_id   BIGINT REFERENCES clients(id),
    slug        TEXT NOT NULL,
    name        TEXT NOT NULL,
    started_on  DATE NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('setup', 'active', 'paused', 'closed')),
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (org_id, slug)
);

-- A person may hold several roles in one project (a client owner who also approves).
CREATE TABLE memberships (
    org_id      BIGINT NOT NULL REFERENCES organizations(id),
    project_id  BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role        TEXT NOT NULL CHECK (role IN ('client_owner', 'client_approver', 'client_member',
                                              'agency_lead', 'specialist', 'viewer')),
    speciality  TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (project_id, user_id, role)
);
CREATE INDEX memberships_by_user ON memberships (user_id);

CREATE TABLE social_accounts (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id      BIGINT NOT NULL REFERENCES organizations(id),
    project_id  BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    platform    TEXT NOT NULL,
    handle      TEXT NOT NULL,
    title       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (project_id, platform, handle)
);

-- Only a SHA-256 of the cookie value is stored: a leaked table does not log anyone in.
CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

CREATE TABLE api_tokens (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id        BIGINT NOT NULL REFERENCES organizations(id),
    user_id       BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ
);

-- Failed logins, by e-mail and by client address, for rate limiting that holds across
-- several keel instances sharing one database.
CREATE TABLE login_failures (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key       TEXT NOT NULL,
    at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_failures_by_key ON login_failures (key, at);
