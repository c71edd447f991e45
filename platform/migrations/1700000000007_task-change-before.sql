-- Up Migration

-- A change also says who could see the task before it, so a task reassigned or handed over leaves
-- the previous assignee's open inbox too, not only arrives in the new one.
CREATE OR REPLACE FUNCTION notify_task_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('task_changed', json_build_object(
    'id', NEW.id, 'attemptId', NEW.attempt_id, 'status', NEW.status, 'department', NEW.department_id,
    'role', NEW.assignee_role, 'userId', NEW.assignee_user_id, 'claimedBy', NEW.claimed_by,
    'op', lower(TG_OP),
    'before', CASE WHEN TG_OP = 'UPDATE' THEN json_build_object(
      'department', OLD.department_id, 'role', OLD.assignee_role, 'userId', OLD.assignee_user_id, 'claimedBy', OLD.claimed_by) END)::text);
  RETURN NEW;
END $$;

-- Down Migration
CREATE OR REPLACE FUNCTION notify_task_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('task_changed', json_build_object(
    'id', NEW.id, 'attemptId', NEW.attempt_id, 'status', NEW.status, 'department', NEW.department_id,
    'role', NEW.assignee_role, 'userId', NEW.assignee_user_id, 'claimedBy', NEW.claimed_by,
    'op', lower(TG_OP))::text);
  RETURN NEW;
END $$;
