-- Up Migration

-- Three more counts kept as the facts are written, in the writing transaction (the approach of
-- …_analytics-rollup.sql), so the dashboard's slowest reads become index ranges over small rows:
--
-- 1. The heatmap. Exact medians and p90s sorted every step row of the playbook on each request
--    (≈ 400 ms at 200,000 attempts). step_day_counts counts steps per playbook, version, customer
--    department, day entered, node, kind, handle left through and duration bucket: the counts
--    (entered, left, still there, dropped off, per connection) stay exact; the times in step come
--    from the buckets (server/analytics/duration.ts): buckets are ten per decade, so a median or a
--    p90 is within a factor 10^(1/20) of the exact percentile_cont, i.e. −10.9 % … +12.2 %.
--    Each cell also keeps the shortest and longest duration it has counted, so a bucket holding
--    one duration (or none but zero) gives it exactly.
-- 2. Experiment arms. arm_day_counts counts arm_outcomes (each arm with its attempt's state) per
--    playbook, version, node, arm, customer department and day split: attempts, ended, won back,
--    so a head's arms are their department's rows, not every arm of the playbook tested one by one.
-- 3. A department head's reach beyond their department through tasks. task_reach_counts counts,
--    per task department and customer, the tasks of customers whose own department is another
--    one: what a head reaches beyond their department through the tasks they may see, without
--    reading every task of their department on each request.
--
-- All three group by the customer's current department, like the other rollups: a customer who moves
-- takes their counts along. Writers lock the customer FOR SHARE before reading its department, as
-- in …_analytics-rollup.sql, so a concurrent move neither loses nor doubles a count.

-- The duration bucket of a step: NULL while it is still there; -1000 for no time at all (zero, or a
-- clock that went backwards); else k for durations in [10^(k/10), 10^((k+1)/10)) seconds.
CREATE FUNCTION step_duration_bucket(entered timestamptz, left_at timestamptz) RETURNS smallint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
           WHEN left_at IS NULL THEN NULL
           WHEN left_at <= entered THEN -1000
           ELSE greatest(-990, least(990, floor(10 * log(extract(epoch FROM left_at - entered)::float8))))::smallint
         END
$$;
CREATE FUNCTION step_seconds(entered timestamptz, left_at timestamptz) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT extract(epoch FROM left_at - entered)::float8
$$;

CREATE TABLE step_day_counts (
  playbook_key text NOT NULL,
  playbook_version integer NOT NULL,
  department_id text,
  day date NOT NULL,
  node_id text NOT NULL,
  kind text NOT NULL,
  left_via text,
  bucket smallint,
  steps integer NOT NULL DEFAULT 0,
  min_seconds float8,
  max_seconds float8,
  -- Also the read path: one version's (or a department's) days are one index range.
  UNIQUE NULLS NOT DISTINCT (playbook_key, playbook_version, department_id, day, node_id, kind, left_via, bucket)
);

CREATE TABLE task_reach_counts (
  department_id text,
  customer_id text NOT NULL,
  customer_department_id text NOT NULL,
  tasks integer NOT NULL DEFAULT 0,
  UNIQUE NULLS NOT DISTINCT (department_id, customer_department_id, customer_id)
);

CREATE TABLE arm_day_counts (
  playbook_key text NOT NULL,
  playbook_version integer NOT NULL,
  department_id text,
  day date NOT NULL,
  node_id text NOT NULL,
  arm text NOT NULL,
  label text NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  ended integer NOT NULL DEFAULT 0,
  won integer NOT NULL DEFAULT 0,
  UNIQUE NULLS NOT DISTINCT (playbook_key, playbook_version, department_id, day, node_id, arm, label)
);
CREATE INDEX arm_outcomes_customer_idx ON arm_outcomes (customer_id);

-- A moved customer's steps and arms are found by customer; a department head's customers beyond their
-- department by account manager (…_analytics-rollup.sql) and through task_reach_counts.
CREATE INDEX attempt_steps_customer_idx ON attempt_steps (customer_id);

-- ── Steps ────────────────────────────────────────────────────────────────────────────────────────

