import type { PlaybookGraph } from '../../playbooks/graph';
import { momentFormat } from '../../server/audit/timeline';
import { eventually, newCustomer, startProduct, type Product } from '../support/product';

/** Call back until reached (a loop through "Try again"), then wait for the customer's answer to the offer. */
const graph: PlaybookGraph = {
  nodes: [
    { id: 'start', kind: 'start', name: 'Flagged at risk', position: { x: 0, y: 100 }, config: {} },
    {
      id: 'call',
      kind: 'task',
      name: 'Call back',
      position: { x: 260, y: 100 },
      config: {
        title: 'Call back',
        assignee: { type: 'role', role: 'rep', department: 'customer' },
        outcomes: [
          { key: 'reached', label: 'Reached them' },
          { key: 'no_answer', label: 'No answer' },
        ],
      },
    },
    {
      id: 'again',
      kind: 'decision',
      name: 'Try again?',
      position: { x: 260, y: 260 },
      config: { rules: [{ handle: 'give_up', when: { var: 'visits.call', op: 'gte', value: 3 } }] },
    },
    { id: 'wait', kind: 'wait_response', name: 'Wait for answer', position: { x: 520, y: 100 }, config: { kinds: ['accepted', 'declined'], timeout: 'P7D' } },
    { id: 'won', kind: 'end', name: 'Won back', position: { x: 780, y: 0 }, config: { outcome: 'won_back', reason: 'took the offer' } },
    { id: 'lost', kind: 'end', name: 'Lost', position: { x: 780, y: 200 }, config: { outcome: 'lost' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'call' },
    { id: 'e2', source: 'call', sourceHandle: 'reached', target: 'wait' },
    { id: 'e3', source: 'call', sourceHandle: 'no_answer', target: 'again' },
    { id: 'e4', source: 'again', sourceHandle: 'default', target: 'call' },
    { id: 'e8', source: 'again', sourceHandle: 'give_up', target: 'lost' },
    { id: 'e5', source: 'wait', sourceHandle: 'accepted', target: 'won' },
    { id: 'e6', source: 'wait', sourceHandle: 'declined', target: 'lost' },
    { id: 'e7', source: 'wait', sourceHandle: 'no_response', target: 'lost' },
  ],
};

interface Event {
  kind: string;
  summary: string;
  at: string;
  actor: { userId: string; name?: string; role?: string } | null;
}

/** The text a reader sees: tags (and the ISO moments inside their attributes) dropped. */
const visibleText = (html: string) =>
  html
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');

describe('the printable report and the timeline tell people by name', () => {
  let product: Product;
  let ops: string, rita: string, ravi: string, auditor: string;
  let attemptId: string;
  const key = `report-${Date.now().toString(36)}`;
  const customerName = `Report Garage ${Date.now().toString(36)}`;

  const openTask = (token: string) =>
    eventually(
      async () =>
        (await product.api<{ tasks: { id: string; attemptId: string }[] }>('GET', '/api/inbox?limit=200', { token })).body.tasks.find(
          (t) => t.attemptId === attemptId,
        ),
      20_000,
      'the call task',
    );

  beforeAll(async () => {
    product = await startProduct();
    [ops, rita, ravi, auditor] = await Promise.all(['olga', 'rita', 'ravi', 'aude'].map((u) => product.login(u)));
    expect((await product.api('PUT', `/api/playbooks/${key}/draft`, { token: ops, body: { name: 'Report demo', graph } })).status).toBe(200);
    const published = await product.api('POST', `/api/playbooks/${key}/publish`, { token: ops });
    // The body says why, should a change to the node kinds refuse this graph.
    expect(published.status === 201 ? 201 : JSON.stringify(published.body)).toBe(201);
    const customerId = await newCustomer(product.pool, { department: 'after_sales' });
    await product.pool.query('UPDATE customers SET name = $2 WHERE id = $1', [customerId, customerName]);
    const started = await product.api<{ id: string }>('POST', '/api/runs', { token: ops, body: { playbookKey: key, customerId } });
    expect(started.status).toBe(201);
    attemptId = started.body.id;

    // First call: no answer, so the attempt loops back to the call.
    const first = await openTask(rita);
    expect((await product.api('POST', `/api/tasks/${first.id}/complete`, { token: rita, body: { outcome: 'no_answer' } })).status).toBe(200);
    const second = await eventually(async () => {
      const t = await openTask(rita);
      return t.id !== first.id && t;
    });
    // Olga hands the second call to Ravi, who reaches the customer.
    expect((await product.api('POST', `/api/tasks/${second.id}/reassign`, { token: ops, body: { userId: 'u-ravi', reason: 'Ravi knows them' } })).status).toBe(
      200,
    );
    expect((await product.api('POST', `/api/tasks/${second.id}/complete`, { token: ravi, body: { outcome: 'reached' } })).status).toBe(200);
    await eventually(
      async () => (await product.pool.query("SELECT 1 FROM recovery_attempts WHERE id = $1 AND 'wait' = ANY(current_node_ids)", [attemptId])).rowCount,
      20_000,
      'the run to wait for the answer',
    );
    expect((await product.api('POST', `/api/runs/${attemptId}/responses`, { token: ravi, body: { kind: 'accepted', channel: 'phone' } })).status).toBe(202);
    await eventually(
      async () => (await product.pool.query("SELECT 1 FROM recovery_attempts WHERE id = $1 AND status = 'completed'", [attemptId])).rowCount,
      20_000,
      'the run to end',
    );
  });
  afterAll(() => product.stop());

  it('the timeline names people, labels outcomes and tells a reassignment once', async () => {
    const res = await product.api<{ timeline: Event[] }>('GET', `/api/attempts/${attemptId}/timeline?tz=Asia/Tokyo`, { token: auditor });
    expect(res.status).toBe(200);
    const lines = res.body.timeline;
    const of = (kind: string) => lines.filter((e) => e.kind === kind);
    expect(of('task_reassigned').map((e) => e.summary)).toEqual(['Task reassigned to Ravi Rep: Ravi knows them']);
    expect(of('task_completed').map((e) => [e.summary, e.actor?.name])).toEqual([
      ['Task completed: No answer', 'Rita Rep'],
      ['Task completed: Reached them', 'Ravi Rep'],
    ]);
    expect(of('outcome').map((e) => e.summary)).toEqual(['Outcome: won back (took the offer)']);
    expect(of('run_started')[0].actor).toMatchObject({ userId: 'u-olga', name: 'Olga Ops' });
    // Queues by their department's name, not its id.
    expect(of('task_created')[0].summary).toBe('Task "Call back" for rep (After-sales service)');
    expect(of('step_left').map((e) => e.summary)).toContain('Left "Call back" via No answer');
    // Variable values are told as stored (the evidence an export holds); every other line speaks in names.
    const told = lines.filter((e) => e.kind !== 'variables_changed').map((e) => e.summary);
    expect(told.join('\n')).not.toMatch(/u-(rita|ravi|olga)|won_back|no_answer/);
  });

  it('a time zone the server does not know is refused, naming the parameter', async () => {
    const res = await product.api<{ error: { code: string; details: { problems: { path: string[] }[] } } }>(
      'GET',
      `/api/attempts/${attemptId}/report?tz=Mars/Olympus`,
      { token: auditor },
    );
    expect(res.status).toBe(400);
    expect(res.body.error.details.problems.map((p) => p.path)).toEqual([['query', 'tz']]);
  });

  it("prints names, local times, the path with its loop, the replay verdict and the chain's head hash", async () => {
    const before = await product.pool.query<{ id: string }>('SELECT max(id)::text AS id FROM audit_log');
    const headBefore = before.rows[0].id;
    const res = await fetch(`${product.url}/api/attempts/${attemptId}/report?tz=Asia/Tokyo`, { headers: { authorization: `Bearer ${auditor}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    const text = visibleText(html);

    expect(text).toContain(`Recovery attempt for ${customerName}`);
    expect(text).toContain('Report demo, version 1');
    expect(text).toContain('Completed — won back (took the offer)');
    for (const name of ['Olga Ops', 'Rita Rep', 'Ravi Rep']) expect(text).toContain(name);
    expect(text).toContain('Task reassigned to Ravi Rep');
    const told = [...html.matchAll(/<tr data-kind="(?!variables_changed)[^"]*">([\s\S]*?)<\/tr>/g)].map((m) => visibleText(m[1]));
    expect(told.length).toBeGreaterThan(20);
    expect(told.join('\n')).not.toMatch(/u-(rita|ravi|olga)|won_back|no_answer/);
    expect(visibleText(html.slice(0, html.indexOf('<table')))).not.toMatch(/u-(rita|ravi|olga)|won_back|no_answer/);

    // Times in the reader's zone, readable; ISO only inside <time datetime="…">.
    const { rows } = await product.pool.query<{ started_at: Date }>('SELECT started_at FROM recovery_attempts WHERE id = $1', [attemptId]);
    expect(text).toContain(momentFormat('Asia/Tokyo')(rows[0].started_at.toISOString()));
    expect(text).toContain('Times in Asia/Tokyo');
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    expect(text).toMatch(/(minutes?|moments) before this report/);

    // The path picture: the published graph, the call entered twice (the loop), the lost end untouched.
    expect(html).toContain('<svg class="path-picture"');
    const step = (id: string) => new RegExp(`data-node-id="${id}" data-state="([a-z]+)" data-runs="(\\d+)"`).exec(html)?.slice(1);
    expect(step('call')).toEqual(['visited', '2']);
    expect(step('again')).toEqual(['visited', '1']);
    expect(step('won')).toEqual(['visited', '1']);
    expect(step('lost')).toEqual(['unvisited', '0']);
    expect(html).toContain('×2</text>');
    // Each way taken carries its label and count: the loop's "No answer" once, "Reached them" once.
    expect(text).toContain('No answer ×1');
    expect(text).toContain('Reached them ×1');

    // The replay verdict, and the chain pinned by its head row.
    expect(html).toContain('data-replay="matches"');
    expect(html).toContain('data-chain="intact"');
    // The head shown is a row of the chain with that very hash, at least as new as the chain was before asking.
    const shown = /Head of the chain<\/dt><dd>row (\d+),[\s\S]*?data-testid="chain-head">([0-9a-f]{64})</.exec(html);
    expect(shown).not.toBeNull();
    const head = await product.pool.query<{ hash: string }>('SELECT hash FROM audit_log WHERE id = $1', [shown![1]]);
    expect(head.rows[0].hash).toBe(shown![2]);
    expect(BigInt(shown![1])).toBeGreaterThanOrEqual(BigInt(headBefore));
    const own = await product.pool.query<{ hash: string }>('SELECT hash FROM audit_log WHERE attempt_id = $1 ORDER BY id DESC LIMIT 1', [attemptId]);
    expect(text).toContain(own.rows[0].hash);

    // Reps read no evidence.
    expect((await fetch(`${product.url}/api/attempts/${attemptId}/report`, { headers: { authorization: `Bearer ${rita}` } })).status).toBe(403);
  });
});
