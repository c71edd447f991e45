-- Up Migration

CREATE TABLE departments (
  id text PRIMARY KEY,
  name text NOT NULL
);

CREATE TABLE users (
  id text PRIMARY KEY,
  username text NOT NULL UNIQUE,
  display_name text NOT NULL,
  password_hash text NOT NULL,
  role text NOT NULL CHECK (role IN ('ops_manager', 'rep', 'department_head', 'auditor', 'admin')),
  department_id text REFERENCES departments(id),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Only a hash of the token is stored: a leaked table does not leak sessions.
CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  user_id text NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE customers (
  id text PRIMARY KEY,
  name text NOT NULL,
  grade text NOT NULL DEFAULT 'ordinary' CHECK (grade IN ('core', 'high_potential', 'ordinary', 'churn_signs')),
  value numeric(14, 2) NOT NULL DEFAULT 0,
  department_id text REFERENCES departments(id),
  account_manager_id text REFERENCES users(id),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'at_risk', 'pre_churn', 'churned', 'won_back', 'retained', 'lost')),
  churn_type text CHECK (churn_type IN ('natural', 'malicious', 'competitive', 'fault')),
  churn_reason text CHECK (churn_reason IN ('A', 'B', 'C', 'D')),
  tags text[] NOT NULL DEFAULT '{}',
  last_seen_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE playbooks (
  key text PRIMARY KEY,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  draft_graph jsonb NOT NULL,
  -- Bumped on every save: the editor's ETag for optimistic concurrency.
  draft_revision integer NOT NULL DEFAULT 1,
  updated_by text REFERENCES users(id),
  updated_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE playbook_versions (
  playbook_key text NOT NULL REFERENCES playbooks(key),
  version integer NOT NULL CHECK (version > 0),
  graph jsonb NOT NULL,
  plan jsonb NOT NULL,
  plan_hash text NOT NULL,
  published_by text REFERENCES users(id),
  published_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (playbook_key, version)
);

-- A published version is evidence: runs are pinned to it, so it can never change.
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER playbook_versions_immutable BEFORE UPDATE OR DELETE ON playbook_versions
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

CREATE TABLE recovery_attempts (
  id uuid PRIMARY KEY,
  workflow_id text NOT NULL,
  customer_id text NOT NULL REFERENCES customers(id),
  playbook_key text NOT NULL,
  playbook_version integer NOT NULL,
  status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'failed', 'terminated')),
  outcome text,
  outcome_reason text,
  current_node_ids text[] NOT NULL DEFAULT '{}',
  variables jsonb NOT NULL DEFAULT '{}',
  last_transition integer NOT NULL DEFAULT 0,
  started_by text REFERENCES users(id),
  started_at timestamptz NOT NULL DEFAULT now(),
  ended_at timestamptz,
  FOREIGN KEY (playbook_key, playbook_version) REFERENCES playbook_versions(playbook_key, version)
);
CREATE INDEX recovery_attempts_customer_idx ON recovery_attempts (customer_id, started_at DESC);

CREATE TABLE tasks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  attempt_id uuid NOT NULL REFERENCES recovery_attempts(id),
  workflow_id text NOT NULL,
  -- The runtime's key for the task: (attempt, key) makes the creating activity idempotent.
  task_key text NOT NULL,
  node_id text NOT NULL,
  customer_id text NOT NULL REFERENCES customers(id),
  playbook_key text NOT NULL,
  title text NOT NULL,
  instructions text NOT NULL DEFAULT '',
  assignee_role text NOT NULL,
  department_id text,
  assignee_user_id text,
  claimed_by text REFERENCES users(id),
  claimed_at timestamptz,
  priority text NOT NULL DEFAULT 'normal',
  outcomes jsonb NOT NULL,
  form jsonb NOT NULL DEFAULT '[]',
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'completed', 'cancelled')),
  outcome text,
  form_data jsonb,
  completed_by text,
  due_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz,
  UNIQUE (attempt_id, task_key)
);
CREATE INDEX tasks_queue_idx ON tasks (status, assignee_role, department_id, due_at);
CREATE INDEX tasks_attempt_idx ON tasks (attempt_id);

-- What people did, outside the workflow history: append-only.
CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor_id text,
  action text NOT NULL,
  attempt_id uuid,
  subject text,
  details jsonb NOT NULL DEFAULT '{}'
);
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Down Migration
DROP TABLE audit_log;
DROP TABLE tasks;
DROP TABLE recovery_attempts;
DROP TABLE playbook_versions;
DROP FUNCTION refuse_change CASCADE;
DROP TABLE playbooks;
DROP TABLE customers;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE departments;
