import type { PlaybookGraph } from '../../playbooks/graph';
import { createLinkToken } from '../../platform/links';
import { OutboxDispatcher, type OutboundMessage } from '../../workers/outbox';
import pino from 'pino';
import { eventually, newCustomer, startProduct, type Product } from '../support/product';

const at = { x: 0, y: 0 };
const offerGraph: PlaybookGraph = {
  nodes: [
    { id: 'start', kind: 'start', position: at, config: {} },
    {
      id: 'ack',
      kind: 'notify',
      position: at,
      config: { channel: 'sms', to: { kind: 'customer' }, template: 'reminder', vars: { reminder_text: 'we miss you' } },
    },
    {
      id: 'offer',
      kind: 'offer',
      position: at,
      config: { tiers: [{ label: 'Tier 1', incentive: { type: 'percent', value: 5, description: '5% off labour' }, validity: 'P7D' }] },
    },
    { id: 'won', kind: 'update_customer', position: at, config: { status: 'won_back', addTags: ['won-back'] } },
    { id: 'end_won', kind: 'end', position: at, config: { outcome: 'won_back' } },
    { id: 'end_lost', kind: 'end', position: at, config: { outcome: 'lost' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'ack' },
    { id: 'e2', source: 'ack', sourceHandle: 'next', target: 'offer' },
    { id: 'e3', source: 'offer', sourceHandle: 'accepted', target: 'won' },
    { id: 'e4', source: 'won', sourceHandle: 'next', target: 'end_won' },
    { id: 'e5', source: 'offer', sourceHandle: 'exhausted', target: 'end_lost' },
  ],
};
const waitGraph: PlaybookGraph = {
  nodes: [
    { id: 'start', kind: 'start', position: at, config: {} },
    { id: 'wait', kind: 'wait_response', position: at, config: { kinds: ['accepted', 'declined'], timeout: 'P7D' } },
    { id: 'yes', kind: 'end', position: at, config: { outcome: 'won_back' } },
    { id: 'no', kind: 'end', position: at, config: { outcome: 'lost', reason: 'declined' } },
    { id: 'silent', kind: 'end', position: at, config: { outcome: 'lost', reason: 'no answer' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'wait' },
    { id: 'e2', source: 'wait', sourceHandle: 'accepted', target: 'yes' },
    { id: 'e3', source: 'wait', sourceHandle: 'declined', target: 'no' },
    { id: 'e4', source: 'wait', sourceHandle: 'no_response', target: 'silent' },
  ],
};

describe('customer responses', () => {
  let product: Product;
  let ops: string;
  const suffix = Date.now().toString(36);

  beforeAll(async () => {
    product = await startProduct();
    ops = await product.login('olga');
    for (const [key, graph] of [
      [`offer-${suffix}`, offerGraph],
      [`wait-${suffix}`, waitGraph],
    ] as const) {
      expect((await product.api('PUT', `/api/playbooks/${key}/draft`, { token: ops, body: { name: key, graph } })).status).toBe(200);
      expect((await product.api('POST', `/api/playbooks/${key}/publish`, { token: ops })).status).toBe(201);
    }
  });
  afterAll(() => product.stop());

  const start = async (key: string, customerId: string) => {
    const res = await product.api<{ id: string }>('POST', '/api/runs', { token: ops, body: { playbookKey: key, customerId } });
    expect(res.status).toBe(201);
    return res.body.id;
  };
  const attemptRow = (id: string) =>
    product.pool.query('SELECT status, outcome, outcome_reason FROM recovery_attempts WHERE id = $1', [id]).then((r) => r.rows[0]);

  it('a rep records the answer through the API and the run takes that branch', async () => {
    const rep = await product.login('rita');
    const id = await start(`wait-${suffix}`, await newCustomer(product.pool));
    await eventually(
      async () =>
        (await attemptRow(id))?.status === 'running' &&
        (await product.api<{ live: { activeSteps: unknown[] } | null }>('GET', `/api/runs/${id}`, { token: rep })).body.live?.activeSteps.length,
      20_000,
      'the wait step',
    );
    const bad = await product.api<{ error: { details: { problems: { path: string[] }[] } } }>('POST', `/api/runs/${id}/responses`, {
      token: rep,
      body: { kind: 'Yes!', channel: 'pigeon' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.problems.map((p) => p.path.join('.')).sort()).toEqual(['channel', 'kind']);
    const auditor = await product.login('aude');
    expect((await product.api('POST', `/api/runs/${id}/responses`, { token: auditor, body: { kind: 'declined' } })).status).toBe(403);

    const ok = await product.api('POST', `/api/runs/${id}/responses`, {
      token: rep,
      body: { kind: 'declined', channel: 'phone', note: 'found a cheaper garage', responseId: `r-${id}` },
    });
    expect(ok.status).toBe(202);
    const row = await eventually(
      async () => {
        const r = await attemptRow(id);
        return r?.status === 'completed' ? r : null;
      },
      20_000,
      'the run to end',
    );
    expect(row).toEqual({ status: 'completed', outcome: 'lost', outcome_reason: 'declined' });
    expect((await product.api<{ error: { code: string } }>('POST', `/api/runs/${id}/responses`, { token: rep, body: { kind: 'accepted' } })).status).toBe(409);
  });

  it('the customer answers through a signed one-time link; reused, forged and expired links change nothing', async () => {
    const customerId = await newCustomer(product.pool);
    const id = await start(`offer-${suffix}`, customerId);
    const message = await eventually(
      async () =>
        (await product.pool.query('SELECT link_url, body, channel FROM outbox_messages WHERE attempt_id = $1 AND link_url IS NOT NULL', [id])).rows[0],
      20_000,
      'the offer message',
    );
    expect(message.body).toContain('5% off labour');
    expect(message.body).toContain(message.link_url);
    const path = new URL(message.link_url).pathname;
    const offer = await product.pool.query('SELECT tier, status FROM offers WHERE attempt_id = $1', [id]);
    expect(offer.rows).toEqual([{ tier: 1, status: 'made' }]);

    const pageRes = await fetch(product.url + path);
    expect(pageRes.status).toBe(200);
    expect(await pageRes.text()).toContain('Accept the offer');

    const forged = path.slice(0, -3) + (path.endsWith('AAA') ? 'BBB' : 'AAA');
    expect(
      (await fetch(product.url + forged, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'answer=accepted' })).status,
    ).toBe(410);

    const answer = await fetch(product.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'answer=accepted',
    });
    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain('accepted');
    const row = await eventually(
      async () => {
        const r = await attemptRow(id);
        return r?.status === 'completed' ? r : null;
      },
      20_000,
      'the run to end',
    );
    expect(row.outcome).toBe('won_back');
    expect((await product.pool.query('SELECT status FROM offers WHERE attempt_id = $1', [id])).rows[0].status).toBe('accepted');
    const customer = await product.pool.query('SELECT status, tags FROM customers WHERE id = $1', [customerId]);
    expect(customer.rows[0]).toEqual({ status: 'won_back', tags: ['won-back'] });

    const reused = await fetch(product.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'answer=declined',
    });
    expect(reused.status).toBe(410);
    expect(await reused.text()).toContain('already answered');
    expect((await product.pool.query('SELECT answer FROM answer_links WHERE attempt_id = $1', [id])).rows[0].answer).toBe('accepted');
  });

  it('an expired link is refused', async () => {
    const id = await start(`offer-${suffix}`, await newCustomer(product.pool));
    const message = await eventually(
      async () => (await product.pool.query('SELECT link_url FROM outbox_messages WHERE attempt_id = $1 AND link_url IS NOT NULL', [id])).rows[0],
      20_000,
      'the offer message',
    );
    await product.pool.query("UPDATE answer_links SET expires_at = now() - interval '1 day' WHERE attempt_id = $1", [id]);
    const res = await fetch(message.link_url.replace(/^https?:\/\/[^/]+/, product.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'answer=accepted',
    });
    expect(res.status).toBe(410);
    expect(await res.text()).toContain('expired');
    const unsigned = createLinkToken('some-other-secret-entirely', { a: id, w: 'x', p: 'offer', r: 'offer-1', e: Date.now() + 1e6, m: 'm' });
    expect((await fetch(`${product.url}/r/${unsigned}`)).status).toBe(410);
  });

  it('the outbox hands each message to the transport once and retries failures', async () => {
    const id = await start(`offer-${suffix}`, await newCustomer(product.pool));
    await eventually(
      async () => (await product.pool.query('SELECT count(*)::int AS n FROM outbox_messages WHERE attempt_id = $1', [id])).rows[0].n === 2,
      20_000,
      'two messages',
    );
    const failing = new OutboxDispatcher(
      product.pool,
      {
        send: async () => {
          throw new Error('gateway down');
        },
      },
      pino({ level: 'silent' }),
    );
    await failing.dispatchOnce(1000);
    const afterFailure = await product.pool.query('SELECT status, attempts, last_error FROM outbox_messages WHERE attempt_id = $1', [id]);
    expect(afterFailure.rows.every((r) => r.status === 'pending' && r.attempts === 1 && r.last_error.includes('gateway down'))).toBe(true);

    const delivered: OutboundMessage[] = [];
    const recording = new OutboxDispatcher(
      product.pool,
      {
        send: async (m) => {
          delivered.push(m);
        },
      },
      pino({ level: 'silent' }),
    );
    await Promise.all([recording.dispatchOnce(1000), recording.dispatchOnce(1000)]);
    await recording.dispatchOnce(1000);
    const ours = await product.pool.query('SELECT id FROM outbox_messages WHERE attempt_id = $1', [id]);
    const ids = ours.rows.map((r) => String(r.id));
    expect(
      delivered
        .filter((m) => ids.includes(m.id))
        .map((m) => m.id)
        .sort(),
    ).toEqual(ids.sort());
    expect(new Set(delivered.map((m) => m.id)).size).toBe(delivered.length);
  });
});
