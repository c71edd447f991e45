import type { PoolClient } from 'pg';
import type { ActivityRow, CustomerRow } from './rows';

/**
 * Applying a batch of validated rows in one statement each (jsonb_to_recordset), which is what
 * makes 100,000 rows a matter of seconds. Every row is one row of one INSERT or UPDATE, so a row is
 * applied whole or not at all; rows the database refuses by their content (an unknown customer) are
 * returned as problems for their line.
 */
export interface BatchOutcome {
  applied: number;
  unchanged: number;
  problems: { line: number; path: string; code: string; message: string }[];
}

export async function applyActivityBatch(db: PoolClient, userId: string, rows: { line: number; row: ActivityRow }[]): Promise<BatchOutcome> {
  const payload = rows.map(({ line, row }) => ({
    line,
    customer_id: row.customer_id,
    kind: row.kind,
    source: row.source,
    external_id: row.external_id,
    occurred_at: row.occurred_at,
    amount: row.amount ?? null,
    currency: row.currency ?? null,
    details: row.details ?? {},
  }));
  const { rows: result } = await db.query<{ line: number; known: boolean; inserted: boolean; differs: string[]; recorded: boolean }>(
    `WITH v AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS v(line int, customer_id text, kind text, source text, external_id text,
                                                      occurred_at timestamptz, amount numeric, currency text, details jsonb)),
     ins AS (
       INSERT INTO customer_activity (customer_id, kind, source, external_id, occurred_at, amount, currency, details, recorded_by)
       SELECT v.customer_id, v.kind, v.source, v.external_id, v.occurred_at, v.amount, v.currency, v.details, $2
         FROM v JOIN customers c ON c.id = v.customer_id
       ON CONFLICT (source, external_id) DO NOTHING
       RETURNING source, external_id),
     seen AS (
       UPDATE customers c SET last_seen_at = GREATEST(c.last_seen_at, s.at)
         FROM (SELECT customer_id, max(occurred_at) AS at FROM v WHERE kind IN ('visit', 'service', 'order') GROUP BY customer_id) s
        WHERE c.id = s.customer_id AND (c.last_seen_at IS NULL OR c.last_seen_at < s.at))
     -- A row whose source and external id were recorded before (the statement's snapshot sees only
     -- those, not this batch's inserts) names the fields it disagrees on: a conflict, never an overwrite.
     SELECT v.line, k.id IS NOT NULL AS known, i.external_id IS NOT NULL AS inserted,
            array_remove(ARRAY[
              CASE WHEN e.customer_id IS DISTINCT FROM v.customer_id THEN 'customer_id' END,
              CASE WHEN e.kind IS DISTINCT FROM v.kind THEN 'kind' END,
              CASE WHEN e.occurred_at IS DISTINCT FROM v.occurred_at THEN 'occurred_at' END,
              CASE WHEN e.amount IS DISTINCT FROM round(v.amount, 2) THEN 'amount' END,
              CASE WHEN e.currency IS DISTINCT FROM v.currency THEN 'currency' END,
              CASE WHEN e.details IS DISTINCT FROM v.details THEN 'details' END], NULL) AS differs,
            e.id IS NOT NULL AS recorded
       FROM v LEFT JOIN customers k ON k.id = v.customer_id LEFT JOIN ins i ON i.source = v.source AND i.external_id = v.external_id
       LEFT JOIN customer_activity e ON e.source = v.source AND e.external_id = v.external_id
      ORDER BY v.line`,
    [JSON.stringify(payload), userId],
  );
  const out: BatchOutcome = { applied: 0, unchanged: 0, problems: [] };
  // Two rows of one file with the same source and external id: the first one counts; a later one
  // that says something else is a conflict with it, like a row that disagrees with what was recorded.
  const claimed = new Map<string, ActivityRow>();
  const byLine = new Map(rows.map((r) => [r.line, r.row]));
  for (const r of result) {
    const row = byLine.get(r.line)!;
    const k = `${row.source}\u0000${row.external_id}`;
    const first = claimed.get(k);
    const differs = r.recorded ? r.differs : first ? activityDifferences(first, row) : [];
    if (!r.known) out.problems.push({ line: r.line, path: 'customer_id', code: 'unknown_customer', message: `no customer ${row.customer_id}` });
    else if (differs.length)
      for (const field of differs)
        out.problems.push({
          line: r.line,
          path: field,
          code: 'conflicts_with_recorded',
          message: `${row.source} ${row.external_id} is already recorded${r.recorded ? '' : ' by an earlier row of this file'} with another ${field}; differing fields: ${differs.join(', ')} (nothing was changed)`,
        });
    else if (r.inserted && !first) out.applied++;
    else out.unchanged++;
    if (!first && r.known) claimed.set(k, row);
  }
  return out;
}

