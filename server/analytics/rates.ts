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
 * Each customer counts once per month and measure: customer_months (platform/migrations/…_analytics.sql)
 * keeps one row per customer and month with the three flags, from triggers on customer_activity and
 * customer_status_history. Breakdowns group by the customer's current value.
 */

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
  const where = scope(p);
  // Those who see every customer need no join unless the breakdown reads the customer.
  const join = breakdown !== 'none' || where !== 'TRUE';
  const text = `
    SELECT to_char(m.month, 'YYYY-MM') AS month, ${GROUP_SQL[breakdown]} AS grp, ${breakdown === 'department' ? 'max(d.name)' : 'NULL'} AS named,
           count(*) FILTER (WHERE m.served)::int AS served,
           count(*) FILTER (WHERE m.lost)::int AS lost,
           count(*) FILTER (WHERE m.won_back)::int AS won_back
      FROM customer_months m
      ${join ? 'JOIN customers c ON c.id = m.customer_id' : ''}
      ${breakdown === 'department' ? 'LEFT JOIN departments d ON d.id = c.department_id' : ''}
     WHERE m.month >= ${start}::date AND m.month < ${end}::date AND ${where}
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
