import { compilePlaybook } from '../../../playbooks/compile';
import type { PlaybookGraph } from '../../../playbooks/graph';
import type { CompiledPlan } from '../../../playbooks/plan';
import type { RunState } from '../../../playbooks/runtime';

/** Shared fixtures of the per-kind tests: tiny graphs run through the pure runtime. */
export const at = { x: 0, y: 0 };
export const rep = { userId: 'u-rita', role: 'rep', department: 'after_sales' };
export const customer = { customer: { id: 'C1', department: 'after_sales' } };

export const taskConfig = (outcomes: string[], form: string[] = []) => ({
  title: 'Call',
  assignee: { type: 'role', role: 'rep', department: 'customer' },
  outcomes: outcomes.map((key) => ({ key, label: key })),
  form: form.map((key) => ({ key, label: key, type: 'text' })),
});

export const completeOnly = (state: RunState, outcome: string, now: number) => {
  const [taskKey] = Object.keys(state.tasks);
  return { type: 'task_completed' as const, at: now, taskKey, outcome, form: {}, actor: rep };
};

/**
 * A graph from `[id, kind, config]` nodes and `"source.handle → target"` edges, e.g.
 * `graphOf([['s', 'start', {}], ['e', 'end', { outcome: 'closed' }]], ['s.next → e'])`.
 */
export function graphOf(nodes: [string, string, unknown][], edges: string[]): PlaybookGraph {
  return {
    nodes: nodes.map(([id, kind, config]) => ({ id, kind, position: at, config: config as Record<string, unknown> })),
    edges: edges.map((e, i) => {
      const [from, target] = e.split(' → ');
      const dot = from.lastIndexOf('.');
      return { id: `e${i + 1}`, source: from.slice(0, dot), sourceHandle: from.slice(dot + 1), target };
    }),
  };
}

/** The compiled plan of a graph that must compile without problems. */
export function planOf(graph: PlaybookGraph): CompiledPlan {
  const compiled = compilePlaybook(graph);
  if (!compiled.plan) throw new Error(`expected the graph to compile: ${JSON.stringify(compiled.problems)}`);
  return compiled.plan;
}
