-- Up Migration
-- Operating sleeping attempts (issue 14): what each attempt waits for, the operators' repairs and
-- migrations, the writes the database refused (incidents), and batch operations over many attempts.

-- Where the attempt waits, as the workflow last stored it: the operator's list reads this, not Temporal.
ALTER TABLE recovery_attempts
  ADD COLUMN waits jsonb NOT NULL DEFAULT '[]',
  ADD COLUMN waiting_since timestamptz,
  ADD COLUMN migrated_from integer;

-- One row per operator's operation, keyed by its id (the Update id): written once however often retried.
CREATE TABLE attempt_operations (
  operation_id text PRIMARY KEY,
  attempt_id uuid NOT NULL REFERENCES recovery_attempts(id),
  operation text NOT NULL CHECK (operation IN ('cancel_attempt', 'move_step', 'set_variable', 'migrate')),
  actor_id text REFERENCES users(id),
  reason text NOT NULL,
  details jsonb NOT NULL DEFAULT '{}',
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attempt_operations_attempt_idx ON attempt_operations (attempt_id, at);

-- A transition the database refused by its rules: the attempt waits for an operator to retry or skip it.
CREATE TABLE attempt_incidents (
  incident_id text PRIMARY KEY,
  attempt_id uuid NOT NULL REFERENCES recovery_attempts(id),
  code text NOT NULL,
  message text NOT NULL,
  node_ids text[] NOT NULL DEFAULT '{}',
  transition integer NOT NULL,
  opened_at timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz,
  resolution text CHECK (resolution IN ('retry', 'skip')),
  resolved_by text REFERENCES users(id),
  resolution_reason text
);
CREATE INDEX attempt_incidents_open_idx ON attempt_incidents (attempt_id) WHERE resolved_at IS NULL;

-- A batch over many attempts (cancel, migrate): run by a Temporal workflow, so it survives restarts;
-- each attempt's verdict is kept here as it is reached.
CREATE TABLE attempt_batches (
  id uuid PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('cancel_attempt', 'migrate', 'retry_incident', 'dry_run_migrate')),
  playbook_key text,
  from_version integer,
  to_version integer,
  params jsonb NOT NULL DEFAULT '{}',
  reason text NOT NULL,
  created_by text NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  total integer NOT NULL
);

CREATE TABLE attempt_batch_items (
  batch_id uuid NOT NULL REFERENCES attempt_batches(id),
  attempt_id uuid NOT NULL REFERENCES recovery_attempts(id),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'refused', 'failed')),
  verdict jsonb,
  finished_at timestamptz,
  PRIMARY KEY (batch_id, attempt_id)
);
CREATE INDEX attempt_batch_items_pending_idx ON attempt_batch_items (batch_id) WHERE status = 'pending';

-- An operator's saved filters of the attempt list ("asleep > 30 days in win-back v3").
CREATE TABLE operate_views (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id text NOT NULL REFERENCES users(id),
  name text NOT NULL,
  filter jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, name)
);

-- The list filters on these.
CREATE INDEX recovery_attempts_playbook_status_idx ON recovery_attempts (playbook_key, playbook_version, status);
CREATE INDEX recovery_attempts_waiting_idx ON recovery_attempts (waiting_since) WHERE status = 'running';

-- Down Migration
DROP TABLE operate_views;
DROP TABLE attempt_batch_items;
DROP TABLE attempt_batches;
DROP TABLE attempt_incidents;
DROP TABLE attempt_operations;
ALTER TABLE recovery_attempts DROP COLUMN migrated_from, DROP COLUMN waiting_since, DROP COLUMN waits;
