import type { Pool, PoolClient } from 'pg';
import { DEFAULT_RISK_RULES, QUARTER_DAYS, RiskRules, type CustomerFacts, type RiskVerdict } from '../../playbooks/risk';

/**
 * The SQL around the at-risk rules, shared by the evaluation's activities (workers) and the dry run
 * (server): one page of customers' facts as of a moment, the rules in force, and applying a page of
 * verdicts. The rules themselves are pure (playbooks/risk).
 */
type Db = Pool | PoolClient;

/** The newest published rules, or the defaults (version null) before anyone published. */
export async function publishedRiskRules(db: Db): Promise<{ version: number | null; rules: RiskRules }> {
  const { rows } = await db.query<{ version: number; config: unknown }>('SELECT version, config FROM risk_rule_versions ORDER BY version DESC LIMIT 1');
  if (!rows[0]) return { version: null, rules: DEFAULT_RISK_RULES };
  return { version: rows[0].version, rules: RiskRules.parse(rows[0].config) };
}

const ms = (v: Date | null) => (v ? v.getTime() : null);

/**
 * Facts for up to `limit` customers after `after` (by id), of all or of `customerIds`: the latest
 * visit, order, payment and complaint and two quarters of spend, all up to `asOf` (so a backfill
 * sees the past as it was). Each aggregate is an index probe on customer_activity (customer, kind, time).
 */
export async function customerFactsPage(
  db: Db,
  opts: { asOf: number; after: string | null; limit: number; customerIds?: readonly string[] },
): Promise<CustomerFacts[]> {
  const asOf = new Date(opts.asOf);
  const quarter = `${QUARTER_DAYS} days`;
  const { rows } = await db.query(
    `WITH page AS (
       SELECT id, status, status_changed_at, grade, department_id, expected_visit_days, customer_since, last_seen_at FROM customers
        WHERE ($4::text[] IS NULL OR id = ANY($4)) AND ($2::text IS NULL OR id > $2)
        ORDER BY id LIMIT $3)
     SELECT p.*,
       GREATEST((SELECT max(occurred_at) FROM customer_activity a WHERE a.customer_id = p.id AND a.kind = 'visit' AND a.occurred_at <= $1),
                (SELECT max(occurred_at) FROM customer_activity a WHERE a.customer_id = p.id AND a.kind = 'service' AND a.occurred_at <= $1)) AS last_visit,
       (SELECT max(occurred_at) FROM customer_activity a WHERE a.customer_id = p.id AND a.kind = 'order' AND a.occurred_at <= $1) AS last_order,
       (SELECT max(occurred_at) FROM customer_activity a WHERE a.customer_id = p.id AND a.kind = 'payment' AND a.occurred_at <= $1) AS last_payment,
       (SELECT max(occurred_at) FROM customer_activity a WHERE a.customer_id = p.id AND a.kind = 'complaint' AND a.occurred_at <= $1) AS last_complaint,
       (SELECT coalesce(sum(amount), 0) FROM customer_activity a WHERE a.customer_id = p.id AND a.kind IN ('order', 'service')
           AND a.occurred_at > $1::timestamptz - $5::interval AND a.occurred_at <= $1) AS spend_last,
       (SELECT coalesce(sum(amount), 0) FROM customer_activity a WHERE a.customer_id = p.id AND a.kind IN ('order', 'service')
           AND a.occurred_at > $1::timestamptz - 2 * $5::interval AND a.occurred_at <= $1::timestamptz - $5::interval) AS spend_prior
     FROM page p ORDER BY p.id`,
    [asOf, opts.after, opts.limit, opts.customerIds ?? null, quarter],
  );
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    statusChangedAt: ms(r.status_changed_at),
    grade: r.grade,
    department: r.department_id,
    expectedVisitDays: r.expected_visit_days,
    customerSince: ms(r.customer_since),
    lastSeenAt: r.last_seen_at && r.last_seen_at.getTime() <= opts.asOf ? r.last_seen_at.getTime() : null,
    lastVisitAt: ms(r.last_visit),
    lastOrderAt: ms(r.last_order),
    lastPaymentAt: ms(r.last_payment),
    lastComplaintAt: ms(r.last_complaint),
    spendLastQuarter: Number(r.spend_last),
    spendPriorQuarter: Number(r.spend_prior),
  }));
}

/** A status change applied by an evaluation, with what a playbook needs to start for that customer. */
export interface AppliedRiskChange {
  customerId: string;
  from: string;
  to: string;
  rule: string;
  trigger: string;
  customer: {
    id: string;
    name: string;
    department: string | null;
    grade: string;
    value: number;
    accountManager: string | null;
    status: string;
    churnType: string | null;
    churnReason: string | null;
  };
}

/**
 * Applies a page of verdicts for one evaluation, idempotently: each change is recorded once per
 * (evaluation, customer), and the customer moves only if still in the status the verdict saw, so a
 * retried page moves nobody twice and writes no second history row. Returns every change this
 * evaluation holds for the page's customers (also the ones a previous try applied), so the caller
 * starts the same playbooks however often it runs.
 */
export async function applyRiskVerdicts(client: PoolClient, evaluationId: string, verdicts: readonly RiskVerdict[]): Promise<AppliedRiskChange[]> {
  if (verdicts.length) {
    await client.query("SELECT set_config('retention.status_evaluation', $1, true)", [evaluationId]);
    // Two statements: the history trigger reads the recorded change, which must be visible to it.
    const recorded = await client.query<{ customer_id: string }>(
      `INSERT INTO risk_evaluation_changes (evaluation_id, customer_id, from_status, to_status, rule, trigger_key, evidence)
       SELECT $1, v."customerId", v."from", v."to", v.rule, v."trigger", v.evidence
         FROM jsonb_to_recordset($2::jsonb) AS v("customerId" text, "from" text, "to" text, rule text, "trigger" text, evidence jsonb)
         JOIN customers c ON c.id = v."customerId" AND c.status = v."from"
       ON CONFLICT (evaluation_id, customer_id) DO NOTHING
       RETURNING customer_id`,
      [evaluationId, JSON.stringify(verdicts)],
    );
    if (recorded.rows.length) {
      await client.query(
        `UPDATE customers c SET status = ch.to_status FROM risk_evaluation_changes ch
          WHERE ch.evaluation_id = $1 AND ch.customer_id = ANY($2) AND c.id = ch.customer_id AND c.status = ch.from_status`,
        [evaluationId, recorded.rows.map((r) => r.customer_id)],
      );
    }
    await client.query("SELECT set_config('retention.status_evaluation', '', true)");
  }
  const ids = verdicts.map((v) => v.customerId);
  const { rows } = await client.query(
    `SELECT ch.customer_id, ch.from_status, ch.to_status, ch.rule, ch.trigger_key, c.name, c.department_id, c.grade, c.value, c.account_manager_id,
            c.status, c.churn_type, c.churn_reason
       FROM risk_evaluation_changes ch JOIN customers c ON c.id = ch.customer_id
      WHERE ch.evaluation_id = $1 AND ch.customer_id = ANY($2) ORDER BY ch.customer_id`,
    [evaluationId, ids],
  );
  return rows.map((r) => ({
    customerId: r.customer_id,
    from: r.from_status,
    to: r.to_status,
    rule: r.rule,
    trigger: r.trigger_key,
    customer: {
      id: r.customer_id,
      name: r.name,
      department: r.department_id,
      grade: r.grade,
      value: Number(r.value),
      accountManager: r.account_manager_id,
      status: r.status,
      churnType: r.churn_type,
      churnReason: r.churn_reason,
    },
  }));
}
