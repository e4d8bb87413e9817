-- Indexes for `keel report` (crate keel-report), SQLite. Kept in step with
-- ../postgres/0003_report_indexes.sql (which INCLUDEs the non-key columns instead).
--
-- The report lists a period's posts ordered by (published_at, platform, account, post_id)
-- with every count it needs. Read through posts_by_time, each post costs a lookup into
-- the table in a different place (the table is ordered by account, not by time): about
-- 7 s for a million posts. This index holds the report's columns in the report's order,
-- so the list is one sequential read of the index, with no sort and no table lookups
-- (about 0.4 s for a million posts). It costs about the size of the posts table on disk.
CREATE INDEX posts_report_by_time ON posts (
    project_id, published_at, platform, account, post_id,
    likes, comments, shares, saves, views, reach, followers
);

-- The report gives each post the follower count of its publication day by merging the
-- time-ordered posts with the daily rows read in date order (a million primary-key
-- lookups would cost more than the rest of the report together): this index is that
-- order, follower count included.
CREATE INDEX daily_report_by_date ON daily_stats (project_id, date, platform, account, followers);
