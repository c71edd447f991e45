-- Up Migration

-- The dashboard's tables, pre-aggregated. Counting 600,000 customer months, 200,000 attempts with
-- their status changes and offers, or unpacking every completed task's form on each request took
-- 0.2–1 s at 200,000 attempts; these rollups hold the same counts per group, kept by triggers in
-- the transaction that writes the facts, so what the dashboard shows is always live (never a stale
-- number). Groups use the customer's current department (and churn type, reason and grade), as the
-- live queries did: a customer whose attributes change moves their counts with them.
--
-- Each writer locks the rows a count depends on before reading them (the customer FOR SHARE, the
-- attempt FOR NO KEY UPDATE), in id order, so a concurrent attribute change or a second fact about
-- the same attempt waits for it and then reads the committed state: no count is lost or doubled.
-- Row locks live in the rows, so a bulk write does not fill the lock table.

-- Rates: customer months per month and customer group.
CREATE TABLE customer_month_groups (
  month date NOT NULL,
  department_id text,
  churn_type text,
  churn_reason text,
  grade text NOT NULL,
  served integer NOT NULL DEFAULT 0,
  lost integer NOT NULL DEFAULT 0,
  won_back integer NOT NULL DEFAULT 0,
  UNIQUE NULLS NOT DISTINCT (month, department_id, churn_type, churn_reason, grade)
);
CREATE INDEX customer_months_customer_idx ON customer_months (customer_id);

-- Attempt outcomes: the cell each ended attempt counts in (its month, whether it won its customer
-- back, the highest tier accepted), and the cells' counts per department.
CREATE TABLE attempt_outcomes (
  attempt_id uuid PRIMARY KEY REFERENCES recovery_attempts(id),
  month date NOT NULL,
  customer_id text NOT NULL,
  playbook_key text NOT NULL,
  playbook_version integer NOT NULL,
  won_back boolean NOT NULL,
  tier integer
);
CREATE INDEX attempt_outcomes_customer_idx ON attempt_outcomes (customer_id);
CREATE TABLE attempt_outcome_months (
  month date NOT NULL,
  department_id text,
  playbook_key text NOT NULL,
  playbook_version integer NOT NULL,
  won_back boolean NOT NULL,
  tier integer,
  attempts integer NOT NULL DEFAULT 0,
  UNIQUE NULLS NOT DISTINCT (month, department_id, playbook_key, playbook_version, won_back, tier)
);

-- Experiment arms with their attempt's state: whether it has ended (its status is no longer running)
-- and won its customer back, so the arms of a playbook are one index range, with no join per request.
CREATE TABLE arm_outcomes (
  attempt_id uuid NOT NULL REFERENCES recovery_attempts(id),
  node_id text NOT NULL,
  arm text NOT NULL,
  label text NOT NULL,
  customer_id text NOT NULL,
  playbook_key text NOT NULL,
  playbook_version integer NOT NULL,
  assigned_at timestamptz NOT NULL,
  ended boolean NOT NULL,
  won boolean NOT NULL,
  PRIMARY KEY (attempt_id, node_id)
);
CREATE INDEX arm_outcomes_playbook_idx ON arm_outcomes (playbook_key, playbook_version, assigned_at) INCLUDE (node_id, arm, label, customer_id, ended, won);

-- The failure audit: each cause recorded in a completed task, counted as it is recorded, per month
-- of closing, department and playbook; the tasks that recorded any cause; and how a cause reads.
CREATE TABLE failure_cause_months (
  month date NOT NULL,
  department_id text,
  playbook_key text NOT NULL,
  field text NOT NULL,
  cause text NOT NULL,
  times integer NOT NULL DEFAULT 0,
  UNIQUE NULLS NOT DISTINCT (month, department_id, playbook_key, field, cause)
);
CREATE TABLE failure_task_months (
  month date NOT NULL,
  department_id text,
  playbook_key text NOT NULL,
  tasks integer NOT NULL DEFAULT 0,
  UNIQUE NULLS NOT DISTINCT (month, department_id, playbook_key)
);
CREATE TABLE failure_cause_labels (
  field text NOT NULL,
  cause text NOT NULL,
  field_label text NOT NULL,
  cause_label text NOT NULL,
  PRIMARY KEY (field, cause)
);

