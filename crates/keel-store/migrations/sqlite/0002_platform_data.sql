-- Platform data (SQLite), imported from files or pulled from APIs. Kept in step with
-- ../postgres/0002_platform_data.sql.
--
-- Natural keys are the primary keys, so a re-import is an upsert that finds the same row:
-- (platform, account, post_id) for posts, (platform, account, date) for daily account figures,
-- (platform, campaign, date) for ads, lead_id for leads — each inside one project.
-- A NULL count means "not in the file", which the metrics treat as 0 in sums but never as a
-- denominator.

CREATE TABLE posts (
    org_id        INTEGER NOT NULL REFERENCES organizations(id),
    project_id    INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    platform      TEXT NOT NULL,
    account       TEXT NOT NULL,
    post_id       TEXT NOT NULL,
    published_at  TEXT NOT NULL,
    post_type     TEXT,
    likes         INTEGER,
    comments      INTEGER,
    shares        INTEGER,
    saves         INTEGER,
    views         INTEGER,
    reach         INTEGER,
    impressions   INTEGER,
    followers     INTEGER,
    PRIMARY KEY (project_id, platform, account, post_id)
) WITHOUT ROWID;
CREATE INDEX posts_by_time ON posts (project_id, published_at);

CREATE TABLE daily_stats (
    org_id          INTEGER NOT NULL REFERENCES organizations(id),
    project_id      INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    platform        TEXT NOT NULL,
    account         TEXT NOT NULL,
    date            TEXT NOT NULL,
    followers       INTEGER,
    reach           INTEGER,
    impressions     INTEGER,
    mentions        INTEGER,
    hashtag_uses    INTEGER,
    profile_visits  INTEGER,
    site_clicks     INTEGER,
    PRIMARY KEY (project_id, platform, account, date)
) WITHOUT ROWID;

CREATE TABLE ad_stats (
    org_id       INTEGER NOT NULL REFERENCES organizations(id),
    project_id   INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    platform     TEXT NOT NULL,
    campaign     TEXT NOT NULL,
    date         TEXT NOT NULL,
    spend        REAL NOT NULL,
    currency     TEXT NOT NULL,
    impressions  INTEGER,
    clicks       INTEGER,
    leads        INTEGER,
    video_views  INTEGER,
    PRIMARY KEY (project_id, platform, campaign, date)
) WITHOUT ROWID;

CREATE TABLE leads (
    org_id      INTEGER NOT NULL REFERENCES organizations(id),
    project_id  INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    lead_id     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    source      TEXT,
    campaign    TEXT,
    status      TEXT NOT NULL CHECK (status IN ('new', 'qualified', 'won', 'lost')),
    amount      REAL,
    closed_at   TEXT,
    repeat      BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (project_id, lead_id)
) WITHOUT ROWID;
CREATE INDEX leads_by_time ON leads (project_id, created_at);

-- One row per finished import: what came in, from whom, and what it changed.
CREATE TABLE imports (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES organizations(id),
    project_id  INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    format      TEXT NOT NULL,
    source      TEXT NOT NULL,
    rows_read   INTEGER NOT NULL,
    stored      INTEGER NOT NULL,
    replaced    INTEGER NOT NULL,
    unchanged   INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    at          TEXT NOT NULL
);
