-- Review links for guest approvers (SQLite). Kept in step with ../postgres/0090_review_links.sql.
--
-- A link lets one approver of one project see the posts waiting for them and decide, without
-- a password. Only the SHA-256 of the link's token is stored; revoking or expiry makes it
-- answer 404. Every open is counted.
CREATE TABLE review_links (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER NOT NULL REFERENCES organizations(id),
    project_id   INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    token_hash   TEXT NOT NULL UNIQUE,
    created_by   INTEGER NOT NULL REFERENCES users(id),
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    revoked_at   TEXT,
    opened       INTEGER NOT NULL DEFAULT 0,
    last_opened_at TEXT
);
CREATE INDEX review_links_by_project ON review_links (project_id);
