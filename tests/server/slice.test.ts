import { callBackGraph } from '../../playbooks/templates/callBack';
import { eventually, newCustomer, startProduct, type Product } from '../support/product';

/** The slice through every layer: draft → publish → start → task in inbox → complete → outcome. */
describe('call-back slice', () => {
  let product: Product;
  let ops: string;
  let rep: string;
  const key = `slice-${Date.now().toString(36)}`;

  beforeAll(async () => {
    product = await startProduct();
    ops = await product.login('olga');
    rep = await product.login('rita');
  });
  afterAll(() => product.stop());

  interface InboxTask {
    id: string;
    attemptId: string;
    customerId: string;
    status: string;
    outcomes: { key: string }[];
  }
  // Narrowed to the customer: in a suite run the rep's inbox holds other suites' tasks, and a page may not reach this one.
  const inboxTaskFor = (token: string, attemptId: string, customerId: string) =>
    product
      .api<{ tasks: InboxTask[] }>('GET', `/api/inbox?customerId=${encodeURIComponent(customerId)}`, { token })
      .then((r) => r.body.tasks.find((t) => t.attemptId === attemptId));

  async function startAttempt(customerId: string) {
    const res = await product.api<{ id: string; workflowId: string }>('POST', '/api/runs', { token: ops, body: { playbookKey: key, customerId } });
    expect(res.status).toBe(201);
    return res.body;
  }

  it('refuses a malformed draft with every problem and its JSON path, storing nothing', async () => {
    const res = await product.api<{ error: { code: string; details: { problems: { path: (string | number)[] }[] } } }>('PUT', `/api/playbooks/${key}/draft`, {
      token: ops,
      body: { name: '', graph: { nodes: [{ id: 'bad id', kind: 7, position: { x: 0, y: 0 } }], edges: 'none' } },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    const paths = res.body.error.details.problems.map((p) => p.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['name', 'graph.nodes.0.id', 'graph.nodes.0.kind', 'graph.edges']));
    expect((await product.api('GET', `/api/playbooks/${key}`, { token: ops })).status).toBe(404);
  });

  it('answers a body that is not JSON with a structured 400', async () => {
    const res = await product.api<{ error: { code: string } }>('PUT', `/api/playbooks/${key}/draft`, { token: ops, raw: '{"name": ' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('malformed_json');
  });

  it('saves a draft, then publishes it as immutable version 1', async () => {
    const saved = await product.api<{ revision: number; problems: unknown[] }>('PUT', `/api/playbooks/${key}/draft`, {
      token: ops,
      body: { name: 'Slice call-back', graph: callBackGraph },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.problems).toEqual([]);
    expect(saved.headers.get('etag')).toBe(`"${saved.body.revision}"`);

    const published = await product.api<{ version: number; hash: string }>('POST', `/api/playbooks/${key}/publish`, { token: ops });
    expect(published.status).toBe(201);
    expect(published.body.version).toBe(1);
    expect(published.body.hash).toMatch(/^[0-9a-f]{64}$/);

    const again = await product.api<{ version: number; unchanged: boolean }>('POST', `/api/playbooks/${key}/publish`, { token: ops });
    expect(again.body).toMatchObject({ version: 1, unchanged: true });

    const version = await product.api<{ graph: unknown; hash: string; plan: { startNodeId: string } }>('GET', `/api/playbooks/${key}/versions/1`, {
      token: rep,
    });
    expect(version.status).toBe(200);
    expect(version.body.hash).toBe(published.body.hash);
    expect(version.body.plan.startNodeId).toBe('start');
    await expect(product.pool.query('UPDATE playbook_versions SET plan_hash = $1 WHERE playbook_key = $2', ['x', key])).rejects.toThrow(/permission denied/);
  });

  it('a stale draft save gets 412 instead of overwriting', async () => {
    const current = await product.api('GET', `/api/playbooks/${key}`, { token: ops });
    const etag = current.headers.get('etag')!;
    const first = await product.api('PUT', `/api/playbooks/${key}/draft`, {
      token: ops,
      headers: { 'if-match': etag },
      body: { name: 'Slice call-back', graph: callBackGraph },
    });
    expect(first.status).toBe(200);
    const stale = await product.api<{ error: { code: string } }>('PUT', `/api/playbooks/${key}/draft`, {
      token: ops,
      headers: { 'if-match': etag },
      body: { name: 'Overwrite', graph: callBackGraph },
    });
    expect(stale.status).toBe(412);
    expect(stale.body.error.code).toBe('draft_changed');
  });

  it('runs a recovery attempt to its end through the inbox', async () => {
    const customerId = await newCustomer(product.pool);
    const attempt = await startAttempt(customerId);
    expect(attempt.workflowId).toBe(`recovery/${customerId}/${key}`);

    const second = await product.api<{ error: { code: string } }>('POST', '/api/runs', { token: ops, body: { playbookKey: key, customerId } });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('attempt_already_running');

    const task = await eventually(() => inboxTaskFor(rep, attempt.id, customerId), 20_000, 'the call-back task in the inbox');
    const row = await product.pool.query('SELECT status, assignee_role, department_id FROM tasks WHERE id = $1', [task.id]);
    expect(row.rows[0]).toEqual({ status: 'open', assignee_role: 'rep', department_id: 'after_sales' });
    expect(task.outcomes.map((o) => o.key)).toEqual(['reached', 'unreachable']);

    const otherDepartment = await product.login('kim');
    expect(await inboxTaskFor(otherDepartment, attempt.id, customerId)).toBeUndefined();
    expect((await product.api('POST', `/api/tasks/${task.id}/complete`, { token: otherDepartment, body: { outcome: 'reached' } })).status).toBe(404);
    const auditor = await product.login('aude');
    expect((await product.api('POST', `/api/tasks/${task.id}/complete`, { token: auditor, body: { outcome: 'reached' } })).status).toBe(403);

    const wrongOutcome = await product.api<{ error: { code: string } }>('POST', `/api/tasks/${task.id}/complete`, { token: rep, body: { outcome: 'maybe' } });
    expect(wrongOutcome.status).toBe(400);
    const wrongForm = await product.api<{ error: { details: { problems: { path: string[] }[] } } }>('POST', `/api/tasks/${task.id}/complete`, {
      token: rep,
      body: { outcome: 'reached', form: { notes: 5, extra: 'x' } },
    });
    expect(wrongForm.status).toBe(400);
    expect(wrongForm.body.error.details.problems.map((p) => p.path.join('.'))).toEqual(expect.arrayContaining(['form.notes']));

    const done = await product.api<{ task: { status: string; outcome: string }; run: { status: string } }>('POST', `/api/tasks/${task.id}/complete`, {
      token: rep,
      body: { outcome: 'reached', form: { notes: 'coming back next week' } },
    });
    expect(done.status).toBe(200);
    expect(done.body.task).toMatchObject({ status: 'completed', outcome: 'reached' });
    expect(done.body.run.status).toBe('completed');

    const twice = await product.api<{ error: { code: string } }>('POST', `/api/tasks/${task.id}/complete`, { token: rep, body: { outcome: 'unreachable' } });
    expect(twice.status).toBe(409);

    const run = await product.api<{ status: string; outcome: string; temporalStatus: string }>('GET', `/api/runs/${attempt.id}`, { token: auditor });
    expect(run.body).toMatchObject({ status: 'completed', outcome: 'retained', temporalStatus: 'COMPLETED' });
    const stored = await product.pool.query('SELECT form_data, completed_by FROM tasks WHERE id = $1', [task.id]);
    expect(stored.rows[0]).toEqual({ form_data: { notes: 'coming back next week' }, completed_by: 'u-rita' });
    const byCustomer = await product.api<{ runs: { id: string }[] }>('GET', `/api/runs?customerId=${customerId}`, { token: rep });
    expect(byCustomer.body.runs.map((r) => r.id)).toEqual([attempt.id]);

    // Both transitions were stored by the worker that decided them, as local activities inside its
    // workflow task: no activity task waits in Temporal's queue, behind a burst of new attempts or
    // otherwise, between the rep's completion and its rows.
    const history = await product.temporal.workflow.getHandle(attempt.workflowId).fetchHistory();
    const scheduled = (history.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes);
    expect(scheduled).toEqual([]);
    const localStores = (history.events ?? []).filter(
      (e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity' && markerActivityType(e.markerRecordedEventAttributes) === 'storeTransition',
    );
    expect(localStores).toHaveLength(2);
  });

  it('survives the worker dying while the run waits on its task', async () => {
    const customerId = await newCustomer(product.pool);
    const attempt = await startAttempt(customerId);
    const task = await eventually(() => inboxTaskFor(rep, attempt.id, customerId), 20_000, 'the task');

    await product.stopWorker();
    // Completed while no worker runs: the Update waits in Temporal until a new worker picks it up.
    const completion = product.api<{ run: { status: string } }>('POST', `/api/tasks/${task.id}/complete`, { token: rep, body: { outcome: 'unreachable' } });
    await new Promise((r) => setTimeout(r, 1000));
    await product.startWorker();
    const done = await completion;
    expect(done.status).toBe(200);
    expect(done.body.run.status).toBe('completed');
    const row = await eventually(
      async () => (await product.pool.query("SELECT outcome FROM recovery_attempts WHERE id = $1 AND status = 'completed'", [attempt.id])).rows[0],
      20_000,
      'the stored outcome',
    );
    expect(row.outcome).toBe('closed');
    const tasks = await product.pool.query('SELECT count(*)::int AS n FROM tasks WHERE attempt_id = $1', [attempt.id]);
    expect(tasks.rows[0].n).toBe(1);
  });
});

/** The activity a local-activity marker records (its `data` detail, JSON). */
function markerActivityType(attrs: { details?: Record<string, { payloads?: { data?: Uint8Array | null }[] | null }> | null }): string | undefined {
  const data = attrs.details?.data?.payloads?.[0]?.data;
  return data ? (JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type?: string }).activity_type : undefined;
}
