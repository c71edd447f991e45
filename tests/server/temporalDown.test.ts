import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import type { Pool } from 'pg';
import { freePort, startTemporal, type RunningService } from '../../scripts/services';
import { closeApp, createApp } from '../../server/app';
import { loadConfig } from '../../platform/config';
import { createPool } from '../../platform/db/pool';
import { connectTemporal } from '../../server/temporal';
import { env, newCustomer } from '../support/product';

/**
 * The API on a Temporal server of its own that no worker ever polls, then stopped: every answer
 * must come quickly and say what is wrong (503 + Retry-After), never a 500 after 20 s or a hang.
 */
describe('Temporal or the workers down', () => {
  let temporal: (RunningService & { address: string }) | null = null;
  let pool: Pool;
  let server: Server;
  let app: ReturnType<typeof createApp>;
  let close: () => Promise<void>;
  let base: string;
  let token: string;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    temporal = await startTemporal({ port: await freePort(), uiPort: null, dbFile: null });
    pool = createPool(env().databaseUrl);
    const { client, connection } = await connectTemporal(temporal.address, 'default');
    app = createApp({
      pool,
      temporal: client,
      log: pino({ level: 'silent' }),
      config: loadConfig({ WORKFLOW_BUNDLE: env().workflowBundle, LINK_SECRET: process.env.LINK_SECRET, DATA_DIR: process.env.TEST_TMP_DIR }),
    });
    server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = async () => {
      await closeApp(app);
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await connection.close();
      await pool.end();
    };
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'olga', password: 'demo' }),
    });
    token = ((await login.json()) as { token: string }).token;
  });
  afterAll(async () => {
    await close();
    await temporal?.stop();
    console.log('503 latencies (ms):', JSON.stringify(timings));
  });

  async function call(what: string, method: string, path: string, body?: unknown, as = token) {
    const started = Date.now();
    const res = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${as}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    timings[what] = Date.now() - started;
    const text = await res.text();
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: text ? JSON.parse(text) : {}, ms: timings[what] };
  }

  let firstAttempt = '';
  it('with no worker polling, a completion is refused at once: 503 workers_unavailable', async () => {
    const key = 'call-back'; // seeded
    const customerId = await newCustomer(pool);
    const started = await call('start run (no worker)', 'POST', '/api/runs', { playbookKey: key, customerId });
    expect(started.status).toBe(201);
    firstAttempt = started.body.id;
    // The worker would have stored this task; with none running, put it where the inbox finds it.
    const { rows } = await pool.query(
      `INSERT INTO tasks (attempt_id, workflow_id, task_key, node_id, customer_id, playbook_key, title, instructions, assignee_role, department_id, outcomes, form, status)
       VALUES ($1, $2, 'call#1', 'call', $3, $4, 'Call back', '', 'rep', 'after_sales', '[{"key":"reached","label":"Reached"}]', '[]', 'open') RETURNING id`,
      [started.body.id, started.body.workflowId, customerId, key],
    );
    const rep = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'rita', password: 'demo' }),
    });
    const repToken = ((await rep.json()) as { token: string }).token;
    const completed = await call('complete (no worker)', 'POST', `/api/tasks/${rows[0].id}/complete`, { outcome: 'reached', form: {} }, repToken);
    expect({ status: completed.status, code: completed.body.error?.code, retryAfter: completed.retryAfter }).toEqual({
      status: 503,
      code: 'workers_unavailable',
      retryAfter: '5',
    });
    expect(completed.body.error.message).toMatch(/workers are not running/);
    expect(completed.ms).toBeLessThan(3_000);
  });

  it('with Temporal stopped, starts answer 503 within the write deadline and the API keeps serving what PostgreSQL knows', async () => {
    await temporal!.stop();
    const customerId = await newCustomer(pool);
    const started = await call('start run (Temporal down)', 'POST', '/api/runs', { playbookKey: 'call-back', customerId });
    expect({ status: started.status, code: started.body.error?.code, retryAfter: started.retryAfter }).toEqual({
      status: 503,
      code: expect.stringMatching(/^temporal_(unavailable|timeout)$/),
      retryAfter: '5',
    });
    // The write deadline is 5 s; before it, the SDK retried for about 20 s and answered 500.
    expect(started.ms).toBeLessThan(10_000);
    const list = await call('list runs (Temporal down)', 'GET', '/api/runs?limit=5');
    expect(list.status).toBe(200);
    const timeline = await call('timeline (Temporal down)', 'GET', `/api/runs/${firstAttempt}/timeline`);
    expect({ status: timeline.status, code: timeline.body.error?.code, retryAfter: timeline.retryAfter }).toEqual({
      status: 503,
      code: expect.stringMatching(/^temporal_(unavailable|timeout)$/),
      retryAfter: '5',
    });
    expect(timeline.ms).toBeLessThan(5_000);
  });
});
