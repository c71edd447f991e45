import { randomUUID } from 'node:crypto';
import type { PlaybookGraph } from '../../playbooks/graph';
import { hashPassword } from '../../server/auth';
import { eventually, startProduct, type Product, terminateRunningAttempts } from '../support/product';

/**
 * The retention dashboard's numbers against a fixture computed by hand (the comments give each
 * figure's working): churn and win-back rates, breakdowns, attempt outcomes by offer tier, the
 * failure audit, experiment arms with their interval and test, per-step medians; then who may read
 * them. The fixture lives in 2019 and in departments of its own, so other suites' rows never count.
 */
const at = { x: 0, y: 0 };
const graph: PlaybookGraph = {
  nodes: [
    { id: 'start', kind: 'start', name: 'Flagged', position: at, config: { trigger: 'manual', variables: [] } },
    {
      id: 'split',
      kind: 'experiment',
      name: 'Which first?',
      position: at,
      config: {
        arms: [
          { key: 'a', label: 'Call first', weight: 50 },
          { key: 'b', label: 'Offer first', weight: 50 },
        ],
      },
    },
    {
      id: 'call',
      kind: 'task',
      name: 'Call the customer',
      position: at,
      config: {
        title: 'Call the customer',
        assignee: { type: 'role', role: 'rep' },
        outcomes: [
          { key: 'won_back', label: 'Won back' },
          { key: 'lost', label: 'Lost' },
        ],
      },
    },
    { id: 'won', kind: 'end', name: 'Won back', position: at, config: { outcome: 'won_back' } },
    { id: 'lost', kind: 'end', name: 'Lost', position: at, config: { outcome: 'lost' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'split' },
    { id: 'e2', source: 'split', sourceHandle: 'a', target: 'call' },
    { id: 'e3', source: 'split', sourceHandle: 'b', target: 'call' },
    { id: 'e4', source: 'call', sourceHandle: 'won_back', target: 'won' },
    { id: 'e5', source: 'call', sourceHandle: 'lost', target: 'lost' },
  ],
};

const DAY = 86_400;
const t = (iso: string) => new Date(`2019-${iso}Z`);

describe('retention analytics', () => {
  let product: Product;
  const suffix = `${process.pid}${Date.now().toString(36)}`;
  const key = `analytics-${suffix}`;
  const deptA = `anx_a_${suffix}`;
  const deptB = `anx_b_${suffix}`;
  const c = (n: number) => `ANX-${suffix}-${n}`;
  const tokens: Record<string, string> = {};
  const attempt: Record<string, string> = {};

  beforeAll(async () => {
    product = await startProduct();
    const { pool } = product;
    for (const u of ['olga', 'rita', 'aude', 'adam']) tokens[u] = await product.login(u);
    await pool.query('INSERT INTO departments (id, name) VALUES ($1, $2), ($3, $4)', [deptA, `Analytics A ${suffix}`, deptB, `Analytics B ${suffix}`]);
    const hash = await hashPassword('demo');
    for (const [name, dept] of [
      [`anxheada${suffix}`, deptA],
      [`anxheadb${suffix}`, deptB],
    ]) {
      await pool.query("INSERT INTO users (id, username, display_name, password_hash, role, department_id) VALUES ($1, $1, $1, $2, 'department_head', $3)", [
        name,
        hash,
        dept,
      ]);
      tokens[dept] = await product.login(name);
    }
    expect((await product.api('PUT', `/api/playbooks/${key}/draft`, { token: tokens.olga, body: { name: 'Analytics fixture', graph } })).status).toBe(200);
    expect((await product.api('POST', `/api/playbooks/${key}/publish`, { token: tokens.olga })).status).toBe(201);

    // c1 core/competitive/C, c2 ordinary/fault/A, c3 ordinary/—/—, c4 high potential/competitive/C (department A); c5 core/A (department B).
    const customers = [
      [c(1), 'core', 'competitive', 'C', deptA],
      [c(2), 'ordinary', 'fault', 'A', deptA],
      [c(3), 'ordinary', null, null, deptA],
      [c(4), 'high_potential', 'competitive', 'C', deptA],
      [c(5), 'core', null, 'A', deptB],
    ];
    for (const [id, grade, type, reason, dept] of customers)
      await pool.query('INSERT INTO customers (id, name, grade, churn_type, churn_reason, department_id) VALUES ($1, $2, $3, $4, $5, $6)', [
        id,
        `Customer ${id}`,
        grade,
        type,
        reason,
        dept,
      ]);

    // Served: January c1 (twice: once), c2, c3 (c4's complaint is not a service) = 3; February c1, c4 = 2; March nobody.
    const activity: [string, string, string][] = [
      [c(1), 'visit', '01-05T10:00:00'],
      [c(1), 'visit', '01-19T10:00:00'],
      [c(2), 'order', '01-08T10:00:00'],
      [c(3), 'payment', '01-30T23:00:00'],
      [c(4), 'complaint', '01-12T10:00:00'],
      [c(1), 'service', '02-02T10:00:00'],
      [c(4), 'visit', '02-01T10:00:00'],
      [c(5), 'visit', '01-03T10:00:00'],
    ];
    for (const [customer, kind, when] of activity)
      await pool.query("INSERT INTO customer_activity (customer_id, kind, source, external_id, occurred_at) VALUES ($1, $2, 'test', $3, $4)", [
        customer,
        kind,
        randomUUID(),
        t(when),
      ]);

    // Attempts (version 1): X1 c4 arm a won back (tier 2 accepted), X2 c2 a lost, X3 c3 b lost, X4 c1 b won back (no offer),
    // X5 c2 a still running, X6 c2 b closed — but it changed c2's status to won_back.
    const attempts: [string, string, string, string, string | null, string | null, string][] = [
      ['X1', c(4), 'a', 'completed', 'won_back', '02-20T00:00:00', '02-10T00:00:00'],
      ['X2', c(2), 'a', 'completed', 'lost', '02-15T00:00:00', '02-13T00:00:00'],
      ['X3', c(3), 'b', 'completed', 'lost', '01-25T00:00:00', '01-21T00:00:00'],
      ['X4', c(1), 'b', 'completed', 'won_back', '02-12T00:00:00', '02-11T00:00:00'],
      ['X5', c(2), 'a', 'running', null, null, '03-01T00:00:00'],
      ['X6', c(2), 'b', 'completed', 'closed', '03-05T00:00:00', '03-01T00:00:00'],
    ];
    for (const [name, customer, arm, status, outcome, ended, started] of attempts) {
      const id = randomUUID();
      attempt[name] = id;
      await pool.query(
        `INSERT INTO recovery_attempts (id, workflow_id, customer_id, playbook_key, playbook_version, status, outcome, started_at, ended_at)
         VALUES ($1, $2, $3, $4, 1, $5, $6, $7, $8)`,
        [id, `test/${id}`, customer, key, status, outcome, t(started), ended ? t(ended) : null],
      );
      await pool.query(
        `INSERT INTO attempt_arms (attempt_id, node_id, arm, label, customer_id, playbook_key, playbook_version, assigned_at) VALUES ($1, 'split', $2, $2, $3, $4, 1, $5)`,
        [id, arm, customer, key, t(started)],
      );
      // Steps: start and split take no time; the call takes as long as below; ended attempts end at won/lost.
      const step = (stepId: string, node: string, kind: string, entered: Date, left: Date | null, via: string | null) =>
        pool.query(
          `INSERT INTO attempt_steps (attempt_id, step_id, node_id, kind, customer_id, playbook_key, playbook_version, entered_at, left_at, left_via)
           VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $9)`,
          [id, stepId, node, kind, customer, key, entered, left, via],
        );
      const start = t(started);
      await step('s1', 'start', 'start', start, start, 'next');
      await step('s2', 'split', 'experiment', start, start, arm);
      // Call times: X1 10 days, X2 2, X3 4, X4 1, X6 2 (cancelled: dropped off), X5 still open.
      const callDays: Record<string, number | null> = { X1: 10, X2: 2, X3: 4, X4: 1, X5: null, X6: 2 };
      const days = callDays[name];
      const left = days === null ? null : new Date(start.getTime() + days * DAY * 1000);
      const via = name === 'X6' || days === null ? null : outcome === 'won_back' ? 'won_back' : 'lost';
      await step('s3', 'call', 'task', start, left, via);
      if (via) await step('s4', via === 'won_back' ? 'won' : 'lost', 'end', left as Date, left, null);
    }
    await pool.query(
      `INSERT INTO offers (attempt_id, offer_key, node_id, tier, label, incentive, status) VALUES
         ($1, 'o1', 'call', 1, 'Small', '{}', 'declined'), ($1, 'o2', 'call', 2, 'Larger', '{}', 'accepted')`,
      [attempt.X1],
    );

    // Status history, by hand (the trigger would stamp now()).
    const history: [string, string, string, string, string | null][] = [
      [c(2), 'active', 'pre_churn', '01-10T00:00:00', null], // not a crossing
      [c(2), 'pre_churn', 'churned', '01-20T00:00:00', null], // lost in January
      [c(3), 'at_risk', 'lost', '01-25T00:00:00', attempt.X3], // lost in January
      [c(5), 'active', 'churned', '01-05T00:00:00', null], // lost in January, department B
      [c(4), 'active', 'churned', '02-03T00:00:00', null], // lost in February
      [c(1), 'active', 'at_risk', '02-10T00:00:00', null],
      [c(1), 'at_risk', 'won_back', '02-12T00:00:00', null], // won back in February (from at risk)
      [c(2), 'churned', 'lost', '02-15T00:00:00', attempt.X2], // already past the line: not lost again
      [c(4), 'churned', 'won_back', '02-20T00:00:00', attempt.X1], // won back in February
      [c(1), 'won_back', 'churned', '03-01T00:00:00', null], // lost in March
      [c(2), 'lost', 'won_back', '03-05T00:00:00', attempt.X6], // won back in March, by X6
    ];
    for (const [customer, from, to, when, by] of history)
      await pool.query(
        "INSERT INTO customer_status_history (customer_id, from_status, to_status, rule, attempt_id, at) VALUES ($1, $2, $3, 'manual', $4, $5)",
        [customer, from, to, by, t(when)],
      );

    // Failure causes: two "Staff attitude", the same free-text cause twice; an open task and a blank cause do not count.
    const categoryForm = [
      {
        key: 'complaint_category',
        label: 'Category',
        type: 'choice',
        options: [
          { value: 'staff', label: 'Staff attitude' },
          { value: 'price', label: 'Price or billing' },
        ],
      },
    ];
    const causeForm = [{ key: 'internal_cause', label: 'Internal cause (for the failure audit)', type: 'textarea' }];
    const tasks: [string, string, unknown, Record<string, string>, string, string][] = [
      ['X1', c(4), categoryForm, { complaint_category: 'staff' }, 'completed', '01-10T00:00:00'],
      ['X2', c(2), categoryForm, { complaint_category: 'staff' }, 'completed', '02-01T00:00:00'],
      ['X3', c(3), causeForm, { internal_cause: '  Late delivery ', solution: 'apologised' }, 'completed', '02-02T00:00:00'],
      ['X4', c(1), causeForm, { internal_cause: 'late delivery' }, 'completed', '03-01T00:00:00'],
      ['X6', c(2), categoryForm, { complaint_category: 'price' }, 'open', '03-02T00:00:00'],
      ['X5', c(2), causeForm, { internal_cause: ' ' }, 'completed', '03-02T00:00:00'],
    ];
    for (const [i, [name, customer, form, data, status, closed]] of tasks.entries())
      await pool.query(
        `INSERT INTO tasks (attempt_id, workflow_id, task_key, node_id, customer_id, playbook_key, title, assignee_role, department_id, outcomes, form, status, form_data, closed_at)
         VALUES ($1, 'test', $2, 'call', $3, $4, 'Fix', 'rep', $9, '[]', $5, $6, $7, $8)`,
        [attempt[name], `t${i}`, customer, key, JSON.stringify(form), status, JSON.stringify(data), status === 'completed' ? t(closed) : null, deptA],
      );
  });

  afterAll(async () => {
    if (!product) return;
    await terminateRunningAttempts(product, key);
    await product.stop();
  });

  const get = <T = Record<string, unknown>>(who: string, path: string) => product.api<T>('GET', path, { token: tokens[who] });
  type Row = { month: string; group: string; served: number; lost: number; wonBack: number; churnRate: number | null; winBackRate: number | null };
  const range = 'from=2019-01&to=2019-03';

  it('gives churn and win-back rates month by month as defined', async () => {
    const res = await get<{ rows: Row[] }>('olga', `/api/analytics/rates?${range}&department=${deptA}`);
    expect(res.status).toBe(200);
    expect(res.body.rows.map(({ month, served, lost, wonBack, churnRate, winBackRate }) => ({ month, served, lost, wonBack, churnRate, winBackRate }))).toEqual(
      [
        // January: lost c2 (pre_churn → churned) and c3 (at_risk → lost) of 3 served; nobody won back of 2 lost.
        { month: '2019-01', served: 3, lost: 2, wonBack: 0, churnRate: 2 / 3, winBackRate: 0 },
        // February: lost c4 of 2 served (c2's churned → lost is not a new crossing); won back c1 (from at risk) and c4: 2 / 1.
        { month: '2019-02', served: 2, lost: 1, wonBack: 2, churnRate: 0.5, winBackRate: 2 },
        // March: lost c1 (won_back → churned), nobody served; won back c2 (lost → won_back).
        { month: '2019-03', served: 0, lost: 1, wonBack: 1, churnRate: null, winBackRate: 1 },
      ],
    );
  });

  it('breaks the rates down by churn reason and grade (the customer’s current value)', async () => {
    const byReason = await get<{ rows: (Row & { label: string })[] }>('olga', `/api/analytics/rates?${range}&department=${deptA}&breakdown=churn_reason`);
    expect(byReason.status).toBe(200);
    const cell = (rows: (Row & { label: string })[], month: string, group: string) => {
      const r = rows.find((x) => x.month === month && x.group === group);
      return r && { label: r.label, served: r.served, lost: r.lost, wonBack: r.wonBack, churnRate: r.churnRate, winBackRate: r.winBackRate };
    };
    expect(byReason.body.rows).toHaveLength(9); // 3 months × A, C, not recorded
    // A is c2: lost in January of 1 served; won back in March with nobody lost that month.
    expect(cell(byReason.body.rows, '2019-01', 'A')).toEqual({
      label: 'A — dissatisfied with service',
      served: 1,
      lost: 1,
      wonBack: 0,
      churnRate: 1,
      winBackRate: 0,
    });
    expect(cell(byReason.body.rows, '2019-03', 'A')).toEqual({
      label: 'A — dissatisfied with service',
      served: 0,
      lost: 0,
      wonBack: 1,
      churnRate: null,
      winBackRate: null,
    });
    // C is c1 and c4: February served both, lost c4, won back both.
    expect(cell(byReason.body.rows, '2019-02', 'C')).toEqual({ label: 'C — price-sensitive', served: 2, lost: 1, wonBack: 2, churnRate: 0.5, winBackRate: 2 });
    expect(cell(byReason.body.rows, '2019-01', 'none')).toEqual({ label: 'Not recorded', served: 1, lost: 1, wonBack: 0, churnRate: 1, winBackRate: 0 });

    const byGrade = await get<{ rows: (Row & { label: string })[] }>('olga', `/api/analytics/rates?${range}&department=${deptA}&breakdown=grade`);
    // Ordinary is c2 and c3: both lost in January, both served.
    expect(cell(byGrade.body.rows, '2019-01', 'ordinary')).toEqual({ label: 'Ordinary', served: 2, lost: 2, wonBack: 0, churnRate: 1, winBackRate: 0 });
    expect(cell(byGrade.body.rows, '2019-03', 'core')).toEqual({ label: 'Best core', served: 0, lost: 1, wonBack: 0, churnRate: null, winBackRate: 0 });

    const byDepartment = await get<{ rows: (Row & { label: string })[] }>('olga', `/api/analytics/rates?${range}&department=${deptB}&breakdown=department`);
    expect(cell(byDepartment.body.rows, '2019-01', deptB)).toEqual({
      label: `Analytics B ${suffix}`,
      served: 1,
      lost: 1,
      wonBack: 0,
      churnRate: 1,
      winBackRate: 0,
    });
  });

  it('gives attempt outcomes by playbook and by the offer tier that won the customer back', async () => {
    type Outcome = { month: string; group: string; label: string; ended: number; wonBack: number; winBackRate: number | null };
    const byPlaybook = await get<{ rows: Outcome[] }>('olga', `/api/analytics/outcomes?${range}&playbook=${key}`);
    expect(byPlaybook.status).toBe(200);
    expect(byPlaybook.body.rows.map(({ month, label, ended, wonBack, winBackRate }) => ({ month, label, ended, wonBack, winBackRate }))).toEqual([
      { month: '2019-01', label: 'Analytics fixture', ended: 1, wonBack: 0, winBackRate: 0 }, // X3 lost
      { month: '2019-02', label: 'Analytics fixture', ended: 3, wonBack: 2, winBackRate: 2 / 3 }, // X1, X4 won; X2 lost
      { month: '2019-03', label: 'Analytics fixture', ended: 1, wonBack: 1, winBackRate: 1 }, // X6 changed c2 to won_back
    ]);
    const byTier = await get<{ rows: Outcome[] }>('olga', `/api/analytics/outcomes?${range}&playbook=${key}&breakdown=offer_tier`);
    const feb = byTier.body.rows.filter((r) => r.month === '2019-02').map(({ label, ended, wonBack, winBackRate }) => ({ label, ended, wonBack, winBackRate }));
    // February: X1 accepted tier 2 (its highest accepted), X4 accepted no offer; both over the month's 3 ended attempts.
    expect(feb).toEqual([
      { label: 'No offer accepted', ended: 3, wonBack: 1, winBackRate: 1 / 3 },
      { label: 'Tier 2', ended: 3, wonBack: 1, winBackRate: 1 / 3 },
    ]);
    const byVersion = await get<{ rows: Outcome[] }>('olga', `/api/analytics/outcomes?${range}&playbook=${key}&breakdown=version`);
    expect(byVersion.body.rows.map((r) => r.label)).toEqual(['Analytics fixture v1', 'Analytics fixture v1', 'Analytics fixture v1']);
  });

  it('counts each internal failure cause recorded in completed tasks', async () => {
    const res = await get<{ tasks: number; rows: { fieldLabel: string; cause: string; causeLabel: string; count: number; share: number }[] }>(
      'olga',
      `/api/analytics/failures?${range}&department=${deptA}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.tasks).toBe(4);
    expect(res.body.rows).toEqual([
      { field: 'complaint_category', fieldLabel: 'Category', cause: 'staff', causeLabel: 'Staff attitude', count: 2, share: 0.5 },
      {
        field: 'internal_cause',
        fieldLabel: 'Internal cause (for the failure audit)',
        cause: 'late delivery',
        causeLabel: expect.stringMatching(/^late delivery$/i),
        count: 2,
        share: 0.5,
      },
    ]);
  });

  it('gives the win-back rate per experiment arm with a Wilson interval and says the difference is not yet significant', async () => {
    const res = await get<{
      experiments: {
        nodeName: string;
        baseline: string;
        verdict: string;
        arms: {
          label: string;
          attempts: number;
          ended: number;
          wonBack: number;
          winBackRate: number;
          low: number;
          high: number;
          pValue: number | null;
          significant: boolean;
        }[];
      }[];
    }>('olga', `/api/analytics/experiments?playbook=${key}&from=2019-01-01&to=2019-12-31`);
    expect(res.status).toBe(200);
    expect(res.body.experiments).toHaveLength(1);
    const [e] = res.body.experiments;
    expect(e).toMatchObject({ nodeName: 'Which first?', baseline: 'a' });
    const [a, b] = e.arms;
    // Arm a: X1, X2 ended (X1 won), X5 running → 1 of 2. Wilson 95 %: centre 0.5, half-width 0.4055.
    expect(a).toMatchObject({ label: 'Call first', attempts: 3, ended: 2, wonBack: 1, winBackRate: 0.5, pValue: null, significant: false });
    expect(a.low).toBeCloseTo(0.0945, 3);
    expect(a.high).toBeCloseTo(0.9055, 3);
    // Arm b: X3 lost, X4 won, X6 won by status → 2 of 3. Pooled 3/5, se √(0.24·(1/3+1/2)) = 0.4472, z = 0.3727, p = 0.709.
    expect(b).toMatchObject({ label: 'Offer first', attempts: 3, ended: 3, wonBack: 2, significant: false });
    expect(b.winBackRate).toBeCloseTo(2 / 3, 10);
    expect(b.pValue).toBeCloseTo(0.709, 3);
    expect(b.low).toBeCloseTo(0.2077, 3);
    expect(b.high).toBeCloseTo(0.9385, 3);
    expect(e.verdict).toBe(
      'Offer first wins back 66.7 % against 50.0 % for Call first (p = 0.709, 3 and 2 ended attempts): the difference is not yet significant.',
    );
  });

  it('gives per-step counts, median and p90 time and drop-off per node and connection', async () => {
    type Steps = {
      attempts: number;
      nodes: {
        nodeId: string;
        name: string;
        entered: number;
        left: number;
        open: number;
        droppedOff: number;
        dropOffRate: number | null;
        medianSeconds: number | null;
        p90Seconds: number | null;
      }[];
      edges: { edgeId: string; count: number }[];
      timeError: { below: number; above: number };
    };
    const res = await get<Steps>('olga', `/api/analytics/playbooks/${key}/steps?version=1&from=2019-01-01&to=2019-12-31`);
    expect(res.status).toBe(200);
    expect(res.body.attempts).toBe(6);
    const call = res.body.nodes.find((n) => n.nodeId === 'call');
    // Call times in days, sorted: 1, 2, 2, 4, 10 → median 2 days; p90 at rank 0.9·4 = 3.6: 4 + 0.6·(10 − 4) = 7.6 days.
    // Times come from duration buckets (within timeError of these); here each of 2, 4 and 10 days is the
    // only duration in its bucket, and a bucket's estimate is clamped to what it holds, so they are exact.
    expect(res.body.timeError).toEqual({ below: expect.closeTo(0.109, 3), above: expect.closeTo(0.122, 3) });
    expect(call).toEqual({
      nodeId: 'call',
      name: 'Call the customer',
      kind: 'task',
      entered: 6,
      left: 5,
      open: 1,
      droppedOff: 1,
      dropOffRate: 1 / 6,
      medianSeconds: 2 * DAY,
      p90Seconds: expect.closeTo(7.6 * DAY, 3),
    });
    expect(res.body.nodes.find((n) => n.nodeId === 'won')).toMatchObject({ entered: 2, left: 2, droppedOff: 0, dropOffRate: null });
    expect(res.body.nodes.find((n) => n.nodeId === 'start')).toMatchObject({ entered: 6, medianSeconds: 0 });
    expect(Object.fromEntries(res.body.edges.map((e) => [e.edgeId, e.count]))).toEqual({ e1: 6, e2: 3, e3: 3, e4: 2, e5: 2 });

    // Another date range counts nothing (every step here was entered in 2019).
    const later = await get<Steps>('olga', `/api/analytics/playbooks/${key}/steps?from=2020-01-01`);
    expect(later.body.attempts).toBe(0);
    expect(later.body.nodes.every((n) => n.entered === 0)).toBe(true);
  });

  it('exports every table as CSV', async () => {
    const res = await fetch(`${product.url}/api/analytics/rates?${range}&department=${deptA}&format=csv`, {
      headers: { authorization: `Bearer ${tokens.olga}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="churn-and-win-back-rates\.csv"/);
    expect((await res.text()).split('\r\n')).toEqual([
      'Month,Group,Served,Lost,Won back,Churn rate,Win-back rate',
      `2019-01,All customers,3,2,0,${2 / 3},0`,
      '2019-02,All customers,2,1,2,0.5,2',
      '2019-03,All customers,0,1,1,,1',
      '',
    ]);
    for (const path of [
      `/api/analytics/outcomes?${range}&playbook=${key}&format=csv`,
      `/api/analytics/failures?${range}&department=${deptA}&format=csv`,
      `/api/analytics/experiments?playbook=${key}&format=csv`,
      `/api/analytics/playbooks/${key}/steps?format=csv`,
    ]) {
      const r = await fetch(product.url + path, { headers: { authorization: `Bearer ${tokens.aude}` } });
      expect({ path, status: r.status, type: r.headers.get('content-type') }).toEqual({ path, status: 200, type: 'text/csv; charset=utf-8' });
      expect((await r.text()).split('\r\n').length).toBeGreaterThan(2);
    }
  });

  it('lets heads read their own department only, auditors and admins read, and refuses reps', async () => {
    const lostIn = async (who: string, department?: string) =>
      (await get<{ rows: Row[] }>(who, `/api/analytics/rates?${range}${department ? `&department=${department}` : ''}`)).body.rows[0].lost;
    // Head of A, without a filter: c2 and c3 of department A; department B's c5 is not theirs.
    expect(await lostIn(deptA)).toBe(2);
    expect(await lostIn(deptA, deptB)).toBe(0);
    expect(await lostIn(deptB, deptB)).toBe(1);
    expect(await lostIn('aude', deptB)).toBe(1);
    expect(await lostIn('adam', deptA)).toBe(2);
    const headB = await get<{ attempts: number; nodes: { entered: number }[] }>(deptB, `/api/analytics/playbooks/${key}/steps?from=2019-01-01&to=2019-12-31`);
    expect(headB.body.attempts).toBe(0);
    const armsB = await get<{ experiments: unknown[] }>(deptB, `/api/analytics/experiments?playbook=${key}&from=2019-01-01&to=2019-12-31`);
    expect(armsB.body.experiments).toEqual([]);
    const outcomesB = await get<{ rows: { ended: number }[] }>(deptB, `/api/analytics/outcomes?${range}&playbook=${key}`);
    expect(outcomesB.body.rows).toEqual([]);
    for (const path of [
      '/api/analytics/rates',
      '/api/analytics/outcomes',
      '/api/analytics/failures',
      '/api/analytics/experiments',
      `/api/analytics/playbooks/${key}/steps`,
    ])
      expect({ path, status: (await get('rita', path)).status }).toEqual({ path, status: 403 });
  });

  it('refuses a bad range with every problem and its path', async () => {
    const bad = await get<{ error: { code: string; details: { problems: { path: string[] }[] } } }>(
      'olga',
      '/api/analytics/rates?from=2019-13&breakdown=colour',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.problems.map((p) => p.path.join('.')).sort()).toEqual(['query.breakdown', 'query.from']);
    const backwards = await get<{ error: { details: { problems: { code: string }[] } } }>('olga', '/api/analytics/rates?from=2019-05&to=2019-01');
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.details.problems[0].code).toBe('invalid_range');
    expect((await get('olga', '/api/analytics/playbooks/no-such-playbook/steps')).status).toBe(404);
    expect((await get('olga', '/api/analytics/experiments?from=2019-02-30')).status).toBe(400);
  });

  it('logs the steps and the arm of a real attempt as the worker persists its transitions', async () => {
    const customerId = `ANX-${suffix}-live`;
    await product.pool.query("INSERT INTO customers (id, name, department_id, status) VALUES ($1, 'Live customer', $2, 'at_risk')", [customerId, deptA]);
    const started = await product.api<{ id: string }>('POST', '/api/runs', { token: tokens.olga, body: { playbookKey: key, customerId } });
    expect(started.status).toBe(201);
    const steps = await eventually(
      async () => {
        const { rows } = await product.pool.query<{ node_id: string; left_via: string | null; open: boolean }>(
          'SELECT node_id, left_via, left_at IS NULL AS open FROM attempt_steps WHERE attempt_id = $1 ORDER BY step_id',
          [started.body.id],
        );
        return rows.length === 3 ? rows : null;
      },
      20_000,
      'three logged steps',
    );
    const arm = (await product.pool.query<{ arm: string; label: string }>('SELECT arm, label FROM attempt_arms WHERE attempt_id = $1', [started.body.id]))
      .rows[0];
    expect(['a', 'b']).toContain(arm.arm);
    expect(arm.label).toBe(arm.arm === 'a' ? 'Call first' : 'Offer first');
    expect(steps).toEqual([
      { node_id: 'start', left_via: 'next', open: false },
      { node_id: 'split', left_via: arm.arm, open: false },
      { node_id: 'call', left_via: null, open: true },
    ]);
  });
});
