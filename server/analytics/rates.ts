import type { Pool } from 'pg';
import type { RateBreakdown, RateRow, RatesReport } from '../../contract/analytics';
import type { SessionUser } from '../http';
import { Params } from '../inbox/query';
import { NONE, groupLabel } from './labels';
import type { MonthRange } from './period';
import { customerScope } from './scope';
import { ratio } from './stats';

/**
 * Churn and win-back rates month by month (the README's "Measurement" has the definitions):
 *   served    customers with a visit, service, order or payment that month
 *   lost      customers who crossed the churn line that month: a status change into churned or lost
 *             from any status that is neither
 *   won back  customers whose status changed to won_back from at_risk, pre_churn, churned or lost
 *   churn rate = lost / served; win-back rate = won back / lost (it can pass 100 % in a month that
 *   wins back customers lost earlier)
 * Each customer counts once per month and measure. Breakdowns group by the customer's current value.
 */

/** The status changes that count, as SQL lists (also quoted in the README). */
export const CHURN_LINE = "('churned', 'lost')";
export const WON_BACK_FROM = "('at_risk', 'pre_churn', 'churned', 'lost')";
export const SERVED_KINDS = "('visit', 'service', 'order', 'payment')";

const GROUP_SQL: Record<RateBreakdown, string> = {
  none: "'all'",
  churn_type: `COALESCE(c.churn_type, '${NONE}')`,
  churn_reason: `COALESCE(c.churn_reason, '${NONE}')`,
  grade: 'c.grade',
  department: `COALESCE(c.department_id, '${NONE}')`,
};

export function ratesSql(breakdown: RateBreakdown, scope: (p: Params) => string, range: MonthRange): { text: string; values: unknown[] } {
  const p = new Params();
  const start = p.add(range.start);
  const end = p.add(range.end);
  const month = (col: string) => `to_char(date_trunc('month', ${col} AT TIME ZONE 'UTC'), 'YYYY-MM')`;
  const text = `
    WITH facts AS (
      SELECT DISTINCT ${month('ca.occurred_at')} AS month, ca.customer_id, 'served' AS measure
        FROM customer_activity ca
       WHERE ca.kind IN ${SERVED_KINDS} AND ca.occurred_at >= ${start} AND ca.occurred_at < ${end}
      UNION
      SELECT ${month('h.at')}, h.customer_id, 'lost'
        FROM customer_status_history h
       WHERE h.to_status IN ${CHURN_LINE} AND h.from_status NOT IN ${CHURN_LINE} AND h.at >= ${start} AND h.at < ${end}
      UNION
      SELECT ${month('h.at')}, h.customer_id, 'won_back'
        FROM customer_status_history h
       WHERE h.to_status = 'won_back' AND h.from_status IN ${WON_BACK_FROM} AND h.at >= ${start} AND h.at < ${end}
    )
    SELECT f.month, ${GROUP_SQL[breakdown]} AS grp, ${breakdown === 'department' ? 'max(d.name)' : 'NULL'} AS named,
           count(*) FILTER (WHERE f.measure = 'served')::int AS served,
           count(*) FILTER (WHERE f.measure = 'lost')::int AS lost,
           count(*) FILTER (WHERE f.measure = 'won_back')::int AS won_back
      FROM facts f
      JOIN customers c ON c.id = f.customer_id
      ${breakdown === 'department' ? 'LEFT JOIN departments d ON d.id = c.department_id' : ''}
     WHERE ${scope(p)}
     GROUP BY 1, 2
     ORDER BY 1, 2`;
  return { text, values: p.values };
}

export async function churnAndWinBackRates(
  pool: Pool,
  user: SessionUser,
  opts: { breakdown: RateBreakdown; range: MonthRange; department?: string },
): Promise<RatesReport> {
  const { text, values } = ratesSql(opts.breakdown, (p) => customerScope(user, p, 'c', opts.department), opts.range);
  const { rows } = await pool.query<{ month: string; grp: string; named: string | null; served: number; lost: number; won_back: number }>(text, values);
  // Every month of the range appears for every group seen, so a chart's gaps are zeros, not holes.
  const groups = new Map<string, string>();
  if (opts.breakdown === 'none') groups.set('all', groupLabel('none', 'all'));
  for (const r of rows) if (!groups.has(r.grp)) groups.set(r.grp, groupLabel(opts.breakdown, r.grp, r.named));
  const byKey = new Map(rows.map((r) => [`${r.month}\u0000${r.grp}`, r]));
  const out: RateRow[] = [];
  for (const month of opts.range.months)
    for (const [group, label] of [...groups].sort((a, b) => a[0].localeCompare(b[0]))) {
      const r = byKey.get(`${month}\u0000${group}`);
      const served = r?.served ?? 0;
      const lost = r?.lost ?? 0;
      const wonBack = r?.won_back ?? 0;
      out.push({ month, group, label, served, lost, wonBack, churnRate: ratio(lost, served), winBackRate: ratio(wonBack, lost) });
    }
  return { from: opts.range.from, to: opts.range.to, breakdown: opts.breakdown, rows: out };
}
