import { randomUUID } from 'node:crypto';
import { customerInReach } from '../../server/access';
import { DURATION_ERROR } from '../../server/analytics/duration';
import { hashPassword } from '../../server/auth';
import type { SessionUser } from '../../server/http';
import { Params } from '../../server/inbox/query';
import { startProduct, type Product } from '../support/product';

/**
 * The heatmap reads step counts and duration buckets kept by triggers (platform/migrations/
 * …_steps-arms-reach-rollup.sql), and a department head's reach beyond their department through tasks
 * from task_reach_counts. After each kind of write (steps entered in bulk and one by one, steps
 * leaving, a run's open steps closed at once, a step removed, customers moving department, a task
 * moving to another department) the API must give exactly the live counts over attempt_steps for an
 * ops manager, per department, per version and date range, and for a head who manages a customer of
 * another department and sees a task of a third; medians and p90s must be within the stated error
 * of PostgreSQL's own percentile_cont over the same rows. The fixture lives in 2017.
 */
const t = (iso: string) => new Date(`2017-${iso}Z`);
const DAY = 86_400_000;

/** A small deterministic generator, so a failure replays (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

describe('the heatmap’s step counts stay equal to the live counts', () => {
  let product: Product;
  const suffix = `${process.pid}${Date.now().toString(36)}`;
  const key = `steps-${suffix}`;
  const deptA = `stp_a_${suffix}`;
  const deptB = `stp_b_${suffix}`;
  const headId = `stphead${suffix}`;
  const head: SessionUser = { id: headId, username: headId, displayName: headId, role: 'department_head', department: deptA };
  const c = (n: number) => `STP-${suffix}-${n}`;
  const tokens: Record<string, string> = {};
  const rnd = random(20170101);
  let reachTask = '';

  beforeAll(async () => {
    product = await startProduct();
    const { pool } = product;
    tokens.olga = await product.login('olga');
    await pool.query('INSERT INTO departments (id, name) VALUES ($1, $2), ($3, $4)', [deptA, `Steps A ${suffix}`, deptB, `Steps B ${suffix}`]);
    await pool.query("INSERT INTO users (id, username, display_name, password_hash, role, department_id) VALUES ($1, $1, $1, $2, 'department_head', $3)", [
      headId,
      await hashPassword('demo'),
      deptA,
    ]);
    tokens.head = await product.login(headId);
    const graph = JSON.stringify({
      nodes: ['start', 'call', 'offer', 'won', 'lost'].map((id) => ({ id, kind: id === 'start' ? 'start' : id === 'won' || id === 'lost' ? 'end' : 'task' })),
      edges: [
        { id: 'e1', source: 'start', sourceHandle: 'next', target: 'call' },
        { id: 'e2', source: 'call', sourceHandle: 'reached', target: 'offer' },
        { id: 'e3', source: 'call', sourceHandle: 'lost', target: 'lost' },
        { id: 'e4', source: 'offer', sourceHandle: 'accepted', target: 'won' },
      ],
    });
    await pool.query(`INSERT INTO playbooks (key, name, draft_graph) VALUES ($1, 'Steps fixture', $2)`, [key, graph]);
    for (const v of [1, 2])
      await pool.query(`INSERT INTO playbook_versions (playbook_key, version, graph, plan, plan_hash) VALUES ($1, $2, $3, '{}', 'x')`, [key, v, graph]);
    // c1 in A; c2 in B, managed by A's head; c3 in B, with a task in A's department; c4 in B; c5 in none.
    const customers: [string, string | null, string | null][] = [
      [c(1), deptA, null],
      [c(2), deptB, headId],
      [c(3), deptB, null],
      [c(4), deptB, null],
      [c(5), null, null],
    ];
    for (const [id, dept, manager] of customers)
      await pool.query("INSERT INTO customers (id, name, grade, department_id, account_manager_id) VALUES ($1, $1, 'ordinary', $2, $3)", [id, dept, manager]);
  });

  afterAll(async () => {
    if (product) await product.stop();
  });

  /** One attempt's steps: start (no time), a call of a random length, maybe an offer, an end. */
  async function addAttempts(n: number, opts: { bulk: boolean; open?: boolean }) {
    const rows: unknown[][] = [];
    for (let i = 0; i < n; i++) {
      const id = randomUUID();
      const customer = c(1 + Math.floor(rnd() * 5));
      const version = 1 + Math.floor(rnd() * 2);
      const started = new Date(t('01-01T00:00:00').getTime() + Math.floor(rnd() * 90 * DAY) + Math.floor(rnd() * DAY));
      await product.pool.query(
        `INSERT INTO recovery_attempts (id, workflow_id, customer_id, playbook_key, playbook_version, status, started_at) VALUES ($1, $2, $3, $4, $5, 'running', $6)`,
        [id, `test/${id}`, customer, key, version, started],
      );
      // Log-uniform from a second to a month, so every decade of buckets is used.
      const callMs = Math.round(1000 * 10 ** (rnd() * Math.log10(30 * 86_400)));
      const left = new Date(started.getTime() + callMs);
      const fate = opts.open ? 'open' : (['reached', 'lost', 'dropped', 'open'] as const)[Math.floor(rnd() * 4)];
      const step = (stepId: string, node: string, kind: string, entered: Date, leftAt: Date | null, via: string | null) =>
        rows.push([id, stepId, node, kind, customer, key, version, entered, leftAt, via]);
      step('s1', 'start', 'start', started, started, 'next');
      step('s2', 'call', 'task', started, fate === 'open' ? null : left, fate === 'reached' || fate === 'lost' ? fate : null);
      if (fate === 'reached') {
        const offerLeft = new Date(left.getTime() + Math.round(rnd() * 5 * DAY));
        step('s3', 'offer', 'task', left, offerLeft, 'accepted');
        step('s4', 'won', 'end', offerLeft, offerLeft, null);
      }
      if (fate === 'lost') step('s3', 'lost', 'end', left, left, null);
    }
    const insert = (batch: unknown[][]) =>
      product.pool.query(
        `INSERT INTO attempt_steps (attempt_id, step_id, node_id, kind, customer_id, playbook_key, playbook_version, entered_at, left_at, left_via)
         VALUES ${batch.map((_, i) => `(${Array.from({ length: 10 }, (__, j) => `$${i * 10 + j + 1}`).join(', ')})`).join(', ')}`,
        batch.flat(),
      );
    if (opts.bulk) await insert(rows);
    else for (const row of rows) await insert([row]);
  }

  // The live figures, as the heatmap computed them before the rollup: exact counts and percentile_cont.
  async function live(user: SessionUser | null, f: Filter) {
    const p = new Params();
    const where = [`s.playbook_key = ${p.add(key)}`];
    if (f.version) where.push(`s.playbook_version = ${p.add(f.version)}`);
    if (f.from) where.push(`s.entered_at >= ${p.add(`${f.from}T00:00:00Z`)}::timestamptz`);
    if (f.to) where.push(`s.entered_at < ${p.add(`${f.to}T00:00:00Z`)}::timestamptz + interval '1 day'`);
    if (f.department) where.push(`c.department_id = ${p.add(f.department)}`);
    if (user) where.push(customerInReach(user, p, 'c'));
    const { rows } = await product.pool.query(
      `SELECT s.node_id, count(*)::int AS entered, count(s.left_at)::int AS left, count(*) FILTER (WHERE s.left_at IS NULL)::int AS open,
              count(*) FILTER (WHERE s.left_at IS NOT NULL AND s.left_via IS NULL AND s.kind <> 'end')::int AS dropped,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM s.left_at - s.entered_at)) AS median,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM s.left_at - s.entered_at)) AS p90,
              count(*) FILTER (WHERE s.kind = 'start')::int AS starts
         FROM attempt_steps s JOIN customers c ON c.id = s.customer_id
        WHERE ${where.join(' AND ')}
        GROUP BY 1 ORDER BY 1`,
      p.values,
    );
    const edges = await product.pool.query(
      `SELECT s.node_id || '.' || s.left_via AS edge, count(*)::int AS n
         FROM attempt_steps s JOIN customers c ON c.id = s.customer_id
        WHERE ${where.join(' AND ')} AND s.left_via IS NOT NULL
        GROUP BY 1`,
      p.values,
    );
    return { rows, edges: Object.fromEntries(edges.rows.map((r) => [r.edge, r.n])) };
  }

  interface Filter {
    version?: number;
    from?: string;
    to?: string;
    department?: string;
  }

  async function expectLiveEverywhere() {
    const filters: Filter[] = [{}, { version: 1 }, { version: 2, from: '2017-02-01', to: '2017-02-20' }, { from: '2017-03-01' }];
    for (const [who, user] of [
      ['olga', null],
      ['head', head],
    ] as const)
      for (const department of [undefined, deptA, deptB])
        for (const filter of filters) {
          const f = { ...filter, department };
          const query = new URLSearchParams(Object.entries(f).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])));
          const res = await product.api<{
            attempts: number;
            nodes: {
              nodeId: string;
              entered: number;
              left: number;
              open: number;
              droppedOff: number;
              medianSeconds: number | null;
              p90Seconds: number | null;
            }[];
            edges: { source: string; handle: string; count: number }[];
            timeError: { below: number; above: number };
          }>('GET', `/api/analytics/playbooks/${key}/steps?${query}`, { token: tokens[who] });
          expect(res.status).toBe(200);
          const { rows: want, edges: wantEdges } = await live(user, f);
          const context = { who, ...f };
          const counts = (rows: { nodeId: string; entered: number; left: number; open: number; droppedOff: number }[]) =>
            rows
              .filter((r) => r.entered > 0)
              .map((r) => `${r.nodeId}: ${r.entered}/${r.left}/${r.open}/${r.droppedOff}`)
              .sort();
          expect({ ...context, nodes: counts(res.body.nodes) }).toEqual({
            ...context,
            nodes: want.map((r) => `${r.node_id}: ${r.entered}/${r.left}/${r.open}/${r.dropped}`).sort(),
          });
          expect({ ...context, attempts: res.body.attempts }).toEqual({ ...context, attempts: want.reduce((sum, r) => sum + r.starts, 0) });
          const edges = Object.fromEntries(res.body.edges.filter((e) => e.count > 0).map((e) => [`${e.source}.${e.handle}`, e.count]));
          expect({ ...context, edges }).toEqual({ ...context, edges: wantEdges });
          expect(res.body.timeError).toEqual(DURATION_ERROR);
          for (const r of want)
            for (const [field, exact] of [
              ['medianSeconds', r.median],
              ['p90Seconds', r.p90],
            ] as const) {
              const got = res.body.nodes.find((n) => n.nodeId === r.node_id)![field];
              if (exact === null) {
                expect({ ...context, node: r.node_id, field, got }).toEqual({ ...context, node: r.node_id, field, got: null });
                continue;
              }
              // Within the stated error of the exact percentile (a hair of float slack).
              const low = exact * (1 - DURATION_ERROR.below) - 1e-6;
              const high = exact * (1 + DURATION_ERROR.above) + 1e-6;
              expect({ ...context, node: r.node_id, field, exact, within: got !== null && got >= low && got <= high }).toEqual({
                ...context,
                node: r.node_id,
                field,
                exact,
                within: true,
              });
            }
        }
  }

  it('counts steps as they are entered, leave, are closed with their run and are removed', async () => {
    await addAttempts(120, { bulk: true });
    await addAttempts(10, { bulk: false });
    await addAttempts(10, { bulk: true, open: true });
    // A task of c3 (department B) in A's queue: A's head reaches c3 through it.
    const attempt = (await product.pool.query<{ id: string }>('SELECT id FROM recovery_attempts WHERE customer_id = $1 LIMIT 1', [c(3)])).rows[0].id;
    reachTask = (
      await product.pool.query<{ id: string }>(
        `INSERT INTO tasks (attempt_id, workflow_id, task_key, node_id, customer_id, playbook_key, title, assignee_role, department_id, outcomes, status)
         VALUES ($1, 'test', $2, 'call', $3, $4, 'Call', 'rep', $5, '[]', 'open') RETURNING id`,
        [attempt, randomUUID(), c(3), key, deptA],
      )
    ).rows[0].id;
    await expectLiveEverywhere();

    // Steps leave one by one (as the worker logs a step_left), then a run's open steps close at once.
    const open = await product.pool.query<{ attempt_id: string; step_id: string; entered_at: Date }>(
      `SELECT attempt_id, step_id, entered_at FROM attempt_steps WHERE playbook_key = $1 AND left_at IS NULL ORDER BY attempt_id, step_id`,
      [key],
    );
    for (const r of open.rows.slice(0, 5))
      await product.pool.query("UPDATE attempt_steps SET left_at = $3, left_via = 'reached' WHERE attempt_id = $1 AND step_id = $2 AND left_at IS NULL", [
        r.attempt_id,
        r.step_id,
        new Date(r.entered_at.getTime() + 3 * DAY),
      ]);
    await product.pool.query("UPDATE attempt_steps SET left_at = entered_at + interval '7 hours' WHERE attempt_id = ANY($1) AND left_at IS NULL", [
      open.rows.slice(5, 12).map((r) => r.attempt_id),
    ]);
    await product.pool.query('DELETE FROM attempt_steps WHERE attempt_id = $1 AND step_id = $2', [open.rows[12].attempt_id, open.rows[12].step_id]);
    await expectLiveEverywhere();
  });

  it('moves the counts with a customer who changes department, and a head’s reach with a task that does', async () => {
    await product.pool.query('UPDATE customers SET department_id = $2 WHERE id = $1', [c(1), deptB]);
    await product.pool.query('UPDATE customers SET department_id = $2 WHERE id = ANY($1)', [[c(4), c(5)], deptA]);
    await expectLiveEverywhere();
    // The task leaves A's queue for B's: A's head no longer reaches c3.
    await product.pool.query('UPDATE tasks SET department_id = $2 WHERE id = $1', [reachTask, deptB]);
    await expectLiveEverywhere();
    // c3 moves to A, where its task is not: every head of A reaches them by department now; then to no department.
    await product.pool.query('UPDATE customers SET department_id = $2 WHERE id = $1', [c(3), deptA]);
    await expectLiveEverywhere();
    await product.pool.query('UPDATE customers SET department_id = NULL WHERE id = $1', [c(1)]);
    await expectLiveEverywhere();
    // The reach counts equal a live count of tasks beyond their customer's department.
    const { rows } = await product.pool.query(
      `SELECT (SELECT COALESCE(jsonb_agg(x ORDER BY x), '[]') FROM (SELECT department_id || '|' || customer_department_id || '|' || customer_id || ':' || tasks AS x
                FROM task_reach_counts WHERE tasks <> 0 AND customer_id LIKE $1) r) AS kept,
              (SELECT COALESCE(jsonb_agg(x ORDER BY x), '[]') FROM (SELECT t.department_id || '|' || c.department_id || '|' || t.customer_id || ':' || count(*) AS x
                FROM tasks t JOIN customers c ON c.id = t.customer_id
               WHERE t.customer_id LIKE $1 AND c.department_id IS NOT NULL AND t.department_id IS DISTINCT FROM c.department_id GROUP BY t.department_id, c.department_id, t.customer_id) l) AS live`,
      [`STP-${suffix}-%`],
    );
    expect(rows[0].kept).toEqual(rows[0].live);
  });
});
