import { setOnEveryPath } from '../graphAlgorithms';
import type { Problem } from '../problems';
import type { Next } from './edges';
import type { NodeFacts } from './facts';
import type { NodeEntries } from './nodes';

/**
 * Two checks on what configs read from the run, beside "the variable exists" (./variables.ts):
 * - a value taken from a variable (`{ from: 'var', name }`) must be set on every path to its node,
 *   or the node would record nothing;
 * - a value a decision compares a variable with must be one the variable can take, when the node
 *   that writes it says which (a typed start variable, an experiment's arms).
 */
export function checkValueSources(nodes: NodeEntries, facts: NodeFacts, next: Next, start: string | null, alwaysSet: readonly string[]): Problem[] {
  return [...checkComparedValues(facts), ...(start ? checkSetOnEveryPath(nodes, facts, next, start, alwaysSet) : [])];
}

function checkComparedValues(facts: NodeFacts): Problem[] {
  const values = new Map<string, readonly string[]>();
  for (const v of facts.writes) if (v.values) values.set(v.name, [...(values.get(v.name) ?? []), ...v.values]);
  const problems: Problem[] = [];
  for (const read of facts.reads) {
    const allowed = values.get(read.name);
    if (!allowed || !read.compares) continue;
    for (const value of read.compares)
      if (!allowed.includes(String(value)))
        problems.push({
          code: 'operand_value',
          message: `${read.name} is one of ${allowed.join(', ')}; "${String(value)}" never matches`,
          path: [...read.path.slice(0, -1), 'value'],
          nodeId: read.nodeId,
        });
  }
  return problems;
}

/** A forward "set on every path" walk (as for message placeholders): what is sure at a node is what every edge into it brings. */
function checkSetOnEveryPath(nodes: NodeEntries, facts: NodeFacts, next: Next, start: string, alwaysSet: readonly string[]): Problem[] {
  // Only names some step writes: a name nobody writes is already an unknown variable (./variables.ts).
  const written = new Set<string>(alwaysSet);
  for (const v of facts.writes) written.add(v.name);
  const reads = facts.reads.filter((r) => r.mustBeSet && written.has(r.name));
  const wanted = new Set(reads.map((r) => r.name));
  if (wanted.size === 0) return [];
  const initial = new Set(alwaysSet.filter((v) => wanted.has(v)));
  const sure = setOnEveryPath(start, initial, wanted, (id) => {
    const entry = nodes.get(id);
    if (!entry || entry.config === null) return null;
    return { edges: next.get(id) ?? [], sets: (handle) => entry.kind?.sets?.(entry.config, id, handle) };
  });
  return reads
    .filter((r) => sure.get(r.nodeId) && !sure.get(r.nodeId)!.has(r.name))
    .map((r) => ({
      code: 'variable_may_be_unset',
      message: `"${r.name}" may be unset here: on some path to this step nothing sets it (a required start variable, a required form field, a step result on the way)`,
      path: r.path,
      nodeId: r.nodeId,
    }));
}
