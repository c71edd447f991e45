import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import type { Pool } from 'pg';
import { createPool } from '../../platform/db/pool';
import { IGNORED_SNAPSHOTS } from '../../server/audit/replay';
import { createActivities } from '../../workers/activities';
import type { PersistTransitionInput } from '../../workflows/activityContract';
import type { PlaybookRunInput } from '../../workflows/contract';
import { chainGraph } from '../../scripts/bench/scale/chainPlaybooks';
import type { HandWrittenInput } from '../../scripts/bench/scale/handWritten';
import { env, newCustomer, quietRuntime } from '../support/product';
import { publishForTest } from '../support/publish';

/**
 * bench:scale's interpreter ÷ hand-written figure is fair only if both do the same work: the
 * hand-written workflow (scripts/bench/scale/handWritten.ts, bundled on its own) must store the
 * same transitions, with the same commands, through the same real activity, as playbookRun does
 * for the same five steps, with and without the 1 s timers between them.
 */
const quiet = { log: () => undefined, info: () => undefined, warn: () => undefined, error: console.error, debug: () => undefined, trace: () => undefined };

describe('the hand-written chain beside the interpreter', () => {
  let pool: Pool;
  let connection: Connection;
  let client: Client;
  let native: NativeConnection;
  let handWrittenCode: string;
  const suffix = Date.now().toString(36);

  beforeAll(async () => {
    quietRuntime();
    pool = createPool(env().databaseUrl);
    connection = await Connection.connect({ address: env().temporalAddress });
    client = new Client({ connection });
    native = await NativeConnection.connect({ address: env().temporalAddress });
    ({ code: handWrittenCode } = await bundleWorkflowCode({
      workflowsPath: path.join(__dirname, '..', '..', 'scripts', 'bench', 'scale', 'handWritten.ts'),
      logger: quiet,
    }));
  });
  afterAll(async () => {
    await native.close();
    await connection.close();
    await pool.end();
  });

  /** One run on a worker of its own whose persistence activity is the real one, recording each input. */
  async function recorded(bundle: { codePath: string } | { code: string }, start: (taskQueue: string) => Promise<unknown>) {
    const transitions: PersistTransitionInput[] = [];
    const real = createActivities(pool);
    const taskQueue = `hand-written-test-${randomUUID()}`;
    const worker = await Worker.create({
      connection: native,
      taskQueue,
      workflowBundle: bundle,
      sinks: IGNORED_SNAPSHOTS,
      activities: {
        ...real,
        persistTransition: async (input: PersistTransitionInput) => {
          transitions.push(input);
          await real.persistTransition(input);
        },
        // The interpreter stores locally; the hand-written workflow through the activity.
        storeTransition: async (input: PersistTransitionInput) => {
          transitions.push(input);
          return real.storeTransition(input);
        },
      },
    });
    await worker.runUntil(start(taskQueue));
    return transitions;
  }

  /** What is stored, without what differs between two attempts by nature (ids, clock readings). */
  const comparable = (transitions: PersistTransitionInput[]) =>
    transitions.map(({ attempt: _attempt, variables, waits, ...rest }) => ({
      ...rest,
      variables: { customer: { ...(variables.customer as object), id: 'customer', name: 'customer' } },
      waits: (waits ?? []).map((w) => ({ ...w, since: 0, timers: w.timers.map((t) => ({ ...t, firesAt: t.firesAt - w.since })) })),
    }));

  const rowsOf = async (attemptId: string) => {
    const counts = await pool.query<{ messages: number; steps: number; status: string; outcome: string }>(
      `SELECT (SELECT count(*)::int FROM outbox_messages WHERE attempt_id = $1) AS messages,
              (SELECT count(*)::int FROM attempt_steps WHERE attempt_id = $1) AS steps, status, outcome
         FROM recovery_attempts WHERE id = $1`,
      [attemptId],
    );
    return counts.rows[0];
  };

  it.each([
    [true, 5],
    [false, 1],
  ])('with timers %s: the same %i transitions, commands and rows', async (withTimers, expected) => {
    const key = `chain-${withTimers ? 'timers' : 'plain'}-${suffix}`;
    const plan = await publishForTest(pool, key, chainGraph(withTimers));
    const startedBy = { userId: 'u-olga', role: 'ops_manager', department: null };
    const customerOf = (id: string) => ({ id, name: id, department: 'after_sales', grade: 'ordinary', value: 1000, accountManager: null });

    const interpreterCustomer = await newCustomer(pool);
    const runInput: PlaybookRunInput = {
      attemptId: randomUUID(),
      playbook: { key, version: 1, name: key },
      plan,
      customer: customerOf(interpreterCustomer),
      startedBy,
      variables: {},
    };
    const interpreter = await recorded({ codePath: env().workflowBundle }, (taskQueue) =>
      client.workflow.execute('playbookRun', { taskQueue, workflowId: `recovery/${interpreterCustomer}/${key}`, args: [runInput] }),
    );

    const handCustomer = await newCustomer(pool);
    const handInput: HandWrittenInput = {
      attempt: { attemptId: randomUUID(), customerId: handCustomer, playbookKey: key, playbookVersion: 1, startedBy: startedBy.userId },
      customer: customerOf(handCustomer),
      withTimers,
    };
    const handWritten = await recorded({ code: handWrittenCode }, (taskQueue) =>
      client.workflow.execute('handWrittenChain', { taskQueue, workflowId: `hand-written/${handCustomer}/${key}`, args: [handInput] }),
    );

    expect(interpreter).toHaveLength(expected);
    expect(comparable(handWritten)).toEqual(comparable(interpreter));
    expect(await rowsOf(handInput.attempt.attemptId)).toEqual(await rowsOf(runInput.attemptId));
    expect(await rowsOf(runInput.attemptId)).toMatchObject({ messages: 5, status: 'completed', outcome: 'retained' });
  });
});
