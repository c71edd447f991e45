import type { Pool } from 'pg';
import type { ArmStat, Experiment, ExperimentReport } from '../../contract/analytics';
import { HOLDOUT } from '../../playbooks/nodes/experiment';
import type { PlaybookGraph } from '../../playbooks/graph';
import type { SessionUser } from '../http';
import { Params } from '../inbox/query';
import { playbookNames } from './outcomes';
import { prepared } from './prepared';
import { rollupReach, type RollupReach } from './scope';
import { percent, ratio, twoProportionPValue, wilsonInterval } from './stats';

/** Below this p-value a difference from the baseline counts as significant (two-sided, 5 %). */
export const SIGNIFICANCE = 0.05;

/**
 * Win-back rate per experiment arm: of the attempts an experiment node put in the arm that have
 * ended, the share that won their customer back (the same rule as the attempt outcomes), with a 95 %
 * Wilson interval, each arm tested against the baseline (the hold-out when there is one, else the
 * first arm) with a two-proportion z-test; the verdict says in words whether a difference is shown yet.
 */
export async function experimentArms(
  pool: Pool,
  user: SessionUser,
  opts: { playbook?: string; version?: number; start: Date | null; end: Date | null; department?: string },
): Promise<ExperimentReport> {
  const { text, values } = armCountsSql(rollupReach(user, opts.department), opts);
  const [{ rows }, names] = await Promise.all([
    prepared<{ playbook_key: string; node_id: string; arm: string; label: string; attempts: number; ended: number; won: number }>(pool, text, values),
    playbookNames(pool),
  ]);
  const graphs = await latestGraphs(pool, [...new Set(rows.map((r) => r.playbook_key))]);
  const experiments = new Map<string, typeof rows>();
  for (const r of rows) experiments.set(`${r.playbook_key}\u0000${r.node_id}`, [...(experiments.get(`${r.playbook_key}\u0000${r.node_id}`) ?? []), r]);
  const out: Experiment[] = [];
  for (const arms of experiments.values()) {
    const { playbook_key: key, node_id: nodeId } = arms[0];
    const node = graphs.get(key)?.nodes.find((n) => n.id === nodeId);
    const config = (node?.config ?? {}) as { arms?: { key: string; label?: string }[] };
    const order = [...(config.arms ?? []).map((a) => a.key), HOLDOUT];
    arms.sort((a, b) => rank(order, a.arm) - rank(order, b.arm) || a.arm.localeCompare(b.arm));
    const baseline = arms.find((a) => a.arm === HOLDOUT) ?? arms[0];
    const labelOf = (arm: string, stored: string) => (arm === HOLDOUT ? 'Hold-out' : (config.arms?.find((a) => a.key === arm)?.label ?? stored));
    const stats: ArmStat[] = arms.map((a) => {
      const interval = wilsonInterval(a.won, a.ended);
      const pValue = a === baseline ? null : twoProportionPValue(a.won, a.ended, baseline.won, baseline.ended);
      return {
        arm: a.arm,
        label: labelOf(a.arm, a.label),
        attempts: a.attempts,
        ended: a.ended,
        wonBack: a.won,
        winBackRate: ratio(a.won, a.ended),
        low: interval?.low ?? null,
        high: interval?.high ?? null,
        pValue,
        significant: pValue !== null && pValue < SIGNIFICANCE,
      };
    });
    out.push({
      playbookKey: key,
      playbookName: names.get(key) ?? key,
      nodeId,
      nodeName: node?.name ?? nodeId,
      baseline: baseline.arm,
      arms: stats,
      verdict: verdict(stats, baseline.arm),
    });
  }
  return { experiments: out };
}

const rank = (order: string[], arm: string) => (order.includes(arm) ? order.indexOf(arm) : order.length);