-- The transition tables cannot be handed to a function, and a bulk write passes 100,000s of rows
-- (an array of them would be built in memory): each trigger writes its own INSERT. Shortest and
-- longest durations only grow: a step taken away leaves them as bounds of what the cell held.
CREATE FUNCTION count_steps_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM customers c WHERE c.id IN (SELECT customer_id FROM new_rows) ORDER BY c.id FOR SHARE;
  INSERT INTO step_day_counts AS g (playbook_key, playbook_version, department_id, day, node_id, kind, left_via, bucket, steps, min_seconds, max_seconds)
  SELECT s.playbook_key, s.playbook_version, c.department_id, (s.entered_at AT TIME ZONE 'UTC')::date, s.node_id, s.kind, s.left_via,
         step_duration_bucket(s.entered_at, s.left_at), count(*), min(step_seconds(s.entered_at, s.left_at)), max(step_seconds(s.entered_at, s.left_at))
    FROM new_rows s JOIN customers c ON c.id = s.customer_id
   GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
  ON CONFLICT (playbook_key, playbook_version, department_id, day, node_id, kind, left_via, bucket) DO UPDATE
    SET steps = g.steps + EXCLUDED.steps, min_seconds = least(g.min_seconds, EXCLUDED.min_seconds), max_seconds = greatest(g.max_seconds, EXCLUDED.max_seconds);
  RETURN NULL;
END $$;

-- A step that leaves (or any other change) moves from the cell it counted in to its new one.
CREATE FUNCTION count_steps_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM customers c
   WHERE c.id IN (SELECT customer_id FROM new_rows UNION SELECT customer_id FROM old_rows) ORDER BY c.id FOR SHARE;
  INSERT INTO step_day_counts AS g (playbook_key, playbook_version, department_id, day, node_id, kind, left_via, bucket, steps, min_seconds, max_seconds)
  SELECT s.playbook_key, s.playbook_version, c.department_id, (s.entered_at AT TIME ZONE 'UTC')::date, s.node_id, s.kind, s.left_via,
         step_duration_bucket(s.entered_at, s.left_at), sum(s.sign),
         min(step_seconds(s.entered_at, s.left_at)) FILTER (WHERE s.sign > 0), max(step_seconds(s.entered_at, s.left_at)) FILTER (WHERE s.sign > 0)
    FROM (SELECT o.*, -1 AS sign FROM old_rows o
          UNION ALL
          SELECT n.*, 1 FROM new_rows n) s
    JOIN customers c ON c.id = s.customer_id
   GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
  HAVING sum(s.sign) <> 0 OR min(step_seconds(s.entered_at, s.left_at)) FILTER (WHERE s.sign > 0) IS NOT NULL
   ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
  ON CONFLICT (playbook_key, playbook_version, department_id, day, node_id, kind, left_via, bucket) DO UPDATE
    SET steps = g.steps + EXCLUDED.steps, min_seconds = least(g.min_seconds, EXCLUDED.min_seconds), max_seconds = greatest(g.max_seconds, EXCLUDED.max_seconds);
  RETURN NULL;
END $$;
CREATE FUNCTION count_steps_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM customers c WHERE c.id IN (SELECT customer_id FROM old_rows) ORDER BY c.id FOR SHARE;
  INSERT INTO step_day_counts AS g (playbook_key, playbook_version, department_id, day, node_id, kind, left_via, bucket, steps)
  SELECT s.playbook_key, s.playbook_version, c.department_id, (s.entered_at AT TIME ZONE 'UTC')::date, s.node_id, s.kind, s.left_via,
         step_duration_bucket(s.entered_at, s.left_at), -count(*)
    FROM old_rows s JOIN customers c ON c.id = s.customer_id
   GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
  ON CONFLICT (playbook_key, playbook_version, department_id, day, node_id, kind, left_via, bucket) DO UPDATE SET steps = g.steps + EXCLUDED.steps;
  RETURN NULL;
END $$;
CREATE TRIGGER attempt_steps_counted_inserted AFTER INSERT ON attempt_steps
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION count_steps_inserted();
CREATE TRIGGER attempt_steps_counted_updated AFTER UPDATE ON attempt_steps
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION count_steps_changed();
CREATE TRIGGER attempt_steps_counted_deleted AFTER DELETE ON attempt_steps
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION count_steps_deleted();

-- ── Experiment arms ──────────────────────────────────────────────────────────────────────────────

CREATE FUNCTION count_arms_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM customers c WHERE c.id IN (SELECT customer_id FROM new_rows) ORDER BY c.id FOR SHARE;
  INSERT INTO arm_day_counts AS g (playbook_key, playbook_version, department_id, day, node_id, arm, label, attempts, ended, won)
  SELECT x.playbook_key, x.playbook_version, c.department_id, (x.assigned_at AT TIME ZONE 'UTC')::date, x.node_id, x.arm, x.label,
         count(*), count(*) FILTER (WHERE x.ended), count(*) FILTER (WHERE x.won)
    FROM new_rows x JOIN customers c ON c.id = x.customer_id
   GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT (playbook_key, playbook_version, department_id, day, node_id, arm, label) DO UPDATE
    SET attempts = g.attempts + EXCLUDED.attempts, ended = g.ended + EXCLUDED.ended, won = g.won + EXCLUDED.won;
  RETURN NULL;
