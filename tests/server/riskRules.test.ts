import { randomUUID } from 'node:crypto';
import { DEFAULT_RISK_RULES } from '../../playbooks/risk';
import { dryRun } from '../../server/risk/dryRun';
import { eventually, startProduct, type Product } from '../support/product';

interface Move {
  customerId: string;
  from: string;
  to: string;
  rule: string;
  evidence: Record<string, unknown>;
  publishedTo: string | null;
}

/** The at-risk rules as ops managers configure them, the dry run, and the evaluation schedule. */
describe('at-risk rules and their schedule', () => {
  let product: Product;
  let ops: string;
  beforeAll(async () => {
    product = await startProduct();
    ops = await product.login('olga');
  });
  afterAll(() => product.stop());

  async function activeCustomer(department: string, lastVisitDaysAgo: number): Promise<string> {
    const id = `RISK-${randomUUID().slice(0, 8)}`;
    await product.pool.query(`INSERT INTO customers (id, name, department_id, status) VALUES ($1, $2, $3, 'active')`, [id, `Risk ${id}`, department]);
    await product.pool.query(
      `INSERT INTO customer_activity (customer_id, kind, source, external_id, occurred_at) VALUES ($1, 'visit', 'test', $2, now() - $3::interval)`,
      [id, `${id}-v`, `${lastVisitDaysAgo} days`],
    );
    return id;
  }

  it('a draft is saved (a stale revision refused), published as a version, and listed', async () => {
    const current = await product.api<{ revision: number }>('GET', '/api/risk/rules', { token: ops });
    expect(current.status).toBe(200);
    const rules = { ...DEFAULT_RISK_RULES, complaint: { enabled: true, withinDays: 31 } };
    const saved = await product.api<{ revision: number; rules: typeof rules }>('PUT', '/api/risk/rules/draft', {
      token: ops,
      body: { rules, revision: current.body.revision },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.rules.complaint.withinDays).toBe(31);
    const stale = await product.api<{ error: { code: string } }>('PUT', '/api/risk/rules/draft', {
      token: ops,
      body: { rules, revision: current.body.revision },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('stale_draft');
    const bad = await product.api<{ error: { details: { problems: { path: (string | number)[] }[] } } }>('PUT', '/api/risk/rules/draft', {
      token: ops,
      body: { rules: { ...rules, periodicBusiness: { enabled: true, preChurnAfterMissed: 3, churnedAfterMissed: 2 } } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.problems[0].path).toEqual(['rules', 'periodicBusiness', 'churnedAfterMissed']);

    const published = await product.api<{ version: number }>('POST', '/api/risk/rules/publish', { token: ops, body: { note: 'complaints count for a month' } });
    expect(published.status).toBe(201);
    const versions = await product.api<{ versions: { version: number; note: string; publishedBy: string }[] }>('GET', '/api/risk/rules/versions', {
      token: ops,
    });
    expect(versions.body.versions[0]).toMatchObject({ version: published.body.version, note: 'complaints count for a month', publishedBy: 'Olga Ops' });
    const audit = await product.pool.query("SELECT 1 FROM audit_log WHERE action = 'risk_rules_published' AND subject = $1", [
      `risk-rules/v${published.body.version}`,
    ]);
    expect(audit.rowCount).toBe(1);
  });

  it('a dry run shows who a rule change would move (from, to, evidence) and writes nothing; a head sees their department only', async () => {
    const mine = await activeCustomer('after_sales', 50);
    const theirs = await activeCustomer('key_accounts', 50);
    const rules = { ...DEFAULT_RISK_RULES, redLine: { ...DEFAULT_RISK_RULES.redLine, days: 30 } };
    const run = await product.api<{ moves: Move[] }>('POST', '/api/risk/rules/dry-run', { token: ops, body: { rules, limit: 1000 } });
    expect(run.status).toBe(200);
    const moved = run.body.moves
      .filter((m) => [mine, theirs].includes(m.customerId))
      .sort((a, b) => (a.customerId === mine ? -1 : b.customerId === mine ? 1 : 0));
    expect(moved).toEqual([
      expect.objectContaining({
        customerId: mine,
        from: 'active',
        to: 'at_risk',
        rule: 'red_line',
        publishedTo: null,
        evidence: expect.objectContaining({ daysUnseen: 50, lineDays: 30 }),
      }),
      expect.objectContaining({ customerId: theirs, from: 'active', to: 'at_risk' }),
    ]);
    const statuses = await product.pool.query('SELECT status FROM customers WHERE id = ANY($1)', [[mine, theirs]]);
    expect(statuses.rows.map((r) => r.status)).toEqual(['active', 'active']);

    const head = await product.api<{ moves: Move[] }>('POST', '/api/risk/rules/dry-run', { token: await product.login('hana'), body: { rules, limit: 1000 } });
    expect(head.status).toBe(200);
    const seen = head.body.moves.map((m) => m.customerId);
    expect(seen).toContain(mine);
    expect(seen).not.toContain(theirs);
  });

  it('a dry run names each customer’s department and, asked part by part, adds up to the whole scan with its progress', async () => {
    const mine = await activeCustomer('after_sales', 50);
    const rules = { ...DEFAULT_RISK_RULES, redLine: { ...DEFAULT_RISK_RULES.redLine, days: 30 } };
    type Part = { asOf: string; scanned: number; total: number; next: string | null; moves: Move[]; more: number; publishedMoves: number };
    const whole = await product.api<Part>('POST', '/api/risk/rules/dry-run', { token: ops, body: { rules, limit: 1000 } });
    expect(whole.status).toBe(200);
    const { rows } = await product.pool.query<{ n: number; name: string }>(
      "SELECT (SELECT count(*)::int FROM customers) AS n, (SELECT name FROM departments WHERE id = 'after_sales') AS name",
    );
    // Every customer scanned in one answer here (a few hundred fit in the second an answer may take).
    expect(whole.body).toMatchObject({ next: null, total: rows[0].n, scanned: rows[0].n });
    expect(whole.body.moves.find((m) => m.customerId === mine)).toMatchObject({ department: 'after_sales', departmentName: rows[0].name });
    expect(rows[0].name).not.toBe('after_sales');

    // Pages of 50 with no time to spare: one page per part; the parts add up to the whole.
    const user = { id: 'u-olga', username: 'olga', displayName: 'Olga Ops', role: 'ops_manager' as const, department: null };
    const asOf = Date.parse(whole.body.asOf);
    let after: string | null = null;
    let parts = 0;
    const sum = { scanned: 0, moving: 0, ids: [] as string[] };
    do {
      const part = await dryRun(product.pool, user, rules, DEFAULT_RISK_RULES, asOf, 1000, { after, budgetMs: 0, pageSize: 50 });
      parts++;
      expect(part.total).toBe(rows[0].n);
      expect(part.scanned).toBeLessThanOrEqual(50);
      sum.scanned += part.scanned;
      sum.moving += part.moves.length + part.more;
      sum.ids.push(...part.moves.map((m) => m.customerId));
      after = part.next;
    } while (after);
    expect(parts).toBeGreaterThanOrEqual(Math.ceil(rows[0].n / 50));
    expect(sum.scanned).toBe(whole.body.scanned);
    expect(sum.moving).toBe(whole.body.moves.length + whole.body.more);
    expect(sum.ids.sort()).toEqual(whole.body.moves.map((m) => m.customerId).sort());
  });

  it('reps, heads and auditors may not change the rules or the schedule', async () => {
    for (const who of ['rita', 'hana', 'aude']) {
      const token = await product.login(who);
      const tries = [
        await product.api('PUT', '/api/risk/rules/draft', { token, body: { rules: DEFAULT_RISK_RULES } }),
        await product.api('POST', '/api/risk/rules/publish', { token, body: {} }),
        await product.api('POST', '/api/risk/schedule/pause', { token, body: {} }),
        await product.api('POST', '/api/risk/schedule/run-now', { token }),
      ];
      expect({ who, statuses: tries.map((t) => t.status) }).toEqual({ who, statuses: [403, 403, 403, 403] });
    }
    expect((await product.api('POST', '/api/risk/rules/dry-run', { token: await product.login('rita'), body: {} })).status).toBe(403);
  });

  it('the schedule exists daily, pauses and resumes, and "run now" runs an evaluation that moves a customer past the red line', async () => {
    const status = await product.api<{ schedule: { paused: boolean; spec: string; nextRuns: string[] } }>('GET', '/api/risk/schedule', { token: ops });
    expect(status.status).toBe(200);
    expect(status.body.schedule).toMatchObject({ paused: false, spec: 'daily at 02:00 UTC' });
    expect(status.body.schedule.nextRuns.length).toBeGreaterThan(0);
    const paused = await product.api<{ paused: boolean; note: string }>('POST', '/api/risk/schedule/pause', { token: ops, body: { note: 'data migration' } });
    expect(paused.body).toMatchObject({ paused: true, note: 'data migration (olga)' });
    const resumed = await product.api<{ paused: boolean }>('POST', '/api/risk/schedule/unpause', { token: ops });
    expect(resumed.body.paused).toBe(false);

    const gone = await activeCustomer('after_sales', 200);
    // "Run now" evaluates every customer in this shared database: the playbooks that listen for the
    // rules' triggers (the seeded tiered win-back and complaint response) are archived for it, so it
    // starts no attempts for other suites' customers (their tasks would show in other suites' inboxes).
    const { rows: listening } = await product.pool.query<{ key: string }>(
      "UPDATE playbooks SET archived_at = now() WHERE key IN ('tiered-win-back', 'complaint-response') AND archived_at IS NULL RETURNING key",
    );
    try {
      await runNowAndCheck(gone);
    } finally {
      await product.pool.query('UPDATE playbooks SET archived_at = NULL WHERE key = ANY($1)', [listening.map((r) => r.key)]);
    }

    const backfill = await product.api('POST', '/api/risk/schedule/backfill', {
      token: ops,
      body: { from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' },
    });
    expect(backfill.status).toBe(400);
  });

  async function runNowAndCheck(gone: string): Promise<void> {
    const before = new Date();
    expect((await product.api('POST', '/api/risk/schedule/run-now', { token: ops })).status).toBe(202);
    const history = await eventually(
      async () =>
        (await product.pool.query('SELECT from_status, to_status, rule, changed_by FROM customer_status_history WHERE customer_id = $1', [gone])).rows[0],
      30_000,
      'the evaluation to move the customer',
    );
    expect(history).toEqual({ from_status: 'active', to_status: 'at_risk', rule: 'red_line', changed_by: 'risk-rules' });
    const evaluations = await eventually(
      async () => {
        const res = await product.api<{ evaluations: { id: string; status: string; reason: string; startedAt: string; changed: number }[] }>(
          'GET',
          '/api/risk/schedule',
          {
            token: ops,
          },
        );
        return res.body.evaluations.find((e) => e.status === 'completed' && Date.parse(e.startedAt) >= before.getTime() - 1000);
      },
      30_000,
      'the evaluation to complete',
    );
    expect(evaluations).toMatchObject({ reason: 'schedule' });
    expect(evaluations.changed).toBeGreaterThanOrEqual(1);
    const changes = await product.api<{ changes: { customerId: string; to: string }[] }>(
      'GET',
      `/api/risk/evaluations/${encodeURIComponent(evaluations.id)}/changes?limit=1000`,
      {
        token: ops,
      },
    );
    expect(changes.body.changes).toContainEqual(expect.objectContaining({ customerId: gone, to: 'at_risk' }));
  }
});
