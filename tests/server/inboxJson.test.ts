import { Pool } from 'pg';
import { taskById, taskView } from '../../server/tasks/store';
import { AS_TEXT, taskViewJson, type TaskTextRow } from '../../server/tasks/viewJson';
import { Task } from '../../contract/inbox';
import { scratchDatabase } from '../support/scratchDatabase';

/**
 * The inbox's page is written as JSON from PostgreSQL's text of each column (server/tasks/viewJson.ts),
 * every other task answer by taskView from pg's parsed rows. A client must not be able to tell them apart: for tasks in every
 * shape a task takes (no due date, overdue, snoozed, escalated with and without a missed time,
 * completed with a form, timestamps finer than a millisecond), the two
 * views are the same JSON, and both satisfy the contract.
 */
describe("the task view written from PostgreSQL's text", () => {
  let pool: Pool;
  beforeAll(async () => {
    const db = await scratchDatabase('taskview');
    pool = new Pool({ connectionString: db.appUrl });
    await pool.query("INSERT INTO departments (id, name) VALUES ('d1', 'After-sales')");
    await pool.query(`INSERT INTO users (id, username, display_name, password_hash, role, department_id) VALUES
      ('u-rita', 'rita', 'Rita Rep', 'x', 'rep', 'd1'), ('u-ravi', 'ravi', 'Ravi Rep', 'x', 'rep', 'd1')`);
    await pool.query(`INSERT INTO customers (id, name, grade, value, department_id) VALUES
      ('C-1', 'Valued Garage', 'core', 4200.5, 'd1'), ('C-2', 'No department', 'ordinary', 0, NULL)`);
    await pool.query(`INSERT INTO playbooks (key, name, draft_graph) VALUES ('pb', 'Playbook', '{"nodes":[],"edges":[]}')`);
    await pool.query(`INSERT INTO playbook_versions (playbook_key, version, graph, plan, plan_hash) VALUES ('pb', 1, '{}', '{}', 'x')`);
    await pool.query(`INSERT INTO recovery_attempts (id, workflow_id, customer_id, playbook_key, playbook_version) VALUES
      ('00000000-0000-4000-8000-000000000001', 'recovery/C-1/pb', 'C-1', 'pb', 1),
      ('00000000-0000-4000-8000-000000000002', 'recovery/C-2/pb', 'C-2', 'pb', 1)`);
    const task = (
      key: string,
      attempt: 1 | 2,
      extra: string,
    ) => `INSERT INTO tasks (attempt_id, workflow_id, task_key, node_id, customer_id, playbook_key, title,
        instructions, assignee_role, department_id, assignee_user_id, claimed_by, priority, outcomes, form, status, outcome, form_data, completed_by,
        due_at, follow_up_at, escalation, created_at, closed_at)
      SELECT '00000000-0000-4000-8000-00000000000${attempt}', 'recovery/C-${attempt}/pb', '${key}', 'call', 'C-${attempt}', 'pb', 'Call "back" ✓', 'Ask\nwhy',
             v.* FROM (SELECT ${extra}) v`;
    const outcomes = `'[{"key":"reached","label":"Reached"}]'::jsonb`;
    const form = `'[{"key":"reason","label":"Reason","type":"text","required":false}]'::jsonb`;
    for (const sql of [
      task(
        'open-no-due',
        1,
        `'rep', 'd1', NULL, NULL, 'normal', ${outcomes}, '[]'::jsonb, 'open', NULL, NULL::jsonb, NULL, NULL::timestamptz, NULL::timestamptz, NULL::jsonb, '2026-03-01 10:00:00.123999+00'::timestamptz, NULL::timestamptz`,
      ),
      task(
        'overdue',
        1,
        `'rep', 'd1', 'u-rita', 'u-rita', 'urgent', ${outcomes}, ${form}, 'open', NULL, NULL::jsonb, NULL, now() - interval '3 days', NULL::timestamptz, NULL::jsonb, now() - interval '5 days', NULL::timestamptz`,
      ),
      task(
        'snoozed',
        2,
        `'rep', NULL, NULL, 'u-ravi', 'low', ${outcomes}, '[]'::jsonb, 'open', NULL, NULL::jsonb, NULL, now() + interval '9 days', now() + interval '2 days', NULL::jsonb, '2026-03-01 10:00:00.000001+00'::timestamptz, NULL::timestamptz`,
      ),
      task(
        'escalated',
        1,
        `'department_head', 'd1', NULL, NULL, 'high', ${outcomes}, '[]'::jsonb, 'open', NULL, NULL::jsonb, NULL, now() + interval '1 day', NULL::timestamptz,
           '{"ofTaskKey":"overdue","level":1,"slaMissedAt":1767225600123,"assignee":{"role":"rep","department":"d1","userId":"u-rita"}}'::jsonb, now(), NULL::timestamptz`,
      ),
      task(
        'escalated-unknown-time',
        1,
        `'department_head', 'd1', NULL, NULL, 'high', ${outcomes}, '[]'::jsonb, 'open', NULL, NULL::jsonb, NULL, NULL::timestamptz, NULL::timestamptz,
           '{"ofTaskKey":"overdue","level":2,"slaMissedAt":null,"assignee":{"role":"department_head","department":null,"userId":null}}'::jsonb, now(), NULL::timestamptz`,
      ),
      task(
        'completed',
        2,
        `'rep', 'd1', NULL, 'u-rita', 'normal', ${outcomes}, ${form}, 'completed', 'reached', '{"reason":"price","calls":2,"agreed":true,"note":null}'::jsonb, 'u-rita',
           now() - interval '1 day', NULL::timestamptz, NULL::jsonb, now() - interval '2 days', '2026-03-02 08:30:00.999999+00'::timestamptz`,
      ),
    ])
      await pool.query(sql);
  });
  afterAll(() => pool?.end());

  it.each(['UTC', 'Asia/Tokyo'])('is the same JSON as taskView for every shape of task, and both keep the contract (session time zone %s)', async (zone) => {
    const client = await pool.connect();
    let rows: TaskTextRow[];
    try {
      await client.query(`SET TIME ZONE '${zone}'`);
      rows = (
        await client.query<TaskTextRow>({
          text: `SELECT t.*, c.name AS customer_name, c.grade AS customer_grade, c.value AS customer_value, c.churn_reason AS customer_churn_reason
                   FROM tasks t JOIN customers c ON c.id = t.customer_id ORDER BY t.task_key`,
          types: AS_TEXT,
        })
      ).rows;
    } finally {
      await client.query('RESET TIME ZONE');
      client.release();
    }
    expect(rows).toHaveLength(6);
    const views = rows.map((r) => JSON.parse(taskViewJson(r)));
    for (const fromText of views) {
      const fromJs = JSON.parse(JSON.stringify(taskView(await taskById(pool, fromText.id))));
      expect(fromText).toEqual(fromJs);
      expect(Task.safeParse(fromText).error?.issues).toBeUndefined();
    }
    const byKey = Object.fromEntries(views.map((v) => [v.taskKey, v]));
    // The cases the test is for really are in it.
    expect(byKey['open-no-due']).toMatchObject({ dueAt: null, overdue: false, createdAt: '2026-03-01T10:00:00.123Z' });
    expect(byKey.overdue.overdue).toBe(true);
    expect(byKey.escalated.escalation.slaMissedAt).toBe('2026-01-01T00:00:00.123Z');
    expect(byKey['escalated-unknown-time'].escalation.slaMissedAt).toBeNull();
    expect(byKey.completed).toMatchObject({ formData: { reason: 'price', calls: 2, agreed: true, note: null }, closedAt: '2026-03-02T08:30:00.999Z' });
    expect(byKey.snoozed.customer).toMatchObject({ value: 0, name: 'No department' });
    expect(byKey.overdue.customer.value).toBe(4200.5);
  });
});
