import type { Pool } from 'pg';
import type { EdgeStat, NodeStat, StepReport } from '../../contract/analytics';
import type { PlaybookGraph } from '../../playbooks/graph';
import { notFound } from '../errors';
import type { SessionUser } from '../http';
import { Params } from '../inbox/query';
import { DURATION_ERROR, bucketPercentile, type DurationBucket } from './duration';
import { prepared } from './prepared';
import { rollupReach, type RollupReach } from './scope';
import { ratio } from './stats';

/**
 * Per-step analytics of one playbook, for the heatmap: per node how many steps entered and left it,
 * how many are still there, how many dropped off (left without taking a connection: cancelled when
 * the run ended elsewhere; end nodes never count), and the median and 90th percentile time between
 * entering and leaving; per connection how often it was taken. Drawn on one version's graph: the
 * version asked for, or the latest when every version is counted (a connection counts by its source
 * node and handle, so versions that kept them add up).
 *
 * The counts are exact; the times in step come from duration buckets (server/analytics/duration.ts:
 * within −10.9 % … +12.2 % of the exact percentile), so no request sorts the playbook's step rows.
 */
export async function stepAnalytics(
  pool: Pool,
  user: SessionUser,
  key: string,
  opts: { version?: number; start: Date | null; end: Date | null; department?: string },
): Promise<StepReport> {
  const { text, values } = stepCountsSql(key, rollupReach(user, opts.department), opts);
  // The versions (with the graph of the one shown) and the counts at once: one round trip each, side by side.
  const [versions, { rows }] = await Promise.all([
    prepared<{ version: number; name: string; graph: PlaybookGraph | null }>(
      pool,
      `SELECT v.version, p.name, CASE WHEN v.version = COALESCE($2::int, max(v.version) OVER ()) THEN v.graph END AS graph
         FROM playbook_versions v JOIN playbooks p ON p.key = v.playbook_key WHERE v.playbook_key = $1 ORDER BY v.version`,
      [key, opts.version ?? null],
    ),
    prepared<StepCell>(pool, text, values),
  ]);
  if (!versions.rows.length) throw notFound(`published playbook ${key}`);
  const shownVersion = opts.version ?? versions.rows[versions.rows.length - 1].version;
  const graph = versions.rows.find((v) => v.version === shownVersion)?.graph;
  if (!graph) throw notFound(`version ${shownVersion} of playbook ${key}`);

  // Per node: every cell counts as entered; a bucket means it left (NULL: still there); leaving
  // through no handle is dropping off, except at an end. Per connection: the handles left through.
  const perNode = new Map<string, { entered: number; left: number; open: number; dropped: number; buckets: Map<number, DurationBucket> }>();
  const edgeCounts = new Map<string, { node_id: string; left_via: string; count: number }>();
  let attempts = 0;
  for (const r of rows) {
    const node = perNode.get(r.node_id) ?? { entered: 0, left: 0, open: 0, dropped: 0, buckets: new Map() };
    perNode.set(r.node_id, node);
    node.entered += r.steps;
    if (r.kind === 'start') attempts += r.steps;
    if (r.bucket === null) {
      node.open += r.steps;
      continue;
    }
    node.left += r.steps;
    if (r.left_via === null && r.kind !== 'end') node.dropped += r.steps;
    if (r.left_via !== null) {
      const k = `${r.node_id}\u0000${r.left_via}`;
      const edge = edgeCounts.get(k) ?? { node_id: r.node_id, left_via: r.left_via, count: 0 };
      edge.count += r.steps;
      edgeCounts.set(k, edge);
    }
    const b = node.buckets.get(r.bucket) ?? { bucket: r.bucket, steps: 0, min: null, max: null };
    b.steps += r.steps;
    b.min = r.min === null ? b.min : b.min === null ? r.min : Math.min(b.min, r.min);
    b.max = r.max === null ? b.max : b.max === null ? r.max : Math.max(b.max, r.max);
    node.buckets.set(r.bucket, b);
  }
  const edges = { rows: [...edgeCounts.values()] };

  const nodeStats: NodeStat[] = graph.nodes.map((n) => {
    const r = perNode.get(n.id);
    const entered = r?.entered ?? 0;
    const dropped = r?.dropped ?? 0;
    return {
      nodeId: n.id,
      name: n.name ?? n.id,
      kind: n.kind,
      entered,
      left: r?.left ?? 0,
      open: r?.open ?? 0,
      droppedOff: dropped,
      dropOffRate: n.kind === 'end' ? null : ratio(dropped, entered),
      medianSeconds: r ? bucketPercentile([...r.buckets.values()], 0.5) : null,
      p90Seconds: r ? bucketPercentile([...r.buckets.values()], 0.9) : null,
    };
  });
  // A fork leaves through several handles at once ("a,b"): each of its connections was taken.
  const taken = new Map<string, number>();
  for (const r of edges.rows)
    for (const handle of r.left_via.split(',')) taken.set(`${r.node_id}\u0000${handle}`, (taken.get(`${r.node_id}\u0000${handle}`) ?? 0) + r.count);
  const edgeStats: EdgeStat[] = graph.edges.map((e) => ({
    edgeId: e.id,
    source: e.source,
    target: e.target,
    handle: e.sourceHandle,
    count: taken.get(`${e.source}\u0000${e.sourceHandle}`) ?? 0,
  }));
  return {
    playbookKey: key,
    name: versions.rows[0].name,
    version: shownVersion,
    versions: versions.rows.map((v) => v.version),
    attempts,
    nodes: nodeStats,
    edges: edgeStats,
    timeError: { below: DURATION_ERROR.below, above: DURATION_ERROR.above },
  };
}

