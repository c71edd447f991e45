-- Up Migration

-- Open work only, in the inbox's sort orders, covering the columns the tabs count: each branch of
-- the inbox query reads its first page straight off one of these, and counts come from the index.
CREATE INDEX tasks_open_queue_due_idx ON tasks (department_id, assignee_role, due_key, id)
  INCLUDE (due_at, follow_up_at, claimed_by) WHERE status = 'open' AND assignee_user_id IS NULL;
CREATE INDEX tasks_open_department_due_idx ON tasks (department_id, due_key, id)
  INCLUDE (due_at, follow_up_at, claimed_by, assignee_user_id, assignee_role) WHERE status = 'open';
CREATE INDEX tasks_open_assignee_due_idx ON tasks (assignee_user_id, due_key, id)
  INCLUDE (due_at, follow_up_at, claimed_by) WHERE status = 'open' AND assignee_user_id IS NOT NULL;
CREATE INDEX tasks_open_claimed_due_idx ON tasks (claimed_by, due_key, id)
  INCLUDE (due_at, follow_up_at, assignee_user_id) WHERE status = 'open' AND claimed_by IS NOT NULL;

-- Down Migration
DROP INDEX tasks_open_claimed_due_idx;
DROP INDEX tasks_open_assignee_due_idx;
DROP INDEX tasks_open_department_due_idx;
DROP INDEX tasks_open_queue_due_idx;
