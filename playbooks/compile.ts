import { DEFAULT_DIRECTORY, type Directory } from './directory';
import { PlaybookGraph } from './graph';
import { readWellFormedGraph } from './graphFastRead';
import { placeholderWarnings } from './messages';
import type { CompiledPlan } from './plan';
import { problemsFromZod, type Problem } from './problems';
import { buildPlan } from './compile/buildPlan';
import { nodeFactsOf } from './compile/facts';
import { checkEdges, checkHandlesConnected, wiringOf, type Next } from './compile/edges';
import { checkNodes, checkStartAndEnd, type NodeEntries } from './compile/nodes';
import { checkEveryNodeCanEnd, checkLoopsHaveLimits, checkLoopsWait, checkReachability } from './compile/shape';
import { checkValueSources } from './compile/valueSources';
import { BUILT_IN_VARIABLES, checkVariables } from './compile/variables';

export { MAX_CONFIG_DEPTH } from './compile/nodes';

/** The customer file travels with every run: customer.* is always set. */
const CUSTOMER_VARIABLES = BUILT_IN_VARIABLES.filter((v) => v.startsWith('customer.'));

/** Worth a look but no reason to refuse the playbook (e.g. a placeholder that may render empty). */
export type Warning = Problem & { severity: 'warning' };

export interface CompileResult {
  ok: boolean;
  problems: Problem[];
  warnings: Warning[];
  plan: CompiledPlan | null;
  worstCaseDurationMs: number | null;
}

/**
 * Graph → compiled plan. Every problem is reported at once, pinned to a node or edge id and a JSON
 * path, so the editor can mark them all and the API can return them all in one 400. The checks run
 * in a fixed order and their problems are listed in that order (the editor and the API tests rely on it).
 */
export function compilePlaybook(input: unknown, directory: Directory = DEFAULT_DIRECTORY): CompileResult {
  // Well-formed graphs are read without zod; the schema reads (and words) everything else.
  let graph = readWellFormedGraph(input);
  if (!graph) {
    const parsed = PlaybookGraph.safeParse(input);
    if (!parsed.success) return fail(problemsFromZod(parsed.error.issues));
    graph = parsed.data;
  }
  const problems: Problem[] = [];

  const { nodes, problems: nodeProblems } = checkNodes(graph, directory);
  problems.push(...nodeProblems);
  const { start, problems: startEndProblems } = checkStartAndEnd(graph);
  problems.push(...startEndProblems);
  const { next, problems: edgeProblems } = checkEdges(graph, nodes);
  problems.push(...edgeProblems);
  problems.push(...checkHandlesConnected(nodes, next));

  const wiring = wiringOf(next);
  problems.push(...checkReachability(nodes, wiring, start));
  problems.push(...checkEveryNodeCanEnd(nodes, wiring));
  problems.push(...checkLoopsWait(nodes, wiring));
  const facts = nodeFactsOf(nodes);
  const { routingReads, problems: variableProblems } = checkVariables(nodes, facts);
  problems.push(...variableProblems);
  problems.push(...checkValueSources(nodes, facts, next, start, CUSTOMER_VARIABLES));
  problems.push(...checkLoopsHaveLimits(nodes, wiring, routingReads));

  const warnings = start ? messageWarnings(nodes, next, start) : [];
  if (problems.length > 0 || !start) return fail(problems, warnings);
  const plan = buildPlan(nodes, wiring, start);
  return { ok: true, problems: [], warnings, plan, worstCaseDurationMs: plan.worstCaseDurationMs };
}

function fail(problems: Problem[], warnings: Warning[] = []): CompileResult {
  return { ok: false, problems, warnings, plan: null, worstCaseDurationMs: null };
}

/** A placeholder some path leaves unset renders empty: worth a warning, not a refusal. */
function messageWarnings(nodes: NodeEntries, next: Next, start: string): Warning[] {
  return placeholderWarnings(
    [...nodes.values()].map((e) => ({ id: e.node.id, kind: e.kind, config: e.config, path: ['nodes', e.index, 'config'] })),
    (id) => [...(next.get(id) ?? [])],
    start,
    CUSTOMER_VARIABLES,
  );
}
