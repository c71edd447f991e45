import type { PlaybookGraph } from '../../playbooks/graph';
import { workflowIdFor } from '../../workflows/runInput';
import { callThenPause } from '../support/graphs';
import { eventually, newCustomer, startProduct, terminateRunningAttempts, type Product } from '../support/product';
import { publishForTest } from '../support/publish';

/**
 * Back-pressure on starts (platform/startGate.ts), against real Temporal and PostgreSQL: with the
 * worker stopped nothing settles, so the backlog fills to START_BACKLOG_LIMIT (3 here) and the
 * next start is refused, before anything is stored; with the worker back the backlog drains and
 * the same start is admitted.
 */
const LIMIT = 3;
const PLAYBOOK = 'back-pressure';
const TRIGGER = 'back_pressure.test';

const listening: PlaybookGraph = {
  ...callThenPause,
  nodes: callThenPause.nodes.map((n) => (n.kind === 'start' ? { ...n, config: { trigger: 'event', triggerKey: TRIGGER } } : n)),
};

type ErrorBody = { error: { code: string; message: string; details: { retryAfterSeconds: number; backlog: number; limit: number } } };

describe('start back-pressure', () => {
  let product: Product;
  let ops: string;
  beforeAll(async () => {
    product = await startProduct({ START_BACKLOG_LIMIT: String(LIMIT) });
    ops = await product.login('olga');
    await publishForTest(product.pool, PLAYBOOK, callThenPause);
    await publishForTest(product.pool, `${PLAYBOOK}-listening`, listening);
  });
  afterAll(async () => {
    await product.startWorker().catch(() => undefined);
    await terminateRunningAttempts(product, PLAYBOOK);
    await terminateRunningAttempts(product, `${PLAYBOOK}-listening`);
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
    const admitted = [];
    for (let i = 0; i < LIMIT; i++) {
      const customerId = await newCustomer(product.pool);
      const res = await start(customerId);
      expect({ i, status: res.status }).toEqual({ i, status: 201 });
      admitted.push(res.body.id);
    }
    // Nothing settles without a worker: the attempts wait for their first transition.
    const unsettled = await product.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM recovery_attempts WHERE id = ANY($1) AND last_transition = 0', [
      admitted,
    ]);
    expect(unsettled.rows[0].n).toBe(LIMIT);

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
          .rows[0].n === LIMIT,
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
