import type { Pool } from 'pg';
import type { OutcomeBreakdown, OutcomeRow, OutcomesReport } from '../../contract/analytics';
import type { SessionUser } from '../http';
import { Params } from '../inbox/query';
import type { MonthRange } from './period';
import { prepared } from './prepared';
import { rollupReach, type RollupReach } from './scope';
import { ratio } from './stats';

/**
 * What recovery attempts achieved, month by month, by playbook, by version, or by the offer tier
 * that won the customer back. Crossing the churn line belongs to no playbook, so these rates are
 * per attempt: of the attempts that ended in a month, the share that won their customer back (the
 * attempt's outcome is won_back, or it changed the customer's status to won_back). By offer tier,
 * each won-back attempt counts under the highest tier its customer accepted ("no offer accepted"
 * when none), over all attempts of the month, so the tiers' rates add up to the month's rate.
 * Each ended attempt's cell (month, won back, tier) is kept in attempt_outcomes by triggers on the
 * attempts, their status changes and offers (platform/migrations/…_analytics-rollup.sql).
 */
export function outcomesSql(reach: RollupReach, range: MonthRange, filter: { playbook?: string; version?: number }): { text: string; values: unknown[] } {
  const p = new Params();
  const start = p.add(range.start);
  const end = p.add(range.end);
  const where = (row: string) =>
    [
      `${row}.month >= ${start}::date`,
      `${row}.month < ${end}::date`,
      ...(filter.playbook ? [`${row}.playbook_key = ${p.add(filter.playbook)}`] : []),
      ...(filter.version ? [`${row}.playbook_version = ${p.add(filter.version)}`] : []),
    ].join(' AND ');
  // attempt_outcome_months counts the ended attempts per cell and department (kept by triggers, live);
  // a department head's customers beyond their department are counted from their attempts' cells.
  const extra = reach.extra
    ? `UNION ALL
       SELECT x.month, x.playbook_key, x.playbook_version, x.won_back, x.tier, 1 FROM attempt_outcomes x
        WHERE ${where('x')} AND x.customer_id IN ${reach.extra(p)}`
    : '';
  const text = `
    SELECT to_char(g.month, 'YYYY-MM') AS month, g.playbook_key, g.playbook_version, g.won_back, g.tier, sum(g.attempts)::int AS attempts
      FROM (SELECT r.month, r.playbook_key, r.playbook_version, r.won_back, r.tier, r.attempts FROM attempt_outcome_months r
             WHERE ${where('r')} AND ${reach.rollup(p, 'r')}
            ${extra}) g
     GROUP BY 1, 2, 3, 4, 5
    HAVING sum(g.attempts) > 0`;
  return { text, values: p.values };
}

interface Cell {
  month: string;
  playbook_key: string;
  playbook_version: number;
  won_back: boolean;
  tier: number | null;
  attempts: number;
}

export async function attemptOutcomes(
  pool: Pool,
  user: SessionUser,
  opts: { breakdown: OutcomeBreakdown; range: MonthRange; department?: string; playbook?: string; version?: number },
): Promise<OutcomesReport> {
  const { text, values } = outcomesSql(rollupReach(user, opts.department), opts.range, opts);
  const [{ rows }, names] = await Promise.all([prepared<Cell>(pool, text, values), playbookNames(pool)]);
  const name = (key: string) => names.get(key) ?? key;
  const groupOf = (r: Cell): { group: string; label: string } | null => {
    if (opts.breakdown === 'playbook') return { group: r.playbook_key, label: name(r.playbook_key) };
    if (opts.breakdown === 'version') return { group: `${r.playbook_key}@${r.playbook_version}`, label: `${name(r.playbook_key)} v${r.playbook_version}` };
    // Offer tiers: only won-back attempts have a tier to count under; the rest are in the month's total.
    if (!r.won_back) return null;
    return r.tier === null ? { group: 'none', label: 'No offer accepted' } : { group: `tier_${r.tier}`, label: `Tier ${r.tier}` };
  };
  const totals = new Map<string, number>();
  const cells = new Map<string, { month: string; group: string; label: string; ended: number; wonBack: number }>();
  const groups = new Map<string, string>();
  for (const r of rows) {
    totals.set(r.month, (totals.get(r.month) ?? 0) + r.attempts);
    const g = groupOf(r);
    if (!g) continue;
    groups.set(g.group, g.label);
    const k = `${r.month}\u0000${g.group}`;
    const cell = cells.get(k) ?? { month: r.month, ...g, ended: 0, wonBack: 0 };
    cell.ended += r.attempts;
    if (r.won_back) cell.wonBack += r.attempts;
    cells.set(k, cell);
  }
  const out: OutcomeRow[] = [];
  // Sorted once, with one collator: localeCompare with options builds a collator per comparison.
  const sorted = [...groups].sort((a, b) => GROUP_ORDER.compare(a[0], b[0]));
  for (const month of opts.range.months)
    for (const [group, label] of sorted) {
      const cell = cells.get(`${month}\u0000${group}`);
      const wonBack = cell?.wonBack ?? 0;
      const ended = opts.breakdown === 'offer_tier' ? (totals.get(month) ?? 0) : (cell?.ended ?? 0);
      out.push({ month, group, label, ended, wonBack, winBackRate: ratio(wonBack, ended) });
    }
  return { from: opts.range.from, to: opts.range.to, breakdown: opts.breakdown, rows: out };
}

/** Groups in natural order ("tier_2" before "tier_10"), as localeCompare(b, 'en', { numeric: true }) orders them. */
const GROUP_ORDER = new Intl.Collator('en', { numeric: true });

export async function playbookNames(pool: Pool): Promise<Map<string, string>> {
  const { rows } = await prepared<{ key: string; name: string }>(pool, 'SELECT key, name FROM playbooks');
  return new Map(rows.map((r) => [r.key, r.name]));
}