END $$;
-- An attempt that ends (or is won back) moves its arm's counts; recount_attempt_outcomes only
-- updates the rows whose state changed.
CREATE FUNCTION count_arms_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM customers c
   WHERE c.id IN (SELECT customer_id FROM new_rows UNION SELECT customer_id FROM old_rows) ORDER BY c.id FOR SHARE;
  INSERT INTO arm_day_counts AS g (playbook_key, playbook_version, department_id, day, node_id, arm, label, attempts, ended, won)
  SELECT x.playbook_key, x.playbook_version, c.department_id, (x.assigned_at AT TIME ZONE 'UTC')::date, x.node_id, x.arm, x.label,
         sum(x.sign), sum(x.sign * x.ended::int), sum(x.sign * x.won::int)
    FROM (SELECT o.*, -1 AS sign FROM old_rows o
          UNION ALL
          SELECT n.*, 1 FROM new_rows n) x
    JOIN customers c ON c.id = x.customer_id
   GROUP BY 1, 2, 3, 4, 5, 6, 7
  HAVING sum(x.sign) <> 0 OR sum(x.sign * x.ended::int) <> 0 OR sum(x.sign * x.won::int) <> 0
   ORDER BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT (playbook_key, playbook_version, department_id, day, node_id, arm, label) DO UPDATE
    SET attempts = g.attempts + EXCLUDED.attempts, ended = g.ended + EXCLUDED.ended, won = g.won + EXCLUDED.won;
  RETURN NULL;
END $$;
CREATE FUNCTION count_arms_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM customers c WHERE c.id IN (SELECT customer_id FROM old_rows) ORDER BY c.id FOR SHARE;
  INSERT INTO arm_day_counts AS g (playbook_key, playbook_version, department_id, day, node_id, arm, label, attempts, ended, won)
  SELECT x.playbook_key, x.playbook_version, c.department_id, (x.assigned_at AT TIME ZONE 'UTC')::date, x.node_id, x.arm, x.label,
         -count(*), -count(*) FILTER (WHERE x.ended), -count(*) FILTER (WHERE x.won)
    FROM old_rows x JOIN customers c ON c.id = x.customer_id
   GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT (playbook_key, playbook_version, department_id, day, node_id, arm, label) DO UPDATE
    SET attempts = g.attempts + EXCLUDED.attempts, ended = g.ended + EXCLUDED.ended, won = g.won + EXCLUDED.won;
  RETURN NULL;
END $$;
CREATE TRIGGER arm_outcomes_counted_inserted AFTER INSERT ON arm_outcomes
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION count_arms_inserted();
CREATE TRIGGER arm_outcomes_counted_updated AFTER UPDATE ON arm_outcomes
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION count_arms_changed();
CREATE TRIGGER arm_outcomes_counted_deleted AFTER DELETE ON arm_outcomes
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION count_arms_deleted();

-- ── Tasks beyond their customer's department ─────────────────────────────────────────────────────

-- Only the pairs where the customer has a department and the task is in another one (or in none)
-- count: a head's own department's customers are in the rollups already.
CREATE FUNCTION count_task_reach_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM customers c WHERE c.id IN (SELECT customer_id FROM new_rows) ORDER BY c.id FOR SHARE;
  INSERT INTO task_reach_counts AS g (department_id, customer_department_id, customer_id, tasks)
  SELECT t.department_id, c.department_id, t.customer_id, count(*)
    FROM new_rows t JOIN customers c ON c.id = t.customer_id
   WHERE c.department_id IS NOT NULL AND t.department_id IS DISTINCT FROM c.department_id
   GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (department_id, customer_department_id, customer_id) DO UPDATE SET tasks = g.tasks + EXCLUDED.tasks;
  RETURN NULL;
