import type { Pool } from 'pg';
import type { EdgeStat, NodeStat, StepReport } from '../../contract/analytics';
import type { PlaybookGraph } from '../../playbooks/graph';
import { notFound } from '../errors';
import type { SessionUser } from '../http';
import { Params } from '../inbox/query';
import { customerOfRowScope } from './scope';
import { ratio } from './stats';

/**
 * Per-step analytics of one playbook, for the heatmap: per node how many steps entered and left it,
 * how many are still there, how many dropped off (left without taking a connection: cancelled when
 * the run ended elsewhere; end nodes never count), and the median and 90th percentile time between
 * entering and leaving; per connection how often it was taken. Drawn on one version's graph: the
 * version asked for, or the latest when every version is counted (a connection counts by its source
 * node and handle, so versions that kept them add up).
 */
export async function stepAnalytics(
  pool: Pool,
  user: SessionUser,
  key: string,
  opts: { version?: number; start: Date | null; end: Date | null; department?: string },
): Promise<StepReport> {
  const versions = await pool.query<{ version: number; name: string }>(
    'SELECT v.version, p.name FROM playbook_versions v JOIN playbooks p ON p.key = v.playbook_key WHERE v.playbook_key = $1 ORDER BY v.version',
    [key],
  );
  if (!versions.rows.length) throw notFound(`published playbook ${key}`);
  const shownVersion = opts.version ?? versions.rows[versions.rows.length - 1].version;
  const shown = await pool.query<{ graph: PlaybookGraph }>('SELECT graph FROM playbook_versions WHERE playbook_key = $1 AND version = $2', [key, shownVersion]);
  if (!shown.rows[0]) throw notFound(`version ${shownVersion} of playbook ${key}`);

  const p = new Params();
  const where = [`s.playbook_key = ${p.add(key)}`];
  if (opts.version) where.push(`s.playbook_version = ${p.add(opts.version)}`);
  if (opts.start) where.push(`s.entered_at >= ${p.add(opts.start)}`);
  if (opts.end) where.push(`s.entered_at < ${p.add(opts.end)}`);
  where.push(customerOfRowScope(user, p, 's', opts.department));
  // One scan of the filtered steps (a materialised CTE) for the nodes, the connections and the attempts
  // (each attempt has one start step: the attempts counted are those that started in the range).
  const { rows } = await pool.query<{
    part: 'node' | 'edge' | 'attempts';
    node_id: string | null;
    via: string | null;
    entered: number;
    left: number;
    open: number;
    dropped: number;
    median: number | null;
    p90: number | null;
  }>(
    `WITH s AS MATERIALIZED (
       SELECT node_id, kind, left_at, left_via, extract(epoch FROM left_at - entered_at)::float8 AS secs
         FROM attempt_steps s WHERE ${where.join(' AND ')}
     )
     SELECT 'node' AS part, node_id, NULL AS via, count(*)::int AS entered, count(left_at)::int AS left,
            count(*) FILTER (WHERE left_at IS NULL)::int AS open,
            count(*) FILTER (WHERE left_at IS NOT NULL AND left_via IS NULL AND kind <> 'end')::int AS dropped,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY secs) AS median,
            percentile_cont(0.9) WITHIN GROUP (ORDER BY secs) AS p90
       FROM s GROUP BY node_id
     UNION ALL
     SELECT 'edge', node_id, left_via, count(*)::int, 0, 0, 0, NULL, NULL FROM s WHERE left_via IS NOT NULL GROUP BY node_id, left_via
     UNION ALL
     SELECT 'attempts', NULL, NULL, count(*)::int, 0, 0, 0, NULL, NULL FROM s WHERE kind = 'start'`,
    p.values,
  );
  const nodes = { rows: rows.filter((r) => r.part === 'node') as ((typeof rows)[number] & { node_id: string })[] };
  const edges = { rows: rows.filter((r) => r.part === 'edge').map((r) => ({ node_id: r.node_id as string, left_via: r.via as string, count: r.entered })) };
  const attempts = { rows: rows.filter((r) => r.part === 'attempts').map((r) => ({ n: r.entered })) };

  const graph = shown.rows[0].graph;
  const seen = new Map(nodes.rows.map((r) => [r.node_id, r]));
  const nodeStats: NodeStat[] = graph.nodes.map((n) => {
    const r = seen.get(n.id);
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
      medianSeconds: r?.median ?? null,
      p90Seconds: r?.p90 ?? null,
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
    attempts: attempts.rows[0]?.n ?? 0,
    nodes: nodeStats,
    edges: edgeStats,
  };
}