-- The heatmap reads one playbook's steps from the index alone.
CREATE INDEX attempt_steps_playbook_cover_idx ON attempt_steps (playbook_key, playbook_version, entered_at) INCLUDE (node_id, kind, left_at, left_via);
DROP INDEX attempt_steps_playbook_idx;
-- Experiment arms join their attempts by id; the arms of one playbook come from one index range.
CREATE INDEX attempt_arms_playbook_cover_idx ON attempt_arms (playbook_key, playbook_version, assigned_at) INCLUDE (attempt_id, node_id, arm, label, customer_id);
-- Department heads' own reach beyond their department: the customers they manage, and the customers
-- of the tasks they may see (their department's and no department's, from the index alone).
CREATE INDEX customers_account_manager_idx ON customers (account_manager_id) WHERE account_manager_id IS NOT NULL;
CREATE INDEX tasks_department_customer_idx ON tasks (department_id, customer_id);

-- ── Rates ────────────────────────────────────────────────────────────────────────────────────────

CREATE FUNCTION count_customer_months_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM customers c WHERE c.id IN (SELECT customer_id FROM new_rows) ORDER BY c.id FOR SHARE;
  INSERT INTO customer_month_groups AS g (month, department_id, churn_type, churn_reason, grade, served, lost, won_back)
  SELECT n.month, c.department_id, c.churn_type, c.churn_reason, c.grade,
         count(*) FILTER (WHERE n.served), count(*) FILTER (WHERE n.lost), count(*) FILTER (WHERE n.won_back)
    FROM new_rows n JOIN customers c ON c.id = n.customer_id
   GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (month, department_id, churn_type, churn_reason, grade) DO UPDATE
    SET served = g.served + EXCLUDED.served, lost = g.lost + EXCLUDED.lost, won_back = g.won_back + EXCLUDED.won_back;
  RETURN NULL;
END $$;
CREATE TRIGGER customer_months_inserted AFTER INSERT ON customer_months
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION count_customer_months_inserted();

