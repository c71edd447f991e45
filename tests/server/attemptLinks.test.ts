import { randomUUID } from 'node:crypto';
import type { AttemptDetail } from '../../contract/attempts';
import type { OperateAttempt } from '../../contract/operate';
import type { PlaybookGraph } from '../../playbooks/graph';
import { eventually, newCustomer, startProduct, terminateRunningAttempts, type Product } from '../support/product';

/**
 * The attempt page links to the attempt's run in Temporal's web UI: `GET /api/attempts/:id` gives
 * the link (`temporalUrl`), the same one the operator's list gives for that attempt, naming the
 * attempt's own workflow in the namespace the API works in.
 */
const at = { x: 0, y: 0 };
const graph: PlaybookGraph = {
  nodes: [
    { id: 'start', kind: 'start', position: at, config: {} },
    {
      id: 'call',
      kind: 'task',
      name: 'Call back',
      position: at,
      config: { title: 'Call the customer back', assignee: { type: 'role', role: 'rep' }, outcomes: [{ key: 'done', label: 'Done' }] },
    },
    { id: 'end', kind: 'end', position: at, config: { outcome: 'retained' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'call' },
    { id: 'e2', source: 'call', sourceHandle: 'done', target: 'end' },
  ],
};

describe('attempt links', () => {
  let product: Product;
  let ops: string, rita: string, aude: string;
  const key = `attempt-links-${randomUUID().slice(0, 8)}`;
  let attempt: { id: string; workflowId: string };

  beforeAll(async () => {
    product = await startProduct();
    [ops, rita, aude] = await Promise.all(['olga', 'rita', 'aude'].map((u) => product.login(u)));
    expect((await product.api('PUT', `/api/playbooks/${key}/draft`, { token: ops, body: { name: 'Attempt links', graph } })).status).toBe(200);
    expect((await product.api('POST', `/api/playbooks/${key}/publish`, { token: ops })).status).toBe(201);
    const customerId = await newCustomer(product.pool, { department: 'after_sales' });
    const started = await product.api<{ id: string; workflowId: string }>('POST', '/api/attempts', { token: rita, body: { playbookKey: key, customerId } });
    expect(started.status).toBe(201);
    attempt = started.body;
    // The operator's list reads what the worker stored; wait until the attempt sleeps on its task.
    await eventually(
      async () => (await product.pool.query("SELECT 1 FROM tasks WHERE attempt_id = $1 AND status = 'open'", [attempt.id])).rowCount,
      20_000,
      'the call task',
    );
  });
  afterAll(async () => {
    await terminateRunningAttempts(product, key);
    await product?.stop();
  });

  it("gives the attempt's Temporal UI run link, for the attempt's own workflow", async () => {
    const res = await product.api<AttemptDetail>('GET', `/api/attempts/${attempt.id}`, { token: rita });
    expect(res.status).toBe(200);
    // The suite runs the embedded default: Temporal's UI on its default port, namespace `default`.
    expect(res.body.temporalUrl).toBe(`http://127.0.0.1:8233/namespaces/default/workflows/${encodeURIComponent(attempt.workflowId)}`);
    expect(res.body.workflowId).toBe(attempt.workflowId);
  });

  it('is the link the operator list gives for the same attempt, and the old /api/runs path gives it too', async () => {
    const detail = await product.api<AttemptDetail>('GET', `/api/attempts/${attempt.id}`, { token: aude });
    const list = await product.api<{ attempts: OperateAttempt[] }>('GET', `/api/operate/attempts?playbook=${key}`, { token: ops });
    expect(list.status).toBe(200);
    const listed = list.body.attempts.find((a) => a.id === attempt.id);
    expect(listed?.temporalUrl).toBeTruthy();
    expect(detail.body.temporalUrl).toBe(listed?.temporalUrl);
    const alias = await product.api<AttemptDetail>('GET', `/api/runs/${attempt.id}`, { token: aude });
    expect(alias.status).toBe(200);
    expect(alias.body.temporalUrl).toBe(listed?.temporalUrl);
  });

  it('is given only with the attempt: one out of reach is a 404 with no link', async () => {
    const kim = await product.login('kim');
    const res = await product.api<{ error: { code: string }; temporalUrl?: unknown }>('GET', `/api/attempts/${attempt.id}`, { token: kim });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    expect(res.body.temporalUrl).toBeUndefined();
  });
});
