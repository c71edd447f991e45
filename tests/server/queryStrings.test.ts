import type { PlaybookGraph } from '../../playbooks/graph';
import { encodeCursor } from '../../server/inbox/query';
import { eventually, newCustomer, startProduct, type Product, terminateRunningAttempts } from '../support/product';

/**
 * Query strings are validated like bodies: unknown parameters and non-string shapes are a 400 with
 * the parameter's path, NUL and forged cursors a 400 (not a 500), and `%` / `_` in searches match
 * themselves. Real API and PostgreSQL.
 */
const at = { x: 0, y: 0 };
const graph: PlaybookGraph = {
  nodes: [
    { id: 'start', kind: 'start', position: at, config: {} },
    {
      id: 'call',
      kind: 'task',
      position: at,
      config: { title: 'Query call', assignee: { type: 'role', role: 'rep' }, outcomes: [{ key: 'done', label: 'Done' }] },
    },
    { id: 'end', kind: 'end', position: at, config: { outcome: 'closed' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'call' },
    { id: 'e2', source: 'call', sourceHandle: 'done', target: 'end' },
  ],
};

describe('query strings', () => {
  let product: Product;
  let ops: string;
  let rep: string;
  const suffix = Date.now().toString(36);
  const key = `query-strings-${suffix}`;
  const attempts: string[] = [];

  beforeAll(async () => {
    product = await startProduct();
    ops = await product.login('olga');
    rep = await product.login('rita');
    expect((await product.api('PUT', `/api/playbooks/${key}/draft`, { token: ops, body: { name: 'Query strings', graph } })).status).toBe(200);
    expect((await product.api('POST', `/api/playbooks/${key}/publish`, { token: ops })).status).toBe(201);
    // Two customers whose names differ exactly where a wildcard would blur them.
    for (const name of [`Garage 10% ${suffix}`, `Garage 100 ${suffix}`, `Garage a_b ${suffix}`, `Garage axb ${suffix}`]) {
      const id = await newCustomer(product.pool);
      await product.pool.query('UPDATE customers SET name = $2 WHERE id = $1', [id, name]);
      const started = await product.api<{ id: string }>('POST', '/api/runs', { token: ops, body: { playbookKey: key, customerId: id } });
      attempts.push(started.body.id);
    }
    await eventually(
      async () => (await product.pool.query("SELECT 1 FROM tasks WHERE attempt_id = ANY($1) AND status = 'open'", [attempts])).rowCount === attempts.length,
      20_000,
      'the tasks',
    );
  });

  afterAll(async () => {
    if (!product) return;
    await terminateRunningAttempts(product, key);
    await product.stop();
  });

  const get = (path: string, token = ops) =>
    product.api<{ error?: { code: string; details?: { problems: { path: string[] }[] } }; runs?: unknown[] }>('GET', path, { token });
  const problemPaths = async (path: string, token = ops) => {
    const res = await get(path, token);
    return { status: res.status, paths: res.body.error?.details?.problems.map((p) => p.path.join('.')) };
  };

  it('a filter in an object shape is refused, not ignored (customerId[$ne]=x returned every run)', async () => {
    expect(await problemPaths('/api/runs?customerId[$ne]=x')).toEqual({ status: 400, paths: ['query.customerId[$ne]'] });
    expect(await problemPaths('/api/runs?customerId=a&customerId=b')).toEqual({ status: 400, paths: ['query.customerId'] });
  });

  it('unknown parameters are refused, also on routes that take none', async () => {
    expect(await problemPaths('/api/runs?customer=x')).toEqual({ status: 400, paths: ['query.customer'] });
    expect(await problemPaths('/api/inbox?view=mine&colour=red', rep)).toEqual({ status: 400, paths: ['query.colour'] });
    expect(await problemPaths(`/api/runs/${attempts[0]}?x=1`)).toEqual({ status: 400, paths: ['query.x'] });
    expect(await problemPaths('/api/customers?sort=name')).toEqual({ status: 400, paths: ['query.sort'] });
  });

  it('NUL in a filter is a 400, not a 500', async () => {
    expect(await problemPaths('/api/inbox?playbook=a%00b', rep)).toEqual({ status: 400, paths: ['query.playbook'] });
    expect(await problemPaths('/api/runs?customerId=%00')).toEqual({ status: 400, paths: ['query.customerId'] });
    expect(await problemPaths('/api/audit?actor=u%00')).toEqual({ status: 400, paths: ['query.actor'] });
  });

  it('a cursor with values of the wrong type is a 400, not a 500', async () => {
    for (const [sort, values] of [
      ['due', ['not a time', 'not a uuid']],
      ['due', ['2025-02-30 10:00:00+00', '00000000-0000-4000-8000-000000000000']],
      ['created', ['2025-01-01 10:00:00+00', 'x']],
      ['priority', ['urgent', 'infinity', '00000000-0000-4000-8000-000000000000']],
      ['due', [1, 2]],
    ] as const) {
      const res = await get(`/api/inbox?sort=${sort}&cursor=${encodeCursor([...values])}`, rep);
      expect({ sort, values, status: res.status, code: res.body.error?.code }).toEqual({ sort, values, status: 400, code: 'invalid_request' });
    }
    // A real cursor still pages.
    const page = await product.api<{ nextCursor: string | null }>('GET', `/api/inbox?playbook=${key}&limit=1`, { token: rep });
    expect(page.body.nextCursor).not.toBeNull();
    expect((await get(`/api/inbox?playbook=${key}&limit=1&cursor=${page.body.nextCursor}`, rep)).status).toBe(200);
  });

  it('dates that are not on the calendar are a 400', async () => {
    expect(await problemPaths('/api/runs?from=2025-02-30T00:00:00Z')).toEqual({ status: 400, paths: ['query.from'] });
    expect(await problemPaths('/api/audit?to=0000-01-01T00:00:00Z')).toEqual({ status: 400, paths: ['query.to'] });
  });

  it('% and _ in a search are literals', async () => {
    const inbox = async (q: string) =>
      (await product.api<{ tasks: { customerName: string }[] }>('GET', `/api/inbox?playbook=${key}&q=${encodeURIComponent(q)}`, { token: rep })).body.tasks.map(
        (t) => t.customerName,
      );
    expect(await inbox('10%')).toEqual([`Garage 10% ${suffix}`]);
    expect(await inbox('a_b')).toEqual([`Garage a_b ${suffix}`]);
    const customers = async (q: string) =>
      (await product.api<{ customers: { name: string }[] }>('GET', `/api/customers?q=${encodeURIComponent(q)}`, { token: ops })).body.customers.map(
        (c) => c.name,
      );
    expect(await customers(`a_b ${suffix}`)).toEqual([`Garage a_b ${suffix}`]);
    expect(await customers(`10% ${suffix}`)).toEqual([`Garage 10% ${suffix}`]);
  });
});
