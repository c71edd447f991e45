import { longestPath } from '../graphAlgorithms';
import { findNodeKind } from '../nodes';
import { PLAN_REVISION, type CompiledPlan, type PlanNode } from '../plan';
import type { Wiring } from './edges';
import type { NodeEntries } from './nodes';
import { planContentHash } from './planHash';

/**
 * The plan a run carries, for a graph that passed every check. Its bytes are what the hash covers,
 * and published versions and the replay corpus store that hash: the fields, their order of
 * construction and their values must not change without a new PLAN_REVISION.
 */
export function buildPlan(nodes: NodeEntries, wiring: Wiring, start: string): CompiledPlan {
  const planNodes: Record<string, PlanNode> = Object.fromEntries(
    [...nodes].map(([id, entry]): [string, PlanNode] => [
      id,
      {
        id,
        kind: entry.node.kind,
        name: entry.node.name ?? id,
        config: entry.config,
        next: Object.fromEntries(wiring.next.get(id) ?? []),
        inputs: wiring.predecessors(id).length,
      },
    ]),
  );
  // A join waits only for branches that can still reach it; since revision 5 the runtime reads
  // who can off the edges (runtime/joinUpstream.ts) instead of the plan listing them.
  const worstCaseDurationMs = worstCase(planNodes, start);
  const body = { format: 1 as const, revision: PLAN_REVISION, startNodeId: start, nodes: planNodes, worstCaseDurationMs };
  return { ...body, hash: planContentHash(body) };
}

/** The longest a run can take if every step waits its maximum; null when a loop makes the run unbounded. */
function worstCase(nodes: Record<string, PlanNode>, start: string): number | null {
  return longestPath(
    start,
    (id) => Object.values(nodes[id].next),
    (id) => findNodeKind(nodes[id].kind)!.maxDurationMs?.(nodes[id].config as never) ?? 0,
  );
}