END $$;
-- Claims, completions and the like keep the task's department and customer: nothing to lock or count.
CREATE FUNCTION count_task_reach_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n ON n.id = o.id
                  WHERE (o.department_id, o.customer_id) IS DISTINCT FROM (n.department_id, n.customer_id)) THEN
    RETURN NULL;
  END IF;
  PERFORM 1 FROM customers c
   WHERE c.id IN (SELECT customer_id FROM new_rows UNION SELECT customer_id FROM old_rows) ORDER BY c.id FOR SHARE;
  INSERT INTO task_reach_counts AS g (department_id, customer_department_id, customer_id, tasks)
  SELECT t.department_id, c.department_id, t.customer_id, sum(t.sign)
    FROM (SELECT o.department_id, o.customer_id, -1 AS sign FROM old_rows o JOIN new_rows n ON n.id = o.id
           WHERE (o.department_id, o.customer_id) IS DISTINCT FROM (n.department_id, n.customer_id)
          UNION ALL
          SELECT n.department_id, n.customer_id, 1 FROM old_rows o JOIN new_rows n ON n.id = o.id
           WHERE (o.department_id, o.customer_id) IS DISTINCT FROM (n.department_id, n.customer_id)) t
    JOIN customers c ON c.id = t.customer_id
   WHERE c.department_id IS NOT NULL AND t.department_id IS DISTINCT FROM c.department_id
   GROUP BY 1, 2, 3 HAVING sum(t.sign) <> 0 ORDER BY 1, 2, 3
  ON CONFLICT (department_id, customer_department_id, customer_id) DO UPDATE SET tasks = g.tasks + EXCLUDED.tasks;
  RETURN NULL;
END $$;
CREATE FUNCTION count_task_reach_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM customers c WHERE c.id IN (SELECT customer_id FROM old_rows) ORDER BY c.id FOR SHARE;
  INSERT INTO task_reach_counts AS g (department_id, customer_department_id, customer_id, tasks)
  SELECT t.department_id, c.department_id, t.customer_id, -count(*)
    FROM old_rows t JOIN customers c ON c.id = t.customer_id
   WHERE c.department_id IS NOT NULL AND t.department_id IS DISTINCT FROM c.department_id
   GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (department_id, customer_department_id, customer_id) DO UPDATE SET tasks = g.tasks + EXCLUDED.tasks;
  RETURN NULL;
END $$;
CREATE TRIGGER tasks_reach_inserted AFTER INSERT ON tasks
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION count_task_reach_inserted();
CREATE TRIGGER tasks_reach_updated AFTER UPDATE ON tasks
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION count_task_reach_updated();
CREATE TRIGGER tasks_reach_deleted AFTER DELETE ON tasks
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION count_task_reach_deleted();

-- ── A customer moves department: their steps, arms and tasks move with them ──────────────────────

CREATE FUNCTION move_customer_step_and_reach_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE n.department_id IS DISTINCT FROM o.department_id) THEN
    RETURN NULL;
  END IF;
  INSERT INTO step_day_counts AS g (playbook_key, playbook_version, department_id, day, node_id, kind, left_via, bucket, steps, min_seconds, max_seconds)
  SELECT s.playbook_key, s.playbook_version, m.department_id, (s.entered_at AT TIME ZONE 'UTC')::date, s.node_id, s.kind, s.left_via,
         step_duration_bucket(s.entered_at, s.left_at), sum(m.sign),
         min(step_seconds(s.entered_at, s.left_at)) FILTER (WHERE m.sign > 0), max(step_seconds(s.entered_at, s.left_at)) FILTER (WHERE m.sign > 0)
    FROM old_rows o JOIN new_rows n ON n.id = o.id AND n.department_id IS DISTINCT FROM o.department_id
    JOIN attempt_steps s ON s.customer_id = n.id
   CROSS JOIN LATERAL (VALUES (-1, o.department_id), (1, n.department_id)) m(sign, department_id)
   GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
  ON CONFLICT (playbook_key, playbook_version, department_id, day, node_id, kind, left_via, bucket) DO UPDATE
    SET steps = g.steps + EXCLUDED.steps, min_seconds = least(g.min_seconds, EXCLUDED.min_seconds), max_seconds = greatest(g.max_seconds, EXCLUDED.max_seconds);

  INSERT INTO arm_day_counts AS g (playbook_key, playbook_version, department_id, day, node_id, arm, label, attempts, ended, won)
  SELECT x.playbook_key, x.playbook_version, m.department_id, (x.assigned_at AT TIME ZONE 'UTC')::date, x.node_id, x.arm, x.label,
         sum(m.sign), sum(m.sign * x.ended::int), sum(m.sign * x.won::int)
    FROM old_rows o JOIN new_rows n ON n.id = o.id AND n.department_id IS DISTINCT FROM o.department_id
    JOIN arm_outcomes x ON x.customer_id = n.id
   CROSS JOIN LATERAL (VALUES (-1, o.department_id), (1, n.department_id)) m(sign, department_id)
   GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT (playbook_key, playbook_version, department_id, day, node_id, arm, label) DO UPDATE
    SET attempts = g.attempts + EXCLUDED.attempts, ended = g.ended + EXCLUDED.ended, won = g.won + EXCLUDED.won;

  INSERT INTO task_reach_counts AS g (department_id, customer_department_id, customer_id, tasks)
  SELECT t.department_id, m.department_id, t.customer_id, sum(m.sign)
    FROM old_rows o JOIN new_rows n ON n.id = o.id AND n.department_id IS DISTINCT FROM o.department_id
    JOIN tasks t ON t.customer_id = n.id
   CROSS JOIN LATERAL (VALUES (-1, o.department_id), (1, n.department_id)) m(sign, department_id)
   WHERE m.department_id IS NOT NULL AND t.department_id IS DISTINCT FROM m.department_id
   GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (department_id, customer_department_id, customer_id) DO UPDATE SET tasks = g.tasks + EXCLUDED.tasks;
  RETURN NULL;
