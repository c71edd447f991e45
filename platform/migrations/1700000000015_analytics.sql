-- Up Migration

-- What the retention dashboard and the playbook heatmap read. Temporal's histories hold every step a
-- run took, but reading 200,000 histories for a chart is not an option: the persistence activity
-- copies two facts per transition into PostgreSQL (workers/stepLog.ts), keyed so a retry writes nothing twice.

-- One row per step of a recovery attempt: which node, when it was entered and left, and through which
-- handle (comma-separated when a parallel node forked; NULL when the step was cancelled or ended the run).
-- The customer, playbook and version are copied in so the per-step query reads one table and one index
-- (and department reach needs no join).
CREATE TABLE attempt_steps (
  attempt_id uuid NOT NULL REFERENCES recovery_attempts(id),
  step_id text NOT NULL,
  node_id text NOT NULL,
  kind text NOT NULL,
  customer_id text NOT NULL,
  playbook_key text NOT NULL,
  playbook_version integer NOT NULL,
  entered_at timestamptz NOT NULL,
  left_at timestamptz,
  left_via text,
  PRIMARY KEY (attempt_id, step_id)
);
CREATE INDEX attempt_steps_playbook_idx ON attempt_steps (playbook_key, playbook_version, entered_at);
-- Steps still open when their run ends are closed with it.
CREATE INDEX attempt_steps_open_idx ON attempt_steps (attempt_id) WHERE left_at IS NULL;

-- The arm an experiment node put the attempt in (the run variable `<node>.arm`, as a row).
CREATE TABLE attempt_arms (
  attempt_id uuid NOT NULL REFERENCES recovery_attempts(id),
  node_id text NOT NULL,
  arm text NOT NULL,
  label text NOT NULL,
  customer_id text NOT NULL,
  playbook_key text NOT NULL,
  playbook_version integer NOT NULL,
  assigned_at timestamptz NOT NULL,
  PRIMARY KEY (attempt_id, node_id)
);
CREATE INDEX attempt_arms_playbook_idx ON attempt_arms (playbook_key, node_id, arm);

-- Attempts already split before this table existed keep their arm (from their variables).
INSERT INTO attempt_arms (attempt_id, node_id, arm, label, customer_id, playbook_key, playbook_version, assigned_at)
SELECT a.id, left(v.key, length(v.key) - 4), v.value, v.value, a.customer_id, a.playbook_key, a.playbook_version, a.started_at
  FROM recovery_attempts a, jsonb_each_text(a.variables) v
 WHERE v.key LIKE '%.arm'
ON CONFLICT DO NOTHING;

-- Monthly reads: attempts by when they ended, the status changes an attempt made, offers by outcome.
CREATE INDEX recovery_attempts_ended_idx ON recovery_attempts (ended_at, playbook_key, playbook_version) WHERE ended_at IS NOT NULL;
CREATE INDEX customer_status_history_attempt_idx ON customer_status_history (attempt_id, to_status) WHERE attempt_id IS NOT NULL;
CREATE INDEX offers_accepted_idx ON offers (attempt_id, tier) WHERE status = 'accepted';
CREATE INDEX tasks_completed_at_idx ON tasks (closed_at) WHERE status = 'completed';

-- Down Migration
DROP INDEX tasks_completed_at_idx;
DROP INDEX offers_accepted_idx;
DROP INDEX customer_status_history_attempt_idx;
DROP INDEX recovery_attempts_ended_idx;
DROP TABLE attempt_arms;
DROP TABLE attempt_steps;
