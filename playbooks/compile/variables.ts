import type { PathSegment, Problem } from '../problems';
import type { NodeFacts } from './facts';
import type { NodeEntries } from './nodes';

/** Attributes of the customer a run carries as `customer` (see the workflow input). */
const CUSTOMER_FIELDS = ['id', 'name', 'department', 'grade', 'value', 'accountManager', 'status', 'churnType', 'churnReason'];
/** Variables the runtime or the API set themselves. */
export const BUILT_IN_VARIABLES = [
  'last_response',
  'accepted_offer',
  'agreement_signed',
  'account_manager',
  'churn_reason',
  'churn_type',
  ...CUSTOMER_FIELDS.map((f) => `customer.${f}`),
];

/**
 * Every variable a node reads (a decision's conditions, a copied field) is one a run can have.
 * Also returns, per node, the variables its routing reads: the loop-limit check looks for visits.* there.
 */
export function checkVariables(nodes: NodeEntries, facts: NodeFacts): { routingReads: Map<string, string[]>; problems: Problem[] } {
  const problems: Problem[] = [];
  const variables = knownVariables(nodes, facts);
  const routingReads = new Map<string, string[]>();
  for (const [id, reads] of facts.readsByNode) {
    for (const read of reads) if (!variables.exists(read.name)) problems.push(unknownVariable(read.name, read.path, id));
    const routing = reads.filter((r) => r.routes);
    if (routing.length)
      routingReads.set(
        id,
        routing.map((r) => r.name),
      );
  }
  return { routingReads, problems };
}

function knownVariables(nodes: NodeEntries, facts: NodeFacts): { exists(name: string): boolean } {
  const names = new Set<string>(BUILT_IN_VARIABLES);
  for (const v of facts.writes) names.add(v.name);
  return {
    exists(name) {
      if (names.has(name)) return true;
      if (name.startsWith('visits.') && nodes.has(name.slice('visits.'.length))) return true;
      return name.startsWith('responses.') && /^[a-z_]+$/.test(name.slice('responses.'.length));
    },
  };
}

function unknownVariable(name: string, path: PathSegment[], nodeId: string): Problem {
  return {
    code: 'unknown_variable',
    message: `"${name}" is not a variable a run can have: use customer.<field>, a start variable, a task form field, <node>.outcome, <offer>.tier, visits.<node>, last_response, responses.<kind>…`,
    path,
    nodeId,
  };
}
