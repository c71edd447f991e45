import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { IncidentList, MigrationPlan, OperateAttempt, OperateCounts, OperationHistory, SavedView } from '../../contract/operate';
import type { PlaybookGraph } from '../../playbooks/graph';
import type { SessionUser } from '../../server/http';
import { attemptIdsMatching, temporalLink } from '../../server/operate/list';
import { eventually, newCustomer, startProduct, terminateRunningAttempts, type Product } from '../support/product';

/**
 * The operator's list on the real product (API, worker, Temporal, PostgreSQL): attempts of a small
 * playbook sleep on a task for a person, on a task for a queue and on a 30-day timer, and the list
 * says so from what the worker stored; its filters, department scoping, counts, saved views,
 * incidents, operation history and the plan of a migration to a version that removed and added a step.
 */
const at = { x: 0, y: 0 };
const call = (title: string) => ({
  id: 'call',
  kind: 'task',
  name: 'Call back',
  position: at,
  config: { title, assignee: { type: 'variable', variable: 'account_manager', fallbackRole: 'rep' }, outcomes: [{ key: 'done', label: 'Done' }] },
});
const v1: PlaybookGraph = {
  nodes: [
    { id: 'start', kind: 'start', position: at, config: {} },
    call('Call the customer back'),
    { id: 'pause', kind: 'delay', name: 'Wait a month', position: at, config: { duration: 'P30D' } },
    { id: 'end', kind: 'end', position: at, config: { outcome: 'retained' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'call' },
    { id: 'e2', source: 'call', sourceHandle: 'done', target: 'pause' },
    { id: 'e3', source: 'pause', sourceHandle: 'next', target: 'end' },
  ],
};
// v2: the wait is gone, a survey is new, and the call's title changed.
const v2: PlaybookGraph = {
  nodes: [
    { id: 'start', kind: 'start', position: at, config: {} },
    call('Call the customer back today'),
    {
      id: 'survey',
      kind: 'task',
      name: 'Survey',
      position: at,
      config: { title: 'Ask how it went', assignee: { type: 'role', role: 'rep' }, outcomes: [{ key: 'done', label: 'Done' }] },
    },
    { id: 'end', kind: 'end', position: at, config: { outcome: 'retained' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'call' },
    { id: 'e2', source: 'call', sourceHandle: 'done', target: 'survey' },
    { id: 'e3', source: 'survey', sourceHandle: 'done', target: 'end' },
  ],
};

type List = { attempts: OperateAttempt[]; total: number };
type ErrorBody = { error: { code: string; details?: { problems: { path: (string | number)[] }[] } } };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('operator list', () => {
  let product: Product;
  let ops: string, hana: string, karl: string, aude: string, rita: string;
  const suffix = randomUUID().slice(0, 8);
  const key = `oplist-${suffix}`;
  // alpha: a task for Rita (account manager); beta: past its task, asleep 30 days; gamma: another department; delta: v2.
  const ids = { alpha: '', beta: '', gamma: '', delta: '' };
  const customers = { alpha: '', beta: '', gamma: '', delta: '' };

  const list = (token: string, query = '') => product.api<List>('GET', `/api/operate/attempts?playbook=${key}${query}`, { token });
  const idsOf = async (token: string, query = '') => {
    const res = await list(token, query);
    expect(res.status).toBe(200);
    return res.body.attempts.map((a) => a.id);
  };
  async function publish(graph: PlaybookGraph) {
    expect((await product.api('PUT', `/api/playbooks/${key}/draft`, { token: ops, body: { name: `Win-back ${suffix}`, graph } })).status).toBe(200);
    expect((await product.api('POST', `/api/playbooks/${key}/publish`, { token: ops })).status).toBe(201);
  }
  async function start(name: string, fields: Parameters<typeof newCustomer>[1]): Promise<[string, string]> {
    const customerId = await newCustomer(product.pool, fields);
    await product.pool.query('UPDATE customers SET name = $2 WHERE id = $1', [customerId, `${name} ${suffix}`]);
    const res = await product.api<{ id: string }>('POST', '/api/runs', { token: ops, body: { playbookKey: key, customerId } });
    expect(res.status).toBe(201);
    return [res.body.id, customerId];
  }
  /** The attempt's row once the worker stored what it waits for at `nodeId`. */
  const waitingAt = (attemptId: string, nodeId: string) =>
    eventually(
      async () => (await list(ops)).body.attempts.find((a) => a.id === attemptId && a.waits.some((w) => w.nodeId === nodeId)),
      30_000,
      `attempt waiting at ${nodeId}`,
    );

  beforeAll(async () => {
    product = await startProduct();
    [ops, hana, karl, aude, rita] = await Promise.all(['olga', 'hana', 'karl', 'aude', 'rita'].map((u) => product.login(u)));
    await publish(v1);
    [ids.alpha, customers.alpha] = await start('Alpha Ltd', { department: 'after_sales', accountManager: 'u-rita' });
    [ids.beta, customers.beta] = await start('Beta GmbH', { department: 'after_sales' });
    [ids.gamma, customers.gamma] = await start('Gamma SA', { department: 'key_accounts' });
    for (const id of [ids.alpha, ids.beta, ids.gamma]) await waitingAt(id, 'call');
    // Beta's call is done: it now sleeps on the month's timer alone.
    const task = await eventually(async () => (await product.pool.query("SELECT id FROM tasks WHERE attempt_id = $1 AND status = 'open'", [ids.beta])).rows[0]);
    expect((await product.api('POST', `/api/tasks/${task.id}/complete`, { token: rita, body: { outcome: 'done' } })).status).toBe(200);
    await waitingAt(ids.beta, 'pause');
    await publish(v2);
    [ids.delta, customers.delta] = await start('Delta BV', { department: 'after_sales' });
    await waitingAt(ids.delta, 'call');
  });
  afterAll(async () => {
    await terminateRunningAttempts(product, key);
    await product.stop();
  });

  it('lists every attempt with its customer, playbook, what it waits for and since when, longest asleep first', async () => {
    const res = await list(ops);
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(4);
    const byId = new Map(res.body.attempts.map((a) => [a.id, a]));
    const alpha = byId.get(ids.alpha)!;
    const afterSales = (await product.pool.query<{ name: string }>("SELECT name FROM departments WHERE id = 'after_sales'")).rows[0].name;
    expect(alpha).toMatchObject({
      customerId: customers.alpha,
      customerName: `Alpha Ltd ${suffix}`,
      department: 'after_sales',
      departmentName: afterSales,
      playbookKey: key,
      playbookName: `Win-back ${suffix}`,
      playbookVersion: 1,
      migratedFrom: null,
      status: 'running',
      outcome: null,
      endedAt: null,
      currentNodeIds: ['call'],
      incident: null,
      temporalUrl: `http://127.0.0.1:8233/namespaces/default/workflows/${encodeURIComponent(alpha.workflowId)}`,
    });
    expect(alpha.waits).toEqual([
      expect.objectContaining({
        nodeId: 'call',
        name: 'Call back',
        kind: 'task',
        tasks: [expect.objectContaining({ title: 'Call the customer back', role: 'rep', userId: 'u-rita', userName: 'Rita Rep' })],
        timers: [],
        answer: null,
      }),
    ]);
    // A queue's task names no person.
    expect(byId.get(ids.gamma)!.waits[0].tasks).toEqual([
      expect.objectContaining({ title: 'Call the customer back', department: 'key_accounts', userId: null, userName: null }),
    ]);
    const beta = byId.get(ids.beta)!;
    expect(beta.currentNodeIds).toEqual(['pause']);
    expect(beta.waits).toEqual([expect.objectContaining({ nodeId: 'pause', name: 'Wait a month', tasks: [], answer: null })]);
    const firesAt = beta.waits[0].timers[0].firesAt;
    expect(Math.abs(firesAt - (Date.parse(beta.waitingSince!) + 30 * DAY))).toBeLessThan(HOUR);
    expect(byId.get(ids.delta)!.playbookVersion).toBe(2);

    const since = res.body.attempts.map((a) => Date.parse(a.waitingSince!));
    expect(since).toEqual([...since].sort((a, b) => a - b));
    expect(res.body.attempts.map((a) => a.id)).toEqual([ids.alpha, ids.gamma, ids.beta, ids.delta]);

    // A page of one still counts them all.
    const page = await list(ops, '&limit=1&offset=1');
    expect(page.body).toMatchObject({ total: 4, attempts: [{ id: ids.gamma }] });
  });

  it('filters by step, what it waits for, customer, version, department, incident and how long asleep', async () => {
    expect(await idsOf(ops, '&step=pause')).toEqual([ids.beta]);
    expect(await idsOf(ops, '&step=call&version=1')).toEqual([ids.alpha, ids.gamma]);
    expect(await idsOf(ops, '&version=2')).toEqual([ids.delta]);
    expect(await idsOf(ops, '&waiting=timer')).toEqual([ids.beta]);
    expect(await idsOf(ops, '&waiting=task')).toEqual([ids.alpha, ids.gamma, ids.delta]);
    expect(await idsOf(ops, '&waiting=answer')).toEqual([]);
    expect(await idsOf(ops, `&customer=${encodeURIComponent('alpha ltd')}`)).toEqual([ids.alpha]);
    expect(await idsOf(ops, `&customer=${encodeURIComponent(customers.gamma)}`)).toEqual([ids.gamma]);
    // LIKE's wildcards are text like any other.
    expect(await idsOf(ops, `&customer=${encodeURIComponent('%')}`)).toEqual([]);
    expect(await idsOf(ops, '&department=key_accounts')).toEqual([ids.gamma]);
    expect(await idsOf(ops, '&incident=none&status=running')).toEqual([ids.alpha, ids.gamma, ids.beta, ids.delta]);
    expect(await idsOf(ops, '&status=completed')).toEqual([]);
    const beta = (await list(ops, '&step=pause')).body.attempts[0];
    expect(await idsOf(ops, `&waitingBefore=${encodeURIComponent(beta.waitingSince!)}`)).toEqual([ids.alpha, ids.gamma]);

    for (const [query, path] of [
      ['&waiting=soon', 'waiting'],
      ['&waitingBefore=yesterday', 'waitingBefore'],
      ['&waitingBefore=0000-01-01T00:00:00Z', 'waitingBefore'],
      ['&limit=501', 'limit'],
      ['&sleepy=1', 'sleepy'],
    ]) {
      const bad = await product.api<ErrorBody>('GET', `/api/operate/attempts?playbook=${key}${query}`, { token: ops });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details!.problems.map((p) => p.path)).toContainEqual(['query', path]);
    }
  });

  it('scopes to the department for heads, lets auditors read, keeps reps out', async () => {
    expect(await idsOf(hana, '')).toEqual([ids.alpha, ids.beta, ids.delta]);
    expect((await list(hana)).body.total).toBe(3);
    expect(await idsOf(karl, '')).toEqual([ids.gamma]);
    expect(await idsOf(aude, '')).toEqual([ids.alpha, ids.gamma, ids.beta, ids.delta]);
    // Asking for another department's attempts by name finds nothing beyond reach.
    expect(await idsOf(hana, '&department=key_accounts')).toEqual([]);
    expect((await list(rita)).status).toBe(403);
    expect((await product.api('GET', '/api/operate/attempts')).status).toBe(401);
  });

  it('resolves a filter to the same attempts in the same order for a batch (attemptIdsMatching)', async () => {
    const head: SessionUser = { id: 'u-hana', username: 'hana', displayName: 'Hana Head', role: 'department_head', department: 'after_sales' };
    const manager: SessionUser = { id: 'u-olga', username: 'olga', displayName: 'Olga Ops', role: 'ops_manager', department: null };
    expect(await attemptIdsMatching(product.pool, head, { playbook: key }, 100)).toEqual(await idsOf(hana, ''));
    expect(await attemptIdsMatching(product.pool, manager, { playbook: key, waiting: 'task' }, 100)).toEqual(await idsOf(ops, '&waiting=task'));
    expect(await attemptIdsMatching(product.pool, manager, { playbook: key }, 2)).toEqual([ids.alpha, ids.gamma]);
    await expect(attemptIdsMatching(product.pool, manager, { playbook: key, waitingBefore: '0000-01-01T00:00:00Z' }, 10)).rejects.toMatchObject({
      status: 400,
    });
  });

  it('keeps saved views per person: create, refuse a duplicate name, list, delete own only; auditors change nothing', async () => {
    const body = { name: `Asleep ${suffix}`, filter: { playbook: key, waiting: 'timer', version: 1 } };
    const created = await product.api<z.infer<typeof SavedView>>('POST', '/api/operate/views', { token: ops, body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject(body);
    const dup = await product.api<ErrorBody>('POST', '/api/operate/views', { token: ops, body });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('view_exists');
    // The same name is another person's to use.
    const hanas = await product.api<z.infer<typeof SavedView>>('POST', '/api/operate/views', { token: hana, body });
    expect(hanas.status).toBe(201);

    const mine = await product.api<{ views: z.infer<typeof SavedView>[] }>('GET', '/api/operate/views', { token: ops });
    expect(mine.body.views.filter((v) => v.name === body.name)).toEqual([created.body]);
    // The saved filter opens the list it was saved from.
    const q = new URLSearchParams(Object.entries(created.body.filter).map(([k, v]) => [k, String(v)])).toString();
    expect((await product.api<List>('GET', `/api/operate/attempts?${q}`, { token: ops })).body.attempts.map((a) => a.id)).toEqual([ids.beta]);

    expect((await product.api('POST', '/api/operate/views', { token: aude, body: { ...body, name: 'auditor view' } })).status).toBe(403);
    expect((await product.api('DELETE', `/api/operate/views/${created.body.id}`, { token: aude })).status).toBe(403);
    expect((await product.api('GET', '/api/operate/views', { token: aude })).status).toBe(200);
    expect((await product.api('DELETE', `/api/operate/views/${created.body.id}`, { token: hana })).status).toBe(404);
    expect((await product.api('DELETE', `/api/operate/views/not-a-uuid`, { token: ops })).status).toBe(404);
    const bad = await product.api<ErrorBody>('POST', '/api/operate/views', { token: ops, body: { name: ' ', filter: { waiting: 'soon' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details!.problems.map((p) => p.path)).toEqual(expect.arrayContaining([['name'], ['filter', 'waiting']]));
    // A moment the list could not read is refused when saved, not when opened.
    const year0 = await product.api<ErrorBody>('POST', '/api/operate/views', {
      token: ops,
      body: { name: `Year zero ${suffix}`, filter: { waitingBefore: '0000-01-01T00:00:00Z' } },
    });
    expect(year0.status).toBe(400);
    expect(year0.body.error.details!.problems.map((p) => p.path)).toEqual([['filter', 'waitingBefore']]);

    expect((await product.api('DELETE', `/api/operate/views/${created.body.id}`, { token: ops })).body).toEqual({ ok: true });
    expect((await product.api('DELETE', `/api/operate/views/${created.body.id}`, { token: ops })).status).toBe(404);
    const after = await product.api<{ views: { id: string }[] }>('GET', '/api/operate/views', { token: ops });
    expect(after.body.views.map((v) => v.id)).not.toContain(created.body.id);
    const hanasViews = await product.api<{ views: { id: string }[] }>('GET', '/api/operate/views', { token: hana });
    expect(hanasViews.body.views.map((v) => v.id)).toContain(hanas.body.id);
  });

  it('plans a migration: both graphs, default mapping, removed, added and changed steps, where attempts wait', async () => {
    const res = await product.api<z.infer<typeof MigrationPlan>>('GET', `/api/playbooks/${key}/migration?from=1&to=2`, { token: aude });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      playbookKey: key,
      defaultMapping: { start: 'start', call: 'call', end: 'end' },
      removed: ['pause'],
      added: ['survey'],
      changed: ['call'],
      runningAt: [
        { nodeId: 'call', running: 2 },
        { nodeId: 'pause', running: 1 },
      ],
    });
    expect(Object.keys(res.body.defaultMapping).sort()).toEqual(['call', 'end', 'start']);
    expect(res.body.from.nodes).toContainEqual({ id: 'pause', name: 'Wait a month', kind: 'delay' });
    expect(res.body.to.nodes).toContainEqual({ id: 'survey', name: 'Survey', kind: 'task' });
    expect((res.body.from.graph as PlaybookGraph).nodes.map((n) => n.id)).toEqual(v1.nodes.map((n) => n.id));
    // A head counts only the attempts of their department.
    const head = await product.api<z.infer<typeof MigrationPlan>>('GET', `/api/playbooks/${key}/migration?from=1&to=2`, { token: hana });
    expect(head.body.runningAt).toEqual([
      { nodeId: 'call', running: 1 },
      { nodeId: 'pause', running: 1 },
    ]);

    const same = await product.api<ErrorBody>('GET', `/api/playbooks/${key}/migration?from=2&to=2`, { token: ops });
    expect(same.status).toBe(400);
    expect(same.body.error.details!.problems).toEqual([expect.objectContaining({ code: 'same_version', path: ['query', 'to'] })]);
    expect((await product.api('GET', `/api/playbooks/${key}/migration?from=1&to=3`, { token: ops })).status).toBe(404);
    expect((await product.api('GET', `/api/playbooks/no-such-${suffix}/migration?from=1&to=2`, { token: ops })).status).toBe(404);
    expect((await product.api('GET', `/api/playbooks/${key}/migration?from=1`, { token: ops })).status).toBe(400);
    expect((await product.api('GET', `/api/playbooks/${key}/migration?from=1&to=2`, { token: rita })).status).toBe(403);
  });

  it('lists an ended attempt after the running ones, with its outcome and nothing to wait for', async () => {
    for (const nodeId of ['call', 'survey']) {
      const task = await eventually(
        async () => (await product.pool.query("SELECT id FROM tasks WHERE attempt_id = $1 AND node_id = $2 AND status = 'open'", [ids.delta, nodeId])).rows[0],
      );
      expect((await product.api('POST', `/api/tasks/${task.id}/complete`, { token: rita, body: { outcome: 'done' } })).status).toBe(200);
    }
    const ended = await eventually(async () => (await list(ops, '&status=completed')).body.attempts[0], 30_000, 'delta completed');
    expect(ended).toMatchObject({ id: ids.delta, outcome: 'retained', waits: [], waitingSince: null, currentNodeIds: [], endedAt: expect.any(String) });
    expect(await idsOf(ops, '')).toEqual([ids.alpha, ids.gamma, ids.beta, ids.delta]);
    expect(await idsOf(ops, '&waiting=task')).toEqual([ids.alpha, ids.gamma]);
  });

  it('links to the run in the configured Temporal UI, the embedded one, or nowhere in production without one', () => {
    const base = { TEMPORAL_UI_PORT: 8233, TEMPORAL_NAMESPACE: 'retention ns' };
    expect(temporalLink({ ...base, MODE: 'production', TEMPORAL_UI_URL: 'https://temporal.example.org/' })('cust/1:win back')).toBe(
      'https://temporal.example.org/namespaces/retention%20ns/workflows/cust%2F1%3Awin%20back',
    );
    expect(temporalLink({ ...base, MODE: 'embedded' })('w')).toBe('http://127.0.0.1:8233/namespaces/retention%20ns/workflows/w');
    expect(temporalLink({ ...base, MODE: 'production' })('w')).toBeNull();
  });

  it('shows incidents in the list, the counts, the incident list and the operation history, scoped like the list', async () => {
    const empty = await product.api<z.infer<typeof OperationHistory>>('GET', `/api/attempts/${ids.alpha}/operations`, { token: ops });
    expect(empty.body).toEqual({ operations: [], incidents: [] });

    // As the worker records them (workers/incidents.ts, workers/effects.ts): a refused write and an operator's change.
    const incidentId = `inc-${suffix}`;
    await product.pool.query(
      `INSERT INTO attempt_incidents (incident_id, attempt_id, code, message, node_ids, transition) VALUES ($1, $2, 'check_violation', 'value out of range', '{call}', 1)`,
      [incidentId, ids.alpha],
    );
    await product.pool.query(
      `INSERT INTO attempt_operations (operation_id, attempt_id, operation, actor_id, reason, details) VALUES ($1, $2, 'set_variable', 'u-olga', 'typo in the offer', $3)`,
      [`op-${suffix}`, ids.alpha, JSON.stringify({ name: 'offer', value: 10 })],
    );

    expect(await idsOf(ops, '&incident=open')).toEqual([ids.alpha]);
    expect(await idsOf(ops, '&incident=none&status=running')).toEqual([ids.gamma, ids.beta]);
    const row = (await list(ops, '&incident=open')).body.attempts[0];
    expect(row.incident).toMatchObject({ incidentId, attemptId: ids.alpha, code: 'check_violation', nodeIds: ['call'], transition: 1, resolvedAt: null });

    const counts = await product.api<z.infer<typeof OperateCounts>>('GET', `/api/operate/counts?playbook=${key}`, { token: ops });
    expect(counts.status).toBe(200);
    expect(counts.body).toEqual({
      byVersion: [
        { version: 1, running: 3, completed: 0, incidents: 1 },
        { version: 2, running: 0, completed: 1, incidents: 0 },
      ],
      byStep: [
        { version: 1, nodeId: 'call', running: 2, incidents: 1 },
        { version: 1, nodeId: 'pause', running: 1, incidents: 0 },
      ],
    });
    const karls = await product.api<z.infer<typeof OperateCounts>>('GET', `/api/operate/counts?playbook=${key}`, { token: karl });
    expect(karls.body.byVersion[0]).toEqual({ version: 1, running: 1, completed: 0, incidents: 0 });
    expect(karls.body.byStep).toEqual([{ version: 1, nodeId: 'call', running: 1, incidents: 0 }]);
    expect((await product.api('GET', `/api/operate/counts?playbook=no-such-${suffix}`, { token: ops })).status).toBe(404);
    expect((await product.api('GET', '/api/operate/counts', { token: ops })).status).toBe(400);

    type Incidents = z.infer<typeof IncidentList>['incidents'];
    const open = async (token: string, query: string) =>
      (await product.api<{ incidents: Incidents }>('GET', `/api/operate/incidents${query}`, { token })).body.incidents.filter(
        (i) => i.incidentId === incidentId,
      );
    expect(await open(hana, '?open=true')).toEqual([
      expect.objectContaining({ incidentId, customerName: `Alpha Ltd ${suffix}`, playbookKey: key, playbookVersion: 1, message: 'value out of range' }),
    ]);
    expect(await open(karl, '?open=true')).toEqual([]);
    expect(await open(ops, '?open=false')).toEqual([]);
    await product.pool.query(
      "UPDATE attempt_incidents SET resolved_at = now(), resolution = 'skip', resolved_by = 'u-olga', resolution_reason = 'fixed by hand' WHERE incident_id = $1",
      [incidentId],
    );
    expect(await open(aude, '?open=false')).toEqual([
      expect.objectContaining({ resolution: 'skip', resolvedBy: 'Olga Ops', resolutionReason: 'fixed by hand' }),
    ]);
    expect(await open(aude, '')).toHaveLength(1);
    expect(await idsOf(ops, '&incident=open')).toEqual([]);
    expect((await product.api('GET', '/api/operate/incidents?open=yes', { token: ops })).status).toBe(400);

    const history = await product.api<z.infer<typeof OperationHistory>>('GET', `/api/attempts/${ids.alpha}/operations`, { token: hana });
    expect(history.status).toBe(200);
    expect(history.body.operations).toEqual([
      {
        operationId: `op-${suffix}`,
        operation: 'set_variable',
        actorId: 'u-olga',
        actorName: 'Olga Ops',
        reason: 'typo in the offer',
        details: { name: 'offer', value: 10 },
        at: expect.any(String),
      },
    ]);
    expect(history.body.incidents).toEqual([expect.objectContaining({ incidentId, resolution: 'skip' })]);
    // Out of reach or not an attempt: 404, as if it did not exist.
    expect((await product.api('GET', `/api/attempts/${ids.alpha}/operations`, { token: karl })).status).toBe(404);
    expect((await product.api('GET', `/api/attempts/${randomUUID()}/operations`, { token: ops })).status).toBe(404);
    expect((await product.api('GET', `/api/attempts/${ids.alpha}/operations`, { token: rita })).status).toBe(403);
  });
});
