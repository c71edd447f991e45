import type { Pool } from 'pg';
import type { RateBreakdown, RateRow, RatesReport } from '../../contract/analytics';
import type { SessionUser } from '../http';
import { Params } from '../inbox/query';
import { NONE, groupLabel } from './labels';
import type { MonthRange } from './period';
import { prepared } from './prepared';
import { rollupReach, type RollupReach } from './scope';
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
 * customer_status_history; customer_month_groups counts those rows per month and group. Breakdowns
 * group by the customer's current value.
 */

const GROUP_SQL: Record<RateBreakdown, string> = {
  none: "'all'",
  churn_type: `COALESCE(g.churn_type, '${NONE}')`,
  churn_reason: `COALESCE(g.churn_reason, '${NONE}')`,
  grade: 'g.grade',
  department: `COALESCE(g.department_id, '${NONE}')`,
};

/**
 * The rates from customer_month_groups (the customer months counted per month and customer group,
 * platform/migrations/…_analytics-rollup.sql, kept by triggers: live), plus, for a department head,
 * the months of the customers beyond their department they reach, counted from customer_months.
 */
export function ratesSql(breakdown: RateBreakdown, reach: RollupReach, range: MonthRange): { text: string; values: unknown[] } {
  const p = new Params();
  const start = p.add(range.start);
  const end = p.add(range.end);
  const extra = reach.extra
    ? `UNION ALL
       SELECT m.month, c.department_id, c.churn_type, c.churn_reason, c.grade, m.served::int, m.lost::int, m.won_back::int
         FROM customer_months m JOIN customers c ON c.id = m.customer_id
        WHERE m.month >= ${start}::date AND m.month < ${end}::date AND m.customer_id IN ${reach.extra(p)}`
    : '';
  const text = `
    SELECT to_char(g.month, 'YYYY-MM') AS month, ${GROUP_SQL[breakdown]} AS grp, ${breakdown === 'department' ? 'max(d.name)' : 'NULL'} AS named,
           sum(g.served)::int AS served, sum(g.lost)::int AS lost, sum(g.won_back)::int AS won_back
      FROM (SELECT r.month, r.department_id, r.churn_type, r.churn_reason, r.grade, r.served, r.lost, r.won_back
              FROM customer_month_groups r
             WHERE r.month >= ${start}::date AND r.month < ${end}::date AND ${reach.rollup(p, 'r')}
            ${extra}) g
      ${breakdown === 'department' ? 'LEFT JOIN departments d ON d.id = g.department_id' : ''}
     GROUP BY 1, 2
     -- A group whose customers all moved elsewhere keeps a row of zeros: it has no customer month.
    HAVING sum(g.served) + sum(g.lost) + sum(g.won_back) > 0
     ORDER BY 1, 2`;
  return { text, values: p.values };
}

export async function churnAndWinBackRates(
  pool: Pool,
  user: SessionUser,
  opts: { breakdown: RateBreakdown; range: MonthRange; department?: string },
): Promise<RatesReport> {
  const { text, values } = ratesSql(opts.breakdown, rollupReach(user, opts.department), opts.range);
  const { rows } = await prepared<{ month: string; grp: string; named: string | null; served: number; lost: number; won_back: number }>(pool, text, values);
  // Every month of the range appears for every group seen, so a chart's gaps are zeros, not holes.
  const groups = new Map<string, string>();
  if (opts.breakdown === 'none') groups.set('all', groupLabel('none', 'all'));
  for (const r of rows) if (!groups.has(r.grp)) groups.set(r.grp, groupLabel(opts.breakdown, r.grp, r.named));
  const byKey = new Map(rows.map((r) => [`${r.month}\u0000${r.grp}`, r]));
  const out: RateRow[] = [];
  const sorted = [...groups].sort((a, b) => a[0].localeCompare(b[0]));
  for (const month of opts.range.months)
    for (const [group, label] of sorted) {
      const r = byKey.get(`${month}\u0000${group}`);
      const served = r?.served ?? 0;
      const lost = r?.lost ?? 0;
      const wonBack = r?.won_back ?? 0;
      out.push({ month, group, label, served, lost, wonBack, churnRate: ratio(lost, served), winBackRate: ratio(wonBack, lost) });
    }
  return { from: opts.range.from, to: opts.range.to, breakdown: opts.breakdown, rows: out };
}
