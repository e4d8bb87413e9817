-- Platform data (PostgreSQL), imported from files or pulled from APIs. Kept in step with
-- ../sqlite/0002_platform_data.sql.
--
-- Natural keys are the primary keys, so a re-import is an upsert that finds the same row:
-- (platform, account, post_id) for posts, (platform, account, date) for daily account figures,
-- (platform, campaign, date) for ads, lead_id for leads — each inside one project.
-- A NULL count means "not in the file", which the metrics treat as 0 in sums but never as a
-- denominator.

CREATE TABLE posts (
    org_id        BIGINT NOT NULL REFERENCES organizations(id),
    project_id    BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    platform      TEXT NOT NULL,
    account       TEXT NOT NULL,
    post_id       TEXT NOT NULL,
    published_at  TIMESTAMPTZ NOT NULL,
    post_type     TEXT,
    likes         BIGINT,
    comments      BIGINT,
    shares        BIGINT,
    saves         BIGINT,
    views         BIGINT,
    reach         BIGINT,
    impressions   BIGINT,
    followers     BIGINT,
    PRIMARY KEY (project_id, platform, account, post_id)
);
CREATE INDEX posts_by_time ON posts (project_id, published_at);

CREATE TABLE daily_stats (
    org_id          BIGINT NOT NULL REFERENCES organizations(id),
    project_id      BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    platform        TEXT NOT NULL,
    account         TEXT NOT NULL,
    date            DATE NOT NULL,
    followers       BIGINT,
    reach           BIGINT,
    impressions     BIGINT,
    mentions        BIGINT,
    hashtag_uses    BIGINT,
    profile_visits  BIGINT,
    site_clicks     BIGINT,
    PRIMARY KEY (project_id, platform, account, date)
);

CREATE TABLE ad_stats (
    org_id       BIGINT NOT NULL REFERENCES organizations(id),
    project_id   BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    platform     TEXT NOT NULL,
    campaign     TEXT NOT NULL,
    date         DATE NOT NULL,
    spend        DOUBLE PRECISION NOT NULL,
    currency     TEXT NOT NULL,
    impressions  BIGINT,
    clicks       BIGINT,
    leads        BIGINT,
    video_views  BIGINT,
    PRIMARY KEY (project_id, platform, campaign, date)
);

CREATE TABLE leads (
    org_id      BIGINT NOT NULL REFERENCES organizations(id),
    project_id  BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    lead_id     TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    source      TEXT,
    campaign    TEXT,
    status      TEXT NOT NULL CHECK (status IN ('new', 'qualified', 'won', 'lost')),
    amount      DOUBLE PRECISION,
    closed_at   TIMESTAMPTZ,
    repeat      BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (project_id, lead_id)
);
CREATE INDEX leads_by_time ON leads (project_id, created_at);

-- One row per finished import: what came in, from whom, and what it changed.
CREATE TABLE imports (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id      BIGINT NOT NULL REFERENCES organizations(id),
    project_id  BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    format      TEXT NOT NULL,
    source      TEXT NOT NULL,
    rows_read   BIGINT NOT NULL,
    stored      BIGINT NOT NULL,
    replaced    BIGINT NOT NULL,
    unchanged   BIGINT NOT NULL,
    actor       TEXT NOT NULL,
    at          TIMESTAMPTZ NOT NULL
);
