import type { Pool } from 'pg';
import type { ArmStat, Experiment, ExperimentReport } from '../../contract/analytics';
import { HOLDOUT } from '../../playbooks/nodes/experiment';
import type { PlaybookGraph } from '../../playbooks/graph';
import type { SessionUser } from '../http';
import { Params } from '../inbox/query';
import { playbookNames } from './outcomes';
import { customerOfRowScope } from './scope';
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
  const p = new Params();
  const where: string[] = [];
  if (opts.playbook) where.push(`x.playbook_key = ${p.add(opts.playbook)}`);
  if (opts.version) where.push(`x.playbook_version = ${p.add(opts.version)}`);
  if (opts.start) where.push(`x.assigned_at >= ${p.add(opts.start)}`);
  if (opts.end) where.push(`x.assigned_at < ${p.add(opts.end)}`);
  where.push(customerOfRowScope(user, p, 'x', opts.department));
  const { rows } = await pool.query<{ playbook_key: string; node_id: string; arm: string; label: string; attempts: number; ended: number; won: number }>(
    // arm_outcomes keeps each arm with its attempt's state (ended, won back), kept by triggers
    // (platform/migrations/…_analytics-rollup.sql): one index range per playbook, no join.
    `SELECT x.playbook_key, x.node_id, x.arm, max(x.label) AS label, count(*)::int AS attempts,
            count(*) FILTER (WHERE x.ended)::int AS ended, count(*) FILTER (WHERE x.won)::int AS won
       FROM arm_outcomes x
      WHERE ${where.join(' AND ')}
      GROUP BY 1, 2, 3
      ORDER BY 1, 2, 3`,
    p.values,
  );
  const names = await playbookNames(pool);
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
  const { rows } = await pool.query<{ playbook_key: string; graph: PlaybookGraph }>(
    `SELECT DISTINCT ON (playbook_key) playbook_key, graph FROM playbook_versions WHERE playbook_key = ANY($1::text[]) ORDER BY playbook_key, version DESC`,
    [keys],
  );
  return new Map(rows.map((r) => [r.playbook_key, r.graph]));
}
