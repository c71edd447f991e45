import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { callBackGraph } from '../../playbooks/templates/callBack';
import { mutatedGraphArbOf, validGraphArb } from '../support/validGraphs';
import { answerOf, type Answer } from '../support/answerOf';
import { eventually, newCustomer, startProduct, type Product } from '../support/product';

/**
 * Fuzzed bodies through the real API (PostgreSQL, Temporal, worker): whatever arrives, the answer is
 * a 2xx, or a 4xx with a JSON {error: {code, message}} body; never a 5xx, never a hang, and the
 * server is healthy afterwards. Seeds are fixed, so every run sends the same requests. Each test
 * sends all its cases and then lists every broken answer (status, body, and the request), rather
 * than stopping at the first, so one report shows every kind of failure.
 */

const RUNS = 100;
/** Longer than any honest answer takes, even a task completion that waits for the workflow. */
const HANG_MS = 15_000;

interface Request {
  method: string;
  path: string;
  token: string;
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
}

/** What went wrong with one request, short enough to read in a list. */
function describeFailure(req: Request, answer: Answer | 'hung'): string {
  const sent = req.raw ?? JSON.stringify(req.body) ?? '';
  const request = `${req.method} ${req.path}${req.headers?.['if-match'] !== undefined ? ` (If-Match: ${req.headers['if-match']})` : ''} ${sent.length > 160 ? `${sent.slice(0, 160)}… (${sent.length} chars)` : sent}`;
  if (answer === 'hung') return `no answer within ${HANG_MS} ms ← ${request}`;
  return `${answer.status} ${answer.text.slice(0, 120)} ← ${request}`;
}

/** The broken answers, at most a dozen of them (one kind of bug can break many). */
function summary(failures: string[]): string[] {
  return failures.length <= 12 ? failures : [...failures.slice(0, 12), `… and ${failures.length - 12} more`];
}

