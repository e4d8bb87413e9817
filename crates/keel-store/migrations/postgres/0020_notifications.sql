-- Notification preferences, Telegram links and iCal feed secrets (PostgreSQL). Kept in step
-- with ../sqlite/0020_notifications.sql.

-- The language notifications are written in (e-mail, Telegram). NULL: never chosen, English.
ALTER TABLE users ADD COLUMN notify_language TEXT CHECK (notify_language IN ('en', 'ru'));

-- Only departures from the defaults are stored: a row says whether `user_id` gets `kind`
-- through `channel`. Without a row every kind is on for every channel (Telegram only reaches
-- people who linked a chat), so a new kind reaches everyone until they turn it off.
CREATE TABLE notification_preferences (
    user_id  BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind     TEXT NOT NULL,
    channel  TEXT NOT NULL CHECK (channel IN ('in_app', 'email', 'telegram')),
    enabled  BOOLEAN NOT NULL,
    PRIMARY KEY (user_id, kind, channel)
);

-- One-time codes a signed-in user sends to the bot as `/start CODE`. Only the SHA-256 is
-- stored; a code is spent when used and worthless after `expires_at`.
CREATE TABLE telegram_link_codes (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash   TEXT NOT NULL UNIQUE,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    used_at     TIMESTAMPTZ
);
CREATE INDEX telegram_link_codes_by_user ON telegram_link_codes (user_id);

-- A user's linked Telegram private chat: one chat per user and one user per chat.
CREATE TABLE telegram_links (
    user_id    BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    chat_id    BIGINT NOT NULL UNIQUE,
    username   TEXT,
    linked_at  TIMESTAMPTZ NOT NULL
);

-- Secret URLs of a project's iCal feed. Several may live at once (one per calendar app), each
-- revocable; only the SHA-256 of the secret is stored.
CREATE TABLE ical_feeds (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id       BIGINT NOT NULL REFERENCES organizations(id),
    project_id   BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    label        TEXT NOT NULL,
    secret_hash  TEXT NOT NULL UNIQUE,
    created_by   BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX ical_feeds_by_project ON ical_feeds (project_id);