END $$;
CREATE TRIGGER customers_step_and_reach_moved AFTER UPDATE ON customers
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION move_customer_step_and_reach_counts();

-- ── What happened before the counts existed ──────────────────────────────────────────────────────

INSERT INTO step_day_counts (playbook_key, playbook_version, department_id, day, node_id, kind, left_via, bucket, steps, min_seconds, max_seconds)
SELECT s.playbook_key, s.playbook_version, c.department_id, (s.entered_at AT TIME ZONE 'UTC')::date, s.node_id, s.kind, s.left_via,
       step_duration_bucket(s.entered_at, s.left_at), count(*), min(step_seconds(s.entered_at, s.left_at)), max(step_seconds(s.entered_at, s.left_at))
  FROM attempt_steps s JOIN customers c ON c.id = s.customer_id
 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

INSERT INTO arm_day_counts (playbook_key, playbook_version, department_id, day, node_id, arm, label, attempts, ended, won)
SELECT x.playbook_key, x.playbook_version, c.department_id, (x.assigned_at AT TIME ZONE 'UTC')::date, x.node_id, x.arm, x.label,
       count(*), count(*) FILTER (WHERE x.ended), count(*) FILTER (WHERE x.won)
  FROM arm_outcomes x JOIN customers c ON c.id = x.customer_id
 GROUP BY 1, 2, 3, 4, 5, 6, 7;

INSERT INTO task_reach_counts (department_id, customer_department_id, customer_id, tasks)
SELECT t.department_id, c.department_id, t.customer_id, count(*)
  FROM tasks t JOIN customers c ON c.id = t.customer_id
 WHERE c.department_id IS NOT NULL AND t.department_id IS DISTINCT FROM c.department_id
 GROUP BY 1, 2, 3;

-- Down Migration
DROP TRIGGER customers_step_and_reach_moved ON customers;
DROP FUNCTION move_customer_step_and_reach_counts();
DROP TRIGGER tasks_reach_deleted ON tasks;
DROP TRIGGER tasks_reach_updated ON tasks;
DROP TRIGGER tasks_reach_inserted ON tasks;
DROP FUNCTION count_task_reach_deleted();
DROP FUNCTION count_task_reach_updated();
DROP FUNCTION count_task_reach_inserted();
DROP TRIGGER arm_outcomes_counted_deleted ON arm_outcomes;
DROP TRIGGER arm_outcomes_counted_updated ON arm_outcomes;
DROP TRIGGER arm_outcomes_counted_inserted ON arm_outcomes;
DROP FUNCTION count_arms_deleted();
DROP FUNCTION count_arms_changed();
DROP FUNCTION count_arms_inserted();
DROP TRIGGER attempt_steps_counted_deleted ON attempt_steps;
DROP TRIGGER attempt_steps_counted_updated ON attempt_steps;
DROP TRIGGER attempt_steps_counted_inserted ON attempt_steps;
DROP FUNCTION count_steps_deleted();
DROP FUNCTION count_steps_changed();
DROP FUNCTION count_steps_inserted();
DROP INDEX attempt_steps_customer_idx;
DROP INDEX arm_outcomes_customer_idx;
DROP TABLE arm_day_counts;
DROP TABLE task_reach_counts;
DROP TABLE step_day_counts;
DROP FUNCTION step_seconds(timestamptz, timestamptz);
DROP FUNCTION step_duration_bucket(timestamptz, timestamptz);
