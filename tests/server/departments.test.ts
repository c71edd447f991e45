import type { PlaybookGraph } from '../../playbooks/graph';
import { eventually, newCustomer, startProduct, type Product, terminateRunningAttempts } from '../support/product';

/**
 * Department reach on every route that takes a run, attempt, customer or task id, and on the lists:
 * a rep or head of another department neither reads nor changes what belongs to a department not
 * theirs (404, as for a task they may not see); people of the customer's own department, and
 * auditors, ops managers and admins, do. Real API, PostgreSQL, Temporal and worker.
 */
const at = { x: 0, y: 0 };
const graph: PlaybookGraph = {
  nodes: [
    { id: 'start', kind: 'start', position: at, config: { trigger: 'event', triggerKey: 'departments.test' } },
    {
      id: 'call',
      kind: 'task',
      name: 'Call back',
      position: at,
      config: { title: 'Call back', assignee: { type: 'role', role: 'rep' }, outcomes: [{ key: 'reached', label: 'Reached' }] },
    },
    { id: 'wait', kind: 'wait_response', position: at, config: { kinds: ['accepted', 'declined'], timeout: 'P7D' } },
    { id: 'won', kind: 'end', position: at, config: { outcome: 'won_back' } },
    { id: 'lost', kind: 'end', position: at, config: { outcome: 'lost' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'call' },
    { id: 'e2', source: 'call', sourceHandle: 'reached', target: 'wait' },
    { id: 'e3', source: 'wait', sourceHandle: 'accepted', target: 'won' },
    { id: 'e4', source: 'wait', sourceHandle: 'declined', target: 'lost' },
    { id: 'e5', source: 'wait', sourceHandle: 'no_response', target: 'lost' },
  ],
};

describe('department reach for runs, customers, audit views and tasks', () => {
  let product: Product;
  const key = `departments-${Date.now().toString(36)}`;
  const tokens: Record<string, string> = {};
  let customerId: string; // after_sales
  let otherCustomerId: string; // key_accounts
  let attemptId: string;
  let otherAttemptId: string;
  let taskId: string;

  beforeAll(async () => {
    product = await startProduct();
    for (const u of ['olga', 'rita', 'kim', 'hana', 'karl', 'aude', 'adam']) tokens[u] = await product.login(u);
    expect((await product.api('PUT', `/api/playbooks/${key}/draft`, { token: tokens.olga, body: { name: 'Departments', graph } })).status).toBe(200);
    expect((await product.api('POST', `/api/playbooks/${key}/publish`, { token: tokens.olga })).status).toBe(201);
    customerId = await newCustomer(product.pool, { department: 'after_sales' });
    otherCustomerId = await newCustomer(product.pool, { department: 'key_accounts' });
    const started = await product.api<{ id: string }>('POST', '/api/runs', { token: tokens.rita, body: { playbookKey: key, customerId } });
    expect(started.status).toBe(201);
    attemptId = started.body.id;
    const other = await product.api<{ id: string }>('POST', '/api/runs', { token: tokens.kim, body: { playbookKey: key, customerId: otherCustomerId } });
    expect(other.status).toBe(201);
    otherAttemptId = other.body.id;
    taskId = (
      await eventually(
        async () => (await product.pool.query<{ id: string }>("SELECT id FROM tasks WHERE attempt_id = $1 AND status = 'open'", [attemptId])).rows[0],
        20_000,
        'the call-back task',
      )
    ).id;
  });

  afterAll(async () => {
    if (!product) return;
    await terminateRunningAttempts(product, key);
    await product.stop();
  });

  const status = async (user: string, method: string, path: string, body?: unknown) => (await product.api(method, path, { token: tokens[user], body })).status;
  /** The report is HTML, not JSON. */
  const reportStatus = async (user: string, id: string) =>
    (await fetch(`${product.url}/api/runs/${id}/report`, { headers: { authorization: `Bearer ${tokens[user]}` } })).status;

  it("a rep of another department cannot record a customer's answer on a run, and the run does not move", async () => {
    expect(await status('kim', 'POST', `/api/runs/${attemptId}/responses`, { kind: 'accepted' })).toBe(404);
    expect(await status('karl', 'POST', `/api/runs/${attemptId}/responses`, { kind: 'accepted' })).toBe(404);
    const recorded = await product.pool.query("SELECT 1 FROM audit_log WHERE attempt_id = $1 AND action = 'customer_response_recorded'", [attemptId]);
    expect(recorded.rowCount).toBe(0);
    const run = await product.api<{ live: { variables: Record<string, unknown> } | null }>('GET', `/api/runs/${attemptId}`, { token: tokens.olga });
    expect(run.body.live?.variables['responses.accepted']).toBeUndefined();
  });

  it('a rep of another department cannot add contacts to the customer', async () => {
    expect(await status('kim', 'POST', `/api/customers/${customerId}/contacts`, { kind: 'note', summary: 'not mine' })).toBe(404);
    expect(await status('karl', 'POST', `/api/customers/${customerId}/contacts`, { kind: 'note', summary: 'not mine' })).toBe(404);
    expect((await product.pool.query("SELECT 1 FROM contacts WHERE customer_id = $1 AND summary = 'not mine'", [customerId])).rowCount).toBe(0);
    expect(await status('rita', 'POST', `/api/customers/${customerId}/contacts`, { kind: 'note', summary: 'mine', attemptId })).toBe(201);
  });

  it("a contact cannot name another customer's attempt", async () => {
    const res = await product.api<{ error: { details: { problems: { path: string[] }[] } } }>('POST', `/api/customers/${customerId}/contacts`, {
      token: tokens.olga,
      body: { kind: 'note', summary: 'wrong attempt', attemptId: otherAttemptId },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.problems[0].path).toEqual(['attemptId']);
  });

  it('people of another department cannot read the run, its timeline, replay, export or report', async () => {
    for (const user of ['kim', 'karl']) {
      expect(await status(user, 'GET', `/api/runs/${attemptId}`)).toBe(404);
      expect(await status(user, 'GET', `/api/runs/${attemptId}/timeline`)).toBe(404);
    }
    expect(await status('karl', 'GET', `/api/runs/${attemptId}/replay`)).toBe(404);
    expect(await status('karl', 'GET', `/api/runs/${attemptId}/export`)).toBe(404);
    expect(await reportStatus('karl', attemptId)).toBe(404);
    expect((await product.api<{ rows: unknown[] }>('GET', `/api/audit?attemptId=${attemptId}`, { token: tokens.karl })).status).toBe(404);
  });

  it("the customer's own department, auditors, ops managers and admins read them", async () => {
    for (const user of ['rita', 'hana', 'aude', 'olga', 'adam']) {
      expect({ user, status: await status(user, 'GET', `/api/runs/${attemptId}`) }).toEqual({ user, status: 200 });
      expect({ user, status: await status(user, 'GET', `/api/runs/${attemptId}/timeline`) }).toEqual({ user, status: 200 });
      expect({ user, status: await status(user, 'GET', `/api/customers/${customerId}`) }).toEqual({ user, status: 200 });
    }
    for (const user of ['hana', 'aude']) {
      expect({ user, status: await status(user, 'GET', `/api/runs/${attemptId}/export`) }).toEqual({ user, status: 200 });
      expect({ user, status: await reportStatus(user, attemptId) }).toEqual({ user, status: 200 });
      const audit = await product.api<{ rows: unknown[] }>('GET', `/api/audit?attemptId=${attemptId}`, { token: tokens[user] });
      expect({ user, status: audit.status, some: audit.body.rows.length > 0 }).toEqual({ user, status: 200, some: true });
    }
    expect(await status('hana', 'GET', `/api/runs/${attemptId}/replay`)).toBe(200);
  });

  it('people of another department cannot read the customer file', async () => {
    expect(await status('kim', 'GET', `/api/customers/${customerId}`)).toBe(404);
    expect(await status('karl', 'GET', `/api/customers/${customerId}`)).toBe(404);
    expect(await status('rita', 'GET', `/api/customers/${otherCustomerId}`)).toBe(404);
  });

  it('the run and customer lists show only what is within reach', async () => {
    const runsOf = async (user: string, query = '') =>
      (await product.api<{ runs: { id: string }[] }>('GET', `/api/runs?playbook=${key}${query}`, { token: tokens[user] })).body.runs.map((r) => r.id);
    expect(await runsOf('kim')).toEqual([otherAttemptId]);
    expect(await runsOf('kim', `&customerId=${customerId}`)).toEqual([]);
    expect(await runsOf('rita')).toEqual([attemptId]);
    expect((await runsOf('aude')).sort()).toEqual([attemptId, otherAttemptId].sort());
    const customersOf = async (user: string) =>
      (await product.api<{ customers: { id: string }[] }>('GET', '/api/customers', { token: tokens[user] })).body.customers.map((c) => c.id);
    const kims = await customersOf('kim');
    expect(kims).toContain(otherCustomerId);
    expect(kims).not.toContain(customerId);
    expect(await customersOf('hana')).not.toContain(otherCustomerId);
  });

  it('a run cannot be started or triggered for a customer of another department', async () => {
    const fresh = await newCustomer(product.pool, { department: 'after_sales' });
    expect(await status('kim', 'POST', '/api/runs', { playbookKey: key, customerId: fresh })).toBe(404);
    expect(await status('karl', 'POST', '/api/triggers', { key: 'departments.test', customerId: fresh })).toBe(404);
    expect((await product.pool.query('SELECT 1 FROM recovery_attempts WHERE customer_id = $1', [fresh])).rowCount).toBe(0);
  });

  it('tasks of another department are out of reach on every task route', async () => {
    const routes: [string, string, string, unknown][] = [
      ['kim', 'GET', `/api/tasks/${taskId}`, undefined],
      ['kim', 'POST', `/api/tasks/${taskId}/claim`, undefined],
      ['kim', 'POST', `/api/tasks/${taskId}/unclaim`, undefined],
      ['kim', 'POST', `/api/tasks/${taskId}/notes`, { body: 'not mine' }],
      ['kim', 'POST', `/api/tasks/${taskId}/snooze`, { until: new Date(Date.now() + 86_400_000).toISOString() }],
      ['kim', 'POST', `/api/tasks/${taskId}/complete`, { outcome: 'reached' }],
      ['karl', 'POST', `/api/tasks/${taskId}/reassign`, { userId: null, reason: 'not mine' }],
      ['karl', 'POST', `/api/tasks/${taskId}/complete`, { outcome: 'reached' }],
    ];
    for (const [user, method, path, body] of routes) {
      expect({ user, method, path, status: await status(user, method, path, body) }).toEqual({ user, method, path, status: 404 });
    }
    const task = await product.pool.query<{ status: string; claimed_by: string | null }>('SELECT status, claimed_by FROM tasks WHERE id = $1', [taskId]);
    expect(task.rows[0]).toEqual({ status: 'open', claimed_by: null });
  });

  it("the customer's department answers on the run and the workflow moves", async () => {
    expect(await status('rita', 'POST', `/api/tasks/${taskId}/complete`, { outcome: 'reached' })).toBe(200);
    expect(await status('rita', 'POST', `/api/runs/${attemptId}/responses`, { kind: 'accepted' })).toBe(202);
    await eventually(
      async () => (await product.pool.query("SELECT 1 FROM recovery_attempts WHERE id = $1 AND outcome = 'won_back'", [attemptId])).rowCount,
      20_000,
      'the run to end won back',
    );
  });
});