/** The fields on which two rows for the same source and external id disagree (as the database would store them). */
export function activityDifferences(a: ActivityRow, b: ActivityRow): string[] {
  const cents = (n: number | undefined) => (n === undefined ? null : Math.round(n * 100));
  const stable = (v: unknown): string =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? `{${Object.keys(v)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`)
          .join(',')}}`
      : Array.isArray(v)
        ? `[${v.map(stable).join(',')}]`
        : JSON.stringify(v);
  const same: Record<string, boolean> = {
    customer_id: a.customer_id === b.customer_id,
    kind: a.kind === b.kind,
    occurred_at: Date.parse(a.occurred_at) === Date.parse(b.occurred_at),
    amount: cents(a.amount) === cents(b.amount),
    currency: (a.currency ?? null) === (b.currency ?? null),
    details: stable(a.details ?? {}) === stable(b.details ?? {}),
  };
  return Object.keys(same).filter((f) => !same[f]);
}

export async function applyCustomerBatch(db: PoolClient, userId: string, jobId: string, rows: { line: number; row: CustomerRow }[]): Promise<BatchOutcome> {
  // Rows of a batch for the same id apply in order: later cells given override earlier ones.
  const last = new Map<string, { line: number; row: CustomerRow }>();
  for (const r of rows) {
    const before = last.get(r.row.id);
    const given = Object.fromEntries(Object.entries(r.row).filter(([, v]) => v !== undefined)) as CustomerRow;
    last.set(r.row.id, { line: r.line, row: before ? { ...before.row, ...given } : r.row });
  }
  const payload = [...last.values()].map(({ line, row }) => ({ line, ...row }));
  // A status changed by an import is history like any other: rule 'import', who, which job.
  await db.query(
    `SELECT set_config('retention.status_rule', 'import', true), set_config('retention.status_changed_by', $1, true),
            set_config('retention.status_evidence', $2, true)`,
    [userId, JSON.stringify({ importJob: jobId })],
  );
  const columns = `line int, id text, name text, grade text, value numeric, department text, account_manager text, status text,
                   churn_type text, churn_reason text, expected_visit_days int, customer_since date`;
  const updated = await db.query<{ id: string }>(
    `UPDATE customers c SET name = v.name, grade = COALESCE(v.grade, c.grade), value = COALESCE(v.value, c.value),
            department_id = COALESCE(v.department, c.department_id), account_manager_id = COALESCE(v.account_manager, c.account_manager_id),
            status = COALESCE(v.status, c.status), churn_type = COALESCE(v.churn_type, c.churn_type), churn_reason = COALESCE(v.churn_reason, c.churn_reason),
            expected_visit_days = COALESCE(v.expected_visit_days, c.expected_visit_days), customer_since = COALESCE(v.customer_since, c.customer_since)
       FROM jsonb_to_recordset($1::jsonb) AS v(${columns})
      WHERE c.id = v.id
      RETURNING c.id`,
    [JSON.stringify(payload)],
  );
  const inserted = await db.query<{ id: string }>(
    `INSERT INTO customers (id, name, grade, value, department_id, account_manager_id, status, churn_type, churn_reason, expected_visit_days, customer_since)
     SELECT v.id, v.name, COALESCE(v.grade, 'ordinary'), COALESCE(v.value, 0), v.department, v.account_manager, COALESCE(v.status, 'active'),
            v.churn_type, v.churn_reason, v.expected_visit_days, v.customer_since
       FROM jsonb_to_recordset($1::jsonb) AS v(${columns})
     ON CONFLICT (id) DO NOTHING
     RETURNING id`,
    [JSON.stringify(payload)],
  );
  await db.query("SELECT set_config('retention.status_rule', '', true), set_config('retention.status_changed_by', '', true)");
  return { applied: updated.rowCount! + inserted.rowCount!, unchanged: rows.length - last.size, problems: [] };
}