/** The experiment's result in one or two plain sentences. */
export function verdict(arms: readonly ArmStat[], baseline: string): string {
  const base = arms.find((a) => a.arm === baseline);
  if (!base || arms.length < 2) return 'Only one arm has attempts so far: nothing to compare yet.';
  const others = arms.filter((a) => a.arm !== baseline);
  if (others.some((a) => a.ended === 0) || base.ended === 0) return 'Not every arm has an ended attempt yet: nothing to compare yet.';
  return others
    .map((a) => {
      const what = `${a.label} wins back ${percent(a.winBackRate)} against ${percent(base.winBackRate)} for ${base.label}`;
      const p = a.pValue === null ? '' : ` (p = ${a.pValue.toFixed(3)}, ${a.ended} and ${base.ended} ended attempts)`;
      return a.significant ? `${what}${p}: the difference is significant at 5 %.` : `${what}${p}: the difference is not yet significant.`;
    })
    .join(' ');
}

async function latestGraphs(pool: Pool, keys: string[]): Promise<Map<string, PlaybookGraph>> {
  if (!keys.length) return new Map();
  const { rows } = await prepared<{ playbook_key: string; graph: PlaybookGraph }>(
    pool,
    `SELECT DISTINCT ON (playbook_key) playbook_key, graph FROM playbook_versions WHERE playbook_key = ANY($1::text[]) ORDER BY playbook_key, version DESC`,
    [keys],
  );
  return new Map(rows.map((r) => [r.playbook_key, r.graph]));
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The arms' counts: from arm_day_counts (arm_outcomes, each arm with its attempt's ended and won-back
 * state, counted per playbook, version, node, arm, customer department and day split, kept by
 * triggers: platform/migrations/…_steps-arms-reach-rollup.sql), plus, for a department head, the arms
 * of the customers beyond their department they reach, read from arm_outcomes.
 */
export function armCountsSql(
  reach: RollupReach,
  opts: { playbook?: string; version?: number; start: Date | null; end: Date | null },
): { text: string; values: unknown[] } {
  const p = new Params();
  const playbook = opts.playbook ? p.add(opts.playbook) : null;
  const version = opts.version ? p.add(opts.version) : null;
  // Days are UTC calendar days, as the rollup's `day` is (assigned_at AT TIME ZONE 'UTC').
  const start = opts.start ? p.add(day(opts.start)) : null;
  const end = opts.end ? p.add(day(opts.end)) : null;
  const common = (row: string) => [...(playbook ? [`${row}.playbook_key = ${playbook}`] : []), ...(version ? [`${row}.playbook_version = ${version}`] : [])];
  const rollupWhere = [...common('r'), reach.rollup(p, 'r')];
  if (start) rollupWhere.push(`r.day >= ${start}::date`);
  if (end) rollupWhere.push(`r.day < ${end}::date`);
  let extra = '';
  if (reach.extra) {
    const liveWhere = [...common('x'), `x.customer_id IN ${reach.extra(p)}`];
    if (start) liveWhere.push(`x.assigned_at >= ${start}::date::timestamp AT TIME ZONE 'UTC'`);
    if (end) liveWhere.push(`x.assigned_at < ${end}::date::timestamp AT TIME ZONE 'UTC'`);
    extra = `UNION ALL
      SELECT x.playbook_key, x.node_id, x.arm, x.label, 1, x.ended::int, x.won::int FROM arm_outcomes x WHERE ${liveWhere.join(' AND ')}`;
  }
  const text = `
    SELECT g.playbook_key, g.node_id, g.arm, max(g.label) AS label, sum(g.attempts)::int AS attempts, sum(g.ended)::int AS ended, sum(g.won)::int AS won
      FROM (SELECT r.playbook_key, r.node_id, r.arm, r.label, r.attempts, r.ended, r.won FROM arm_day_counts r WHERE ${rollupWhere.join(' AND ')}
            ${extra}) g
     GROUP BY 1, 2, 3
    HAVING sum(g.attempts) > 0
     ORDER BY 1, 2, 3`;
  return { text, values: p.values };
}
