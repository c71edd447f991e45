import type { PlaybookGraph } from '../../playbooks/graph';
import { loadConfig } from '../../platform/config';
import { eventually, newCustomer, startProduct, type Product } from '../support/product';

/**
 * A customer's signed answer link answers exactly the offer tier (or agreement) and the attempt it
 * was sent for; anything else changes nothing, is audited, and tells the customer why.
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
          { label: 'Tier 2', incentive: { type: 'percent', value: 15, description: '15% off your next service and a free check' }, validity: 'P7D' },
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

const form = (answer: string) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `answer=${answer}` });

describe('answer links', () => {
  let product: Product;
  let ops: string;
  let rep: string;
  const key = `ladder-${Date.now().toString(36)}`;
  const firm = loadConfig().FIRM_NAME;

  beforeAll(async () => {
    product = await startProduct();
    ops = await product.login('olga');
    rep = await product.login('rita');
    expect((await product.api('PUT', `/api/playbooks/${key}/draft`, { token: ops, body: { name: key, graph: ladder } })).status).toBe(200);
    expect((await product.api('POST', `/api/playbooks/${key}/publish`, { token: ops })).status).toBe(201);
  });
  afterAll(() => product.stop());

  const start = async (customerId: string) => {
    const res = await product.api<{ id: string }>('POST', '/api/runs', { token: ops, body: { playbookKey: key, customerId } });
    expect(res.status).toBe(201);
    return res.body.id;
  };
  const attempt = (id: string) => product.pool.query('SELECT status, outcome FROM recovery_attempts WHERE id = $1', [id]).then((r) => r.rows[0]);
  const offers = (id: string) => product.pool.query('SELECT tier, status FROM offers WHERE attempt_id = $1 ORDER BY tier', [id]).then((r) => r.rows);
  /** The link of the offer message for a tier ("Tier 1" is in the first one's body through its description). */
  const linkFor = (id: string, text: string) =>
    eventually(
      async () => {
        const { rows } = await product.pool.query(
          'SELECT link_url, body FROM outbox_messages WHERE attempt_id = $1 AND link_url IS NOT NULL ORDER BY created_at',
          [id],
        );
        const row = rows.find((r) => String(r.body).includes(text));
        return row ? product.url + new URL(row.link_url).pathname : null;
      },
      20_000,
      `the offer message with "${text}"`,
    );
  const staleClicks = (id: string) =>
    product.pool.query("SELECT subject, details FROM audit_log WHERE attempt_id = $1 AND action = 'stale_answer_link' ORDER BY id", [id]).then((r) => r.rows);

  it('shows the firm and the offer it was sent for', async () => {
    const id = await start(await newCustomer(product.pool));
    const link = await linkFor(id, '5% off your next service');
    const page = await fetch(link);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(firm);
    expect(html).toContain('5% off your next service');
    expect(html).toContain('Accept the offer');
  });

  it('a tier-1 link pressed after the customer declined tier 1 by phone changes nothing and says what replaced it', async () => {
    const id = await start(await newCustomer(product.pool));
    const tier1 = await linkFor(id, '5% off your next service');
    const declined = await product.api('POST', `/api/runs/${id}/responses`, { token: rep, body: { kind: 'declined', channel: 'phone', note: 'too little' } });
    expect(declined.status).toBe(202);
    const tier2 = await linkFor(id, '15% off your next service');
    expect(await offers(id)).toEqual([
      { tier: 1, status: 'declined' },
      { tier: 2, status: 'made' },
    ]);

    // Opening the old link already tells the customer it was replaced, without buttons.
    const opened = await fetch(tier1);
    const openedHtml = await opened.text();
    expect(openedHtml).toContain('This offer has been replaced by');
    expect(openedHtml).toContain('15% off your next service and a free check');
    expect(openedHtml).not.toContain('Accept the offer');

    const stale = await fetch(tier1, form('accepted'));
    expect(stale.status).toBe(410);
    const html = await stale.text();
    expect(html).toContain('This offer has been replaced by');
    expect(html).toContain('15% off your next service and a free check');
    expect(html).toContain(firm);

    // Nothing moved: tier 2 is still on the table and the run still waits.
    await new Promise((r) => setTimeout(r, 500));
    expect(await attempt(id)).toEqual({ status: 'running', outcome: null });
    expect(await offers(id)).toEqual([
      { tier: 1, status: 'declined' },
      { tier: 2, status: 'made' },
    ]);
    const clicks = await staleClicks(id);
    expect(clicks).toHaveLength(1);
    expect(clicks[0].details).toMatchObject({ answer: 'accepted', reason: 'replaced', tier: 1 });

    // The link that is open now works, and the run is won back with tier 2.
    const accepted = await fetch(tier2, form('accepted'));
    expect(accepted.status).toBe(200);
    expect(await accepted.text()).toContain('15% off your next service and a free check');
    await eventually(async () => (await attempt(id))?.status === 'completed', 20_000, 'the run to end');
    expect(await attempt(id)).toEqual({ status: 'completed', outcome: 'won_back' });
    expect(await offers(id)).toEqual([
      { tier: 1, status: 'declined' },
      { tier: 2, status: 'accepted' },
    ]);
  });

  it('an unused link of a finished attempt does not answer a newer attempt of the same customer and playbook', async () => {
    const customerId = await newCustomer(product.pool);
    const first = await start(customerId);
    const oldLink = await linkFor(first, '5% off your next service');
    // The customer declines both tiers by phone: the first attempt ends lost.
    expect((await product.api('POST', `/api/runs/${first}/responses`, { token: rep, body: { kind: 'declined', channel: 'phone' } })).status).toBe(202);
    await linkFor(first, '15% off your next service');
    expect((await product.api('POST', `/api/runs/${first}/responses`, { token: rep, body: { kind: 'declined', channel: 'phone' } })).status).toBe(202);
    await eventually(async () => (await attempt(first))?.status === 'completed', 20_000, 'the first attempt to end');

    const second = await start(customerId);
    await linkFor(second, '5% off your next service');
    // Same workflow id, same offer keys: only the binding to the attempt tells them apart.
    const stale = await fetch(oldLink, form('accepted'));
    expect(stale.status).toBe(410);
    expect(await stale.text()).toContain('This request is closed');
    await new Promise((r) => setTimeout(r, 500));
    expect(await attempt(second)).toEqual({ status: 'running', outcome: null });
    expect(await offers(second)).toEqual([{ tier: 1, status: 'made' }]);
    expect(await staleClicks(first)).toEqual([expect.objectContaining({ details: expect.objectContaining({ answer: 'accepted', reason: 'attempt_ended' }) })]);
    expect((await fetch(oldLink)).status).toBe(410);
  });

  it('even while the database still shows the finished attempt running, Temporal never hands its link to the newer attempt', async () => {
    const customerId = await newCustomer(product.pool);
    const first = await start(customerId);
    const oldLink = await linkFor(first, '5% off your next service');
    for (const text of ['5% off', '15% off']) {
      await linkFor(first, text);
      expect((await product.api('POST', `/api/runs/${first}/responses`, { token: rep, body: { kind: 'declined', channel: 'phone' } })).status).toBe(202);
    }
    await eventually(async () => (await attempt(first))?.status === 'completed', 20_000, 'the first attempt to end');
    const second = await start(customerId);
    await linkFor(second, '5% off your next service');
    // A lagging read model: the attempt row says running, so only the run's own binding can refuse.
    await product.pool.query("UPDATE recovery_attempts SET status = 'running', outcome = NULL, ended_at = NULL WHERE id = $1", [first]);
    const stale = await fetch(oldLink, form('accepted'));
    expect(await stale.text()).toContain('This request is closed');
    expect(stale.status).toBe(410);
    await new Promise((r) => setTimeout(r, 500));
    expect(await offers(second)).toEqual([{ tier: 1, status: 'made' }]);
    expect(await attempt(second)).toEqual({ status: 'running', outcome: null });
    expect(await staleClicks(first)).toEqual([expect.objectContaining({ details: expect.objectContaining({ reason: 'closed' }) })]);
    expect((await product.pool.query('SELECT used_at FROM answer_links WHERE attempt_id = $1 AND used_at IS NOT NULL', [first])).rows).toEqual([]);
  });

  it('a link issued before links were bound (no first run, node or words on its row) still shows and answers its own offer', async () => {
    const customerId = await newCustomer(product.pool);
    const id = await start(customerId);
    const link = await linkFor(id, '5% off your next service');
    // What a row written before migration 8 looks like, for an attempt without a recorded first run.
    await product.pool.query(
      'UPDATE answer_links SET first_run_id = NULL, node_id = NULL, step_id = NULL, tier = NULL, offer_text = NULL, message_key = NULL WHERE attempt_id = $1',
      [id],
    );
    await product.pool.query('UPDATE recovery_attempts SET first_run_id = NULL WHERE id = $1', [id]);
    const opened = await fetch(link);
    expect(opened.status).toBe(200);
    expect(await opened.text()).toContain('5% off your next service');
    const accepted = await fetch(link, form('accepted'));
    expect(accepted.status).toBe(200);
    await eventually(async () => (await attempt(id))?.status === 'completed', 20_000, 'the run to end');
    expect(await attempt(id)).toEqual({ status: 'completed', outcome: 'won_back' });
    expect(await offers(id)).toEqual([{ tier: 1, status: 'accepted' }]);
  });

  it('with the workers down the customer is asked to try again, and the retry applies the answer once', async () => {
    const id = await start(await newCustomer(product.pool));
    const link = await linkFor(id, '5% off your next service');
    await product.stopWorker();
    try {
      const unavailable = await fetch(link, form('accepted'));
      expect(unavailable.status).toBe(503);
      expect(await unavailable.text()).toContain('try again');
      expect((await product.pool.query('SELECT used_at FROM answer_links WHERE attempt_id = $1', [id])).rows).toEqual([{ used_at: null }]);
    } finally {
      await product.startWorker();
    }
    const retried = await fetch(link, form('accepted'));
    expect(retried.status).toBe(200);
    await eventually(async () => (await attempt(id))?.status === 'completed', 20_000, 'the run to end');
    expect(await offers(id)).toEqual([{ tier: 1, status: 'accepted' }]);
    const answered = await product.pool.query("SELECT count(*)::int AS n FROM audit_log WHERE attempt_id = $1 AND action = 'customer_answered_by_link'", [id]);
    expect(answered.rows[0].n).toBe(1);
  });

  it('bad answers and bad tokens get a clear page, never a 500', async () => {
    const id = await start(await newCustomer(product.pool));
    const link = await linkFor(id, '5% off your next service');
    expect((await fetch(link, form('signed'))).status).toBe(400);
    expect(
      (await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'answer[]=accepted&answer[]=declined' }))
        .status,
    ).toBe(400);
    expect((await fetch(`${product.url}/r/not-a-token`)).status).toBe(410);
    expect((await fetch(`${product.url}/r/${'x'.repeat(3000)}.${'y'.repeat(43)}`, form('accepted'))).status).toBe(410);
    expect(await offers(id)).toEqual([{ tier: 1, status: 'made' }]);
  });
});
