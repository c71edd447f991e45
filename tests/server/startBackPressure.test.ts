import { randomUUID } from 'node:crypto';
import type { PlaybookGraph } from '../../playbooks/graph';
import { createPool } from '../../platform/db/pool';
import { unsettledAttemptStarts } from '../../platform/startGate';
import { TASK_QUEUE } from '../../workflows/contract';
import { RISK_WORKFLOW_TYPE, type RiskEvaluationResult } from '../../workflows/riskContract';
import { workflowIdFor } from '../../workflows/runInput';
import { callThenPause } from '../support/graphs';
import { env, eventually, newCustomer, startProduct, terminateRunningAttempts, type Product } from '../support/product';
import { publishForTest } from '../support/publish';

/**
 * Back-pressure on starts (platform/startGate.ts), against real Temporal and PostgreSQL: with the
 * worker stopped nothing settles, so the backlog fills to START_BACKLOG_LIMIT (3 more than other suites left) and the
 * next start is refused, before anything is stored; with the worker back the backlog drains and
 * the same start is admitted.
 */
/** Starts the gate admits beyond what other suites left unsettled in this shared database (measured in beforeAll). */
const ROOM = 3;
const PLAYBOOK = 'back-pressure';
const TRIGGER = 'back_pressure.test';

const listening: PlaybookGraph = {
  ...callThenPause,
  nodes: callThenPause.nodes.map((n) => (n.kind === 'start' ? { ...n, config: { trigger: 'event', triggerKey: TRIGGER } } : n)),
};

const preChurn: PlaybookGraph = {
  ...callThenPause,
  nodes: callThenPause.nodes.map((n) => (n.kind === 'start' ? { ...n, config: { trigger: 'event', triggerKey: 'customer.pre_churn' } } : n)),
};
const DAY = 86_400_000;

/** Attempts other suites left started but unsettled (a workflow terminated before its first transition keeps its row running). */
async function otherSuitesBacklog(): Promise<number> {
  const pool = createPool(env().databaseUrl);
  try {
    return await unsettledAttemptStarts(pool);
  } finally {
    await pool.end();
  }
}

type ErrorBody = { error: { code: string; message: string; details: { retryAfterSeconds: number; backlog: number; limit: number } } };

