import type { Pool } from 'pg';
import type { CompiledPlan } from '../../playbooks/plan';
import type { TaskPlace } from '../../contract/inbox';
import type { TaskRow } from './store';

/**
 * Where a task sits, for the person working it: the playbook and attempt by name, the published graph
 * with the steps the attempt is in now (the task panel draws it as a small read-only map), what each
 * outcome leads to (an outcome that ends the attempt asks for confirmation), and why the task exists
 * when an earlier step's outcome led here (the SLA case is the task's own `escalation`).
 */
export async function taskPlace(pool: Pool, task: TaskRow): Promise<TaskPlace> {
  const { rows } = await pool.query(
    `SELECT a.id, a.status, a.outcome, a.started_at, a.current_node_ids, a.playbook_version, p.name AS playbook_name, v.graph, v.plan
       FROM recovery_attempts a
       JOIN playbook_versions v ON v.playbook_key = a.playbook_key AND v.version = a.playbook_version
       JOIN playbooks p ON p.key = a.playbook_key
      WHERE a.id = $1`,
    [task.attempt_id],
  );
  const a = rows[0];
  const plan = (a?.plan ?? null) as CompiledPlan | null;
  const nodeName = (id: string) => plan?.nodes[id]?.name ?? id;
  const outcomes = task.outcomes.map((o) => {
    const target = plan?.nodes[task.node_id]?.next[o.key];
    const end = target ? plan?.nodes[target] : undefined;
    const attemptOutcome = end?.kind === 'end' ? String((end.config as { outcome?: unknown } | null)?.outcome ?? '') || null : null;
    return { key: o.key, leadsTo: target ? nodeName(target) : null, endsAttempt: end?.kind === 'end', attemptOutcome };
  });
  return {
    playbook: { key: task.playbook_key, name: a?.playbook_name ?? task.playbook_key, version: a?.playbook_version ?? null },
    attempt: a ? { id: a.id, status: a.status, outcome: a.outcome, startedAt: a.started_at.toISOString() } : null,
    graph: a?.graph ?? null,
    activeNodeIds: a?.current_node_ids ?? [],
    stepName: nodeName(task.node_id),
    outcomes,
    reachedBy: plan ? await reachedBy(pool, task, plan) : null,
  };
}

/** The completed task of this attempt whose outcome led straight to this task's step (an escalation by outcome). */
async function reachedBy(pool: Pool, task: TaskRow, plan: CompiledPlan): Promise<TaskPlace['reachedBy']> {
  const { rows } = await pool.query(
    `SELECT t.title, t.node_id, t.outcome, t.outcomes, t.completed_by, u.display_name, t.closed_at
       FROM tasks t LEFT JOIN users u ON u.id = t.completed_by
      WHERE t.attempt_id = $1 AND t.status = 'completed' AND t.closed_at <= $2 ORDER BY t.closed_at DESC LIMIT 20`,
    [task.attempt_id, task.created_at],
  );
  for (const r of rows) {
    if (plan.nodes[r.node_id]?.next[r.outcome] !== task.node_id) continue;
    const label = (r.outcomes as { key: string; label: string }[]).find((o) => o.key === r.outcome)?.label ?? r.outcome;
    return {
      taskTitle: r.title,
      stepName: plan.nodes[r.node_id]?.name ?? r.node_id,
      outcome: r.outcome,
      outcomeLabel: label,
      by: r.completed_by ? { id: r.completed_by, name: r.display_name ?? r.completed_by } : null,
      at: r.closed_at.toISOString(),
    };
  }
  return null;
}
