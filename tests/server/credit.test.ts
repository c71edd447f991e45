import { randomUUID } from 'node:crypto';
import type { PlaybookGraph } from '../../playbooks/graph';
import type { Command } from '../../playbooks/runtime/types';
import { inTransaction } from '../../platform/db/pool';
import { applyEffect } from '../../workers/effects';
import { eventually, newCustomer, startProduct, terminateRunningAttempts, type Product } from '../support/product';

/**
 * Credit management for malicious churn through the real API and workflow: a typed start variable
 * refuses a churn type not on its list (400 with the path at both doors), a credit check's form
 * goes into the customer's credit file, a decision branches on credit.rating, and the file is read
 * at GET /api/customers/:id/credit within department reach.
 */
const at = { x: 0, y: 0 };
const trigger = `credit.${Date.now().toString(36)}`;
const graph: PlaybookGraph = {
  nodes: [
    {
      id: 'start',
      kind: 'start',
      position: at,
      config: {
        trigger: 'event',
        triggerKey: trigger,
        variables: [{ key: 'churn_type', type: 'string', required: true, values: ['natural', 'malicious', 'competitive', 'fault'] }],
      },
    },
    { id: 'check', kind: 'credit_check', position: at, config: { role: 'rep' } },
    { id: 'rating', kind: 'decision', position: at, config: { rules: [{ handle: 'poor', when: { var: 'credit.rating', op: 'eq', value: 'poor' } }] } },
    { id: 'hold', kind: 'end', position: at, config: { outcome: 'lost', reason: 'credit hold' } },
    { id: 'fine', kind: 'end', position: at, config: { outcome: 'closed' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'check' },
    { id: 'e2', source: 'check', sourceHandle: 'checked', target: 'rating' },
    { id: 'e3', source: 'rating', sourceHandle: 'poor', target: 'hold' },
    { id: 'e4', source: 'rating', sourceHandle: 'default', target: 'fine' },
  ],
};

interface CreditBody {
  customerId: string;
  rating: string | null;
  outstandingBalance: number | null;
  checks: {
    rating: string;
    outstandingBalance: number;
    notes: string | null;
    checkedBy: string | null;
    checkedByName: string | null;
    attemptId: string | null;
  }[];
}

describe('the credit file', () => {
  let product: Product;
  let ops: string;
  let rita: string;
  const key = `credit-${Date.now().toString(36)}`;

  beforeAll(async () => {
    product = await startProduct();
    ops = await product.login('olga');
    rita = await product.login('rita');
    expect((await product.api('PUT', `/api/playbooks/${key}/draft`, { token: ops, body: { name: 'Credit check', graph } })).status).toBe(200);
    expect((await product.api('POST', `/api/playbooks/${key}/publish`, { token: ops })).status).toBe(201);
  });
  afterAll(async () => {
    await terminateRunningAttempts(product, key);
    await product.stop();
  });

  const outcomeOf = (attemptId: string) =>
    eventually(
      async () =>
        (await product.pool.query<{ outcome: string }>("SELECT outcome FROM recovery_attempts WHERE id = $1 AND status = 'completed'", [attemptId])).rows[0]
          ?.outcome,
      20_000,
      'the run to end',
    );

  it('a churn type not on the start variable’s list is refused with its path at both doors, and no run starts', async () => {
    const customerId = await newCustomer(product.pool);
    for (const [path, body] of [
      ['/api/runs', { playbookKey: key, customerId }],
      ['/api/triggers', { key: trigger, customerId }],
    ] as const) {
      for (const [churnType, code] of [
        ['bogus', 'variable_value'],
        [7, 'variable_type'],
      ] as const) {
        const res = await product.api<{ error: { details: { problems: { path: string[]; code: string }[] } } }>('POST', path, {
          token: ops,
          body: { ...body, variables: { churn_type: churnType } },
        });
        expect({ path, status: res.status, problems: res.body.error?.details.problems.map((p) => [p.code, p.path]) }).toEqual({
          path,
          status: 400,
          problems: [[code, ['variables', 'churn_type']]],
        });
      }
    }
    expect((await product.pool.query('SELECT 1 FROM recovery_attempts WHERE customer_id = $1', [customerId])).rowCount).toBe(0);
  });

  it('the credit check writes the file, the decision reads credit.rating, and the file is read within reach', async () => {
    const customerId = await newCustomer(product.pool, { department: 'after_sales' });
    const empty = await product.api<CreditBody>('GET', `/api/customers/${customerId}/credit`, { token: rita });
    expect(empty).toMatchObject({ status: 200, body: { customerId, rating: null, outstandingBalance: null, checks: [] } });

    const started = await product.api<{ id: string }>('POST', '/api/runs', {
      token: ops,
      body: { playbookKey: key, customerId, variables: { churn_type: 'malicious' } },
    });
    expect(started.status).toBe(201);
    const task = await eventually(
      async () =>
        (await product.pool.query<{ id: string }>("SELECT id FROM tasks WHERE attempt_id = $1 AND node_id = 'check' AND status = 'open'", [started.body.id]))
          .rows[0],
      20_000,
      'the credit check task',
    );
    // The form is typed: a rating not on the list is refused.
    const wrong = await product.api('POST', `/api/tasks/${task.id}/complete`, {
      token: rita,
      body: { outcome: 'checked', form: { credit_rating: 'excellent', outstanding_balance: 10 } },
    });
    expect(wrong.status).toBe(400);
    const done = await product.api('POST', `/api/tasks/${task.id}/complete`, {
      token: rita,
      body: { outcome: 'checked', form: { credit_rating: 'poor', outstanding_balance: 4200.5, credit_notes: 'three invoices unpaid since March' } },
    });
    expect(done.status).toBe(200);
    expect(await outcomeOf(started.body.id)).toBe('lost');

    const file = await product.api<CreditBody>('GET', `/api/customers/${customerId}/credit`, { token: rita });
    expect(file.status).toBe(200);
    expect(file.body).toMatchObject({
      customerId,
      rating: 'poor',
      outstandingBalance: 4200.5,
      checks: [
        {
          rating: 'poor',
          outstandingBalance: 4200.5,
          notes: 'three invoices unpaid since March',
          checkedBy: 'u-rita',
          checkedByName: expect.any(String),
          attemptId: started.body.id,
        },
      ],
    });
    // The person who checked is audited with the change.
    const audit = await product.pool.query("SELECT actor_id FROM audit_log WHERE action = 'credit_file_updated' AND attempt_id = $1", [started.body.id]);
    expect(audit.rows).toEqual([{ actor_id: 'u-rita' }]);

    // Auditors read every department; a rep of another department does not see the customer at all.
    expect((await product.api('GET', `/api/customers/${customerId}/credit`, { token: await product.login('aude') })).status).toBe(200);
    expect((await product.api('GET', `/api/customers/${customerId}/credit`, { token: await product.login('kim') })).status).toBe(404);
    expect((await product.api('GET', '/api/customers/NOBODY/credit', { token: ops })).status).toBe(404);
    expect((await product.api('GET', `/api/customers/${customerId}/credit`)).status).toBe(401);
  });

  it('the effect is idempotent: the same check applied twice is one row in the history and one audit row', async () => {
    const customerId = await newCustomer(product.pool);
    const attempt = await product.pool.query<{ id: string }>(
      `INSERT INTO recovery_attempts (id, customer_id, playbook_key, playbook_version, workflow_id, started_by, status)
       VALUES ($1, $2, $3, 1, $4, 'u-olga', 'completed') RETURNING id`,
      [randomUUID(), customerId, key, `recovery/${customerId}/${key}`],
    );
    const identity = {
      attemptId: attempt.rows[0].id,
      workflowId: `recovery/${customerId}/${key}`,
      customerId,
      playbookKey: key,
      playbookVersion: 1,
      startedBy: 'u-olga',
    };
    const command: Command = {
      type: 'record_credit_check',
      checkKey: 'credit-3',
      nodeId: 'check',
      rating: 'fair',
      outstandingBalance: 120,
      notes: null,
      checkedBy: 'u-rita',
      checkedAt: Date.now(),
    };
    for (let i = 0; i < 2; i++)
      await inTransaction(product.pool, (client) => applyEffect({ client, attempt: identity, variables: {}, linkSecret: 'x', publicUrl: 'http://x' }, command));
    const file = await product.api<CreditBody>('GET', `/api/customers/${customerId}/credit`, { token: ops });
    expect(file.body).toMatchObject({ rating: 'fair', outstandingBalance: 120 });
    expect(file.body.checks).toHaveLength(1);
    expect((await product.pool.query("SELECT 1 FROM audit_log WHERE action = 'credit_file_updated' AND attempt_id = $1", [identity.attemptId])).rowCount).toBe(
      1,
    );
  });
});
