-- Reports for the client (SQLite). Kept in step with ../postgres/0120_reports.sql.
--
-- org_brands: the agency's look on reports, share pages and e-mails. The name is the
-- organization's own; the logo is kept as the uploaded bytes (PNG or JPEG only, checked by
-- the application), small enough to live in the row.
CREATE TABLE org_brands (
    org_id      INTEGER PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
    accent      TEXT NOT NULL,
    logo        BLOB,
    logo_type   TEXT,
    updated_at  TEXT NOT NULL
);

-- report_links: an expiring, revocable read-only link to one report (a project and a
-- period, in one language). Only the SHA-256 of the token is stored; every open is counted.
CREATE TABLE report_links (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER NOT NULL REFERENCES organizations(id),
    project_id   INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    token_hash   TEXT NOT NULL UNIQUE,
    period_from  TEXT,
    period_to    TEXT,
    lang         TEXT NOT NULL,
    created_by   INTEGER NOT NULL REFERENCES users(id),
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    revoked_at   TEXT,
    opened       INTEGER NOT NULL DEFAULT 0,
    last_opened_at TEXT
);
CREATE INDEX report_links_by_project ON report_links (project_id);

-- report_schedules: one per project. `cadence` is `monthly` (day_of = day of the month,
-- 1..28, the report covering the month before) or `weekly` (day_of = ISO weekday 1..7, the
-- report covering the 7 days before); `at_time` is HH:MM in the project's time zone.
-- `recipients` is a JSON array of user ids. Each delivery is a job (kind `report_delivery`)
-- whose row keeps its attempts and last error; `next_run_at` is when the next one is due.
CREATE TABLE report_schedules (
    project_id   INTEGER PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
    org_id       INTEGER NOT NULL REFERENCES organizations(id),
    cadence      TEXT NOT NULL CHECK (cadence IN ('monthly', 'weekly')),
    day_of       INTEGER NOT NULL,
    at_time      TEXT NOT NULL,
    lang         TEXT NOT NULL,
    recipients   TEXT NOT NULL,
    next_run_at  TEXT NOT NULL,
    last_sent_at TEXT,
    last_error   TEXT,
    updated_by   INTEGER NOT NULL REFERENCES users(id),
    updated_at   TEXT NOT NULL
);

-- The IANA time zone whose days, weeks and months a project's reports and schedules follow
-- (storage stays UTC). A new project takes its organization's.
ALTER TABLE organizations ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
ALTER TABLE projects ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
