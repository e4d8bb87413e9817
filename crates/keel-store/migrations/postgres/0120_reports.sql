-- Reports for the client (PostgreSQL). Kept in step with ../sqlite/0120_reports.sql.
--
-- org_brands: the agency's look on reports, share pages and e-mails. The name is the
-- organization's own; the logo is kept as the uploaded bytes (PNG or JPEG only, checked by
-- the application), small enough to live in the row.
CREATE TABLE org_brands (
    org_id      BIGINT PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
    accent      TEXT NOT NULL,
    logo        BYTEA,
    logo_type   TEXT,
    updated_at  TIMESTAMPTZ NOT NULL
);

-- report_links: an expiring, revocable read-only link to one report (a project and a
-- period, in one language). Only the SHA-256 of the token is stored; every open is counted.
CREATE TABLE report_links (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id       BIGINT NOT NULL REFERENCES organizations(id),
    project_id   BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    token_hash   TEXT NOT NULL UNIQUE,
    period_from  DATE,
    period_to    DATE,
    lang         TEXT NOT NULL,
    created_by   BIGINT NOT NULL REFERENCES users(id),
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    revoked_at   TIMESTAMPTZ,
    opened       BIGINT NOT NULL DEFAULT 0,
    last_opened_at TIMESTAMPTZ
);
CREATE INDEX report_links_by_project ON report_links (project_id);

-- report_schedules: one per project. `cadence` is `monthly` (day_of = day of the month,
-- 1..28, the report covering the month before) or `weekly` (day_of = ISO weekday 1..7, the
-- report covering the 7 days before); `at_time` is HH:MM in the project's time zone.
-- `recipients` is a JSON array of user ids. Each delivery is a job (kind `report_delivery`)
-- whose row keeps its attempts and last error; `next_run_at` is when the next one is due.
CREATE TABLE report_schedules (
    project_id   BIGINT PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
    org_id       BIGINT NOT NULL REFERENCES organizations(id),
    cadence      TEXT NOT NULL CHECK (cadence IN ('monthly', 'weekly')),
    day_of       INTEGER NOT NULL,
    at_time      TEXT NOT NULL,
    lang         TEXT NOT NULL,
    recipients   TEXT NOT NULL,
    next_run_at  TIMESTAMPTZ NOT NULL,
    last_sent_at TIMESTAMPTZ,
    last_error   TEXT,
    updated_by   BIGINT NOT NULL REFERENCES users(id),
    updated_at   TIMESTAMPTZ NOT NULL
);

-- The IANA time zone whose days, weeks and months a project's reports and schedules follow
-- (storage stays UTC). A new project takes its organization's.
ALTER TABLE organizations ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
ALTER TABLE projects ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
