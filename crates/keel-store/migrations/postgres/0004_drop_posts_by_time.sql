-- posts_by_time (project_id, published_at) is a prefix of posts_report_by_time (0003), which
-- serves every query the narrow index did. Each index on posts is paid on every import:
-- dropping the redundant one saves a random-order B-tree insertion per imported post.
-- Kept in step with ../sqlite/0004_drop_posts_by_time.sql.
DROP INDEX IF EXISTS posts_by_time;
