-- The content plan and its approvals (issue 4), the database job runner and the in-app
-- notifications inbox. Kept in step with ../sqlite/0010_content_plan.sql. (`posts` holds
-- imported platform data; the plan's posts are `plan_posts`.)

CREATE TABLE plan_posts (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id             BIGINT NOT NULL REFERENCES organizations(id),
    project_id         BIGINT NOT NULL REFERENCES projects(id),
    author_id          BIGINT NOT NULL REFERENCES users(id),
    -- A rubric or tag ("promo", "behind the scenes"); empty when none.
    rubric             TEXT NOT NULL DEFAULT '',
    text               TEXT NOT NULL,
    -- Comma-separated platform names: vk, telegram, instagram, facebook.
    platforms          TEXT NOT NULL,
    scheduled_at       TIMESTAMPTZ,
    urgent             BOOLEAN NOT NULL DEFAULT FALSE,
    state              TEXT NOT NULL CHECK (state IN ('draft', 'in_review', 'changes_requested', 'approved',
                                                      'scheduled', 'published', 'failed')),
    revision_rounds    INTEGER NOT NULL DEFAULT 0,
    first_submitted_at TIMESTAMPTZ,
    submitted_at       TIMESTAMPTZ,
    sla_deadline       TIMESTAMPTZ,
    sla_missed         BOOLEAN NOT NULL DEFAULT FALSE,
    first_decision_at  TIMESTAMPTZ,
    approved_at        TIMESTAMPTZ,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX plan_posts_by_project ON plan_posts (project_id, state);

-- Text per platform where it differs from the post's main text.
CREATE TABLE plan_post_variants (
    post_id   BIGINT NOT NULL REFERENCES plan_posts(id) ON DELETE CASCADE,
    platform  TEXT NOT NULL CHECK (platform IN ('vk', 'telegram', 'instagram', 'facebook')),
    text      TEXT NOT NULL,
    PRIMARY KEY (post_id, platform)
);

-- Images live in the database so several instances behind a load balancer share them.
CREATE TABLE plan_post_images (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    post_id       BIGINT NOT NULL REFERENCES plan_posts(id) ON DELETE CASCADE,
    content_type  TEXT NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'image/webp', 'image/gif')),
    file_name     TEXT NOT NULL,
    bytes         BYTEA NOT NULL,
    size          INTEGER NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX plan_post_images_by_post ON plan_post_images (post_id);

-- Comments; an approver's remark may be a suggestion the agency resolves.
CREATE TABLE plan_comments (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    post_id         BIGINT NOT NULL REFERENCES plan_posts(id) ON DELETE CASCADE,
    author_id       BIGINT NOT NULL REFERENCES users(id),
    text            TEXT NOT NULL,
    advisory        BOOLEAN NOT NULL,
    -- NULL for a plain comment; otherwise the suggestion's resolution.
    suggestion      TEXT CHECK (suggestion IN ('open', 'accepted', 'declined')),
    decline_reason  TEXT,
    resolved_by     BIGINT REFERENCES users(id),
    resolved_at     TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX plan_comments_by_post ON plan_comments (post_id, id);

CREATE TABLE workflow_settings (
    project_id          BIGINT PRIMARY KEY REFERENCES projects(id),
    urgent_sla_minutes  INTEGER NOT NULL DEFAULT 30 CHECK (urgent_sla_minutes BETWEEN 1 AND 10080),
    auto_approve        BOOLEAN NOT NULL DEFAULT FALSE
);

-- Background jobs, shared by every keel instance on the database.
CREATE TABLE jobs (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind          TEXT NOT NULL,
    payload       TEXT NOT NULL DEFAULT '{}',
    state         TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'done', 'failed')),
    run_at        TIMESTAMPTZ NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    max_attempts  INTEGER NOT NULL DEFAULT 8,
    -- While running: the claim expires at this time, after which another instance retakes it.
    locked_until  TIMESTAMPTZ,
    locked_by     TEXT,
    last_error    TEXT,
    created_at    TIMESTAMPTZ NOT NULL,
    finished_at   TIMESTAMPTZ
);
CREATE INDEX jobs_due ON jobs (state, run_at);

CREATE TABLE notifications (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recipient_id  BIGINT NOT NULL REFERENCES users(id),
    project_id    BIGINT NOT NULL REFERENCES projects(id),
    post_id       BIGINT NOT NULL,
    kind          TEXT NOT NULL,
    title         TEXT NOT NULL,
    body          TEXT NOT NULL,
    link_path     TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    read_at       TIMESTAMPTZ
);
CREATE INDEX notifications_unread ON notifications (recipient_id, read_at);
