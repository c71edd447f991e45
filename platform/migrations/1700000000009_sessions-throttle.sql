-- Up Migration

-- Expired sessions are purged on every login: an index keeps that a range delete.
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

-- Failed logins per user and per address (rate-limiter-flexible's RateLimiterPostgres layout), so
-- every API replica counts the same attempts. Made here: the app's role may not create tables.
CREATE TABLE login_throttle (
  key varchar(255) PRIMARY KEY,
  points integer NOT NULL DEFAULT 0,
  expire bigint
);

-- Down Migration
DROP TABLE login_throttle;
DROP INDEX sessions_expires_idx;
