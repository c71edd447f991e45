import type { PlaybookGraph } from '../../playbooks/graph';
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { ensureAttemptRow } from '../../platform/db/attempts';
import { TASK_QUEUE } from '../../workflows/contract';
import { buildRunInput, workflowIdFor, type PublishedPlaybook } from '../../workflows/runInput';

/** Small pieces the service benches (migrate, scale) share. */

/** Polls `check` until it holds, or fails naming `what` after `timeoutMs`. */
export async function until(check: () => Promise<boolean>, what: string, timeoutMs: number, pollMs = 250): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** The SDK's bundler logs only its errors here. */
export const silentLogger = {
  log: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: console.error,
  debug: () => undefined,
  trace: () => undefined,
};

/**
 * One attempt through the real start path (the attempt row, the run input, the workflow start, the
 * first run id), as the API's start endpoint takes it, for an after-sales customer named `customerId`.
 */
export async function startBenchAttempt(pool: Pool, client: Client, playbook: PublishedPlaybook, customerId: string, customerName: string): Promise<void> {
  const customer = { id: customerId, name: customerName, department: 'after_sales', grade: 'ordinary', value: 1000, accountManager: null };
  const input = buildRunInput({ attemptId: randomUUID(), playbook, customer, startedBy: OLGA, variables: {} });
  const workflowId = workflowIdFor(customer.id, playbook.key);
  await ensureAttemptRow(pool, {
    attemptId: input.attemptId,
    workflowId,
    customerId: customer.id,
    playbookKey: playbook.key,
    playbookVersion: playbook.version,
    startedBy: OLGA.userId,
  });
  const handle = await client.workflow.start('playbookRun', { taskQueue: TASK_QUEUE, workflowId, args: [input] });
  await pool.query('UPDATE recovery_attempts SET first_run_id = $2 WHERE id = $1', [input.attemptId, handle.firstExecutionRunId]);
}

const OLGA = { userId: 'u-olga', role: 'ops_manager', department: null };

const at = { x: 0, y: 0 };
/** The benches' sleeper: one rep task with a three-week SLA, so an attempt sleeps in it until completed. */
export const SLEEPER_GRAPH: PlaybookGraph = {
  nodes: [
    { id: 'start', kind: 'start', position: at, config: {} },
    {
      id: 'call',
      kind: 'task',
      position: at,
      config: { title: 'Call the customer back', assignee: { type: 'role', role: 'rep' }, outcomes: [{ key: 'done', label: 'Done' }], sla: 'P21D' },
    },
    { id: 'end', kind: 'end', position: at, config: { outcome: 'retained' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'call' },
    { id: 'e2', source: 'call', sourceHandle: 'done', target: 'end' },
  ],
};
