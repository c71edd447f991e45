import type { PlaybookGraph } from '../../playbooks/graph';
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { ConfigSchema } from '../../platform/config';
import { startAttemptRun } from '../../server/attemptStart';
import { buildRunInput, type PublishedPlaybook } from '../../workflows/runInput';

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
 * One attempt through the API's start step (server/attemptStart.ts: the workflow start with its
 * search attributes, then the attempt row with the first run id), for an after-sales customer
 * named `customerId`; the HTTP request and the customer and playbook reads before it are left out.
 */
export async function startBenchAttempt(pool: Pool, client: Client, playbook: PublishedPlaybook, customerId: string, customerName: string): Promise<void> {
  const customer = { id: customerId, name: customerName, department: 'after_sales', grade: 'ordinary', value: 1000, accountManager: null };
  const input = buildRunInput({ attemptId: randomUUID(), playbook, customer, startedBy: OLGA, variables: {} });
  await startAttemptRun({ pool, temporal: client, config: BENCH_START_SETTINGS }, input);
}

/**
 * What a start reads from the product's settings (the workflow task timeout: what a worker's death
 * costs), from the bench's environment as the API reads it, or the default. Parsed once, and only
 * this setting: loadConfig would also make the embedded link secret's file.
 */
export const BENCH_START_SETTINGS = ConfigSchema.pick({ WORKFLOW_TASK_TIMEOUT_SECONDS: true }).parse({
  WORKFLOW_TASK_TIMEOUT_SECONDS: process.env.WORKFLOW_TASK_TIMEOUT_SECONDS || undefined,
});
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
