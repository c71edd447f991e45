import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Pool } from 'pg';
import type { FormData } from '../../playbooks/form';
import type { PlaybookGraph } from '../../playbooks/graph';
import type { Actor, Command, Json } from '../../playbooks/runtime/types';
import { createActivities } from '../../workers/activities';
import type { PersistTransitionInput } from '../../workflows/activityContract';
import {
  completeTaskUpdate,
  customerResponseSignal,
  runViewQuery,
  type CompleteTaskResult,
  type PlaybookRunInput,
  type RunOutcome,
  type RunView,
} from '../../workflows/contract';
import type { playbookRun } from '../../workflows/playbookRun';
import { eventually, newCustomer } from './product';
import { publishForTest } from './publish';
import { createTestWorker } from './workflowTest';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;

/** The demo people of the seed (server/seed.ts), as they appear in Updates. */
export const ACTORS = {
  rita: { userId: 'u-rita', role: 'rep', department: 'after_sales' },
  hana: { userId: 'u-hana', role: 'department_head', department: 'after_sales' },
  kim: { userId: 'u-kim', role: 'rep', department: 'key_accounts' },
  karl: { userId: 'u-karl', role: 'department_head', department: 'key_accounts' },
} satisfies Record<string, Actor>;

/** A row of the `tasks` table: what the inbox shows. */
export interface TaskRow {
  task_key: string;
  node_id: string;
  title: string;
  assignee_role: string;
  department_id: string | null;
  assignee_user_id: string | null;
  priority: string;
  status: 'open' | 'completed' | 'cancelled';
  outcome: string | null;
  completed_by: string | null;
  due_at: Date | null;
  created_at: Date;
}

export interface CustomerFields {
  department: string;
  grade: string;
  value: number;
  accountManager: string | null;
}

export interface Run {
  attemptId: string;
  customerId: string;
  handle: WorkflowHandle<typeof playbookRun>;
  /** Virtual time passed since the run was started (call it before `result()`: awaiting the result lets the server skip ahead). */
  elapsedMs(): Promise<number>;
  /** Virtual time from the start to the run's end (its outcome's timestamp). */
  durationMs(): Promise<number>;
  /** Every command the runtime handed to the persistence activity, in transition order. */
  commands(): Command[];
  /** The `send_message` commands (what went to the customer or staff), by template. */
  messages(template?: string): Extract<Command, { type: 'send_message' }>[];
  /** The `record_offer` commands: tiers made, declined, expired, accepted. */
  offers(): Extract<Command, { type: 'record_offer' }>[];
  tasks(): Promise<TaskRow[]>;
  /** Wait (real time) until a task row matching `match` exists. */
  task(match: Partial<Pick<TaskRow, 'node_id' | 'assignee_role' | 'status' | 'title'>>, what?: string): Promise<TaskRow>;
  complete(task: TaskRow | string, outcome: string, form: FormData, actor: Actor): Promise<CompleteTaskResult>;
  respond(kind: string, channel?: string): Promise<void>;
  view(): Promise<RunView>;
  /** Wait (real time) until the runView satisfies `check`. */
  until(check: (view: RunView) => boolean, what: string): Promise<RunView>;
  result(): Promise<RunOutcome>;
}

/**
 * Runs a published graph as `playbookRun` on the time-skipping server, with a worker on a task
 * queue of its own and the real persistence activity (wrapped so the test can read the commands
 * it was given). The body runs while the worker does; virtual time only moves on `testEnv.sleep`
 * and while `result()` is awaited (so await it only once the run is about to end).
 */
