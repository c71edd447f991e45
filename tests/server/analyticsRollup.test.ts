import { randomUUID } from 'node:crypto';
import { customerInReach } from '../../server/access';
import type { SessionUser } from '../../server/http';
import { Params } from '../../server/inbox/query';
import { hashPassword } from '../../server/auth';
import { startProduct, type Product } from '../support/product';

/**
 * The dashboard reads rollups that triggers keep as facts are written (platform/migrations/
 * …_analytics-rollup.sql). Here the facts arrive the way the product writes them — attempts that
 * end by an update, offers accepted after the attempt ended, tasks completed and then corrected,
 * customers moved to another department, reason or grade — and after each step every table the
 * API answers must equal the live count over the raw rows (the queries the rollups replaced),
 * for an ops manager, per department, and for a department head who also manages a customer of
 * another department. The fixture lives in 2018 in departments of its own.
 */
const t = (iso: string) => new Date(`2018-${iso}Z`);
const range = 'from=2018-01&to=2018-03';
const start = t('01-01T00:00:00');
const end = t('04-01T00:00:00');

describe('analytics rollups stay equal to the live counts', () => {
  let product: Product;
  const suffix = `${process.pid}${Date.now().toString(36)}`;
  const key = `rollup-${suffix}`;
  const deptA = `rlp_a_${suffix}`;
  const deptB = `rlp_b_${suffix}`;
  const headId = `rlphead${suffix}`;
  const head: SessionUser = { id: headId, username: headId, displayName: headId, role: 'department_head', department: deptA };
  const c = (n: number) => `RLP-${suffix}-${n}`;
  const tokens: Record<string, string> = {};
  const attempts: Record<string, string> = {};

  beforeAll(async () => {
    product = await startProduct();
    const { pool } = product;
    tokens.olga = await product.login('olga');
    await pool.query('INSERT INTO departments (id, name) VALUES ($1, $2), ($3, $4)', [deptA, `Rollup A ${suffix}`, deptB, `Rollup B ${suffix}`]);
    await pool.query("INSERT INTO users (id, username, display_name, password_hash, role, department_id) VALUES ($1, $1, $1, $2, 'department_head', $3)", [
      headId,
      await hashPassword('demo'),
      deptA,
    ]);
    tokens.head = await product.login(headId);
    await pool.query(`INSERT INTO playbooks (key, name, draft_graph) VALUES ($1, 'Rollup fixture', '{"nodes":[],"edges":[]}')`, [key]);
    await pool.query(`INSERT INTO playbook_versions (playbook_key, version, graph, plan, plan_hash) VALUES ($1, 1, '{"nodes":[],"edges":[]}', '{}', 'x')`, [
      key,
    ]);
    // c1 in A; c2 in B managed by A's head (within the head's reach); c3 in B; c4 in A.
    const customers: [string, string, string | null, string | null, string, string | null][] = [
      [c(1), 'core', 'competitive', 'C', deptA, null],
      [c(2), 'ordinary', 'fault', 'A', deptB, headId],
      [c(3), 'ordinary', null, null, deptB, null],
      [c(4), 'high_potential', 'natural', 'D', deptA, null],
    ];
    for (const [id, grade, type, reason, dept, manager] of customers)
      await pool.query(
        'INSERT INTO customers (id, name, grade, churn_type, churn_reason, department_id, account_manager_id) VALUES ($1, $1, $2, $3, $4, $5, $6)',
        [id, grade, type, reason, dept, manager],
      );
  });

  afterAll(async () => {
    if (product) await product.stop();
  });

  const visit = (customer: string, when: string, kind = 'visit') =>
    product.pool.query("INSERT INTO customer_activity (customer_id, kind, source, external_id, occurred_at) VALUES ($1, $2, 'test', $3, $4)", [
      customer,
      kind,
      randomUUID(),
      t(when),
    ]);
  const status = (customer: string, from: string, to: string, when: string, attempt: string | null = null) =>
    product.pool.query(
      "INSERT INTO customer_status_history (customer_id, from_status, to_status, rule, attempt_id, at) VALUES ($1, $2, $3, 'manual', $4, $5)",
      [customer, from, to, attempt, t(when)],
    );
  const startAttempt = async (name: string, customer: string, when: string) => {
    attempts[name] = randomUUID();
    await product.pool.query(
      `INSERT INTO recovery_attempts (id, workflow_id, customer_id, playbook_key, playbook_version, status, started_at) VALUES ($1, $5, $2, $3, 1, 'running', $4)`,
      [attempts[name], customer, key, t(when), `test/${attempts[name]}`],
    );
  };
  const split = (name: string, customer: string, arm: string, when: string) =>
    product.pool.query(
      `INSERT INTO attempt_arms (attempt_id, node_id, arm, label, customer_id, playbook_key, playbook_version, assigned_at) VALUES ($1, 'split', $2, $2, $3, $4, 1, $5)`,
      [attempts[name], arm, customer, key, t(when)],
    );
  const endAttempt = (name: string, outcome: string, when: string) =>
    product.pool.query("UPDATE recovery_attempts SET status = 'completed', outcome = $2, ended_at = $3 WHERE id = $1", [attempts[name], outcome, t(when)]);
  const offer = (name: string, offerKey: string, tier: number, status: string) =>
    product.pool.query(
      `INSERT INTO offers (attempt_id, offer_key, node_id, tier, label, incentive, status) VALUES ($1, $2, 'n', $3, 'Offer', '{}', $4)
       ON CONFLICT (attempt_id, offer_key) DO UPDATE SET status = EXCLUDED.status`,
      [attempts[name], offerKey, tier, status],
    );
  const form = [
    { key: 'complaint_category', label: 'Category', type: 'choice', options: [{ value: 'staff', label: 'Staff attitude' }] },
    { key: 'internal_cause', label: 'Internal cause', type: 'textarea' },
  ];
  const openTask = async (name: string, customer: string) =>
    (
      await product.pool.query<{ id: string }>(
        `INSERT INTO tasks (attempt_id, workflow_id, task_key, node_id, customer_id, playbook_key, title, assignee_role, department_id, outcomes, form, status)
         VALUES ($1, 'test', $2, 'n', $3, $4, 'Fix', 'rep', $5, '[]', $6, 'open') RETURNING id`,
        [attempts[name], randomUUID(), customer, key, deptA, JSON.stringify(form)],
      )
    ).rows[0].id;
  const completeTask = (id: string, data: Record<string, string>, when: string) =>
    product.pool.query("UPDATE tasks SET status = 'completed', form_data = $2, closed_at = $3 WHERE id = $1", [id, JSON.stringify(data), t(when)]);

  // The live counts, as the dashboard computed them before the rollups.
  const live = {
    async rates(user: SessionUser | null, breakdown: string, department?: string) {
      const p = new Params();
      const group: Record<string, string> = {
        none: "'all'",
        churn_reason: "COALESCE(c.churn_reason, 'none')",
        grade: 'c.grade',
        department: "COALESCE(c.department_id, 'none')",
      };
      const reach = user ? customerInReach(user, p, 'c') : 'TRUE';
      const { rows } = await product.pool.query(
        `SELECT to_char(m.month, 'YYYY-MM') AS month, ${group[breakdown]} AS grp, count(*) FILTER (WHERE m.served)::int AS served,
                count(*) FILTER (WHERE m.lost)::int AS lost, count(*) FILTER (WHERE m.won_back)::int AS won_back
           FROM customer_months m JOIN customers c ON c.id = m.customer_id
          WHERE m.month >= ${p.add(start)}::date AND m.month < ${p.add(end)}::date AND ${reach}
                ${department ? `AND c.department_id = ${p.add(department)}` : ''}
          GROUP BY 1, 2`,
        p.values,
      );
      return rows.map((r) => `${r.month} ${r.grp}: ${r.served}/${r.lost}/${r.won_back}`).sort();
    },
    async outcomes(user: SessionUser | null, department?: string) {
      const p = new Params();
      const reach = user ? customerInReach(user, p, 'c') : 'TRUE';
      const { rows } = await product.pool.query(
        `SELECT to_char(a.ended_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month,
                (a.outcome = 'won_back' OR EXISTS (SELECT 1 FROM customer_status_history h WHERE h.attempt_id = a.id AND h.to_status = 'won_back')) AS won,
                (SELECT max(o.tier) FROM offers o WHERE o.attempt_id = a.id AND o.status = 'accepted') AS tier, count(*)::int AS n
           FROM recovery_attempts a JOIN customers c ON c.id = a.customer_id
          WHERE a.playbook_key = ${p.add(key)} AND a.ended_at >= ${p.add(start)} AND a.ended_at < ${p.add(end)} AND ${reach}
                ${department ? `AND c.department_id = ${p.add(department)}` : ''}
          GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
        p.values,
      );
      return rows.map((r) => `${r.month} ${r.won ? 'won' : 'not'} tier ${r.tier ?? '-'}: ${r.n}`);
    },
    async arms(user: SessionUser | null) {
      const p = new Params();
      const reach = user ? customerInReach(user, p, 'c') : 'TRUE';
      const { rows } = await product.pool.query(
        `SELECT x.arm, count(*)::int AS n, count(*) FILTER (WHERE a.status <> 'running')::int AS ended,
                count(*) FILTER (WHERE a.status <> 'running' AND (a.outcome = 'won_back'
                  OR EXISTS (SELECT 1 FROM customer_status_history h WHERE h.attempt_id = a.id AND h.to_status = 'won_back')))::int AS won
           FROM attempt_arms x JOIN recovery_attempts a ON a.id = x.attempt_id JOIN customers c ON c.id = x.customer_id
          WHERE x.playbook_key = ${p.add(key)} AND ${reach} GROUP BY 1 ORDER BY 1`,
        p.values,
      );
      return rows.map((r) => `${r.arm}: ${r.won}/${r.ended}/${r.n}`);
    },
    async failures(user: SessionUser | null, department?: string) {
      const p = new Params();
      const reach = user ? customerInReach(user, p, 'c') : 'TRUE';
      const { rows } = await product.pool.query(
        `SELECT f.key AS field, lower(btrim(f.value)) AS cause, count(*)::int AS n
           FROM tasks t JOIN customers c ON c.id = t.customer_id CROSS JOIN LATERAL jsonb_each_text(t.form_data) f
          WHERE t.status = 'completed' AND t.closed_at >= ${p.add(start)} AND t.closed_at < ${p.add(end)} AND t.playbook_key = ${p.add(key)}
            AND f.key IN ('complaint_category', 'internal_cause', 'service_failure') AND btrim(f.value) <> '' AND ${reach}
            ${department ? `AND c.department_id = ${p.add(department)}` : ''}
          GROUP BY 1, 2`,
        p.values,
      );
      return rows.map((r) => `${r.field} ${r.cause}: ${r.n}`).sort();
    },
  };

  // What the API answers, in the same shape (rows of this fixture only; empty cells left out).
  const api = {
    async rates(who: string, breakdown: string, department?: string) {
      const res = await product.api<{ rows: { month: string; group: string; served: number; lost: number; wonBack: number }[] }>(
        'GET',
        `/api/analytics/rates?${range}&breakdown=${breakdown}${department ? `&department=${department}` : ''}`,
        { token: tokens[who] },
      );
      expect(res.status).toBe(200);
      return res.body.rows
        .filter((r) => r.served + r.lost + r.wonBack > 0)
        .map((r) => `${r.month} ${r.group}: ${r.served}/${r.lost}/${r.wonBack}`)
        .sort();
    },
    async outcomes(who: string, department?: string) {
      const res = await product.api<{ rows: { month: string; group: string; ended: number; wonBack: number }[] }>(
        'GET',
        `/api/analytics/outcomes?${range}&playbook=${key}&breakdown=offer_tier${department ? `&department=${department}` : ''}`,
        { token: tokens[who] },
      );
      const byVersion = await product.api<{ rows: { month: string; ended: number; wonBack: number }[] }>(
        'GET',
        `/api/analytics/outcomes?${range}&playbook=${key}&breakdown=version${department ? `&department=${department}` : ''}`,
        { token: tokens[who] },
      );
      expect([res.status, byVersion.status]).toEqual([200, 200]);
      return {
        ended: byVersion.body.rows.filter((r) => r.ended > 0).map((r) => `${r.month}: ${r.wonBack}/${r.ended}`),
        tiers: res.body.rows.filter((r) => r.wonBack > 0).map((r) => `${r.month} ${r.group}: ${r.wonBack}`),
      };
    },
    async arms(who: string) {
      const res = await product.api<{ experiments: { arms: { arm: string; attempts: number; ended: number; wonBack: number }[] }[] }>(
        'GET',
        `/api/analytics/experiments?playbook=${key}`,
        { token: tokens[who] },
      );
      expect(res.status).toBe(200);
      return (res.body.experiments[0]?.arms ?? []).map((a) => `${a.arm}: ${a.wonBack}/${a.ended}/${a.attempts}`).sort();
    },
    async failures(who: string, department?: string) {
      const res = await product.api<{ rows: { field: string; cause: string; count: number }[] }>(
        'GET',
        `/api/analytics/failures?${range}&playbook=${key}${department ? `&department=${department}` : ''}`,
        { token: tokens[who] },
      );
      expect(res.status).toBe(200);
      return res.body.rows.map((r) => `${r.field} ${r.cause}: ${r.count}`).sort();
    },
  };

  /** The live outcome rows folded the way the API reports them: per month ended and won, and won per tier. */
  const fold = (rows: string[]) => {
    const ended = new Map<string, [number, number]>();
    const tiers = new Map<string, number>();
    for (const row of rows) {
      const [, month, won, tier, n] = /^(\S+) (won|not) tier (\S+): (\d+)$/.exec(row)!;
      const cell = ended.get(month) ?? [0, 0];
      cell[1] += Number(n);
      if (won === 'won') {
        cell[0] += Number(n);
        const group = tier === '-' ? 'none' : `tier_${tier}`;
        tiers.set(`${month} ${group}`, (tiers.get(`${month} ${group}`) ?? 0) + Number(n));
      }
      ended.set(month, cell);
    }
    return {
      ended: [...ended].sort().map(([m, [w, e]]) => `${m}: ${w}/${e}`),
      tiers: [...tiers].sort().map(([k, n]) => `${k}: ${n}`),
    };
  };

  async function expectLiveEverywhere() {
    for (const [who, user] of [
      ['olga', null],
      ['head', head],
    ] as const) {
      expect({ who, arms: await api.arms(who) }).toEqual({ who, arms: await live.arms(user) });
      for (const department of [undefined, deptA, deptB]) {
        for (const breakdown of ['none', 'churn_reason', 'grade', 'department']) {
          const got = await api.rates(who, breakdown, department);
          const want = await live.rates(user, breakdown, department);
          expect({ who, department, breakdown, rows: got }).toEqual({ who, department, breakdown, rows: want });
        }
        expect({ who, department, outcomes: await api.outcomes(who, department) }).toEqual({
          who,
          department,
          outcomes: fold(await live.outcomes(user, department)),
        });
        expect({ who, department, failures: await api.failures(who, department) }).toEqual({
          who,
          department,
          failures: await live.failures(user, department),
        });
      }
    }
  }

  it('counts facts as they are written, updated and corrected', async () => {
    await visit(c(1), '01-05T10:00:00');
    await visit(c(1), '01-20T10:00:00');
    await visit(c(2), '01-07T10:00:00', 'order');
    await visit(c(3), '02-02T10:00:00');
    await visit(c(4), '02-03T10:00:00', 'complaint'); // not a service
    await status(c(1), 'active', 'churned', '01-25T00:00:00');
    await status(c(2), 'active', 'pre_churn', '01-26T00:00:00');
    await status(c(2), 'pre_churn', 'lost', '02-01T00:00:00');
    await startAttempt('X1', c(1), '01-26T00:00:00');
    await startAttempt('X2', c(2), '02-02T00:00:00');
    await startAttempt('X3', c(3), '02-03T00:00:00');
    await split('X1', c(1), 'a', '01-26T00:00:00');
    await split('X2', c(2), 'b', '02-02T00:00:00');
    await split('X3', c(3), 'a', '02-03T00:00:00');
    await offer('X1', 'o1', 1, 'made');
    const t1 = await openTask('X1', c(1));
    const t2 = await openTask('X2', c(2));
    const t3 = await openTask('X3', c(3));
    await expectLiveEverywhere();

    // X1 ends won back in February; its tier-2 offer is accepted only afterwards.
    await endAttempt('X1', 'won_back', '02-10T00:00:00');
    await status(c(1), 'churned', 'won_back', '02-10T00:00:00', attempts.X1);
    await offer('X1', 'o1', 1, 'declined');
    await offer('X1', 'o2', 2, 'accepted');
    // X2 ends closed, then wins its customer back by a status change; X3 is lost.
    await endAttempt('X2', 'closed', '02-20T00:00:00');
    await status(c(2), 'lost', 'won_back', '03-01T00:00:00', attempts.X2);
    await endAttempt('X3', 'lost', '03-02T00:00:00');
    await visit(c(2), '03-03T10:00:00');
    await completeTask(t1, { complaint_category: 'staff', internal_cause: ' Late delivery' }, '02-10T00:00:00');
    await completeTask(t2, { internal_cause: 'late delivery' }, '02-21T00:00:00');
    await completeTask(t3, { internal_cause: '  ' }, '03-02T00:00:00');
    await expectLiveEverywhere();
    // By hand, in department A: c1 served and lost in January, won back in February; X1 won back on tier 2.
    expect(await api.rates('olga', 'none', deptA)).toEqual(['2018-01 all: 1/1/0', '2018-02 all: 0/0/1']);
    expect(await api.outcomes('olga', deptA)).toEqual({ ended: ['2018-02: 1/1'], tiers: ['2018-02 tier_2: 1'] });
    // The head of A reaches c2 (in B, which they manage): X2 won back by its status change in February;
    // and c3 (in B), whose task sits in A's queue: X3 lost in March.
    expect((await api.outcomes('head')).ended).toEqual(['2018-02: 2/2', '2018-03: 0/1']);
    expect((await api.outcomes('head', deptB)).ended).toEqual(['2018-02: 1/1', '2018-03: 0/1']);
    // Arms: a is X1 (won) and X3 (lost), b is X2 (won by its status change).
    expect(await api.arms('olga')).toEqual(['a: 1/2/2', 'b: 1/1/1']);

    // A correction: the task's cause is changed after it was completed; an acceptance is withdrawn.
    await product.pool.query('UPDATE tasks SET form_data = \'{"internal_cause": "wrong invoice"}\' WHERE id = $1', [t2]);
    await product.pool.query("UPDATE offers SET status = 'expired' WHERE attempt_id = $1 AND offer_key = 'o2'", [attempts.X1]);
    await expectLiveEverywhere();
    expect(await api.failures('olga', deptB)).toEqual(['internal_cause wrong invoice: 1']);
  });

  it('moves a customer’s counts when their department, reason or grade changes', async () => {
    await product.pool.query("UPDATE customers SET department_id = $2, churn_reason = 'A', grade = 'ordinary' WHERE id = $1", [c(1), deptB]);
    await product.pool.query('UPDATE customers SET department_id = $2, account_manager_id = NULL WHERE id = $1', [c(2), deptA]);
    await product.pool.query('UPDATE customers SET department_id = $2 WHERE id = ANY($1)', [[c(3), c(4)], deptA]);
    await expectLiveEverywhere();
    expect(await api.rates('olga', 'churn_reason', deptB)).toEqual(['2018-01 A: 1/1/0', '2018-02 A: 0/0/1']);
    expect(await api.failures('olga', deptB)).toEqual(['complaint_category staff: 1', 'internal_cause late delivery: 1']);
    // A customer who leaves every department is every head's to read.
    await product.pool.query('UPDATE customers SET department_id = NULL WHERE id = $1', [c(1)]);
    await expectLiveEverywhere();
  });
});
