import type { Pool } from 'pg';
import { compilePlaybook } from '../../playbooks/compile';
import type { PlaybookGraph } from '../../playbooks/graph';
import type { CompiledPlan } from '../../playbooks/plan';

/** Publish a graph straight into PostgreSQL, for workflow tests that do not go through the API. */
export async function publishForTest(pool: Pool, key: string, graph: PlaybookGraph): Promise<CompiledPlan> {
  const compiled = compilePlaybook(graph);
  if (!compiled.plan) throw new Error(`test graph does not compile: ${JSON.stringify(compiled.problems, null, 2)}`);
  await pool.query('INSERT INTO playbooks (key, name, draft_graph) VALUES ($1, $1, $2) ON CONFLICT DO NOTHING', [key, JSON.stringify(graph)]);
  await pool.query('INSERT INTO playbook_versions (playbook_key, version, graph, plan, plan_hash) VALUES ($1, 1, $2, $3, $4) ON CONFLICT DO NOTHING', [
    key,
    JSON.stringify(graph),
    JSON.stringify(compiled.plan),
    compiled.plan.hash,
  ]);
  return compiled.plan;
}
