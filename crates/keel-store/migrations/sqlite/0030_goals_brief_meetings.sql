-- Goals, the brief, the team matrix and meetings (issue 5; PRODUCT.md core rules 1, 2, 5, 6).
-- Kept in step with ../postgres/0030_goals_brief_meetings.sql. Every change to these rows is
-- also appended to audit_events in the same transaction (core rule 5).

-- A SMART goal. The baseline is measured from the project's data at start_on unless
-- baseline_entered holds a figure someone typed in. Agreement is per side: the client owner
-- and the agency lead; changing a goal clears both.
CREATE TABLE goals (
    id                INTEGER PRIMARY KEY,
    org_id            INTEGER NOT NULL REFERENCES organizations(id),
    project_id        INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    metric            TEXT NOT NULL,
    target_kind       TEXT NOT NULL CHECK (target_kind IN ('absolute', 'relative_pct')),
    target_value      REAL NOT NULL,
    start_on          TEXT NOT NULL,
    deadline          TEXT NOT NULL,
    zone              TEXT NOT NULL CHECK (zone IN ('agency', 'client')),
    baseline_entered  REAL,
    agreed_client_by  INTEGER REFERENCES users(id),
    agreed_client_at  TEXT,
    agreed_agency_by  INTEGER REFERENCES users(id),
    agreed_agency_at  TEXT,
    created_by        INTEGER REFERENCES users(id),
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    CHECK (deadline > start_on)
);
CREATE INDEX goals_by_project ON goals (project_id, id);

-- Every saved brief is a new version; content is the JSON of keel_domain::brief::BriefContent.
-- Only the acknowledgement columns are ever filled in later.
CREATE TABLE brief_versions (
    id               INTEGER PRIMARY KEY,
    org_id           INTEGER NOT NULL REFERENCES organizations(id),
    project_id       INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    version          INTEGER NOT NULL,
    content          TEXT NOT NULL,
    author_id        INTEGER REFERENCES users(id),
    created_at       TEXT NOT NULL,
    acknowledged_by  INTEGER REFERENCES users(id),
    acknowledged_at  TEXT,
    UNIQUE (project_id, version)
);

-- Who does what: one row per area of keel_domain::meeting::TEAM_AREAS.
CREATE TABLE team_matrix (
    org_id      INTEGER NOT NULL REFERENCES organizations(id),
    project_id  INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    area        TEXT NOT NULL,
    side        TEXT NOT NULL CHECK (side IN ('agency', 'client')),
    user_id     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    note        TEXT NOT NULL DEFAULT '',
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (project_id, area)
);

-- One recurring meeting per project.
CREATE TABLE meeting_schedules (
    project_id        INTEGER PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
    org_id            INTEGER NOT NULL REFERENCES organizations(id),
    title             TEXT NOT NULL,
    first_at          TEXT NOT NULL,
    recurrence        TEXT NOT NULL CHECK (recurrence IN ('weekly', 'biweekly', 'monthly')),
    duration_minutes  INTEGER NOT NULL CHECK (duration_minutes BETWEEN 5 AND 600),
    link              TEXT NOT NULL DEFAULT '',
    updated_at        TEXT NOT NULL
);

-- A meeting that took place (or is being prepared): its agenda and minutes. Decisions live in
-- audit_events (subject 'meeting', action 'decision'): the append-only decision log.
CREATE TABLE meetings (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES organizations(id),
    project_id  INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    starts_at   TEXT NOT NULL,
    title       TEXT NOT NULL,
    agenda      TEXT NOT NULL DEFAULT '',
    minutes     TEXT NOT NULL DEFAULT '',
    held        BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  TEXT NOT NULL,
    UNIQUE (project_id, starts_at)
);

CREATE TABLE action_items (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES organizations(id),
    project_id  INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    meeting_id  INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    text        TEXT NOT NULL,
    owner_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    due_on      TEXT NOT NULL,
    done_at     TEXT,
    created_at  TEXT NOT NULL
);
CREATE INDEX action_items_by_project ON action_items (project_id, due_on);
