import { loops, reachableFrom } from '../graphAlgorithms';
import type { Problem } from '../problems';
import type { Wiring } from './edges';
import type { NodeEntries } from './nodes';

/** Every node can be reached from the start (checked only when there is exactly one start). */
export function checkReachability(nodes: NodeEntries, wiring: Wiring, start: string | null): Problem[] {
  if (!start) return [];
  const problems: Problem[] = [];
  const reached = reachableFrom([start], wiring.successors);
  for (const [id, entry] of nodes) {
    if (!reached.has(id))
      problems.push({ code: 'unreachable', message: `node "${id}" cannot be reached from the start`, path: ['nodes', entry.index], nodeId: id });
  }
  return problems;
}

/** Every node with a valid config has a path to an end, so no run can get stuck with nowhere to finish. */
export function checkEveryNodeCanEnd(nodes: NodeEntries, wiring: Wiring): Problem[] {
  const problems: Problem[] = [];
  const ends: string[] = [];
  for (const entry of nodes.values()) if (entry.node.kind === 'end') ends.push(entry.node.id);
  const canEnd = reachableFrom(ends, wiring.predecessors);
  for (const [id, entry] of nodes) {
    if (entry.config !== null && !canEnd.has(id))
      problems.push({ code: 'no_path_to_end', message: `no path from node "${id}" reaches an end`, path: ['nodes', entry.index], nodeId: id });
  }
  return problems;
}

/** No loop made only of nodes that never wait: the workflow would spin through it without end. */
export function checkLoopsWait(nodes: NodeEntries, wiring: Wiring): Problem[] {
  const instant = (id: string) => {
    const kind = nodes.get(id)?.kind;
    return !!kind && !kind.waits;
  };
  return loops(nodes.keys(), wiring.successors, instant).map((loop) => {
    const entry = nodes.get(loop[0])!;
    return {
      code: 'cycle_without_wait',
      message: `the loop ${loop.join(' → ')} never waits for time, a person or the customer`,
      path: ['nodes', entry.index],
      nodeId: loop[0],
    };
  });
}

const NONE: string[] = [];

/**
 * Every loop carries an attempt limit: a decision inside it that routes on visits.<node> of one of
 * its nodes. `routingReads` is node id → the variables its routing reads (see checkVariables).
 */
export function checkLoopsHaveLimits(nodes: NodeEntries, wiring: Wiring, routingReads: Map<string, string[]>): Problem[] {
  const problems: Problem[] = [];
  for (const part of loops(nodes.keys(), wiring.successors, () => true)) {
    const members = new Set(part);
    const bounded = part.some((id) => (routingReads.get(id) ?? NONE).some((name) => name.startsWith('visits.') && members.has(name.slice('visits.'.length))));
    if (bounded) continue;
    // Named after the member that comes first in the document, so the hint is the same on every compile.
    const first = part.reduce((a, b) => (nodes.get(a)!.index <= nodes.get(b)!.index ? a : b));
    const shown = part.length > 6 ? [...part.slice(0, 6), '…'] : part;
    problems.push({
      code: 'unbounded_loop',
      message: `the loop ${shown.join(' → ')} has no attempt limit: add a decision inside it on visits.<node> of one of its nodes (e.g. visits.${first} gte 3)`,
      path: ['nodes', nodes.get(first)!.index],
      nodeId: first,
    });
  }
  return problems;
}
