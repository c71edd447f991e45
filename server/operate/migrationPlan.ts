import type { Pool } from 'pg';
import { canonicalJson } from '../../playbooks/canonical';
import type { CompiledPlan } from '../../playbooks/plan';
import { attemptInReach } from '../access';
import { notFound } from '../errors';
import type { SessionUser } from '../http';
import { Params } from '../inbox/query';

/**
 * Both published versions side by side, for choosing how steps map before a migration's dry run:
 * which steps the newer version removed, added or changed (same id, another kind or config), and
 * where the older version's running attempts wait, so the operator sees which removed steps matter.
 */

interface VersionRow {
  version: number;
  graph: unknown;
  plan: CompiledPlan;
}

const nodesOf = (plan: CompiledPlan) => Object.values(plan.nodes).map((n) => ({ id: n.id, name: n.name || n.id, kind: n.kind }));

export async function migrationPlan(pool: Pool, user: SessionUser, playbookKey: string, from: number, to: number) {
  const { rows } = await pool.query<VersionRow>('SELECT version, graph, plan FROM playbook_versions WHERE playbook_key = $1 AND version = ANY($2::int[])', [
    playbookKey,
    [from, to],
  ]);
  const older = rows.find((r) => r.version === from);
  const newer = rows.find((r) => r.version === to);
  if (!older) throw notFound(`version ${from} of playbook ${playbookKey}`);
  if (!newer) throw notFound(`version ${to} of playbook ${playbookKey}`);

  const oldNodes = older.plan.nodes;
  const newNodes = newer.plan.nodes;
  const kept = Object.keys(oldNodes).filter((id) => Object.hasOwn(newNodes, id));
  // A node's config compiles to the same canonical JSON when nothing about it changed.
  const changed = kept.filter((id) => oldNodes[id].kind !== newNodes[id].kind || canonicalJson(oldNodes[id].config) !== canonicalJson(newNodes[id].config));

  const p = new Params();
  const running = await pool.query<{ node_id: string; running: number }>(
    `SELECT n.node_id, count(*)::int AS running
       FROM recovery_attempts a CROSS JOIN LATERAL unnest(a.current_node_ids) AS n(node_id)
      WHERE a.playbook_key = ${p.add(playbookKey)} AND a.playbook_version = ${p.add(from)} AND a.status = 'running' AND ${attemptInReach(user, p)}
      GROUP BY n.node_id ORDER BY n.node_id`,
    p.values,
  );

  const named = await pool.query<{ name: string }>('SELECT name FROM playbooks WHERE key = $1', [playbookKey]);
  return {
    playbookKey,
    playbookName: named.rows[0]?.name ?? playbookKey,
    from: { version: from, graph: older.graph, nodes: nodesOf(older.plan) },
    to: { version: to, graph: newer.graph, nodes: nodesOf(newer.plan) },
    defaultMapping: Object.fromEntries(kept.map((id) => [id, id])),
    removed: Object.keys(oldNodes).filter((id) => !Object.hasOwn(newNodes, id)),
    added: Object.keys(newNodes).filter((id) => !Object.hasOwn(oldNodes, id)),
    changed,
    runningAt: running.rows.map((r) => ({ nodeId: r.node_id, running: r.running })),
  };
}
