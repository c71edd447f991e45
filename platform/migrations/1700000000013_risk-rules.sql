-- Up Migration

-- The at-risk rules (red line, periodic business, declining orders, complaint) as ops managers
-- configure them, versioned like playbooks: one draft, immutable published versions. The
-- evaluation reads the newest published version; every status change names the version it came from.
CREATE TABLE risk_rule_draft (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  config jsonb NOT NULL,
  revision integer NOT NULL DEFAULT 1,
  updated_by text REFERENCES users(id),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE risk_rule_versions (
  version integer PRIMARY KEY CHECK (version > 0),
  config jsonb NOT NULL,
  note text NOT NULL DEFAULT '',
  published_by text REFERENCES users(id),
  published_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION refuse_risk_rule_version_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'published risk rule versions are immutable';
END $$;
CREATE TRIGGER risk_rule_versions_immutable BEFORE UPDATE OR DELETE ON risk_rule_versions
  FOR EACH ROW EXECUTE FUNCTION refuse_risk_rule_version_change();

-- One row per evaluation run (a schedule firing, a backfill, "run now", a complaint coming in):
-- its progress while it scans, what it moved and which playbooks it started.
CREATE TABLE risk_evaluations (
  id text PRIMARY KEY,
  as_of timestamptz NOT NULL,
  rule_version integer REFERENCES risk_rule_versions(version),
  reason text NOT NULL DEFAULT 'schedule',
  status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'failed')),
  scanned integer NOT NULL DEFAULT 0,
  changed integer NOT NULL DEFAULT 0,
  started_playbooks integer NOT NULL DEFAULT 0,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX risk_evaluations_started_idx ON risk_evaluations (started_at DESC);

-- The status changes an evaluation applied, keyed so a retried page applies each change once.
CREATE TABLE risk_evaluation_changes (
  evaluation_id text NOT NULL REFERENCES risk_evaluations(id),
  customer_id text NOT NULL REFERENCES customers(id),
  from_status text NOT NULL,
  to_status text NOT NULL,
  rule text NOT NULL,
  trigger_key text NOT NULL,
  evidence jsonb NOT NULL DEFAULT '{}',
  at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (evaluation_id, customer_id)
);

-- The status history trigger (migration 12) learns one more way to be told why: an evaluation moves
-- a page of customers in one UPDATE, so it names itself (retention.status_evaluation) and the
-- trigger reads each customer's rule, evidence and version from the change the evaluation recorded.
CREATE OR REPLACE FUNCTION record_customer_status_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  evaluation text := NULLIF(current_setting('retention.status_evaluation', true), '');
  change record;
BEGIN
  IF NEW.status IS DISTINCT FROM OLD.status THEN
    NEW.status_changed_at := now();
    IF evaluation IS NOT NULL THEN
      SELECT ch.rule, ch.evidence, e.rule_version INTO change
        FROM risk_evaluation_changes ch JOIN risk_evaluations e ON e.id = ch.evaluation_id
       WHERE ch.evaluation_id = evaluation AND ch.customer_id = NEW.id;
      IF FOUND THEN
        INSERT INTO customer_status_history (customer_id, from_status, to_status, rule, rule_version, evidence, changed_by)
        VALUES (NEW.id, OLD.status, NEW.status, change.rule, change.rule_version, change.evidence || jsonb_build_object('evaluation', evaluation), 'risk-rules');
        RETURN NEW;
      END IF;
    END IF;
    INSERT INTO customer_status_history (customer_id, from_status, to_status, rule, rule_version, evidence, attempt_id, changed_by)
    VALUES (
      NEW.id, OLD.status, NEW.status,
      COALESCE(NULLIF(current_setting('retention.status_rule', true), ''), 'manual'),
      NULLIF(current_setting('retention.status_rule_version', true), '')::integer,
      COALESCE(NULLIF(current_setting('retention.status_evidence', true), '')::jsonb, '{}'::jsonb),
      NULLIF(current_setting('retention.status_attempt', true), '')::uuid,
      NULLIF(current_setting('retention.status_changed_by', true), '')
    );
  END IF;
  RETURN NEW;
END $$;

-- Bulk imports of customers or activity: progress readable while the file streams in, and every
-- row that was refused with its row number, column and why.
CREATE TABLE import_jobs (
  id uuid PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('customers', 'activity')),
  format text NOT NULL CHECK (format IN ('csv', 'jsonl')),
  filename text NOT NULL DEFAULT '' CHECK (length(filename) <= 300),
  size_bytes bigint,
  status text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'running', 'completed', 'failed')),
  bytes_read bigint NOT NULL DEFAULT 0,
  rows_read integer NOT NULL DEFAULT 0,
  rows_applied integer NOT NULL DEFAULT 0,
  rows_unchanged integer NOT NULL DEFAULT 0,
  rows_failed integer NOT NULL DEFAULT 0,
  failure text,
  started_by text NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX import_jobs_created_idx ON import_jobs (created_at DESC);

CREATE TABLE import_row_errors (
  job_id uuid NOT NULL REFERENCES import_jobs(id),
  row_number integer NOT NULL,
  path text NOT NULL,
  code text NOT NULL,
  message text NOT NULL,
  PRIMARY KEY (job_id, row_number, path)
);

-- The evaluation starts playbooks on nobody's behalf but the rules': a user row to name as the
-- starter and actor (recovery_attempts.started_by and audit rows reference users). It cannot log in:
-- inactive, and its password hash matches no password.
INSERT INTO users (id, username, display_name, password_hash, role, department_id, active)
VALUES ('risk-rules', 'risk-rules', 'At-risk rules (schedule)', '!', 'ops_manager', NULL, false)
ON CONFLICT (id) DO NOTHING;

GRANT SELECT, INSERT, UPDATE ON risk_rule_draft, risk_evaluations, import_jobs TO retention_app;
GRANT SELECT, INSERT ON risk_rule_versions, risk_evaluation_changes, import_row_errors TO retention_app;

-- Down Migration
-- (record_customer_status_change keeps the evaluation branch: it is inert without retention.status_evaluation.)
DROP TABLE import_row_errors;
DROP TABLE import_jobs;
DROP TABLE risk_evaluation_changes;
DROP TABLE risk_evaluations;
DROP TRIGGER risk_rule_versions_immutable ON risk_rule_versions;
DROP FUNCTION refuse_risk_rule_version_change();
DROP TABLE risk_rule_versions;
DROP TABLE risk_rule_draft;
DELETE FROM users WHERE id = 'risk-rules';
