-- Pulls of platform statistics through connections (issue 11). Kept in step with
-- ../postgres/0130_syncs.sql.
--
-- One row per sync of a connection: what range it asked for, when it ran, what the imports it
-- made stored (the sum over its batches: a batch is one import, all-or-nothing) and, when it
-- failed, why in words. The Connections page shows the last 20 per connection.
CREATE TABLE syncs (
    id             INTEGER PRIMARY KEY,
    connection_id  INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    project_id     INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    -- `backfill` (a first sync), `recent` (posts of the last 30 days, hourly), `daily`
    -- (everything up to 90 days back), `manual` ("sync now", the API, `keel sync`).
    kind           TEXT NOT NULL CHECK (kind IN ('backfill', 'recent', 'daily', 'manual')),
    range_from     TEXT NOT NULL,
    range_to       TEXT NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed')),
    started_at     TEXT NOT NULL,
    finished_at    TEXT,
    rows_read      INTEGER NOT NULL DEFAULT 0,
    stored         INTEGER NOT NULL DEFAULT 0,
    replaced       INTEGER NOT NULL DEFAULT 0,
    unchanged      INTEGER NOT NULL DEFAULT 0,
    -- Why it failed, in English words with the platform's own message (pages show it as is).
    error          TEXT,
    -- Who asked: a user's e-mail, `schedule`, `cli`.
    actor          TEXT NOT NULL
);
CREATE INDEX syncs_by_connection ON syncs (connection_id, id);

-- When the schedule next looks at the connection (NULL: at once). Claimed with a conditional
-- UPDATE, so of several `keel serve` instances one enqueues the sync.
ALTER TABLE connections ADD COLUMN next_sync_at TEXT;
