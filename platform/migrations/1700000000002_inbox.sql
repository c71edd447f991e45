-- Up Migration

-- Sort keys as columns so every inbox order is one index-friendly, all-ascending keyset.
ALTER TABLE tasks
  ADD COLUMN priority_rank smallint GENERATED ALWAYS AS (CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END) STORED,
  ADD COLUMN due_key timestamptz GENERATED ALWAYS AS (COALESCE(due_at, 'infinity'::timestamptz)) STORED,
  ADD COLUMN follow_up_at timestamptz,
  -- For escalation tasks: which task's SLA was missed, at which level, when, and whose it was.
  ADD COLUMN escalation jsonb;

DROP INDEX tasks_queue_idx;
CREATE INDEX tasks_department_queue_idx ON tasks (status, department_id, assignee_role, due_key, id);
CREATE INDEX tasks_department_priority_idx ON tasks (status, department_id, assignee_role, priority_rank, due_key, id);
CREATE INDEX tasks_assignee_idx ON tasks (assignee_user_id, status) WHERE assignee_user_id IS NOT NULL;
CREATE INDEX tasks_claimed_idx ON tasks (claimed_by, status) WHERE claimed_by IS NOT NULL;
CREATE INDEX tasks_customer_idx ON tasks (customer_id, status);

CREATE TABLE task_notes (
  id bigserial PRIMARY KEY,
  task_id uuid NOT NULL REFERENCES tasks(id),
  author_id text NOT NULL REFERENCES users(id),
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX task_notes_task_idx ON task_notes (task_id, created_at);

-- Every contact with a customer, so the next contact continues the last one, whoever makes it.
CREATE TABLE contacts (
  id bigserial PRIMARY KEY,
  customer_id text NOT NULL REFERENCES customers(id),
  attempt_id uuid REFERENCES recovery_attempts(id),
  task_id uuid REFERENCES tasks(id),
  kind text NOT NULL CHECK (kind IN ('call', 'message', 'visit', 'answer', 'note', 'task')),
  channel text,
  summary text NOT NULL,
  by_user_id text REFERENCES users(id),
  at timestamptz NOT NULL DEFAULT now(),
  -- Rows written by the workflow's activity carry their key, so a retry adds nothing.
  source_key text UNIQUE
);
CREATE INDEX contacts_customer_idx ON contacts (customer_id, at DESC);

-- The inbox learns of changes without polling: the API LISTENs and streams them to browsers.
CREATE FUNCTION notify_task_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('task_changed', json_build_object(
    'id', NEW.id, 'attemptId', NEW.attempt_id, 'status', NEW.status, 'department', NEW.department_id,
    'role', NEW.assignee_role, 'userId', NEW.assignee_user_id, 'claimedBy', NEW.claimed_by,
    'op', lower(TG_OP))::text);
  RETURN NEW;
END $$;
CREATE TRIGGER tasks_notify AFTER INSERT OR UPDATE ON tasks FOR EACH ROW EXECUTE FUNCTION notify_task_change();

-- Down Migration
DROP TRIGGER tasks_notify ON tasks;
DROP FUNCTION notify_task_change;
DROP TABLE contacts;
DROP TABLE task_notes;
DROP INDEX tasks_customer_idx;
DROP INDEX tasks_claimed_idx;
DROP INDEX tasks_assignee_idx;
DROP INDEX tasks_department_priority_idx;
DROP INDEX tasks_department_queue_idx;
ALTER TABLE tasks DROP COLUMN escalation, DROP COLUMN follow_up_at, DROP COLUMN due_key, DROP COLUMN priority_rank;
CREATE INDEX tasks_queue_idx ON tasks (status, assignee_role, department_id, due_at);
