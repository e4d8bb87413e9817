-- Review links for guest approvers (PostgreSQL). Kept in step with ../sqlite/0090_review_links.sql.
--
-- A link lets one approver of one project see the posts waiting for them and decide, without
-- a password. Only the SHA-256 of the link's token is stored; revoking or expiry makes it
-- answer 404. Every open is counted.
CREATE TABLE review_links (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id       BIGINT NOT NULL REFERENCES organizations(id),
    project_id   BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    user_id      BIGINT NOT NULL REFERENCES users(id),
    token_hash   TEXT NOT NULL UNIQUE,
    created_by   BIGINT NOT NULL REFERENCES users(id),
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    revoked_at   TIMESTAMPTZ,
    opened       BIGINT NOT NULL DEFAULT 0,
    last_opened_at TIMESTAMPTZ
);
CREATE INDEX review_links_by_project ON review_links (project_id);