-- A flag that turns on (the month's first visit after a loss, say) adds one to its group.
CREATE FUNCTION count_customer_months_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM customers c WHERE c.id IN (SELECT customer_id FROM new_rows) ORDER BY c.id FOR SHARE;
  INSERT INTO customer_month_groups AS g (month, department_id, churn_type, churn_reason, grade, served, lost, won_back)
  SELECT n.month, c.department_id, c.churn_type, c.churn_reason, c.grade,
         sum(n.served::int - o.served::int), sum(n.lost::int - o.lost::int), sum(n.won_back::int - o.won_back::int)
    FROM new_rows n JOIN old_rows o ON o.month = n.month AND o.customer_id = n.customer_id
    JOIN customers c ON c.id = n.customer_id
   WHERE (n.served, n.lost, n.won_back) IS DISTINCT FROM (o.served, o.lost, o.won_back)
   GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (month, department_id, churn_type, churn_reason, grade) DO UPDATE
    SET served = g.served + EXCLUDED.served, lost = g.lost + EXCLUDED.lost, won_back = g.won_back + EXCLUDED.won_back;
  RETURN NULL;
END $$;
CREATE TRIGGER customer_months_updated AFTER UPDATE ON customer_months
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION count_customer_months_updated();

-- ── Attempt outcomes ─────────────────────────────────────────────────────────────────────────────

-- Recounts the given attempts: takes each out of the cell it counted in and puts it in the cell
-- its facts say now (none while it has not ended).
CREATE FUNCTION recount_attempt_outcomes(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF ids IS NULL OR cardinality(ids) = 0 THEN RETURN; END IF;
  -- The ids are matched as a set (IN unnest), never against the array row by row: a bulk write
  -- passes 100,000s of ids, and comparing each row with the whole array is quadratic.
  PERFORM 1 FROM recovery_attempts a WHERE a.id IN (SELECT unnest(ids)) ORDER BY a.id FOR NO KEY UPDATE OF a;
  PERFORM 1 FROM customers c WHERE c.id IN (SELECT customer_id FROM recovery_attempts WHERE id IN (SELECT unnest(ids))) ORDER BY c.id FOR SHARE OF c;
  PERFORM add_attempt_outcome_months(ids, -1);
  DELETE FROM attempt_outcomes WHERE attempt_id IN (SELECT unnest(ids));
  INSERT INTO attempt_outcomes (attempt_id, month, customer_id, playbook_key, playbook_version, won_back, tier)
  SELECT a.id, date_trunc('month', a.ended_at AT TIME ZONE 'UTC')::date, a.customer_id, a.playbook_key, a.playbook_version,
         a.outcome IS NOT DISTINCT FROM 'won_back'
           OR EXISTS (SELECT 1 FROM customer_status_history h WHERE h.attempt_id = a.id AND h.to_status = 'won_back'),
         (SELECT max(o.tier) FROM offers o WHERE o.attempt_id = a.id AND o.status = 'accepted')
    FROM recovery_attempts a WHERE a.id IN (SELECT unnest(ids)) AND a.ended_at IS NOT NULL;
  PERFORM add_attempt_outcome_months(ids, 1);
  UPDATE arm_outcomes x SET ended = s.ended, won = s.won
    FROM (SELECT a.id, a.status <> 'running' AS ended,
                 a.status <> 'running' AND (a.outcome IS NOT DISTINCT FROM 'won_back'
                   OR EXISTS (SELECT 1 FROM customer_status_history h WHERE h.attempt_id = a.id AND h.to_status = 'won_back')) AS won
            FROM recovery_attempts a WHERE a.id IN (SELECT unnest(ids))) s
   WHERE x.attempt_id = s.id AND (x.ended, x.won) IS DISTINCT FROM (s.ended, s.won);
END $$;

-- An arm assigned copies its attempt's state (the attempt locked first, as a recount does).
CREATE FUNCTION copy_attempt_arms() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM recovery_attempts a WHERE a.id IN (SELECT attempt_id FROM new_rows) ORDER BY a.id FOR NO KEY UPDATE OF a;
  INSERT INTO arm_outcomes (attempt_id, node_id, arm, label, customer_id, playbook_key, playbook_version, assigned_at, ended, won)
  SELECT n.attempt_id, n.node_id, n.arm, n.label, n.customer_id, n.playbook_key, n.playbook_version, n.assigned_at, a.status <> 'running',
         a.status <> 'running' AND (a.outcome IS NOT DISTINCT FROM 'won_back'
           OR EXISTS (SELECT 1 FROM customer_status_history h WHERE h.attempt_id = a.id AND h.to_status = 'won_back'))
    FROM new_rows n JOIN recovery_attempts a ON a.id = n.attempt_id
  ON CONFLICT (attempt_id, node_id) DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER attempt_arms_copied AFTER INSERT ON attempt_arms
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION copy_attempt_arms();

CREATE FUNCTION add_attempt_outcome_months(ids uuid[], sign integer) RETURNS void LANGUAGE sql AS $$
  INSERT INTO attempt_outcome_months AS g (month, department_id, playbook_key, playbook_version, won_back, tier, attempts)
  SELECT x.month, c.department_id, x.playbook_key, x.playbook_version, x.won_back, x.tier, sign * count(*)
    FROM attempt_outcomes x JOIN customers c ON c.id = x.customer_id
   WHERE x.attempt_id IN (SELECT unnest(ids))
   GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT (month, department_id, playbook_key, playbook_version, won_back, tier) DO UPDATE SET attempts = g.attempts + EXCLUDED.attempts
$$;

CREATE FUNCTION count_attempts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Only an ended attempt counts; a running one's updates (its current node, variables) change nothing.
  PERFORM recount_attempt_outcomes(ARRAY(SELECT id FROM new_rows WHERE ended_at IS NOT NULL ORDER BY id));
  RETURN NULL;
END $$;
CREATE FUNCTION count_attempts_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM recount_attempt_outcomes(ARRAY(
    SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
     WHERE (n.ended_at, n.outcome, n.status, n.customer_id, n.playbook_key, n.playbook_version)
           IS DISTINCT FROM (o.ended_at, o.outcome, o.status, o.customer_id, o.playbook_key, o.playbook_version)
     ORDER BY n.id));
  RETURN NULL;
END $$;
CREATE TRIGGER recovery_attempts_outcomes_inserted AFTER INSERT ON recovery_attempts
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION count_attempts_changed();
CREATE TRIGGER recovery_attempts_outcomes_updated AFTER UPDATE ON recovery_attempts
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION count_attempts_updated();

-- A status change an attempt made to won_back wins it back.
CREATE FUNCTION count_attempt_status_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM recount_attempt_outcomes(ARRAY(SELECT DISTINCT attempt_id FROM new_rows WHERE attempt_id IS NOT NULL AND to_status = 'won_back' ORDER BY 1));
  RETURN NULL;
END $$;
CREATE TRIGGER customer_status_history_outcomes AFTER INSERT ON customer_status_history
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION count_attempt_status_changes();

-- An offer accepted (or an acceptance withdrawn) moves the attempt's tier.
CREATE FUNCTION count_offers_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM recount_attempt_outcomes(ARRAY(SELECT DISTINCT attempt_id FROM new_rows WHERE status = 'accepted' ORDER BY 1));
  RETURN NULL;
END $$;
CREATE FUNCTION count_offers_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM recount_attempt_outcomes(ARRAY(
    SELECT DISTINCT n.attempt_id FROM new_rows n JOIN old_rows o ON o.attempt_id = n.attempt_id AND o.offer_key = n.offer_key
     WHERE (n.status = 'accepted') <> (o.status = 'accepted') OR (n.status = 'accepted' AND n.tier <> o.tier)
     ORDER BY 1));
  RETURN NULL;
END $$;
CREATE TRIGGER offers_outcomes_inserted AFTER INSERT ON offers
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION count_offers_inserted();
CREATE TRIGGER offers_outcomes_updated AFTER UPDATE ON offers
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION count_offers_updated();

-- ── Failure audit ────────────────────────────────────────────────────────────────────────────────

-- The causes a task recorded: completed, closed, a cause field with words in it. A choice reads by
-- its option's label, anything else by what was typed (trimmed); the same cause in other case is one.
CREATE FUNCTION task_causes(t tasks) RETURNS TABLE (field text, cause text, field_label text, cause_label text) LANGUAGE sql STABLE AS $$
  SELECT f.key, lower(btrim(f.value)),
         COALESCE((SELECT d->>'label' FROM jsonb_array_elements(CASE WHEN jsonb_typeof(t.form) = 'array' THEN t.form ELSE '[]' END) d WHERE d->>'key' = f.key LIMIT 1), f.key),
         COALESCE((SELECT o->>'label'
                     FROM jsonb_array_elements(CASE WHEN jsonb_typeof(t.form) = 'array' THEN t.form ELSE '[]' END) d,
                          jsonb_array_elements(CASE WHEN jsonb_typeof(d->'options') = 'array' THEN d->'options' ELSE '[]' END) o
                    WHERE d->>'key' = f.key AND o->>'value' = btrim(f.value) LIMIT 1), btrim(f.value))
    FROM jsonb_each_text(CASE WHEN jsonb_typeof(t.form_data) = 'object' THEN t.form_data ELSE '{}' END) f
   WHERE t.status = 'completed' AND t.closed_at IS NOT NULL
     AND f.key IN ('complaint_category', 'internal_cause', 'service_failure') AND btrim(f.value) <> ''
$$;

-- Adds (sign 1) or takes away (sign -1) the causes of the given task rows.
CREATE FUNCTION add_failure_causes(rows tasks[], sign integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF rows IS NULL OR cardinality(rows) = 0 THEN RETURN; END IF;
  PERFORM 1 FROM customers c WHERE c.id IN (SELECT (r).customer_id FROM unnest(rows) r) ORDER BY c.id FOR SHARE;
  WITH recorded AS MATERIALIZED (
    SELECT date_trunc('month', t.closed_at AT TIME ZONE 'UTC')::date AS month, c.department_id, t.playbook_key, t.id AS task, k.field, k.cause, k.field_label, k.cause_label
      FROM unnest(rows) t JOIN customers c ON c.id = t.customer_id CROSS JOIN LATERAL task_causes(t) k
  ), causes AS (
    INSERT INTO failure_cause_months AS g (month, department_id, playbook_key, field, cause, times)
    SELECT month, department_id, playbook_key, field, cause, sign * count(*) FROM recorded
     GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (month, department_id, playbook_key, field, cause) DO UPDATE SET times = g.times + EXCLUDED.times
  ), recording AS (
    INSERT INTO failure_task_months AS g (month, department_id, playbook_key, tasks)
    SELECT month, department_id, playbook_key, sign * count(DISTINCT task) FROM recorded
     GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (month, department_id, playbook_key) DO UPDATE SET tasks = g.tasks + EXCLUDED.tasks
  )
  -- A cause reads as its latest form names its field, and by the first of its spellings (as sorted).
  INSERT INTO failure_cause_labels AS l (field, cause, field_label, cause_label)
  SELECT field, cause, max(field_label), min(cause_label) FROM recorded WHERE sign > 0 GROUP BY 1, 2 ORDER BY 1, 2
  ON CONFLICT (field, cause) DO UPDATE SET field_label = EXCLUDED.field_label, cause_label = least(l.cause_label, EXCLUDED.cause_label);
END $$;

CREATE FUNCTION count_tasks_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM add_failure_causes(ARRAY(SELECT n::tasks FROM new_rows n WHERE n.status = 'completed' ORDER BY n.id), 1);
  RETURN NULL;
END $$;
-- Claims, reassignments and the like leave the counts alone: only a completed task's facts count.
CREATE FUNCTION count_tasks_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM add_failure_causes(ARRAY(
    SELECT o::tasks FROM old_rows o JOIN new_rows n ON n.id = o.id
     WHERE (o.status = 'completed' OR n.status = 'completed')
       AND (o.status, o.closed_at, o.form_data, o.form, o.customer_id, o.playbook_key) IS DISTINCT FROM (n.status, n.closed_at, n.form_data, n.form, n.customer_id, n.playbook_key)
     ORDER BY o.id), -1);
  PERFORM add_failure_causes(ARRAY(
    SELECT n::tasks FROM old_rows o JOIN new_rows n ON n.id = o.id
     WHERE (o.status = 'completed' OR n.status = 'completed')
       AND (o.status, o.closed_at, o.form_data, o.form, o.customer_id, o.playbook_key) IS DISTINCT FROM (n.status, n.closed_at, n.form_data, n.form, n.customer_id, n.playbook_key)
     ORDER BY n.id), 1);
  RETURN NULL;
END $$;
CREATE FUNCTION count_tasks_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM add_failure_causes(ARRAY(SELECT o::tasks FROM old_rows o WHERE o.status = 'completed' ORDER BY o.id), -1);
  RETURN NULL;
END $$;
CREATE TRIGGER tasks_failure_causes_inserted AFTER INSERT ON tasks
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION count_tasks_inserted();
CREATE TRIGGER tasks_failure_causes_updated AFTER UPDATE ON tasks
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION count_tasks_updated();
CREATE TRIGGER tasks_failure_causes_deleted AFTER DELETE ON tasks
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION count_tasks_deleted();

-- ── A customer's attributes change: their counts move group ──────────────────────────────────────

CREATE FUNCTION move_customer_counts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  moved text[];
BEGIN
  moved := ARRAY(
    SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
     WHERE (n.department_id, n.churn_type, n.churn_reason, n.grade) IS DISTINCT FROM (o.department_id, o.churn_type, o.churn_reason, o.grade)
     ORDER BY n.id);
  IF cardinality(moved) = 0 THEN RETURN NULL; END IF;
  INSERT INTO customer_month_groups AS g (month, department_id, churn_type, churn_reason, grade, served, lost, won_back)
  SELECT m.month, s.department_id, s.churn_type, s.churn_reason, s.grade,
         sum(s.sign * m.served::int), sum(s.sign * m.lost::int), sum(s.sign * m.won_back::int)
    FROM old_rows o JOIN new_rows n ON n.id = o.id JOIN customer_months m ON m.customer_id = n.id
   CROSS JOIN LATERAL (VALUES (-1, o.department_id, o.churn_type, o.churn_reason, o.grade), (1, n.department_id, n.churn_type, n.churn_reason, n.grade))
         s(sign, department_id, churn_type, churn_reason, grade)
   WHERE n.id IN (SELECT unnest(moved))
   GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (month, department_id, churn_type, churn_reason, grade) DO UPDATE
    SET served = g.served + EXCLUDED.served, lost = g.lost + EXCLUDED.lost, won_back = g.won_back + EXCLUDED.won_back;

  INSERT INTO attempt_outcome_months AS g (month, department_id, playbook_key, playbook_version, won_back, tier, attempts)
  SELECT x.month, s.department_id, x.playbook_key, x.playbook_version, x.won_back, x.tier, sum(s.sign)
    FROM old_rows o JOIN new_rows n ON n.id = o.id JOIN attempt_outcomes x ON x.customer_id = n.id
   CROSS JOIN LATERAL (VALUES (-1, o.department_id), (1, n.department_id)) s(sign, department_id)
   WHERE n.id IN (SELECT unnest(moved)) AND n.department_id IS DISTINCT FROM o.department_id
   GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT (month, department_id, playbook_key, playbook_version, won_back, tier) DO UPDATE SET attempts = g.attempts + EXCLUDED.attempts;

  INSERT INTO failure_cause_months AS g (month, department_id, playbook_key, field, cause, times)
  SELECT date_trunc('month', t.closed_at AT TIME ZONE 'UTC')::date, s.department_id, t.playbook_key, k.field, k.cause, sum(s.sign)
    FROM old_rows o JOIN new_rows n ON n.id = o.id JOIN tasks t ON t.customer_id = n.id AND t.status = 'completed'
   CROSS JOIN LATERAL task_causes(t) k
   CROSS JOIN LATERAL (VALUES (-1, o.department_id), (1, n.department_id)) s(sign, department_id)
   WHERE n.id IN (SELECT unnest(moved)) AND n.department_id IS DISTINCT FROM o.department_id
   GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (month, department_id, playbook_key, field, cause) DO UPDATE SET times = g.times + EXCLUDED.times;
  INSERT INTO failure_task_months AS g (month, department_id, playbook_key, tasks)
  SELECT date_trunc('month', t.closed_at AT TIME ZONE 'UTC')::date, s.department_id, t.playbook_key, sum(s.sign)
    FROM old_rows o JOIN new_rows n ON n.id = o.id JOIN tasks t ON t.customer_id = n.id AND t.status = 'completed'
   CROSS JOIN LATERAL (VALUES (-1, o.department_id), (1, n.department_id)) s(sign, department_id)
   WHERE n.id IN (SELECT unnest(moved)) AND n.department_id IS DISTINCT FROM o.department_id AND EXISTS (SELECT 1 FROM task_causes(t))
   GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (month, department_id, playbook_key) DO UPDATE SET tasks = g.tasks + EXCLUDED.tasks;
  RETURN NULL;
END $$;
CREATE TRIGGER customers_analytics_moved AFTER UPDATE ON customers
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION move_customer_counts();

-- ── What happened before the rollups existed ─────────────────────────────────────────────────────

INSERT INTO customer_month_groups (month, department_id, churn_type, churn_reason, grade, served, lost, won_back)
SELECT m.month, c.department_id, c.churn_type, c.churn_reason, c.grade,
       count(*) FILTER (WHERE m.served), count(*) FILTER (WHERE m.lost), count(*) FILTER (WHERE m.won_back)
  FROM customer_months m JOIN customers c ON c.id = m.customer_id
 GROUP BY 1, 2, 3, 4, 5;

INSERT INTO arm_outcomes (attempt_id, node_id, arm, label, customer_id, playbook_key, playbook_version, assigned_at, ended, won)
SELECT x.attempt_id, x.node_id, x.arm, x.label, x.customer_id, x.playbook_key, x.playbook_version, x.assigned_at, false, false
  FROM attempt_arms x;
SELECT recount_attempt_outcomes(ARRAY(SELECT id FROM recovery_attempts WHERE status <> 'running' OR ended_at IS NOT NULL ORDER BY id));

SELECT add_failure_causes(ARRAY(SELECT t FROM tasks t WHERE t.status = 'completed' ORDER BY t.id), 1);

-- Down Migration
DROP TRIGGER customers_analytics_moved ON customers;
DROP FUNCTION move_customer_counts();
DROP TRIGGER tasks_failure_causes_deleted ON tasks;
DROP TRIGGER tasks_failure_causes_updated ON tasks;
DROP TRIGGER tasks_failure_causes_inserted ON tasks;
DROP FUNCTION count_tasks_deleted();
DROP FUNCTION count_tasks_updated();
DROP FUNCTION count_tasks_inserted();
DROP FUNCTION add_failure_causes(tasks[], integer);
DROP FUNCTION task_causes(tasks);
DROP TRIGGER offers_outcomes_updated ON offers;
DROP TRIGGER offers_outcomes_inserted ON offers;
DROP FUNCTION count_offers_updated();
DROP FUNCTION count_offers_inserted();
DROP TRIGGER customer_status_history_outcomes ON customer_status_history;
DROP FUNCTION count_attempt_status_changes();
DROP TRIGGER recovery_attempts_outcomes_updated ON recovery_attempts;
DROP TRIGGER recovery_attempts_outcomes_inserted ON recovery_attempts;
DROP TRIGGER attempt_arms_copied ON attempt_arms;
DROP FUNCTION copy_attempt_arms();
DROP FUNCTION count_attempts_updated();
DROP FUNCTION count_attempts_changed();
DROP FUNCTION recount_attempt_outcomes(uuid[]);
DROP FUNCTION add_attempt_outcome_months(uuid[], integer);
DROP TRIGGER customer_months_updated ON customer_months;
DROP TRIGGER customer_months_inserted ON customer_months;
DROP FUNCTION count_customer_months_updated();
DROP FUNCTION count_customer_months_inserted();
DROP INDEX tasks_department_customer_idx;
DROP INDEX customers_account_manager_idx;
DROP INDEX attempt_arms_playbook_cover_idx;
CREATE INDEX attempt_steps_playbook_idx ON attempt_steps (playbook_key, playbook_version, entered_at);
DROP INDEX attempt_steps_playbook_cover_idx;
DROP TABLE failure_cause_labels;
DROP TABLE arm_outcomes;
DROP TABLE failure_task_months;
DROP TABLE failure_cause_months;
DROP TABLE attempt_outcome_months;
DROP TABLE attempt_outcomes;
DROP TABLE customer_month_groups;
DROP INDEX customer_months_customer_idx;
