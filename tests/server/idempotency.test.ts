import { createHash, randomUUID } from 'node:crypto';
import type { PlaybookGraph } from '../../playbooks/graph';
import { completeTaskUpdate } from '../../workflows/contract';
import { eventually, newCustomer, startProduct, type Product } from '../support/product';

const at = { x: 0, y: 0 };
/** A call-back task, then an answer wait: one completion and one customer answer per attempt. */
const graph: PlaybookGraph = {
  nodes: [
    { id: 'start', kind: 'start', position: at, config: {} },
    {
      id: 'call',
      kind: 'task',
      position: at,
      config: {
        title: 'Call the customer',
        assignee: { type: 'role', role: 'rep', department: 'customer' },
        outcomes: [
          { key: 'reached', label: 'Reached' },
          { key: 'unreachable', label: 'Unreachable' },
        ],
      },
    },
    { id: 'wait', kind: 'wait_response', position: at, config: { kinds: ['accepted', 'declined'], timeout: 'P7D' } },
    { id: 'won', kind: 'end', position: at, config: { outcome: 'won_back' } },
    { id: 'lost', kind: 'end', position: at, config: { outcome: 'lost' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'call' },
    { id: 'e2', source: 'call', sourceHandle: 'reached', target: 'wait' },
    { id: 'e3', source: 'call', sourceHandle: 'unreachable', target: 'lost' },
    { id: 'e4', source: 'wait', sourceHandle: 'accepted', target: 'won' },
    { id: 'e5', source: 'wait', sourceHandle: 'declined', target: 'lost' },
    { id: 'e6', source: 'wait', sourceHandle: 'no_response', target: 'lost' },
  ],
};

describe('Idempotency-Key and audit rows written with their effect', () => {
  let product: Product;
  let ops: string;
  let rep: string;
  const key = `idem-${Date.now().toString(36)}`;

  beforeAll(async () => {
    product = await startProduct();
    ops = await product.login('olga');
    rep = await product.login('rita');
    expect((await product.api('PUT', `/api/playbooks/${key}/draft`, { token: ops, body: { name: key, graph } })).status).toBe(200);
    expect((await product.api('POST', `/api/playbooks/${key}/publish`, { token: ops })).status).toBe(201);
  });
  afterAll(() => product.stop());

  const idem = (k: string) => ({ 'idempotency-key': k });
  const auditCount = async (attemptId: string, action: string) =>
    (await product.pool.query('SELECT count(*)::int AS n FROM audit_log WHERE attempt_id = $1 AND action = $2', [attemptId, action])).rows[0].n as number;
  const openTask = (attemptId: string) =>
    eventually(
      async () => (await product.pool.query("SELECT id, task_key, workflow_id FROM tasks WHERE attempt_id = $1 AND status = 'open'", [attemptId])).rows[0],
      20_000,
      'the call-back task',
    );

  it('a repeated start returns the first result, never 409, and starts one attempt', async () => {
    const customerId = await newCustomer(product.pool);
    const k = randomUUID();
    const body = { playbookKey: key, customerId };
    const [a, b] = await Promise.all([
      product.api('POST', '/api/runs', { token: ops, body, headers: idem(k) }),
      product.api('POST', '/api/runs', { token: ops, body, headers: idem(k) }),
    ]);
    const c = await product.api('POST', '/api/runs', { token: ops, body, headers: idem(k) });
    expect([a.status, b.status, c.status]).toEqual([201, 201, 201]);
    expect(b.body).toEqual(a.body);
    expect(c.body).toEqual(a.body);
    expect(c.headers.get('idempotent-replayed')).toBe('true');
    const attempts = await product.pool.query('SELECT id FROM recovery_attempts WHERE customer_id = $1', [customerId]);
    expect(attempts.rows.map((r) => r.id)).toEqual([a.body.id]);
    await eventually(async () => (await auditCount(String(a.body.id), 'run_started')) === 1, 20_000, 'one run_started audit row');
    // Without a key, a second start while the first runs is still refused.
    expect((await product.api('POST', '/api/runs', { token: ops, body })).status).toBe(409);
  });

  it('a repeated completion returns the first result (200, same body), concurrent repeats apply it once', async () => {
    const customerId = await newCustomer(product.pool);
    const started = await product.api<{ id: string }>('POST', '/api/runs', { token: ops, body: { playbookKey: key, customerId } });
    const task = await openTask(started.body.id);
    const k = randomUUID();
    const body = { outcome: 'reached', form: {} };
    const [first, second] = await Promise.all([
      product.api('POST', `/api/tasks/${task.id}/complete`, { token: rep, body, headers: idem(k) }),
      product.api('POST', `/api/tasks/${task.id}/complete`, { token: rep, body, headers: idem(k) }),
    ]);
    const third = await product.api('POST', `/api/tasks/${task.id}/complete`, { token: rep, body, headers: idem(k) });
    expect([first.status, second.status, third.status]).toEqual([200, 200, 200]);
    expect(second.body).toEqual(first.body);
    expect(third.body).toEqual(first.body);
    expect(await auditCount(started.body.id, 'task_completed')).toBe(1);
    // The same key for a different request is refused, with the path of the problem.
    const reused = await product.api<{ error: { code: string } }>('POST', `/api/tasks/${task.id}/complete`, {
      token: rep,
      body: { outcome: 'unreachable', form: {} },
      headers: idem(k),
    });
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('idempotency_key_reused');
    // A key that is not a UUID is a clear 400.
    const bad = await product.api<{ error: { details: { problems: { path: string[] }[] } } }>('POST', `/api/tasks/${task.id}/complete`, {
      token: rep,
      body,
      headers: idem('not-a-uuid'),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.problems[0].path).toEqual(['headers', 'Idempotency-Key']);
  });

  it('a completion applied while the API died before answering: the audit row is there, and the retry gets 200, not 409', async () => {
    const customerId = await newCustomer(product.pool);
    const started = await product.api<{ id: string }>('POST', '/api/runs', { token: ops, body: { playbookKey: key, customerId } });
    const task = await openTask(started.body.id);
    const me = (await product.api<{ user: { id: string; role: 'rep'; department: string } }>('GET', '/api/auth/me', { token: rep })).body.user;
    const k = randomUUID();
    // What the API does for a completion, up to the Update returning; then it "dies": no answer,
    // nothing written by the API, the key left in flight by a process that is gone.
    const body = { outcome: 'reached', form: {} };
    await product.pool.query(
      `INSERT INTO idempotency_keys (user_id, key, operation, request_hash, state, owner, updated_at) VALUES ($1, $2, $3, $4, 'in_flight', $5, now() - interval '1 hour')`,
      [me.id, k, `POST /api/tasks/${task.id}/complete`, createHash('sha256').update(JSON.stringify(body)).digest('hex'), randomUUID()],
    );
    await product.temporal.workflow.getHandle(task.workflow_id).executeUpdate(completeTaskUpdate, {
      updateId: `complete:${k}`,
      args: [{ taskKey: task.task_key, outcome: 'reached', form: {}, actor: { userId: me.id, role: me.role, department: me.department } }],
    });
    // The audit row was written with the completion itself, by the worker.
    const audit = await product.pool.query("SELECT actor_id FROM audit_log WHERE attempt_id = $1 AND action = 'task_completed'", [started.body.id]);
    expect(audit.rows).toEqual([{ actor_id: me.id }]);
    const retry = await product.api<{ task: { status: string; outcome: string } }>('POST', `/api/tasks/${task.id}/complete`, {
      token: rep,
      body,
      headers: idem(k),
    });
    expect(retry.status).toBe(200);
    expect(retry.body.task).toMatchObject({ status: 'completed', outcome: 'reached' });
    expect(await auditCount(started.body.id, 'task_completed')).toBe(1);
  });

  it('a repeated customer answer is recorded once, with its audit row, and answers 202 with the same body', async () => {
    const customerId = await newCustomer(product.pool);
    const started = await product.api<{ id: string }>('POST', '/api/runs', { token: ops, body: { playbookKey: key, customerId } });
    const task = await openTask(started.body.id);
    expect((await product.api('POST', `/api/tasks/${task.id}/complete`, { token: rep, body: { outcome: 'reached', form: {} } })).status).toBe(200);
    const k = randomUUID();
    const answer = { kind: 'accepted', channel: 'phone', note: 'yes, coming back' };
    const first = await product.api('POST', `/api/runs/${started.body.id}/responses`, { token: rep, body: answer, headers: idem(k) });
    const again = await product.api('POST', `/api/runs/${started.body.id}/responses`, { token: rep, body: answer, headers: idem(k) });
    expect([first.status, again.status]).toEqual([202, 202]);
    expect(again.body).toEqual(first.body);
    await eventually(
      async () => (await product.pool.query("SELECT 1 FROM recovery_attempts WHERE id = $1 AND status = 'completed'", [started.body.id])).rows[0],
      20_000,
      'the attempt to end',
    );
    const contacts = await product.pool.query("SELECT count(*)::int AS n FROM contacts WHERE attempt_id = $1 AND kind = 'answer'", [started.body.id]);
    expect(contacts.rows[0].n).toBe(1);
    expect(await auditCount(started.body.id, 'customer_response_recorded')).toBe(1);
  });
});
