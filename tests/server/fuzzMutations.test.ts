import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import pino from 'pino';
import type { z } from 'zod';
import { loadConfig } from '../../platform/config';
import { callBackGraph } from '../../playbooks/templates/callBack';
import { apiRoutes } from '../../server/app';
import type { RouteDef } from '../../server/http';
import type { TaskChangeHub } from '../../server/inbox/live';
import { answerOf, type Answer } from '../support/answerOf';
import { eventually, newCustomer, startProduct, type Product } from '../support/product';

/**
 * Every route that changes something, fed bodies its own declared schema refuses, as an admin (so
 * the role check lets every request reach the body check and the handler). Whatever arrives:
 * a 4xx with {error: {code, message}}, a 400 lists its problems each with a path, never a 5xx or a
 * hang, and nothing already stored changes — not the fuzz's own playbook, attempt, tasks, customer
 * and contacts, nor the shared settings (risk rules, saved views, batches, imports, users).
 * The schema is the oracle: a generated body the schema accepts is not sent, so every request is
 * one the API must refuse whole. Seeds are fixed, so every run sends the same requests.
 */

const CASES_PER_ROUTE = 25;
const HANG_MS = 15_000;

/** Values scripts and attackers put where a field goes: wrong types, operators, huge and hostile text. */
const hostile = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    true,
    0,
    -1,
    1e308,
    Number.MAX_SAFE_INTEGER + 2,
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\ud800',
    '💥',
    "'; DROP TABLE tasks; --",
    'x'.repeat(20_000),
    [],
    [null],
    {},
    { $ne: null },
    { __proto__: { admin: true } },
    '2025-02-30T00:00:00Z',
    'P-1D',
    'not-a-uuid',
  ),
  fc.jsonValue({ maxDepth: 2 }),
);

/**
 * A body the route's schema refuses: a non-object, or the route's own fields with some of them
 * hostile (and maybe one missing), or unknown fields only. Shapes come from the zod object.
 */
function bodyArb(schema: z.ZodType): fc.Arbitrary<unknown> {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape ?? {};
  const keys = Object.keys(shape);
  const object = keys.length
    ? fc.dictionary(fc.constantFrom(...keys), hostile, { minKeys: 0, maxKeys: keys.length })
    : fc.dictionary(fc.string({ maxLength: 8 }), hostile, { maxKeys: 3 });
  return fc.oneof({ arbitrary: object, weight: 8 }, { arbitrary: fc.oneof(fc.constantFrom<unknown>(null, 5, 'text', [], [{}]), hostile), weight: 2 });
}

/** Why an answer breaks the contract for a body the schema refuses, or null when it keeps it. */
function breach(answer: Answer): string | null {
  if (answer.status < 400 || answer.status >= 500) return `status ${answer.status} for a body its schema refuses`;
  const error = (answer.json as { error?: { code?: unknown; message?: unknown; details?: { problems?: unknown } } } | undefined)?.error;
  if (typeof error?.code !== 'string' || typeof error.message !== 'string') return 'no JSON {error: {code, message}}';
  if (answer.status === 400) {
    const problems = error.details?.problems;
    if (problems !== undefined && (!Array.isArray(problems) || problems.some((p) => !Array.isArray((p as { path?: unknown }).path))))
      return 'a problem without a path';
  }
  return null;
}

