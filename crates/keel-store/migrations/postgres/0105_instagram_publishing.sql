-- Instagram publishing (issue 10). Kept in step with ../sqlite/0105_instagram_publishing.sql.
--
-- Meta fetches a post's image from a URL it is given. Each image of a post going to Instagram
-- gets an unguessable token (256 random bits) whose SHA-256 alone is kept here; the public route
-- `/media/{token}` serves that one image until `expires_at`, and nothing else.
CREATE TABLE publication_media (
    token_hash  TEXT PRIMARY KEY,
    post_id     BIGINT NOT NULL REFERENCES plan_posts(id) ON DELETE CASCADE,
    image_id    BIGINT NOT NULL REFERENCES plan_post_images(id) ON DELETE CASCADE,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX publication_media_expiry ON publication_media (expires_at);

-- The platform's handle of an attempt in flight (Instagram: the media container about to be
-- published), kept while `sending` so an attempt whose outcome is unknown can be reconciled:
-- a container answers whether it was published, and may be published only once.
ALTER TABLE plan_publications ADD COLUMN platform_ref TEXT;
