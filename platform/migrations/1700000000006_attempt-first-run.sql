-- Up Migration
-- The Temporal run an attempt began with: the audit views follow continue-as-new from there.
ALTER TABLE recovery_attempts ADD COLUMN first_run_id text;
CREATE INDEX recovery_attempts_search_idx ON recovery_attempts (playbook_key, playbook_version, outcome, started_at);

-- Down Migration
DROP INDEX recovery_attempts_search_idx;
ALTER TABLE recovery_attempts DROP COLUMN first_run_id;