/** Why an answer breaks the contract, or null when it keeps it. */
function contractBreach(answer: Answer): string | null {
  if (answer.status < 200 || (answer.status >= 300 && answer.status < 400) || answer.status >= 500) return 'status';
  if (answer.status >= 400) {
    const error = (answer.json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    if (typeof error?.code !== 'string' || typeof error.message !== 'string') return 'no JSON {error: {code, message}}';
  }
  return null;
}

describe('API fuzz', () => {
  let product: Product;
  let ops: string;
  let rep: string;
  const suffix = Date.now().toString(36);
  const runKey = `fuzz-run-${suffix}`;
  const customers: string[] = [];
  const realTasks: string[] = [];

  beforeAll(async () => {
    product = await startProduct();
    ops = await product.login('olga');
    rep = await product.login('rita');
    // A published playbook, customers and open tasks, so some fuzzed starts and completions get all the way through.
    expect((await product.api('PUT', `/api/playbooks/${runKey}/draft`, { token: ops, body: { name: 'Fuzz call-back', graph: callBackGraph } })).status).toBe(
      200,
    );
    expect((await product.api('POST', `/api/playbooks/${runKey}/publish`, { token: ops })).status).toBe(201);
    for (let i = 0; i < 3; i++) customers.push(await newCustomer(product.pool));
    for (const customerId of customers.slice(0, 2)) realTasks.push((await startWithTask(customerId)).taskId);
  });

  afterAll(async () => {
    if (!product) return;
    // Runs the fuzz started (some possibly wedged by what it sent) must not outlive the suite.
    const { rows } = await product.pool.query<{ workflow_id: string }>(
      "SELECT DISTINCT workflow_id FROM recovery_attempts WHERE status = 'running' AND (customer_id = ANY($1) OR playbook_key = $2)",
      [customers, runKey],
    );
    await Promise.all(
      rows.map((r) =>
        product.temporal.workflow
          .getHandle(r.workflow_id)
          .terminate('fuzz test cleanup')
          .catch(() => undefined),
      ),
    );
    await product.stop();
  });

  async function startWithTask(customerId: string): Promise<{ taskId: string; workflowId: string }> {
    const started = await product.api<{ id: string; workflowId: string }>('POST', '/api/runs', { token: ops, body: { playbookKey: runKey, customerId } });
    expect(started.status).toBe(201);
    const row = await eventually(
      async () => (await product.pool.query<{ id: string }>("SELECT id FROM tasks WHERE attempt_id = $1 AND status = 'open'", [started.body.id])).rows[0],
      20_000,
      'the call-back task',
    );
    return { taskId: row.id, workflowId: started.body.workflowId };
  }

  function send(req: Request): Promise<Answer | 'hung'> {
    const headers: Record<string, string> = { authorization: `Bearer ${req.token}`, ...(req.headers ?? {}) };
    const payload = req.raw ?? (req.body === undefined ? undefined : JSON.stringify(req.body));
    if (payload !== undefined) headers['content-type'] = 'application/json';
    return answerOf(product.url + req.path, { method: req.method, headers, body: payload }, HANG_MS);
  }

  /**
   * Send every case (the corpus of `examples` first, then generated ones); collect the ones that
   * break the contract.
   */
  async function fuzz<T>(
    arb: fc.Arbitrary<T>,
    seed: number,
    examples: T[],
    toRequest: (value: T) => Request | Promise<Request>,
    after?: (req: Request, answer: Answer | 'hung') => Promise<void>,
    numRuns = RUNS,
  ): Promise<string[]> {
    const failures: string[] = [];
    await fc.assert(
      fc.asyncProperty(arb, async (value) => {
        const req = await toRequest(value);
        const answer = await send(req);
        if (answer === 'hung' || contractBreach(answer)) failures.push(describeFailure(req, answer));
        await after?.(req, answer);
      }),
      { numRuns, seed, examples: examples.map((e): [T] => [e]), includeErrorInReport: true },
    );
    return failures;
  }

  // Strings people and scripts send: plain, empty, control characters, NUL, lone surrogates, emoji, long.
  const text = fc.oneof(
    { arbitrary: fc.string(), weight: 4 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 12 }), weight: 2 },
    {
      arbitrary: fc.constantFrom('', ' ', '\u0000', 'a\u0000b', '\ud800', '\udfff x', '💥', '<script>', "'; DROP TABLE playbooks; --", 'x'.repeat(5000)),
      weight: 4,
    },
  );
  const json = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.jsonValue({ maxDepth: 2, stringUnit: 'binary' }));
  const notJson = fc.constantFrom('{"name": ', '', 'nul', '{"a":1}{', '[1,]', '\u0000', '{"version": 1e400}', "{'single': 'quotes'}");
  const deep = (depth: number) =>
    `{"name":"deep","graph":{"nodes":[{"id":"d","kind":"decision","config":{"rules":[{"handle":"a","when":${'{"not":'.repeat(depth)}{"var":"x","op":"exists"}${'}'.repeat(depth)}}]}}],"edges":[]}}`;
  const raw = fc.oneof(notJson, fc.constantFrom(5_000, 50_000, 200_000).map(deep));
  // Deep enough to have overflowed the old compiler, shallow enough for JSON.stringify; `raw` goes deeper.
  const graph = fc.oneof(
    validGraphArb.map((b) => b.graph),
    mutatedGraphArbOf(3500),
    json,
  );
  type Payload = { body: unknown } | { raw: string };
  const payload = (body: fc.Arbitrary<unknown>): fc.Arbitrary<Payload> =>
    fc.oneof(
      { arbitrary: body.map((b): Payload => ({ body: b })), weight: 8 },
      { arbitrary: json.map((b): Payload => ({ body: b })), weight: 1 },
      { arbitrary: raw.map((r): Payload => ({ raw: r })), weight: 1 },
    );

  it('PUT /api/playbooks/:key/draft', async () => {
    const draft = fc.record(
      { name: fc.oneof(fc.constant('Fuzzed'), text), description: fc.option(text, { nil: undefined }), graph },
      { requiredKeys: ['name', 'graph'] },
    );
    // A URL cannot carry a lone surrogate (encodeURIComponent throws): those become U+FFFD.
    const key = fc
      .oneof(fc.stringMatching(/^[A-Za-z0-9_.:-]{1,20}$/), text)
      .map((s) => `fuzz-${s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')}`);
    const ifMatch = fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 8 },
      { arbitrary: fc.nat(5).map((n) => `"${n}"`), weight: 2 },
      { arbitrary: fc.oneof(fc.string(), fc.constantFrom('*', '"99999999999"', 'W/"1"')), weight: 1 },
    );
    const valid = { name: 'Fuzzed', graph: callBackGraph };
    const withNodeName = (name: string) => ({
      name: 'Fuzzed',
      graph: { ...callBackGraph, nodes: callBackGraph.nodes.map((n, i) => (i === 1 ? { ...n, name } : n)) },
    });
    const corpus: [string, Payload, string | undefined][] = [
      ['fuzz-corpus', { body: valid }, '*'],
      ['fuzz-corpus', { body: valid }, '"99999999999"'],
      ['fuzz-corpus', { body: { ...valid, name: 'a\u0000b' } }, undefined],
      ['fuzz-corpus', { body: withNodeName('Call\u0000') }, undefined],
      ['fuzz-corpus', { body: withNodeName('Call\ud800') }, undefined],
      ['fuzz-corpus', { raw: deep(5_000) }, undefined],
    ];
    const failures = await fuzz(fc.tuple(key, payload(draft), ifMatch), 1001, corpus, ([k, p, match]) => ({
      method: 'PUT',
      path: `/api/playbooks/${encodeURIComponent(k)}/draft`,
      token: ops,
      ...p,
      headers: match === undefined ? undefined : { 'if-match': match },
    }));
    expect(summary(failures)).toEqual([]);
  });

  it('POST /api/playbooks/compile', async () => {
    const corpus: Payload[] = [{ raw: deep(200_000) }, { body: { graph: { nodes: [{ id: 'a', kind: '\u0000' }], edges: [] } } }];
    const failures = await fuzz(payload(fc.record({ graph })), 1002, corpus, (p) => ({ method: 'POST', path: '/api/playbooks/compile', token: ops, ...p }));
    expect(summary(failures)).toEqual([]);
  });

  it('POST /api/runs', async () => {
    const start = fc.record(
      {
        playbookKey: fc.oneof(fc.constant(runKey), fc.constant('call-back'), text),
        customerId: fc.oneof(fc.constantFrom(...customers), fc.constant('C-404'), text),
        version: fc.oneof(fc.constantFrom(1, 2, 0, -1, 1.5, 2 ** 31, 2 ** 53 - 1, '1'), fc.integer()),
        variables: fc.oneof(fc.dictionary(text, fc.oneof(text, fc.double(), fc.boolean(), fc.constant(null))), json),
      },
      { requiredKeys: [] },
    );
    const corpus: Payload[] = [
      { body: { playbookKey: runKey, customerId: customers[0], version: 2 ** 31 } },
      { body: { playbookKey: runKey, customerId: 'C\u0000' } },
      { body: { playbookKey: 'x\u0000', customerId: customers[0] } },
    ];
    const failures = await fuzz(payload(start), 1003, corpus, (p) => ({ method: 'POST', path: '/api/runs', token: ops, ...p }));
    expect(summary(failures)).toEqual([]);
  });

  const completion = fc.record(
    {
      outcome: fc.oneof(fc.constantFrom('reached', 'unreachable'), text),
      form: fc.oneof(
        { arbitrary: fc.record({ notes: fc.oneof({ arbitrary: text, weight: 4 }, fc.integer(), fc.constant(null)) }, { requiredKeys: [] }), weight: 4 },
        { arbitrary: fc.dictionary(text, fc.oneof(text, fc.double(), fc.boolean())), weight: 1 },
        { arbitrary: json, weight: 1 },
      ),
    },
    { requiredKeys: [] },
  );

  it('POST /api/tasks/<uuid>/complete', async () => {
    const taskId = fc.oneof(
      { arbitrary: fc.uuid(), weight: 6 },
      { arbitrary: fc.constantFrom(...realTasks), weight: 2 },
      { arbitrary: fc.constantFrom('00000000-0000-0000-0000-000000000000', 'not-a-uuid', '%00', '..'), weight: 1 },
    );
    const corpus: [string, Payload][] = [[realTasks[0], { body: { outcome: 'reached', form: { notes: 'a\u0000b' } } }]];
    const failures = await fuzz(fc.tuple(taskId, payload(completion)), 1004, corpus, ([id, p]) => ({
      method: 'POST',
      path: `/api/tasks/${encodeURIComponent(id)}/complete`,
      token: ops,
      ...p,
    }));
    expect(summary(failures)).toEqual([]);
  });

  it('POST /api/tasks/<uuid>/complete on open tasks, as the rep they belong to', async () => {
    // Each case gets a fresh open task, so fuzzed bodies reach the workflow's Update, not only a 409.
    let completed = 0;
    const failures = await fuzz(
      payload(completion),
      1005,
      [{ body: { outcome: 'reached', form: { notes: 'a\u0000b' } } }],
      async (p) => {
        const customerId = await newCustomer(product.pool);
        customers.push(customerId);
        const { taskId } = await startWithTask(customerId);
        return { method: 'POST', path: `/api/tasks/${taskId}/complete`, token: rep, ...p };
      },
      async (req, answer) => {
        if (answer !== 'hung' && answer.status === 200) completed += 1;
        if (answer === 'hung') {
          // Unwedge: the pending Update would otherwise outlive the test and its Temporal connection.
          const taskId = req.path.split('/')[3];
          const { rows } = await product.pool.query<{ workflow_id: string }>('SELECT workflow_id FROM tasks WHERE id = $1', [taskId]);
          await product.temporal.workflow
            .getHandle(rows[0].workflow_id)
            .terminate('fuzz: completion hung')
            .catch(() => undefined);
        }
      },
      25,
    );
    expect(summary(failures)).toEqual([]);
    // Some fuzzed completions were valid and went all the way through the workflow.
    expect(completed).toBeGreaterThan(0);
  });

  it('every GET route with a hostile query string: 400 or 404, never a 5xx', async () => {
    const doc = await product.api<{ paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>> }>('GET', '/api/openapi.json', {
      token: ops,
    });
    // The live stream would hold its connection open; it is refused before subscribing when the query is bad, checked below.
    const routes = Object.entries(doc.body.paths).flatMap(([path, methods]) =>
      methods.get && path !== '/api/inbox/events'
        ? [{ path, declared: (methods.get.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name) }]
        : [],
    );
    const attempt = (
      await product.pool.query<{ id: string; customer_id: string }>('SELECT id, customer_id FROM recovery_attempts WHERE customer_id = $1 LIMIT 1', [
        customers[0],
      ])
    ).rows[0];
    const concrete = (path: string) =>
      path.replace(/\{([^}]+)\}/g, (_m, name: string) =>
        name === 'key'
          ? runKey
          : name === 'version'
            ? '1'
            : path.startsWith('/api/customers')
              ? attempt.customer_id
              : path.startsWith('/api/tasks')
                ? realTasks[0]
                : attempt.id,
      );
    // Raw query text: percent escapes a URL can carry (NUL, a lone surrogate's bytes, bad escapes), shapes, wildcards.
    const rawValue = fc.oneof(
      fc.constantFrom(
        '%00',
        'a%00b',
        '%ED%A0%80',
        '%FF',
        '%',
        '%%',
        '%_',
        '_',
        '10%25',
        '%5B%5D',
        'x'.repeat(3000),
        '1e400',
        '-1',
        '0',
        '9999999999',
        'null',
        '2025-02-30T00:00:00Z',
        '0000-01-01T00:00:00Z',
        'infinity',
      ),
      fc.string({ maxLength: 12 }).map(encodeURIComponent),
    );
    const rawName = (declared: string[]) =>
      fc.oneof(
        { arbitrary: declared.length ? fc.constantFrom(...declared) : fc.constant('q'), weight: 4 },
        { arbitrary: fc.constantFrom('customerId[$ne]', 'customerId[]', '__proto__', 'constructor', 'a[b][c]', '', '%00'), weight: 2 },
        { arbitrary: declared.length ? fc.constantFrom(...declared).map((n) => `${n}[$gt]`) : fc.constant('x[$gt]'), weight: 1 },
      );
    const cases = fc
      .integer({ min: 0, max: routes.length - 1 })
      .chain((i) => fc.tuple(fc.constant(routes[i]), fc.array(fc.tuple(rawName(routes[i].declared), rawValue), { minLength: 1, maxLength: 4 })));
    const wrongOnes: string[] = [];
    const failures = await fuzz(
      cases,
      1006,
      [],
      ([route, pairs]) => ({ method: 'GET', path: `${concrete(route.path)}?${pairs.map(([n, v]) => `${n}=${v}`).join('&')}`, token: ops }),
      async (req, answer) => {
        if (answer === 'hung') return;
        // Anything but a valid answer is a 400 or a 404; a 2xx only when every parameter is one the route declares.
        if (answer.status >= 400 && ![400, 404].includes(answer.status)) wrongOnes.push(describeFailure(req, answer));
      },
      400,
    );
    expect(summary([...failures, ...wrongOnes])).toEqual([]);
    const events = await send({ method: 'GET', path: '/api/inbox/events?view=%00', token: ops });
    expect(events === 'hung' ? 'hung' : events.status).toBe(400);
  });

  it('is still healthy afterwards', async () => {
    const health = await send({ method: 'GET', path: '/healthz', token: ops });
    expect(health === 'hung' ? 'hung' : { status: health.status, body: health.json }).toEqual({
      status: 200,
      body: { ok: true, postgres: 'ok', temporal: 'ok' },
    });
    // And still does its job: a normal draft save works.
    expect(
      (
        await product.api('PUT', `/api/playbooks/fuzz-after-${randomUUID().slice(0, 8)}/draft`, {
          token: ops,
          body: { name: 'After the fuzz', graph: callBackGraph },
        })
      ).status,
    ).toBe(200);
  });
});
