-- Connections to the platforms and publishing (issue 10). Kept in step with
-- ../sqlite/0100_connections.sql (PostgreSQL).
--
-- A connection is one account of one platform for one project. Its credentials are sealed with
-- XChaCha20-Poly1305 under the installation's secret key (`secret` = 24-byte nonce ‖ ciphertext,
-- the associated data naming the project and platform, so a sealed secret copied to another row
-- does not open); only the last four characters are kept in clear, to show which token it is.
CREATE TABLE connections (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id        BIGINT NOT NULL REFERENCES organizations(id),
    project_id    BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    platform      TEXT NOT NULL CHECK (platform IN ('vk', 'telegram', 'instagram', 'yandex_direct',
                                                    'meta_ads', 'amocrm', 'bitrix24')),
    -- The platform's own id of the account (VK community id, `@channel`, Instagram user id…).
    account       TEXT NOT NULL,
    -- The account's name as the platform gave it at the check ("Coffee House", "@coffee").
    account_name  TEXT NOT NULL DEFAULT '',
    secret        BYTEA NOT NULL,
    secret_hint   TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'needs_reconnecting', 'error')),
    last_error    TEXT,
    last_sync_at  TIMESTAMPTZ,
    created_by    BIGINT REFERENCES users(id),
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (project_id, platform)
);

-- Each platform's outcome for a post of the plan. A row is `sending` (committed) before the call
-- that publishes it: the claim is a conditional UPDATE, so of two instances only one sends.
CREATE TABLE plan_publications (
    post_id           BIGINT NOT NULL REFERENCES plan_posts(id) ON DELETE CASCADE,
    platform          TEXT NOT NULL CHECK (platform IN ('vk', 'telegram', 'instagram', 'facebook')),
    connection_id     BIGINT REFERENCES connections(id) ON DELETE SET NULL,
    state             TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'published', 'failed', 'unknown')),
    platform_post_id  TEXT,
    url               TEXT,
    -- Why it failed or is unknown: a reason code pages word in the reader's language
    -- (`vk_token_rejected`, `not_admin`, `rejected`, `outcome_unknown`, …), and the English words
    -- with the platform's own message.
    error_key         TEXT,
    error             TEXT,
    attempts          INTEGER NOT NULL DEFAULT 0,
    claimed_at        TIMESTAMPTZ,
    claimed_by        TEXT,
    updated_at        TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (post_id, platform)
);
CREATE INDEX plan_publications_open ON plan_publications (state);

-- Urgent posts approved inside their SLA with no date go out at once when the project says so.
ALTER TABLE workflow_settings ADD COLUMN publish_urgent_at_once BOOLEAN NOT NULL DEFAULT FALSE;