interface StepCell {
  node_id: string;
  kind: string;
  left_via: string | null;
  bucket: number | null;
  steps: number;
  min: number | null;
  max: number | null;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The playbook's step cells: from step_day_counts (steps counted per version, customer department,
 * day entered, node, handle and duration bucket as the worker logs them, kept by triggers:
 * platform/migrations/…_steps-arms-reach-rollup.sql), plus, for a department head, the steps of the
 * customers beyond their department they reach, bucketed live by the same SQL functions.
 */
export function stepCountsSql(
  key: string,
  reach: RollupReach,
  opts: { version?: number; start: Date | null; end: Date | null },
): { text: string; values: unknown[] } {
  const p = new Params();
  const playbook = p.add(key);
  const version = opts.version ? p.add(opts.version) : null;
  // Days are UTC calendar days, as the rollup's `day` is (entered_at AT TIME ZONE 'UTC').
  const start = opts.start ? p.add(day(opts.start)) : null;
  const end = opts.end ? p.add(day(opts.end)) : null;
  const rollupWhere = [`r.playbook_key = ${playbook}`];
  if (version) rollupWhere.push(`r.playbook_version = ${version}`);
  if (start) rollupWhere.push(`r.day >= ${start}::date`);
  if (end) rollupWhere.push(`r.day < ${end}::date`);
  rollupWhere.push(reach.rollup(p, 'r'));
  let extra = '';
  if (reach.extra) {
    const liveWhere = [`s.playbook_key = ${playbook}`];
    if (version) liveWhere.push(`s.playbook_version = ${version}`);
    if (start) liveWhere.push(`s.entered_at >= ${start}::date::timestamp AT TIME ZONE 'UTC'`);
    if (end) liveWhere.push(`s.entered_at < ${end}::date::timestamp AT TIME ZONE 'UTC'`);
    liveWhere.push(`s.customer_id IN ${reach.extra(p)}`);
    extra = `UNION ALL
      SELECT s.node_id, s.kind, s.left_via, step_duration_bucket(s.entered_at, s.left_at), 1,
             step_seconds(s.entered_at, s.left_at), step_seconds(s.entered_at, s.left_at)
        FROM attempt_steps s WHERE ${liveWhere.join(' AND ')}`;
  }
  const text = `
    SELECT g.node_id, g.kind, g.left_via, g.bucket, sum(g.steps)::int AS steps, min(g.min_seconds) AS min, max(g.max_seconds) AS max
      FROM (SELECT r.node_id, r.kind, r.left_via, r.bucket, r.steps, r.min_seconds, r.max_seconds
              FROM step_day_counts r WHERE ${rollupWhere.join(' AND ')}
            ${extra}) g
     GROUP BY 1, 2, 3, 4
    HAVING sum(g.steps) > 0`;
  return { text, values: p.values };
}