describe('API fuzz: refused bodies on every mutating route change nothing', () => {
  let product: Product;
  let admin: string;
  const suffix = randomUUID().slice(0, 8);
  const playbookKey = `fuzz-mut-${suffix}`;
  let customerId: string;
  let attemptId: string;
  let taskId: string;
  let routes: RouteDef[];

  beforeAll(async () => {
    product = await startProduct();
    admin = await product.login('adam');
    expect(
      (await product.api('PUT', `/api/playbooks/${playbookKey}/draft`, { token: admin, body: { name: 'Fuzz mutations', graph: callBackGraph } })).status,
    ).toBe(200);
    expect((await product.api('POST', `/api/playbooks/${playbookKey}/publish`, { token: admin })).status).toBe(201);
    customerId = await newCustomer(product.pool);
    const started = await product.api<{ id: string }>('POST', '/api/attempts', { token: admin, body: { playbookKey, customerId } });
    expect(started.status).toBe(201);
    attemptId = started.body.id;
    taskId = (
      await eventually(
        async () => (await product.pool.query<{ id: string }>("SELECT id FROM tasks WHERE attempt_id = $1 AND status = 'open'", [attemptId])).rows[0],
        20_000,
        'the call-back task',
      )
    ).id;
    // The declarations themselves (with their zod bodies), the same ones the app mounts.
    const hub = { onChange: () => undefined } as unknown as TaskChangeHub;
    routes = apiRoutes({ pool: product.pool, temporal: product.temporal, log: pino({ level: 'silent' }), config: loadConfig({}) } as never, hub);
  });

  afterAll(async () => {
    if (!product) return;
    await product.temporal.workflow
      .getHandle(
        (await product.pool.query<{ workflow_id: string }>('SELECT workflow_id FROM recovery_attempts WHERE id = $1', [attemptId])).rows[0].workflow_id,
      )
      .terminate('fuzz test cleanup')
      .catch(() => undefined);
    await product.stop();
  });

  /** What must not move: the fuzz's own objects, and the shared settings any route could touch. */
  async function stored(): Promise<unknown> {
    const q = async (sql: string, params: unknown[] = []) => (await product.pool.query(sql, params)).rows;
    return {
      playbook: await q('SELECT key, name, archived_at, draft_revision, draft_graph FROM playbooks WHERE key = $1', [playbookKey]),
      versions: await q('SELECT version, plan_hash FROM playbook_versions WHERE playbook_key = $1 ORDER BY version', [playbookKey]),
      playbooks: await q('SELECT count(*)::int AS n, count(archived_at)::int AS archived FROM playbooks'),
      attempt: await q('SELECT status, outcome, playbook_version, migrated_from FROM recovery_attempts WHERE id = $1', [attemptId]),
      tasks: await q('SELECT * FROM tasks WHERE attempt_id = $1 ORDER BY id', [attemptId]),
      notes: await q('SELECT count(*)::int AS n FROM task_notes WHERE task_id = $1', [taskId]),
      customer: await q('SELECT * FROM customers WHERE id = $1', [customerId]),
      contacts: await q('SELECT count(*)::int AS n FROM contacts WHERE customer_id = $1', [customerId]),
      activity: await q('SELECT count(*)::int AS n FROM customer_activity WHERE customer_id = $1', [customerId]),
      operations: await q('SELECT count(*)::int AS n FROM attempt_operations WHERE attempt_id = $1', [attemptId]),
      incidents: await q('SELECT count(*)::int AS n FROM attempt_incidents WHERE attempt_id = $1', [attemptId]),
      riskDraft: await q('SELECT * FROM risk_rule_draft'),
      riskVersions: await q('SELECT count(*)::int AS n FROM risk_rule_versions'),
      views: await q('SELECT count(*)::int AS n FROM operate_views'),
      batches: await q('SELECT count(*)::int AS n FROM attempt_batches'),
      imports: await q('SELECT count(*)::int AS n FROM import_jobs'),
      users: await q('SELECT id, role, department_id, display_name FROM users ORDER BY id'),
    };
  }

  const send = (method: string, path: string, payload: string, contentType = 'application/json') =>
    answerOf(product.url + path, { method, headers: { authorization: `Bearer ${admin}`, 'content-type': contentType }, body: payload }, HANG_MS);

  /** The fuzz's own object for each path parameter, so refusals are about the body, not a missing object. */
  const concrete = (path: string) =>
    path.replace(/:(\w+)/g, (_m, name: string) => {
      if (name === 'key') return playbookKey;
      if (path.startsWith('/api/customers')) return customerId;
      if (path.startsWith('/api/tasks')) return taskId;
      if (path.startsWith('/api/users')) return 'u-rita';
      if (name === 'id' && (path.startsWith('/api/attempts') || path.startsWith('/api/runs'))) return attemptId;
      return randomUUID();
    });

  it('every mutating route with a body: refused whole, with a clear error, and nothing stored changes', async () => {
    // Login is throttled per address (its own suite covers it); every other route with a body is fuzzed.
    const targets = routes.filter((r) => r.method !== 'get' && r.body && r.path !== '/api/auth/login');
    expect(targets.length).toBeGreaterThan(30);
    const before = await stored();
    const failures: string[] = [];
    let sent = 0;
    for (const [i, r] of targets.entries()) {
      const schema = r.body as z.ZodType;
      const bodies = fc.sample(bodyArb(schema), { numRuns: CASES_PER_ROUTE * 4, seed: 4200 + i });
      const refused = bodies.filter((b) => !schema.safeParse(b).success).slice(0, CASES_PER_ROUTE);
      const path = concrete(r.path);
      const requests: [string, string][] = [
        ...refused.map((b): [string, string] => [JSON.stringify(b), 'application/json']),
        ['{"a":', 'application/json'],
        // No body, or one not JSON by its type, reaches the handler as no fields at all: sent only where
        // the schema needs some (elsewhere it is an honest request: publish, pause, duplicate with defaults).
        ...(schema.safeParse({}).success
          ? []
          : ([
              ['', 'application/json'],
              ['kind=visit&summary=x', 'application/x-www-form-urlencoded'],
              ['{}', 'text/plain'],
            ] as [string, string][])),
      ];
      for (const [payload, type] of requests) {
        const answer = await send(r.method.toUpperCase(), path, payload, type);
        sent++;
        const why = answer === 'hung' ? 'no answer' : breach(answer);
        if (why)
          failures.push(`${r.method.toUpperCase()} ${path} ${payload.slice(0, 100)} (${type}) → ${why}: ${answer === 'hung' ? '' : answer.text.slice(0, 160)}`);
      }
    }
    expect(sent).toBeGreaterThan(targets.length * 10);
    expect(failures.slice(0, 15)).toEqual([]);
    expect(await stored()).toEqual(before);
  });

  it('is still healthy and still works afterwards', async () => {
    const health = await product.api('GET', '/healthz');
    expect(health.status).toBe(200);
    const note = await product.api('POST', `/api/tasks/${taskId}/notes`, { token: admin, body: { body: 'after the fuzz' } });
    expect(note.status).toBeLessThan(300);
  });
});
