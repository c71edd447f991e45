/** A timestamp as JavaScript's toISOString writes it (UTC, milliseconds, Z), so both views agree to the character. */
const isoSql = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * taskView (server/tasks/store.ts) written in SQL, for `t` (a task row) joined with `c` (its customer): the same JSON,
 * built by PostgreSQL. The inbox's page is the busiest read, and parsing its 51 rows into objects
 * and serializing them again was half the API's time per request; with this it passes PostgreSQL's
 * text through. tests/server/inboxJson.test.ts holds the two views equal, task by task.
 */
export const TASK_VIEW_SQL = `json_build_object(
    'id', t.id, 'attemptId', t.attempt_id, 'taskKey', t.task_key, 'nodeId', t.node_id,
    'customer', json_build_object('id', t.customer_id, 'name', c.name, 'grade', c.grade, 'value', c.value::float8, 'churnReason', c.churn_reason),
    'customerId', t.customer_id, 'customerName', c.name, 'playbookKey', t.playbook_key, 'title', t.title, 'instructions', t.instructions,
    'assignee', json_build_object('role', t.assignee_role, 'department', t.department_id, 'userId', t.assignee_user_id),
    'claimedBy', t.claimed_by, 'priority', t.priority, 'outcomes', t.outcomes, 'form', t.form, 'status', t.status, 'outcome', t.outcome,
    'formData', t.form_data, 'completedBy', t.completed_by, 'dueAt', ${isoSql('t.due_at')},
    'overdue', (t.status = 'open' AND t.due_at IS NOT NULL AND t.due_at < now()) IS TRUE,
    'followUpAt', ${isoSql('t.follow_up_at')},
    'escalation', CASE WHEN jsonb_typeof(t.escalation) = 'object' THEN t.escalation || jsonb_build_object('slaMissedAt',
        CASE WHEN jsonb_typeof(t.escalation->'slaMissedAt') = 'number' THEN ${isoSql("to_timestamp((t.escalation->>'slaMissedAt')::float8 / 1000)")} END) END,
    'createdAt', ${isoSql('t.created_at')}, 'closedAt', ${isoSql('t.closed_at')})`;
