-- People from the web (PostgreSQL). Kept in step with ../sqlite/0081_people.sql.
--
-- A deactivated user keeps their row, so the audit trail still names them; sessions end and
-- tokens are revoked when they are deactivated, and both lookups refuse them from then on.
ALTER TABLE users ADD COLUMN deactivated_at TIMESTAMPTZ;
-- When the person last logged in (the organization page shows it); NULL: never.
ALTER TABLE users ADD COLUMN last_login_at TIMESTAMPTZ;

-- One-time password reset links: only the SHA-256 of the token is stored, a link works for an
-- hour and once (`used_at`); asking again does not kill an earlier link, the hour does.
CREATE TABLE password_resets (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    used_at     TIMESTAMPTZ
);
CREATE INDEX password_resets_by_user ON password_resets (user_id, created_at);

-- At most one pending invitation per project and e-mail: a new one replaces the old (which is
-- stamped revoked in the same transaction), so two live links never compete.
CREATE UNIQUE INDEX invitations_one_pending ON invitations (project_id, email)
    WHERE accepted_at IS NULL AND revoked_at IS NULL;
