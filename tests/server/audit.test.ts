import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { recordAudit } from '../../platform/db/audit';
import { seedDemo } from '../../server/seed';
import type { PlaybookGraph } from '../../playbooks/graph';
import { eventually, newCustomer, startProduct, type Product } from '../support/product';
import { scratchDatabase } from '../support/scratchDatabase';

const at = { x: 0, y: 0 };
const graph: PlaybookGraph = {
  nodes: [
    { id: 'start', kind: 'start', position: at, config: {} },
    {
      id: 'call',
      kind: 'task',
      name: 'Call back',
      position: at,
      config: {
        title: 'Call back',
        assignee: { type: 'role', role: 'rep' },
        outcomes: [{ key: 'reached', label: 'Reached' }],
        form: [{ key: 'churn_reason', label: 'Reason', type: 'choice', required: true, options: [{ value: 'C', label: 'Price' }] }],
      },
    },
    { id: 'wait', kind: 'wait_response', name: 'Wait for answer', position: at, config: { kinds: ['accepted', 'declined'], timeout: 'P7D' } },
    { id: 'won', kind: 'end', position: at, config: { outcome: 'won_back' } },
    { id: 'lost', kind: 'end', position: at, config: { outcome: 'lost' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'call' },
    { id: 'e2', source: 'call', sourceHandle: 'reached', target: 'wait' },
    { id: 'e3', source: 'wait', sourceHandle: 'accepted', target: 'won' },
    { id: 'e4', source: 'wait', sourceHandle: 'declined', target: 'lost' },
    { id: 'e5', source: 'wait', sourceHandle: 'no_response', target: 'lost' },
  ],
};

interface TimelineEvent {
  kind: string;
  summary: string;
  actor: { userId: string } | null;
  at: string;
}

describe('audit', () => {
  let product: Product;
  let ops: string, rep: string, auditor: string;
  let attemptId: string;
  const key = `audit-${Date.now().toString(36)}`;

  beforeAll(async () => {
    product = await startProduct();
    [ops, rep, auditor] = await Promise.all(['olga', 'rita', 'aude'].map((u) => product.login(u)));
    await product.api('PUT', `/api/playbooks/${key}/draft`, { token: ops, body: { name: 'Audit demo', graph } });
    await product.api('POST', `/api/playbooks/${key}/publish`, { token: ops });
    const started = await product.api<{ id: string }>('POST', '/api/runs', {
      token: ops,
      body: { playbookKey: key, customerId: await newCustomer(product.pool) },
    });
    attemptId = started.body.id;
    const task = await eventually(
      async () =>
        (await product.api<{ tasks: { id: string; attemptId: string }[] }>('GET', '/api/inbox?limit=200', { token: rep })).body.tasks.find(
          (t) => t.attemptId === attemptId,
        ),
      20_000,
      'the task',
    );
    await product.api('POST', `/api/tasks/${task.id}/claim`, { token: rep });
    await product.api('POST', `/api/tasks/${task.id}/complete`, { token: rep, body: { outcome: 'reached', form: { churn_reason: 'C' } } });
    await product.api('POST', `/api/runs/${attemptId}/responses`, { token: rep, body: { kind: 'accepted', channel: 'phone' } });
    await eventually(
      async () => (await product.pool.query("SELECT 1 FROM recovery_attempts WHERE id = $1 AND status = 'completed'", [attemptId])).rowCount,
      20_000,
      'the run to end',
    );
  });
  afterAll(() => product.stop());

  it('tells the attempt in business terms, in order, with who did what', async () => {
    const res = await product.api<{
      timeline: TimelineEvent[];
      path: { nodes: Record<string, number>; edges: Record<string, number> };
      snapshots: { activeNodeIds: string[]; variables: Record<string, unknown> }[];
    }>('GET', `/api/runs/${attemptId}/timeline`, { token: auditor });
    expect(res.status).toBe(200);
    const kinds = res.body.timeline.map((e) => e.kind);
    const order = ['run_started', 'task_created', 'task_claimed', 'task_completed', 'customer_answered', 'outcome', 'run_completed'];
    const positions = order.map((k) => kinds.indexOf(k));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    const find = (k: string) => res.body.timeline.find((e) => e.kind === k)!;
    expect(find('run_started').actor?.userId).toBe('u-olga');
    expect(find('task_completed').actor?.userId).toBe('u-rita');
    expect(find('task_completed').summary).toBe('Task completed: Reached');
    expect(find('customer_answered').summary).toContain('accepted');
    expect(kinds).toContain('variables_changed');
    expect(res.body.path.nodes).toEqual({ start: 1, call: 1, wait: 1, won: 1 });
    expect(res.body.path.edges).toEqual({ 'start:next': 1, 'call:reached': 1, 'wait:accepted': 1 });
    const waiting = res.body.snapshots.find((s) => s.activeNodeIds.includes('wait'));
    expect(waiting?.variables.churn_reason).toBe('C');
  });

  it('verified replay of the attempt matches the current code; a corrupted history diverges', async () => {
    const replay = await product.api<{ result: string; events: number }>('GET', `/api/runs/${attemptId}/replay`, { token: auditor });
    expect(replay.body.result).toBe('matches');
    expect(replay.body.events).toBeGreaterThan(10);

    const recorded = JSON.parse(readFileSync(path.resolve(__dirname, '..', 'histories', 'call-back-reached.json'), 'utf8')) as {
      events: { eventType: string; activityTaskScheduledEventAttributes?: { activityType: { name: string } } }[];
    };
    const good = await product.api<{ result: string }>('POST', '/api/replay', { token: auditor, body: recorded });
    expect(good.body.result).toBe('matches');
    // The history claims the workflow scheduled another activity than the code does.
    const corrupted = JSON.parse(JSON.stringify(recorded)) as typeof recorded;
    corrupted.events.find((e) => e.eventType === 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED')!.activityTaskScheduledEventAttributes!.activityType.name = 'sendGift';
    const bad = await product.api<{ result: string; message: string }>('POST', '/api/replay', { token: auditor, body: corrupted });
    expect(bad.body.result).toBe('diverged');
    expect(bad.body.message).toMatch(/[Nn]ondeterminism/);
    const garbage = await product.api<{ result: string }>('POST', '/api/replay', { token: auditor, body: { events: [{ eventType: 'nonsense' }] } });
    expect(garbage.body.result).toBe('unreadable');
  });

  it('exports the attempt as a JSON bundle and a printable report', async () => {
    const bundle = await product.api<{ graph: unknown; plan: { hash: string }; histories: { history: { events: unknown[] } }[]; timeline: unknown[] }>(
      'GET',
      `/api/runs/${attemptId}/export`,
      { token: auditor },
    );
    expect(bundle.headers.get('content-disposition')).toContain(`recovery-attempt-${attemptId}.json`);
    expect(bundle.body.graph).toEqual(expect.objectContaining({ nodes: expect.any(Array) }));
    expect(bundle.body.histories[0].history.events.length).toBeGreaterThan(10);
    const report = await fetch(`${product.url}/api/runs/${attemptId}/report`, { headers: { authorization: `Bearer ${auditor}` } });
    const html = await report.text();
    expect(report.headers.get('content-type')).toContain('text/html');
    expect(html).toContain('Customer answered');
    expect((await product.api('GET', `/api/runs/${attemptId}/export`, { token: rep })).status).toBe(403);
  });

  it('finds attempts by playbook, outcome and actor', async () => {
    const found = await product.api<{ runs: { id: string }[] }>('GET', `/api/runs?playbook=${key}&outcome=won_back&actor=u-rita`, { token: auditor });
    expect(found.body.runs.map((r) => r.id)).toEqual([attemptId]);
    const none = await product.api<{ runs: unknown[] }>('GET', `/api/runs?playbook=${key}&outcome=lost`, { token: auditor });
    expect(none.body.runs).toEqual([]);
  });

  it('the audit chain verifies, and names the first row changed behind its back', async () => {
    const ok = await product.api<{ ok: boolean; rows: number }>('GET', '/api/audit/verify', { token: auditor });
    expect(ok.body).toMatchObject({ ok: true, firstBroken: null, missingTail: null, anchor: { forgedLines: [] } });
    // The app's own role may not change the log at all; the owner is stopped by the trigger.
    await expect(product.pool.query("UPDATE audit_log SET action = 'x' WHERE attempt_id = $1", [attemptId])).rejects.toThrow(/permission denied/);
    await expect(product.pool.query('DELETE FROM audit_log WHERE attempt_id = $1', [attemptId])).rejects.toThrow(/permission denied/);
    const sharedOwner = new Pool({ connectionString: process.env.TEST_OWNER_DATABASE_URL });
    try {
      await expect(sharedOwner.query("UPDATE audit_log SET action = 'x' WHERE attempt_id = $1", [attemptId])).rejects.toThrow(/append-only/);
    } finally {
      await sharedOwner.end();
    }

    // The forgery itself happens in a database and product of its own: the chain is one per
    // database, and a broken one would fail every later suite's report and verify in this run.
    const scratch = await scratchDatabase('forged');
    const isolated = await startProduct(
      { DATABASE_URL: scratch.appUrl, DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'retention-forged-')) },
      { worker: false },
    );
    const owner = new Pool({ connectionString: scratch.ownerUrl });
    try {
      await seedDemo(isolated.pool);
      const aude = await isolated.login('aude');
      for (const n of [1, 2, 3]) await recordAudit(isolated.pool, { actorId: 'u-rita', action: 'task_claimed', subject: `task-${n}`, details: { n } });
      expect((await isolated.api('GET', '/api/audit/verify', { token: aude })).body).toMatchObject({ ok: true, firstBroken: null });
      const victim = await owner.query<{ id: string }>("SELECT id::text FROM audit_log WHERE subject = 'task-2'");
      const client = await owner.connect();
      try {
        // Only the owner disabling the trigger can do this; the chain still tells.
        await client.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
        await client.query(`UPDATE audit_log SET details = '{"forged": true}' WHERE id = $1`, [victim.rows[0].id]);
      } finally {
        await client.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
        client.release();
      }
      const broken = await isolated.api<{ ok: boolean; firstBroken: { id: string; reason: string } }>('GET', '/api/audit/verify', { token: aude });
      expect(broken.body).toMatchObject({ ok: false, firstBroken: { id: victim.rows[0].id, reason: 'content_changed' } });
    } finally {
      await owner.end();
      await isolated.stop();
    }
    // The shared chain every other suite reads is untouched.
    expect((await product.api('GET', '/api/audit/verify', { token: auditor })).body).toMatchObject({ ok: true, firstBroken: null });
  });

  it('auditors read everything and change nothing: every mutating route answers 403', async () => {
    const doc = await product.api<{ paths: Record<string, Record<string, { 'x-safe'?: boolean; security?: unknown[] }>> }>('GET', '/api/openapi.json', {
      token: auditor,
    });
    const mutating = Object.entries(doc.body.paths).flatMap(([p, methods]) =>
      Object.entries(methods)
        .filter(([m, op]) => m !== 'get' && !op['x-safe'] && !p.startsWith('/api/auth/'))
        .map(([m]) => ({ method: m.toUpperCase(), path: p })),
    );
    expect(mutating.length).toBeGreaterThanOrEqual(13);
    for (const r of mutating) {
      const concrete = r.path.replace(/\{[^}]+\}/g, (m) => (m === '{key}' ? key : m === '{id}' ? attemptId : '1'));
      const res = await product.api<{ error?: { code: string } }>(r.method, concrete, { token: auditor, body: {} });
      expect({ route: `${r.method} ${r.path}`, status: res.status }).toEqual({ route: `${r.method} ${r.path}`, status: 403 });
    }
    expect((await product.api('GET', '/api/inbox', { token: auditor })).status).toBe(200);
    expect((await product.api('GET', '/api/audit', { token: auditor })).status).toBe(200);
  });
});
