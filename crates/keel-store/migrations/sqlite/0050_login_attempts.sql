-- Login attempts counted in one statement per key (SQLite). Kept in step with
-- ../postgres/0050_login_attempts.sql.
--
-- The old `login_failures` table was read (COUNT) and written (INSERT) in two steps, so
-- parallel guesses all passed the check before any was recorded. Here every attempt takes
-- its number with one upsert that counts and returns, and the answer decides.
DROP TABLE login_failures;
CREATE TABLE login_attempts (
    key           TEXT PRIMARY KEY,
    window_start  TEXT NOT NULL,
    attempts      INTEGER NOT NULL
);
CREATE INDEX login_attempts_by_window ON login_attempts (window_start);
