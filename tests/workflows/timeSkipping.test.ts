import { randomUUID } from 'node:crypto';
import type { PlaybookGraph } from '../../playbooks/graph';
import { completeTaskUpdate, type PlaybookRunInput } from '../../workflows/contract';
import { eventually, newCustomer } from '../support/product';
import { publishForTest } from '../support/publish';
import { createTestWorker, timeSkippingSuite } from '../support/workflowTest';

const DAY = 86_400_000;

/** A task with a 2-day SLA escalating to the head, then three weeks of waiting before the end. */
const graph: PlaybookGraph = {
  nodes: [
    { id: 'start', kind: 'start', position: { x: 0, y: 0 }, config: {} },
    {
      id: 'call',
      kind: 'task',
      position: { x: 0, y: 0 },
      config: {
        title: 'Call back',
        assignee: { type: 'role', role: 'rep', department: 'customer' },
        outcomes: [{ key: 'done', label: 'Done' }],
        sla: 'P2D',
        escalation: [{ role: 'department_head' }],
      },
    },
    { id: 'wait', kind: 'delay', position: { x: 0, y: 0 }, config: { duration: 'P21D' } },
    { id: 'end', kind: 'end', position: { x: 0, y: 0 }, config: { outcome: 'retained' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'call' },
    { id: 'e2', source: 'call', sourceHandle: 'done', target: 'wait' },
    { id: 'e3', source: 'wait', sourceHandle: 'next', target: 'end' },
  ],
};

describe('time skipping on the Java test server', () => {
  const { testEnv, pool } = timeSkippingSuite();

  it('an SLA breach escalates after 2 days and a 21-day wait finishes in seconds', async () => {
    const key = `ts-${randomUUID().slice(0, 8)}`;
    const plan = await publishForTest(pool, key, graph);
    const customerId = await newCustomer(pool, { department: 'after_sales' });
    const taskQueue = `ts-${key}`;
    const worker = await createTestWorker(testEnv, pool, taskQueue);
    const attemptId = randomUUID();
    const input: PlaybookRunInput = {
      attemptId,
      playbook: { key, version: 1, name: key },
      plan,
      customer: { id: customerId, name: 'x', department: 'after_sales', grade: 'ordinary', value: 1, accountManager: null },
      startedBy: { userId: 'u-olga', role: 'ops_manager', department: null },
      variables: {},
    };
    await worker.runUntil(async () => {
      const started = await testEnv.currentTimeMs();
      const handle = await testEnv.client.workflow.start('playbookRun', { taskQueue, workflowId: `recovery/${customerId}/${key}`, args: [input] });
      const task = await eventually(
        async () => (await pool.query("SELECT task_key FROM tasks WHERE attempt_id = $1 AND assignee_role = 'rep'", [attemptId])).rows[0],
        20_000,
        'the rep task',
      );

      await testEnv.sleep('3 days');
      const escalation = await eventually(
        async () =>
          (
            await pool.query("SELECT title, department_id, priority, status FROM tasks WHERE attempt_id = $1 AND assignee_role = 'department_head'", [
              attemptId,
            ])
          ).rows[0],
        20_000,
        'the escalation task',
      );
      expect(escalation).toEqual({ title: 'Escalation: Call back', department_id: 'after_sales', priority: 'urgent', status: 'open' });
      // The original task stays open after the breach.
      expect((await pool.query('SELECT status FROM tasks WHERE attempt_id = $1 AND task_key = $2', [attemptId, task.task_key])).rows[0].status).toBe('open');

      await handle.executeUpdate(completeTaskUpdate, {
        args: [{ taskKey: task.task_key, outcome: 'done', form: {}, actor: { userId: 'u-rita', role: 'rep', department: 'after_sales' } }],
      });
      const result = await handle.result();
      expect(result).toEqual({ outcome: 'retained', reason: null });
      expect((await testEnv.currentTimeMs()) - started).toBeGreaterThanOrEqual(24 * DAY);
    });
    const rows = await pool.query('SELECT status, outcome FROM recovery_attempts WHERE id = $1', [attemptId]);
    expect(rows.rows[0]).toEqual({ status: 'completed', outcome: 'retained' });
    const statuses = await pool.query('SELECT assignee_role, status FROM tasks WHERE attempt_id = $1 ORDER BY created_at', [attemptId]);
    // Completing the original closes the escalation that was opened for it.
    expect(statuses.rows).toEqual([
      { assignee_role: 'rep', status: 'completed' },
      { assignee_role: 'department_head', status: 'cancelled' },
    ]);
  });
});
