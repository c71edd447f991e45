import { reachableFrom } from '../graphAlgorithms';
import type { CompiledPlan } from '../plan';

/** The first revision whose joins carry no `upstream` list: the runtime reads it off the edges. */
export const UPSTREAM_FROM_EDGES_REVISION = 5;

/**
 * Every node from which a branch can still arrive at the join `joinId`, or undefined for a plan
 * from before joins knew their upstream (the old rule: one arrival per edge).
 *
 * Revision 4 plans list it on the join; from revision 5 it is derived here from the plan's `next`
 * maps, which are the graph's edges, so it is the very set the compiler used to write: the list
 * was 40 % of a large plan's bytes, and the plan is hashed at every compile and travels in every
 * run's input. Derived once per plan object and join (plans are never changed once compiled).
 */
export function joinUpstream(plan: CompiledPlan, joinId: string): ReadonlySet<string> | undefined {
  let joins = DERIVED.get(plan);
  if (!joins) DERIVED.set(plan, (joins = new Map()));
  let upstream = joins.get(joinId);
  if (upstream === undefined) {
    upstream = derive(plan, joinId);
    joins.set(joinId, upstream);
  }
  return upstream ?? undefined;
}

const DERIVED = new WeakMap<CompiledPlan, Map<string, ReadonlySet<string> | null>>();
const PREDECESSORS = new WeakMap<CompiledPlan, Map<string, string[]>>();

function derive(plan: CompiledPlan, joinId: string): ReadonlySet<string> | null {
  const listed = plan.nodes[joinId]?.upstream;
  if (listed) return new Set(listed);
  if ((plan.revision ?? 1) < UPSTREAM_FROM_EDGES_REVISION) return null;
  const upstream = reachableFrom([joinId], (id) => predecessorsOf(plan).get(id) ?? []);
  upstream.delete(joinId);
  return upstream;
}

function predecessorsOf(plan: CompiledPlan): Map<string, string[]> {
  let predecessors = PREDECESSORS.get(plan);
  if (!predecessors) {
    predecessors = new Map();
    for (const node of Object.values(plan.nodes))
      for (const target of Object.values(node.next)) {
        const list = predecessors.get(target);
        if (list) list.push(node.id);
        else predecessors.set(target, [node.id]);
      }
    PREDECESSORS.set(plan, predecessors);
  }
  return predecessors;
}
