import { IGNORED_SNAPSHOTS } from '../../server/audit/replay';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Pool } from 'pg';
import { createPool } from '../../platform/db/pool';
import { createActivities } from '../../workers/activities';
import { env, quietRuntime } from './product';
import { createTimeSkippingEnv } from './timeSkipping';

export interface TimeSkippingSuite {
  /** The suite's time-skipping env: usable in tests and hooks once the suite's beforeAll has run. */
  testEnv: TestWorkflowEnvironment;
  /** The suite's pool on the test database (the app's role), closed after the suite. */
  pool: Pool;
}

/**
 * The setup every workflow suite on Temporal's time-skipping server shares; call it once at the top
 * of the describe block. Before the tests: the SDK's logs quieted and a time-skipping server started
 * (one per suite, since each suite skips time on its own). After them: the server torn down and the
 * pool closed. `testEnv` forwards to the env, which only exists from beforeAll on, so the suite can
 * destructure it at describe time and keep writing `testEnv.sleep(...)`; touching it earlier throws.
 */
export function timeSkippingSuite(): TimeSkippingSuite {
  const pool = createPool(env().databaseUrl);
  let current: TestWorkflowEnvironment | undefined;
  const testEnv = new Proxy({} as TestWorkflowEnvironment, {
    get(_, prop) {
      if (!current) throw new Error(`testEnv.${String(prop)} used before the suite's beforeAll started the time-skipping server`);
      const value: unknown = Reflect.get(current, prop, current);
      return typeof value === 'function' ? value.bind(current) : value;
    },
  });

  beforeAll(async () => {
    quietRuntime();
    current = await createTimeSkippingEnv();
  });
  afterAll(async () => {
    await current?.teardown();
    await pool.end();
  });
  return { testEnv, pool };
}

/**
 * A worker on the time-skipping server for one task queue, running the suite's workflow bundle
 * (built once in globalSetup) with the real activities unless the test wraps them.
 */
export function createTestWorker(
  testEnv: TestWorkflowEnvironment,
  pool: Pool,
  taskQueue: string,
  activities: object = createActivities(pool),
): Promise<Worker> {
  return Worker.create({
    connection: testEnv.nativeConnection,
    taskQueue,
    workflowBundle: { codePath: env().workflowBundle },
    activities,
    sinks: IGNORED_SNAPSHOTS,
  });
}
