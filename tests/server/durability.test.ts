import { randomUUID } from 'node:crypto';
import type { PlaybookGraph } from '../../playbooks/graph';
import { customerResponseSignal } from '../../workflows/contract';
import { startPostgresAgain, stopPostgres } from '../support/postgresControl';
import { eventually, newCustomer, startProduct, type Product } from '../support/product';

const at = { x: 0, y: 0 };
const graph: PlaybookGraph = {
  nodes: [
    { id: 'start', kind: 'start', position: at, config: {} },
    { id: 'wait', kind: 'wait_response', position: at, config: { kinds: ['accepted', 'declined'], timeout: 'P7D' } },
    {
      id: 'thank',
      kind: 'notify',
      position: at,
      config: { channel: 'sms', to: { kind: 'customer' }, template: 'reminder', vars: { reminder_text: 'thank you' } },
    },
    { id: 'won', kind: 'end', position: at, config: { outcome: 'won_back' } },
    { id: 'lost', kind: 'end', position: at, config: { outcome: 'lost' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'wait' },
    { id: 'e2', source: 'wait', sourceHandle: 'accepted', target: 'thank' },
    { id: 'e3', source: 'thank', sourceHandle: 'next', target: 'won' },
    { id: 'e4', source: 'wait', sourceHandle: 'declined', target: 'lost' },
    { id: 'e5', source: 'wait', sourceHandle: 'no_response', target: 'lost' },
  ],
};

describe('durability', () => {
  let product: Product;
  beforeAll(async () => {
    product = await startProduct();
  });
  afterAll(() => product.stop());

  it('PostgreSQL restarting while a run moves on loses nothing and applies nothing twice', async () => {
    const ops = await product.login('olga');
    const key = `durable-${randomUUID().slice(0, 8)}`;
    await product.api('PUT', `/api/playbooks/${key}/draft`, { token: ops, body: { name: key, graph } });
    await product.api('POST', `/api/playbooks/${key}/publish`, { token: ops });
    const started = await product.api<{ id: string; workflowId: string }>('POST', '/api/runs', {
      token: ops,
      body: { playbookKey: key, customerId: await newCustomer(product.pool) },
    });
    const attemptId = started.body.id;
    await eventually(
      async () => (await product.pool.query('SELECT last_transition FROM recovery_attempts WHERE id = $1', [attemptId])).rows[0]?.last_transition >= 1,
      20_000,
      'the first transition',
    );

    await stopPostgres();
    try {
      // The API answers, clearly, instead of crashing.
      const during = await product.api<{ error: { code: string } }>('GET', '/api/inbox', { token: ops });
      expect(during.status).toBe(503);
      expect(during.body.error.code).toBe('unavailable');
      // The customer answers while the database is down: Temporal holds the answer, the activity retries.
      await product.temporal.workflow
        .getHandle(started.body.workflowId)
        .signal(customerResponseSignal, { responseId: 'r1', kind: 'accepted', channel: 'phone', note: null, actor: null });
      await new Promise((r) => setTimeout(r, 2000));
    } finally {
      await startPostgresAgain();
    }

    const row = await eventually(
      async () =>
        (
          await product.pool
            .query("SELECT status, outcome FROM recovery_attempts WHERE id = $1 AND status = 'completed'", [attemptId])
            .catch(() => ({ rows: [] }))
        ).rows[0],
      60_000,
      'the run to complete after the restart',
    );
    expect(row).toEqual({ status: 'completed', outcome: 'won_back' });
    const messages = await product.pool.query('SELECT count(*)::int AS n FROM outbox_messages WHERE attempt_id = $1', [attemptId]);
    expect(messages.rows[0].n).toBe(1);
    const contacts = await product.pool.query("SELECT count(*)::int AS n FROM contacts WHERE attempt_id = $1 AND kind = 'answer'", [attemptId]);
    expect(contacts.rows[0].n).toBe(1);
    expect((await product.api('GET', '/healthz')).status).toBe(200);
  });
});
