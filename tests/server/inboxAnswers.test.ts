import type { PlaybookGraph } from '../../playbooks/graph';
import { eventually, newCustomer, startProduct, terminateRunningAttempts, type Product } from '../support/product';

/**
 * A rep records the customer's answer from the inbox: it is offered only for what the attempt waits on
 * now, it reaches the run as a link answer does (so it moves the run), it is audited with the rep as
 * the actor and logged as a contact, and the auditor's timeline tells each answer once.
 */
const at = { x: 0, y: 0 };
const ladder: PlaybookGraph = {
  nodes: [
    { id: 'start', kind: 'start', position: at, config: {} },
    {
      id: 'ladder',
      kind: 'offer',
      position: at,
      config: {
        tiers: [
          { label: 'Tier 1', incentive: { type: 'percent', value: 5, description: '5% off your next service' }, validity: 'P7D' },
          { label: 'Tier 2', incentive: { type: 'percent', value: 15, description: '15% off and a free check' }, validity: 'P7D' },
        ],
      },
    },
    { id: 'end_won', kind: 'end', position: at, config: { outcome: 'won_back' } },
    { id: 'end_lost', kind: 'end', position: at, config: { outcome: 'lost' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'ladder' },
    { id: 'e2', source: 'ladder', sourceHandle: 'accepted', target: 'end_won' },
    { id: 'e3', source: 'ladder', sourceHandle: 'exhausted', target: 'end_lost' },
  ],
};
const waiting: PlaybookGraph = {
  nodes: [
    { id: 'start', kind: 'start', position: at, config: {} },
    { id: 'wait', kind: 'wait_response', position: at, config: { kinds: ['satisfied', 'callback_requested'], timeout: 'P7D' } },
    { id: 'end_ok', kind: 'end', position: at, config: { outcome: 'retained' } },
    { id: 'end_call', kind: 'end', position: at, config: { outcome: 'resolved' } },
    { id: 'end_silent', kind: 'end', position: at, config: { outcome: 'lost' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'wait' },
    { id: 'e2', source: 'wait', sourceHandle: 'satisfied', target: 'end_ok' },
    { id: 'e3', source: 'wait', sourceHandle: 'callback_requested', target: 'end_call' },
    { id: 'e4', source: 'wait', sourceHandle: 'no_response', target: 'end_silent' },
  ],
};

interface OpenAnswers {
  answers: { nodeId: string; stepName: string; target: { ref: string; tier: number | null; text: string } | null; kinds: { key: string }[] }[];
}
interface Story {
  timeline: { kind: string; summary: string; actor: { userId: string; role?: string; name?: string } | null; source: string }[];
}

describe('recording the customer answer from the inbox', () => {
  let product: Product;
  let ops: string, rita: string, kim: string, aude: string;
  const suffix = Date.now().toString(36);
  const ladderKey = `rec-ladder-${suffix}`;
  const waitKey = `rec-wait-${suffix}`;

  beforeAll(async () => {
    product = await startProduct();
    [ops, rita, kim, aude] = await Promise.all(['olga', 'rita', 'kim', 'aude'].map((u) => product.login(u)));
    for (const [key, graph] of [
      [ladderKey, ladder],
      [waitKey, waiting],
    ] as const) {
      expect((await product.api('PUT', `/api/playbooks/${key}/draft`, { token: ops, body: { name: key, graph } })).status).toBe(200);
      expect((await product.api('POST', `/api/playbooks/${key}/publish`, { token: ops })).status).toBe(201);
    }
  });
  afterAll(async () => {
    await terminateRunningAttempts(product, ladderKey);
    await terminateRunningAttempts(product, waitKey);
    await product.stop();
  });

  const start = async (key: string) => {
    const res = await product.api<{ id: string }>('POST', '/api/attempts', {
      token: ops,
      body: { playbookKey: key, customerId: await newCustomer(product.pool) },
    });
    expect(res.status).toBe(201);
    return res.body.id;
  };
  const openAnswers = (id: string, token = rita) => product.api<OpenAnswers>('GET', `/api/attempts/${id}/open-answers`, { token });
  const openTier = (id: string, tier: number) =>
    eventually(async () => (await openAnswers(id)).body.answers.find((a) => a.target?.tier === tier), 20_000, `tier ${tier} open`);
  const record = (id: string, body: Record<string, unknown>, token = rita) =>
    product.api<Record<string, unknown>>('POST', `/api/attempts/${id}/answers`, { token, body });
  const attempt = (id: string) => product.pool.query('SELECT status, outcome FROM recovery_attempts WHERE id = $1', [id]).then((r) => r.rows[0]);

  it('offers the open tier, delivers a declined then an accepted answer through the run, refuses a stale tier', async () => {
    const id = await start(ladderKey);
    const tier1 = await openTier(id, 1);
    expect(tier1).toMatchObject({ nodeId: 'ladder', target: { text: '5% off your next service' } });
    expect(tier1.kinds.map((k) => k.key)).toEqual(['accepted', 'declined']);

    // What the step does not take, and who may not record, change nothing.
    const wrongKind = await record(id, { nodeId: 'ladder', kind: 'maybe', ref: tier1.target!.ref });
    expect(wrongKind.status).toBe(400);
    expect(wrongKind.body).toMatchObject({ error: { code: 'invalid_request', details: { problems: [{ code: 'answer_kind_not_open', path: ['kind'] }] } } });
    expect((await record(id, { nodeId: 'start', kind: 'accepted' })).body).toMatchObject({ error: { code: 'answer_not_open' } });
    expect((await record(id, { nodeId: 'ladder', kind: 'declined', ref: tier1.target!.ref }, aude)).status).toBe(403);
    expect((await record(id, { nodeId: 'ladder', kind: 'declined', ref: tier1.target!.ref }, kim)).status).toBe(404);
    expect((await openAnswers(id, kim)).status).toBe(404);

    const declined = await record(id, { nodeId: 'ladder', kind: 'declined', ref: tier1.target!.ref, channel: 'phone', note: 'too little' });
    expect(declined.status).toBe(200);
    expect(declined.body).toMatchObject({ delivery: 'update', kind: 'declined' });
    const tier2 = await openTier(id, 2);
    // The rep still looking at tier 1 is told it was replaced, not applied to tier 2.
    const stale = await record(id, { nodeId: 'ladder', kind: 'accepted', ref: tier1.target!.ref });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ error: { code: 'answer_not_open' } });

    expect((await record(id, { nodeId: 'ladder', kind: 'accepted', ref: tier2.target!.ref })).status).toBe(200);
    expect(await eventually(async () => ((await attempt(id)).status === 'completed' ? attempt(id) : null))).toMatchObject({ outcome: 'won_back' });
    expect((await openAnswers(id)).body.answers).toEqual([]);
    expect((await record(id, { nodeId: 'ladder', kind: 'accepted', ref: tier2.target!.ref })).body).toMatchObject({ error: { code: 'run_not_running' } });

    // Audited with the rep as the actor and on the customer's contact log, once per answer.
    const audit = await product.pool.query(
      "SELECT actor_id, subject FROM audit_log WHERE attempt_id = $1 AND action = 'customer_response_recorded' ORDER BY id",
      [id],
    );
    expect(audit.rows).toEqual([
      { actor_id: 'u-rita', subject: 'declined' },
      { actor_id: 'u-rita', subject: 'accepted' },
    ]);
    const contacts = await product.pool.query("SELECT by_user_id, summary FROM contacts WHERE attempt_id = $1 AND kind = 'answer' ORDER BY at", [id]);
    expect(contacts.rows.map((r) => r.by_user_id)).toEqual(['u-rita', 'u-rita']);
    expect(contacts.rows[0].summary).toContain('too little');

    const story = await product.api<Story>('GET', `/api/attempts/${id}/timeline`, { token: aude });
    const answers = story.body.timeline.filter((e) => /answer/.test(e.kind));
    expect(answers.map((e) => [e.kind, e.actor?.userId])).toEqual([
      ['customer_answered', 'u-rita'],
      ['customer_answered', 'u-rita'],
    ]);
  });

  it('a link answer is told once in the timeline, with the customer as its actor', async () => {
    const id = await start(ladderKey);
    await openTier(id, 1);
    // The tier is open in the run before the activity has stored its message: wait for the row.
    const row = await eventually(
      async () => (await product.pool.query('SELECT link_url FROM outbox_messages WHERE attempt_id = $1 AND link_url IS NOT NULL', [id])).rows[0],
      20_000,
      'the answer link',
    );
    const link = product.url + new URL(row.link_url).pathname;
    const page = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'answer=accepted' });
    expect(page.status).toBe(200);
    await eventually(async () => (await attempt(id)).status === 'completed');
    const story = await product.api<Story>('GET', `/api/attempts/${id}/timeline`, { token: aude });
    const answers = story.body.timeline.filter((e) => /answer/.test(e.kind));
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({
      kind: 'customer_answered',
      source: 'temporal',
      actor: { role: 'customer', name: expect.stringMatching(/^Test customer/) },
    });
  });

  it('a wait-for-answer step takes the kinds it lists, by the customerResponse Signal', async () => {
    const id = await start(waitKey);
    const open = await eventually(async () => (await openAnswers(id)).body.answers[0], 20_000, 'the wait step open');
    expect(open).toMatchObject({ nodeId: 'wait', target: null });
    expect(open.kinds.map((k) => k.key)).toEqual(['satisfied', 'callback_requested']);
    const res = await record(id, { nodeId: 'wait', kind: 'callback_requested', channel: 'email' });
    expect(res.body).toMatchObject({ delivery: 'signal' });
    expect(await eventually(async () => ((await attempt(id)).status === 'completed' ? attempt(id) : null))).toMatchObject({ outcome: 'resolved' });
    const audit = await product.pool.query("SELECT actor_id FROM audit_log WHERE attempt_id = $1 AND action = 'customer_response_recorded'", [id]);
    expect(audit.rows).toEqual([{ actor_id: 'u-rita' }]);
  });
});