describe('start back-pressure', () => {
  let product: Product;
  let ops: string;
  let LIMIT: number;
  beforeAll(async () => {
    LIMIT = ROOM + (await otherSuitesBacklog());
    product = await startProduct({ START_BACKLOG_LIMIT: String(LIMIT) });
    ops = await product.login('olga');
    await publishForTest(product.pool, PLAYBOOK, callThenPause);
    await publishForTest(product.pool, `${PLAYBOOK}-listening`, listening);
  });
  afterAll(async () => {
    await product.startWorker().catch(() => undefined);
    await terminateRunningAttempts(product, PLAYBOOK);
    await terminateRunningAttempts(product, `${PLAYBOOK}-listening`);
    // No later evaluation in this database may start it for other suites' customers.
    await product.pool.query('UPDATE playbooks SET archived_at = now() WHERE key = $1', [`${PLAYBOOK}-pre-churn`]);
    await terminateRunningAttempts(product, `${PLAYBOOK}-pre-churn`);
    await product.stop();
  });

  const start = (customerId: string) =>
    product.api<ErrorBody & { id: string }>('POST', '/api/attempts', { token: ops, body: { playbookKey: PLAYBOOK, customerId } });
  const rowsOf = async (customerId: string) =>
    (await product.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM recovery_attempts WHERE customer_id = $1', [customerId])).rows[0].n;
  const workflowExists = (workflowId: string) =>
    product.temporal.workflow
      .getHandle(workflowId)
      .describe()
      .then(
        () => true,
        () => false,
      );

  it('refuses a start past the backlog with 503 start_backlog and Retry-After, stores nothing, and admits it once the backlog drains', async () => {
    await product.stopWorker();
    const admitted: string[] = [];
    for (let i = 0; i < ROOM; i++) {
      const customerId = await newCustomer(product.pool);
      const res = await start(customerId);
      expect({ i, status: res.status }).toEqual({ i, status: 201 });
      admitted.push(res.body.id);
    }
    // Nothing settles without a worker: the attempts wait for their first transition.
    const unsettled = await product.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM recovery_attempts WHERE id = ANY($1) AND last_transition = 0', [
      admitted,
    ]);
    expect(unsettled.rows[0].n).toBe(ROOM);

    const refusedCustomer = await newCustomer(product.pool);
    const refused = await start(refusedCustomer);
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe('start_backlog');
    expect(refused.body.error.message).toMatch(/still settling/);
    expect(refused.body.error.details).toMatchObject({ limit: LIMIT });
    expect(refused.body.error.details.backlog).toBeGreaterThanOrEqual(LIMIT);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBe(refused.body.error.details.retryAfterSeconds);
    expect(await rowsOf(refusedCustomer)).toBe(0);
    expect(await workflowExists(workflowIdFor(refusedCustomer, PLAYBOOK))).toBe(false);

    // A trigger is refused as a whole, before any of its playbooks starts.
    const triggered = await product.api<ErrorBody>('POST', '/api/triggers', { token: ops, body: { key: TRIGGER, customerId: refusedCustomer } });
    expect(triggered.status).toBe(503);
    expect(triggered.body.error.code).toBe('start_backlog');
    expect(triggered.headers.get('retry-after')).toBeTruthy();
    expect(await rowsOf(refusedCustomer)).toBe(0);
    expect(await workflowExists(workflowIdFor(refusedCustomer, `${PLAYBOOK}-listening`))).toBe(false);

    // The worker back: the admitted attempts settle, and the refused start is admitted when retried.
    await product.startWorker();
    await eventually(
      async () =>
        (await product.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM recovery_attempts WHERE id = ANY($1) AND last_transition > 0', [admitted]))
          .rows[0].n === ROOM,
      60_000,
      'the admitted attempts settled',
    );
    const retried = await eventually(
      async () => {
        const res = await start(refusedCustomer);
        return res.status === 503 && res.body.error.code === 'start_backlog' ? null : res;
      },
      30_000,
      'the retried start admitted',
    );
    expect(retried.status).toBe(201);
    expect(await rowsOf(refusedCustomer)).toBe(1);
    const trigger = await product.api<{ started: unknown[] }>('POST', '/api/triggers', { token: ops, body: { key: TRIGGER, customerId: refusedCustomer } });
    expect(trigger.status).toBe(201);
    expect(trigger.body.started).toHaveLength(1);
  });

  it('a risk evaluation waits for room in the start backlog instead of failing, then starts its playbook', async () => {
    await publishForTest(product.pool, `${PLAYBOOK}-pre-churn`, preChurn);
    // A regular customer (monthly visits) whose last visit was 61 days ago: the rules make them pre-churn.
    const customerId = `BP-${randomUUID().slice(0, 8)}`;
    await product.pool.query(
      `INSERT INTO customers (id, name, grade, value, department_id, status, expected_visit_days, customer_since)
       VALUES ($1, 'Back-pressure Garage', 'ordinary', 1000, 'after_sales', 'active', 30, now() - interval '400 days')`,
      [customerId],
    );
    for (const ago of [121, 91, 61])
      await product.pool.query(`INSERT INTO customer_activity (customer_id, kind, source, external_id, occurred_at) VALUES ($1, 'visit', 'test', $2, $3)`, [
        customerId,
        `${customerId}-visit-${ago}`,
        new Date(Date.now() - ago * DAY),
      ]);
    // The backlog full with starts that have not settled (rows as the start path leaves them), the worker running.
    const filler: string[] = [];
    for (let i = 0; i < ROOM; i++) {
      const id = randomUUID();
      const other = await newCustomer(product.pool);
      await product.pool.query(
        `INSERT INTO recovery_attempts (id, workflow_id, customer_id, playbook_key, playbook_version, first_run_id) VALUES ($1, $2, $3, $4, 1, 'unsettled')`,
        [id, `filler/${id}`, other, PLAYBOOK],
      );
      filler.push(id);
    }
    const evaluation = await product.temporal.workflow.start(RISK_WORKFLOW_TYPE, {
      taskQueue: TASK_QUEUE,
      workflowId: `risk-evaluation/test/back-pressure/${customerId}`,
      args: [{ reason: 'test', customerIds: [customerId] }],
    });
    await new Promise((r) => setTimeout(r, 3000));
    expect((await evaluation.describe()).status.name).toBe('RUNNING');
    const status = await product.pool.query<{ status: string }>('SELECT status FROM customers WHERE id = $1', [customerId]);
    expect(status.rows[0].status).toBe('active'); // the page waits before it changes anyone
    expect(await rowsOf(customerId)).toBe(0);

    // The filler settles: the page goes on, the customer turns pre-churn and the playbook starts.
    await product.pool.query("UPDATE recovery_attempts SET status = 'terminated' WHERE id = ANY($1)", [filler]);
    // Two playbooks listen for customer.pre_churn: this suite's and the seeded tiered win-back.
    const result: RiskEvaluationResult = await evaluation.result();
    expect(result).toMatchObject({ scanned: 1, changed: 1, startedPlaybooks: 2 });
    await eventually(async () => (await rowsOf(customerId)) === 2, 20_000, 'the pre-churn attempt rows');
    const started = await product.pool.query<{ playbook_key: string }>('SELECT playbook_key FROM recovery_attempts WHERE customer_id = $1 ORDER BY 1', [
      customerId,
    ]);
    expect(started.rows.map((r) => r.playbook_key)).toEqual([`${PLAYBOOK}-pre-churn`, 'tiered-win-back']);
    await product.temporal.workflow
      .getHandle(workflowIdFor(customerId, 'tiered-win-back'))
      .terminate('test done')
      .catch(() => undefined);
  });

  it('documents 503 start_backlog on the routes that start attempts', async () => {
    const doc = await product.api<{ paths: Record<string, Record<string, { responses: Record<string, { description: string }> }>> }>(
      'GET',
      '/api/openapi.json',
      { token: ops },
    );
    for (const p of ['/api/attempts', '/api/triggers', '/api/customers/{id}/activity'])
      expect({ p, description: doc.body.paths[p].post.responses['503']?.description }).toEqual({ p, description: expect.stringMatching(/^start_backlog/) });
  });
});
