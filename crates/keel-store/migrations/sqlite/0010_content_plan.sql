-- The content plan and its approvals (issue 4), the database job runner and the in-app
-- notifications inbox. Kept in step with ../postgres/0010_content_plan.sql. (`posts` holds
-- imported platform data; the plan's posts are `plan_posts`.)

CREATE TABLE plan_posts (
    id                 INTEGER PRIMARY KEY,
    org_id             INTEGER NOT NULL REFERENCES organizations(id),
    project_id         INTEGER NOT NULL REFERENCES projects(id),
    author_id          INTEGER NOT NULL REFERENCES users(id),
    -- A rubric or tag ("promo", "behind the scenes"); empty when none.
    rubric             TEXT NOT NULL DEFAULT '',
    text               TEXT NOT NULL,
    -- Comma-separated platform names: vk, telegram, instagram, facebook.
    platforms          TEXT NOT NULL,
    scheduled_at       TEXT,
    urgent             BOOLEAN NOT NULL DEFAULT FALSE,
    state              TEXT NOT NULL CHECK (state IN ('draft', 'in_review', 'changes_requested', 'approved',
                                                      'scheduled', 'published', 'failed')),
    revision_rounds    INTEGER NOT NULL DEFAULT 0,
    first_submitted_at TEXT,
    submitted_at       TEXT,
    sla_deadline       TEXT,
    sla_missed         BOOLEAN NOT NULL DEFAULT FALSE,
    first_decision_at  TEXT,
    approved_at        TEXT,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
CREATE INDEX plan_posts_by_project ON plan_posts (project_id, state);

-- Text per platform where it differs from the post's main text.
CREATE TABLE plan_post_variants (
    post_id   INTEGER NOT NULL REFERENCES plan_posts(id) ON DELETE CASCADE,
    platform  TEXT NOT NULL CHECK (platform IN ('vk', 'telegram', 'instagram', 'facebook')),
    text      TEXT NOT NULL,
    PRIMARY KEY (post_id, platform)
);

-- Images live in the database so several instances behind a load balancer share them.
CREATE TABLE plan_post_images (
    id            INTEGER PRIMARY KEY,
    post_id       INTEGER NOT NULL REFERENCES plan_posts(id) ON DELETE CASCADE,
    content_type  TEXT NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'image/webp', 'image/gif')),
    file_name     TEXT NOT NULL,
    bytes         BLOB NOT NULL,
    size          INTEGER NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX plan_post_images_by_post ON plan_post_images (post_id);

-- Comments; an approver's remark may be a suggestion the agency resolves.
CREATE TABLE plan_comments (
    id              INTEGER PRIMARY KEY,
    post_id         INTEGER NOT NULL REFERENCES plan_posts(id) ON DELETE CASCADE,
    author_id       INTEGER NOT NULL REFERENCES users(id),
    text            TEXT NOT NULL,
    advisory        BOOLEAN NOT NULL,
    -- NULL for a plain comment; otherwise the suggestion's resolution.
    suggestion      TEXT CHECK (suggestion IN ('open', 'accepted', 'declined')),
    decline_reason  TEXT,
    resolved_by     INTEGER REFERENCES users(id),
    resolved_at     TEXT,
    created_at      TEXT NOT NULL
);
CREATE INDEX plan_comments_by_post ON plan_comments (post_id, id);

CREATE TABLE workflow_settings (
    project_id          INTEGER PRIMARY KEY REFERENCES projects(id),
    urgent_sla_minutes  INTEGER NOT NULL DEFAULT 30 CHECK (urgent_sla_minutes BETWEEN 1 AND 10080),
    auto_approve        BOOLEAN NOT NULL DEFAULT FALSE
);

-- Background jobs, shared by every keel instance on the database.
CREATE TABLE jobs (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL,
    payload       TEXT NOT NULL DEFAULT '{}',
    state         TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'done', 'failed')),
    run_at        TEXT NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    max_attempts  INTEGER NOT NULL DEFAULT 8,
    -- While running: the claim expires at this time, after which another instance retakes it.
    locked_until  TEXT,
    locked_by     TEXT,
    last_error    TEXT,
    created_at    TEXT NOT NULL,
    finished_at   TEXT
);
CREATE INDEX jobs_due ON jobs (state, run_at);

CREATE TABLE notifications (
    id            INTEGER PRIMARY KEY,
    recipient_id  INTEGER NOT NULL REFERENCES users(id),
    project_id    INTEGER NOT NULL REFERENCES projects(id),
    post_id       INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    title         TEXT NOT NULL,
    body          TEXT NOT NULL,
    link_path     TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    read_at       TEXT
);
CREATE INDEX notifications_unread ON notifications (recipient_id, read_at);
