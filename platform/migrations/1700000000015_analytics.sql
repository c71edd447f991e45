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

-- Each customer's months, one row per customer and month with what happened in it: served (a visit,
-- service, order or payment), lost (crossed the churn line: into churned or lost from any status
-- that is neither) and won back (into won_back from at_risk, pre_churn, churned or lost). Kept by
-- statement-level triggers on the two tables it rolls up, so the monthly rates count one narrow row
-- per customer and month instead of every visit; the definitions live here and in the README.
CREATE TABLE customer_months (
  month date NOT NULL,
  customer_id text NOT NULL REFERENCES customers(id),
  served boolean NOT NULL DEFAULT false,
  lost boolean NOT NULL DEFAULT false,
  won_back boolean NOT NULL DEFAULT false,
  PRIMARY KEY (month, customer_id)
);

CREATE FUNCTION roll_up_customer_activity() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO customer_months (month, customer_id, served)
  SELECT DISTINCT date_trunc('month', occurred_at AT TIME ZONE 'UTC')::date, customer_id, true
    FROM new_rows WHERE kind IN ('visit', 'service', 'order', 'payment')
  ON CONFLICT (month, customer_id) DO UPDATE SET served = true WHERE NOT customer_months.served;
  RETURN NULL;
END $$;
CREATE TRIGGER customer_activity_months AFTER INSERT ON customer_activity
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION roll_up_customer_activity();

CREATE FUNCTION roll_up_customer_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO customer_months (month, customer_id, lost, won_back)
  SELECT date_trunc('month', at AT TIME ZONE 'UTC')::date, customer_id,
         bool_or(to_status IN ('churned', 'lost') AND from_status NOT IN ('churned', 'lost')),
         bool_or(to_status = 'won_back' AND from_status IN ('at_risk', 'pre_churn', 'churned', 'lost'))
    FROM new_rows GROUP BY 1, 2
  HAVING bool_or(to_status IN ('churned', 'lost') AND from_status NOT IN ('churned', 'lost'))
      OR bool_or(to_status = 'won_back' AND from_status IN ('at_risk', 'pre_churn', 'churned', 'lost'))
  ON CONFLICT (month, customer_id) DO UPDATE
    SET lost = customer_months.lost OR EXCLUDED.lost, won_back = customer_months.won_back OR EXCLUDED.won_back;
  RETURN NULL;
END $$;
CREATE TRIGGER customer_status_history_months AFTER INSERT ON customer_status_history
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION roll_up_customer_status();

-- What happened before the rollup existed.
INSERT INTO customer_months (month, customer_id, served, lost, won_back)
SELECT month, customer_id, bool_or(served), bool_or(lost), bool_or(won_back)
  FROM (
    SELECT date_trunc('month', occurred_at AT TIME ZONE 'UTC')::date AS month, customer_id, true AS served, false AS lost, false AS won_back
      FROM customer_activity WHERE kind IN ('visit', 'service', 'order', 'payment')
    UNION ALL
    SELECT date_trunc('month', at AT TIME ZONE 'UTC')::date, customer_id, false,
           to_status IN ('churned', 'lost') AND from_status NOT IN ('churned', 'lost'),
           to_status = 'won_back' AND from_status IN ('at_risk', 'pre_churn', 'churned', 'lost')
      FROM customer_status_history
  ) facts
 GROUP BY 1, 2
HAVING bool_or(served) OR bool_or(lost) OR bool_or(won_back);

-- Monthly reads: attempts by when they ended, the status changes an attempt made, offers by outcome.
CREATE INDEX recovery_attempts_ended_idx ON recovery_attempts (ended_at, playbook_key, playbook_version) INCLUDE (id, outcome, customer_id)
  WHERE ended_at IS NOT NULL;
CREATE INDEX customer_status_history_attempt_idx ON customer_status_history (attempt_id, to_status) WHERE attempt_id IS NOT NULL;
CREATE INDEX offers_accepted_idx ON offers (attempt_id, tier) WHERE status = 'accepted';
CREATE INDEX tasks_completed_at_idx ON tasks (closed_at) WHERE status = 'completed';

-- Down Migration
DROP TRIGGER customer_status_history_months ON customer_status_history;
DROP FUNCTION roll_up_customer_status();
DROP TRIGGER customer_activity_months ON customer_activity;
DROP FUNCTION roll_up_customer_activity();
DROP TABLE customer_months;
DROP INDEX tasks_completed_at_idx;
DROP INDEX offers_accepted_idx;
DROP INDEX customer_status_history_attempt_idx;
DROP INDEX recovery_attempts_ended_idx;
DROP TABLE attempt_arms;
DROP TABLE attempt_steps;
