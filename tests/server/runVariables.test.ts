import type { PlaybookGraph } from '../../playbooks/graph';
import { eventually, newCustomer, startProduct, type Product } from '../support/product';

/**
 * Through the real API and workflow: run variables cannot shadow system names (400 with the
 * path at POST /api/runs and POST /api/triggers), and decisions read the customer file's own
 * fields (status, churn type and reason), which the API puts into the run's customer snapshot.
 */
const at = { x: 0, y: 0 };
const trigger = `run-variables.${Date.now().toString(36)}`;
const graph: PlaybookGraph = {
  nodes: [
    { id: 'start', kind: 'start', position: at, config: { trigger: 'event', triggerKey: trigger } },
    {
      id: 'd',
      kind: 'decision',
      position: at,
      config: {
        rules: [
          { handle: 'vip', when: { var: 'customer.value', op: 'gte', value: 100000 } },
          {
            handle: 'faulty',
            when: {
              all: [
                { var: 'customer.churnType', op: 'eq', value: 'fault' },
                { var: 'customer.churnReason', op: 'eq', value: 'C' },
                { var: 'customer.status', op: 'eq', value: 'pre_churn' },
              ],
            },
          },
        ],
      },
    },
    { id: 'vip', kind: 'end', position: at, config: { outcome: 'won_back' } },
    { id: 'faulty', kind: 'end', position: at, config: { outcome: 'resolved' } },
    { id: 'plain', kind: 'end', position: at, config: { outcome: 'closed' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'd' },
    { id: 'e2', source: 'd', sourceHandle: 'vip', target: 'vip' },
    { id: 'e3', source: 'd', sourceHandle: 'faulty', target: 'faulty' },
    { id: 'e4', source: 'd', sourceHandle: 'default', target: 'plain' },
  ],
};

describe('run variables and the customer file', () => {
  let product: Product;
  let ops: string;
  const key = `run-variables-${Date.now().toString(36)}`;

  beforeAll(async () => {
    product = await startProduct();
    ops = await product.login('olga');
    expect((await product.api('PUT', `/api/playbooks/${key}/draft`, { token: ops, body: { name: 'Run variables', graph } })).status).toBe(200);
    expect((await product.api('POST', `/api/playbooks/${key}/publish`, { token: ops })).status).toBe(201);
  });
  afterAll(() => product.stop());

  const outcomeOf = (attemptId: string) =>
    eventually(
      async () =>
        (await product.pool.query<{ outcome: string }>("SELECT outcome FROM recovery_attempts WHERE id = $1 AND status = 'completed'", [attemptId])).rows[0]
          ?.outcome,
      20_000,
      'the run to end',
    );

  it('refuses system names as run variables, with the path, at both doors', async () => {
    const customerId = await newCustomer(product.pool, { value: 1000 });
    for (const name of ['customer.value', 'visits.call', 'responses.accepted', 'offer.tier']) {
      for (const [path, body] of [
        ['/api/runs', { playbookKey: key, customerId }],
        ['/api/triggers', { key: trigger, customerId }],
      ] as const) {
        const res = await product.api<{ error: { details: { problems: { path: string[] }[] } } }>('POST', path, {
          token: ops,
          body: { ...body, variables: { [name]: 999999 } },
        });
        expect({ name, path, status: res.status, paths: res.body.error?.details.problems.map((p) => p.path) }).toEqual({
          name,
          path,
          status: 400,
          paths: [['variables', name]],
        });
      }
    }
    expect((await product.pool.query('SELECT 1 FROM recovery_attempts WHERE customer_id = $1', [customerId])).rowCount).toBe(0);
  });

  it("decisions read the customer file's status, churn type and reason", async () => {
    const customerId = await newCustomer(product.pool, { value: 1000 });
    await product.pool.query("UPDATE customers SET status = 'pre_churn', churn_type = 'fault', churn_reason = 'C' WHERE id = $1", [customerId]);
    const started = await product.api<{ id: string }>('POST', '/api/runs', { token: ops, body: { playbookKey: key, customerId } });
    expect(started.status).toBe(201);
    expect(await outcomeOf(started.body.id)).toBe('resolved');
    const plain = await newCustomer(product.pool, { value: 1000 });
    const other = await product.api<{ id: string }>('POST', '/api/runs', {
      token: ops,
      body: { playbookKey: key, customerId: plain, variables: { segment: 'x' } },
    });
    expect(await outcomeOf(other.body.id)).toBe('closed');
  });

  it('a task SLA out of range cannot be published: 422 with the path, and no run ever gets it', async () => {
    const slaKey = `${key}-sla`;
    const sla = {
      nodes: [
        { id: 'start', kind: 'start', position: at, config: {} },
        {
          id: 'call',
          kind: 'task',
          position: at,
          config: { title: 'Call', assignee: { type: 'role', role: 'rep' }, outcomes: [{ key: 'done', label: 'Done' }], sla: 'P100000W' },
        },
        { id: 'end', kind: 'end', position: at, config: { outcome: 'closed' } },
      ],
      edges: [
        { id: 'e1', source: 'start', sourceHandle: 'next', target: 'call' },
        { id: 'e2', source: 'call', sourceHandle: 'done', target: 'end' },
      ],
    };
    const saved = await product.api<{ problems: { path: (string | number)[] }[] }>('PUT', `/api/playbooks/${slaKey}/draft`, {
      token: ops,
      body: { name: 'Long SLA', graph: sla },
    });
    expect(saved.body.problems.map((p) => p.path.join('.'))).toContain('nodes.1.config.sla');
    const published = await product.api<{ error: { details: { problems: { path: (string | number)[] }[] } } }>('POST', `/api/playbooks/${slaKey}/publish`, {
      token: ops,
    });
    expect({ status: published.status, paths: published.body.error?.details.problems.map((p) => p.path.join('.')) }).toEqual({
      status: 422,
      paths: expect.arrayContaining(['nodes.1.config.sla']),
    });
  });
});