export async function withRun(
  testEnv: TestWorkflowEnvironment,
  pool: Pool,
  opts: { name: string; graph: PlaybookGraph; customer: CustomerFields; variables?: Record<string, Json> },
  body: (run: Run) => Promise<void>,
): Promise<void> {
  const key = `${opts.name}-${randomUUID().slice(0, 8)}`;
  const plan = await publishForTest(pool, key, opts.graph);
  // Started here by hand, never by a trigger: archived, so a copy of a template that listens (the
  // tiered win-back for customer.pre_churn, the complaint response for customer.complaint) is not
  // started by later evaluations and triggers in this shared database for other suites' customers.
  await pool.query('UPDATE playbooks SET archived_at = now() WHERE key = $1', [key]);
  const { department, grade, value, accountManager } = opts.customer;
  const customerId = await newCustomer(pool, { department, grade, value, accountManager });
  const taskQueue = `tq-${key}`;

  const real = createActivities(pool);
  const byTransition = new Map<number, Command[]>();
  const activities = {
    ...real,
    async persistTransition(input: PersistTransitionInput): Promise<void> {
      await real.persistTransition(input);
      byTransition.set(input.transition, input.commands);
    },
    async storeTransition(input: PersistTransitionInput): Promise<PersistTransitionInput> {
      await real.storeTransition(input);
      byTransition.set(input.transition, input.commands);
      return input;
    },
  };
  const worker = await createTestWorker(testEnv, pool, taskQueue, activities);

  const attemptId = randomUUID();
  const input: PlaybookRunInput = {
    attemptId,
    playbook: { key, version: 1, name: opts.name },
    plan,
    customer: { id: customerId, name: `Customer of ${opts.name}`, department, grade, value, accountManager },
    startedBy: { userId: 'u-olga', role: 'ops_manager', department: null },
    // As the API does: the customer's account manager travels as a run variable.
    variables: { ...(accountManager ? { account_manager: accountManager } : {}), ...(opts.variables ?? {}) },
  };

  await worker.runUntil(async () => {
    const startedAt = await testEnv.currentTimeMs();
    const handle = await testEnv.client.workflow.start<typeof playbookRun>('playbookRun', {
      taskQueue,
      workflowId: `recovery/${customerId}/${key}`,
      args: [input],
    });
    const commands = () => [...byTransition.entries()].sort(([a], [b]) => a - b).flatMap(([, cmds]) => cmds);
    const tasks = async () => (await pool.query<TaskRow>('SELECT * FROM tasks WHERE attempt_id = $1 ORDER BY created_at, task_key', [attemptId])).rows;
    const run: Run = {
      attemptId,
      customerId,
      handle,
      elapsedMs: async () => (await testEnv.currentTimeMs()) - startedAt,
      durationMs: async () => {
        const { outcome } = await handle.query(runViewQuery);
        if (!outcome) throw new Error('the run has not ended');
        return outcome.at - startedAt;
      },
      commands,
      messages: (template) =>
        commands().filter(
          (c): c is Extract<Command, { type: 'send_message' }> => c.type === 'send_message' && (template === undefined || c.template === template),
        ),
      offers: () => commands().filter((c): c is Extract<Command, { type: 'record_offer' }> => c.type === 'record_offer'),
      tasks,
      task: (match, what) =>
        eventually(
          async () => (await tasks()).find((row) => Object.entries(match).every(([k, v]) => row[k as keyof TaskRow] === v)),
          20_000,
          what ?? `a task ${JSON.stringify(match)}`,
        ),
      complete: (task, outcome, form, actor) =>
        handle.executeUpdate(completeTaskUpdate, { args: [{ taskKey: typeof task === 'string' ? task : task.task_key, outcome, form, actor }] }),
      respond: (kind, channel = 'email') => handle.signal(customerResponseSignal, { responseId: randomUUID(), kind, channel, note: null, actor: null }),
      view: () => handle.query(runViewQuery),
      until: (check, what) =>
        eventually(
          async () => {
            const v = await handle.query(runViewQuery);
            return check(v) ? v : null;
          },
          20_000,
          what,
        ),
      result: () => handle.result(),
    };
    try {
      await body(run);
    } finally {
      // A run left waiting (a failed assertion, a test that stops early) would hold up the
      // server's time skipping for every later test in the file: end it with its test.
      const description = await handle.describe().catch(() => null);
      if (description?.status.name === 'RUNNING') await handle.terminate('test finished').catch(() => undefined);
    }
  });
}

/** Where the run is waiting now, by node id. */
export const at = (view: RunView): string[] => view.activeSteps.map((s) => s.nodeId).sort();

/** The failure type an Update was refused with (e.g. `not_allowed`, `invalid_form`); fails if it was not. */
export async function updateRefusal(pending: Promise<unknown>): Promise<string> {
  try {
    await pending;
  } catch (err) {
    for (let e: unknown = err; e instanceof Error; e = e.cause) {
      if (e instanceof ApplicationFailure) return e.type ?? 'untyped';
    }
    throw err;
  }
  throw new Error('expected the update to be refused, but it was applied');
}
