import { contentHash } from './canonical';
import { DEFAULT_DIRECTORY, type Directory } from './directory';
import { PlaybookGraph, type GraphNode } from './graph';
import { placeholderWarnings } from './messages';
import { findNodeKind, type AnyNodeKind } from './nodes';
import { PLAN_REVISION, type CompiledPlan, type PlanNode } from './plan';
import { problemsFromZod, type PathSegment, type Problem } from './problems';

/** Worth a look but no reason to refuse the playbook (e.g. a placeholder that may render empty). */
export type Warning = Problem & { severity: 'warning' };

export interface CompileResult {
  ok: boolean;
  problems: Problem[];
  warnings: Warning[];
  plan: CompiledPlan | null;
  worstCaseDurationMs: number | null;
}

interface Entry {
  node: GraphNode;
  index: number;
  kind: AnyNodeKind | undefined;
  /** The parsed config, or null when the kind is unknown or the config is not valid. */
  config: unknown;
  handles: string[];
}

/**
 * How deeply a node's config may nest (objects and arrays). Real configs stay below 10; a decision
 * condition nested thousands of levels deep would otherwise overflow the stack of every recursive
 * reader (schema, checks, hashing, the runtime's evaluation) instead of being reported.
 */
export const MAX_CONFIG_DEPTH = 64;

/**
 * Graph → compiled plan. Every problem is reported at once, pinned to a node or edge id and a JSON
 * path, so the editor can mark them all and the API can return them all in one 400.
 */
export function compilePlaybook(input: unknown, directory: Directory = DEFAULT_DIRECTORY): CompileResult {
  const parsed = PlaybookGraph.safeParse(input);
  if (!parsed.success) return fail(problemsFromZod(parsed.error.issues));
  const graph = parsed.data;
  const problems: Problem[] = [];

  // Nodes: unique ids, known kinds, valid configs.
  const nodes = new Map<string, Entry>();
  graph.nodes.forEach((node, index) => {
    const path = ['nodes', index];
    if (nodes.has(node.id)) {
      problems.push({ code: 'duplicate_node_id', message: `node id "${node.id}" is used twice`, path: [...path, 'id'], nodeId: node.id });
      return;
    }
    const kind = findNodeKind(node.kind);
    if (!kind) {
      problems.push({ code: 'unknown_node_kind', message: `"${node.kind}" is not a node kind`, path: [...path, 'kind'], nodeId: node.id });
      nodes.set(node.id, { node, index, kind, config: null, handles: [] });
      return;
    }
    if (tooDeep(node.config, MAX_CONFIG_DEPTH)) {
      problems.push({ code: 'config_too_deep', message: `the config nests more than ${MAX_CONFIG_DEPTH} levels deep`, path: [...path, 'config'], nodeId: node.id });
      nodes.set(node.id, { node, index, kind, config: null, handles: [] });
      return;
    }
    const config = kind.config.safeParse(node.config);
    if (!config.success) {
      problems.push(...problemsFromZod(config.error.issues, [...path, 'config']).map((p) => ({ ...p, nodeId: node.id })));
      nodes.set(node.id, { node, index, kind, config: null, handles: [] });
      return;
    }
    problems.push(...(kind.check?.(config.data, { directory, nodeId: node.id, path: [...path, 'config'] }) ?? []));
    nodes.set(node.id, { node, index, kind, config: config.data, handles: kind.handles(config.data) });
  });

  const starts = graph.nodes.filter((n) => n.kind === 'start');
  if (starts.length !== 1) {
    problems.push({
      code: starts.length === 0 ? 'no_start' : 'multiple_starts',
      message: starts.length === 0 ? 'a playbook needs exactly one start node' : `a playbook needs exactly one start node, found ${starts.length}`,
      path: ['nodes'],
      ...(starts[1] ? { nodeId: starts[1].id } : {}),
    });
  }
  if (!graph.nodes.some((n) => n.kind === 'end')) {
    problems.push({ code: 'no_end', message: 'a playbook needs at least one end node', path: ['nodes'] });
  }

  // Edges: known endpoints and handles, exactly one edge per handle. Maps, not plain objects, so a
  // handle or node called "constructor" or "__proto__" is just a name.
  const next = new Map<string, Map<string, string>>();
  const edgeIds = new Set<string>();
  graph.edges.forEach((edge, index) => {
    const path = ['edges', index];
    if (edgeIds.has(edge.id)) problems.push({ code: 'duplicate_edge_id', message: `edge id "${edge.id}" is used twice`, path: [...path, 'id'], edgeId: edge.id });
    edgeIds.add(edge.id);
    const source = nodes.get(edge.source);
    const target = nodes.get(edge.target);
    if (!source) problems.push({ code: 'unknown_source', message: `edge starts at unknown node "${edge.source}"`, path: [...path, 'source'], edgeId: edge.id });
    if (!target) problems.push({ code: 'unknown_target', message: `edge ends at unknown node "${edge.target}"`, path: [...path, 'target'], edgeId: edge.id });
    if (target?.node.kind === 'start') problems.push({ code: 'edge_into_start', message: 'nothing may lead back into the start node', path: [...path, 'target'], edgeId: edge.id });
    if (!source || source.config === null) return;
    if (!source.handles.includes(edge.sourceHandle)) {
      problems.push({ code: 'unknown_handle', message: `node "${edge.source}" has no handle "${edge.sourceHandle}"`, path: [...path, 'sourceHandle'], edgeId: edge.id, nodeId: edge.source });
      return;
    }
    let out = next.get(edge.source);
    if (!out) next.set(edge.source, (out = new Map()));
    if (out.has(edge.sourceHandle)) {
      problems.push({ code: 'handle_multiple_edges', message: `handle "${edge.sourceHandle}" of node "${edge.source}" has more than one edge`, path: [...path, 'sourceHandle'], edgeId: edge.id, nodeId: edge.source });
      return;
    }
    if (target) out.set(edge.sourceHandle, edge.target);
  });
  for (const [id, entry] of nodes) {
    if (entry.config === null) continue;
    const out = next.get(id);
    for (const handle of entry.handles) {
      if (!out?.has(handle)) {
        problems.push({ code: 'handle_unconnected', message: `handle "${handle}" of node "${id}" leads nowhere`, path: ['nodes', entry.index], nodeId: id });
      }
    }
  }

  // Shape: everything reachable from the start, every node able to reach an end, no wait-free cycles.
  const successorLists = new Map<string, string[]>();
  const predecessors = new Map<string, string[]>();
  for (const [source, out] of next) {
    const targets = [...out.values()];
    successorLists.set(source, targets);
    for (const target of targets) {
      const list = predecessors.get(target);
      if (list) list.push(source);
      else predecessors.set(target, [source]);
    }
  }
  const successors = (id: string): string[] => successorLists.get(id) ?? NONE;
  const start = starts.length === 1 ? starts[0].id : null;
  if (start) {
    const reached = walk([start], successors);
    for (const [id, entry] of nodes) {
      if (!reached.has(id)) problems.push({ code: 'unreachable', message: `node "${id}" cannot be reached from the start`, path: ['nodes', entry.index], nodeId: id });
    }
  }
  const ends: string[] = [];
  for (const entry of nodes.values()) if (entry.node.kind === 'end') ends.push(entry.node.id);
  const canEnd = walk(ends, (id) => predecessors.get(id) ?? NONE);
  for (const [id, entry] of nodes) {
    if (entry.config !== null && !canEnd.has(id)) problems.push({ code: 'no_path_to_end', message: `no path from node "${id}" reaches an end`, path: ['nodes', entry.index], nodeId: id });
  }
  const instant = (id: string) => {
    const kind = nodes.get(id)?.kind;
    return !!kind && !kind.waits;
  };
  for (const cycle of cycles(nodes.keys(), successors, instant)) {
    const entry = nodes.get(cycle[0])!;
    problems.push({ code: 'cycle_without_wait', message: `the loop ${cycle.join(' → ')} never waits for time, a person or the customer`, path: ['nodes', entry.index], nodeId: cycle[0] });
  }

  // Variables: every variable a node reads (a decision's conditions, a copied field) must be one a run can have.
  const variables = knownVariables(nodes);
  const decisionReads = new Map<string, string[]>();
  for (const [id, entry] of nodes) {
    if (entry.config === null || !entry.kind?.reads) continue;
    const reads = entry.kind.reads(entry.config, ['nodes', entry.index, 'config']);
    for (const read of reads) if (!variables.exists(read.name)) problems.push(unknownVariable(read.name, read.path, id));
    const routing = reads.filter((r) => r.routes);
    if (routing.length) decisionReads.set(id, routing.map((r) => r.name));
  }

  // Loop bounds: every loop carries an attempt limit, a decision on how often one of its nodes ran.
  for (const part of cycles(nodes.keys(), successors, () => true)) {
    const members = new Set(part);
    const bounded = part.some((id) => (decisionReads.get(id) ?? NONE).some((name) => name.startsWith('visits.') && members.has(name.slice('visits.'.length))));
    if (bounded) continue;
    const first = part.reduce((a, b) => (nodes.get(a)!.index <= nodes.get(b)!.index ? a : b));
    const shown = part.length > 6 ? [...part.slice(0, 6), '…'] : part;
    problems.push({
      code: 'unbounded_loop',
      message: `the loop ${shown.join(' → ')} has no attempt limit: add a decision inside it on visits.<node> of one of its nodes (e.g. visits.${first} gte 3)`,
      path: ['nodes', nodes.get(first)!.index],
      nodeId: first,
    });
  }

  // Messages: a placeholder some path leaves unset renders empty; worth a warning, not a refusal.
  const warnings = start
    ? placeholderWarnings(
        [...nodes.values()].map((e) => ({ id: e.node.id, kind: e.kind, config: e.config, path: ['nodes', e.index, 'config'] })),
        (id) => [...(next.get(id) ?? [])],
        start,
        BUILT_IN_VARIABLES.filter((v) => v.startsWith('customer.')),
      )
    : [];
  if (problems.length > 0 || !start) return fail(problems, warnings);

  const planNodes: Record<string, PlanNode> = Object.fromEntries(
    [...nodes].map(([id, entry]): [string, PlanNode] => [
      id,
      { id, kind: entry.node.kind, name: entry.node.name ?? id, config: entry.config, next: Object.fromEntries(next.get(id) ?? []), inputs: predecessors.get(id)?.length ?? 0 },
    ]),
  );
  // A join waits only for branches that can still reach it: record who can.
  for (const node of Object.values(planNodes)) {
    if (node.kind !== 'join') continue;
    const upstream = walk([node.id], (id) => predecessors.get(id) ?? NONE);
    upstream.delete(node.id);
    node.upstream = [...upstream].sort();
  }
  const worstCaseDurationMs = worstCase(planNodes, start);
  const body = { format: 1 as const, revision: PLAN_REVISION, startNodeId: start, nodes: planNodes, worstCaseDurationMs };
  const plan: CompiledPlan = { ...body, hash: contentHash(body) };
  return { ok: true, problems: [], warnings, plan, worstCaseDurationMs };
}

const NONE: string[] = [];

function fail(problems: Problem[], warnings: Warning[] = []): CompileResult {
  return { ok: false, problems, warnings, plan: null, worstCaseDurationMs: null };
}

/** True when a JSON value nests deeper than `limit` objects/arrays (iterative: no stack to overflow). */
function tooDeep(value: unknown, limit: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  while (stack.length) {
    const { value: v, depth } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') stack.push({ value: child, depth: depth + 1 });
    }
  }
  return false;
}

function walk(from: string[], neighbours: (id: string) => string[]): Set<string> {
  const seen = new Set<string>(from);
  const stack = [...from];
  while (stack.length) {
    for (const n of neighbours(stack.pop()!)) {
      if (!seen.has(n)) {
        seen.add(n);
        stack.push(n);
      }
    }
  }
  return seen;
}

/**
 * The loops among the nodes that pass `include`: strongly connected parts of more than one node, or
 * a node with an edge to itself (Tarjan, iterative so a chain of thousands of nodes cannot overflow).
 */
function cycles(ids: Iterable<string>, successors: (id: string) => string[], include: (id: string) => boolean): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const found: string[][] = [];
  let counter = 0;
  for (const root of ids) {
    if (!include(root) || index.has(root)) continue;
    const work: { id: string; next: string[]; i: number }[] = [];
    const open = (id: string) => {
      index.set(id, counter);
      low.set(id, counter++);
      stack.push(id);
      onStack.add(id);
      work.push({ id, next: successors(id).filter(include), i: 0 });
    };
    open(root);
    while (work.length) {
      const frame = work[work.length - 1];
      if (frame.i < frame.next.length) {
        const n = frame.next[frame.i++];
        if (!index.has(n)) open(n);
        else if (onStack.has(n)) low.set(frame.id, Math.min(low.get(frame.id)!, index.get(n)!));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1];
        low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      }
      if (low.get(frame.id) === index.get(frame.id)) {
        const part: string[] = [];
        let n: string;
        do {
          n = stack.pop()!;
          onStack.delete(n);
          part.push(n);
        } while (n !== frame.id);
        if (part.length > 1 || frame.next.includes(frame.id)) found.push(part.reverse());
      }
    }
  }
  return found;
}

/** Attributes of the customer a run carries as `customer` (see the workflow input). */
const CUSTOMER_FIELDS = ['id', 'name', 'department', 'grade', 'value', 'accountManager', 'status', 'churnType', 'churnReason'];
/** Variables the runtime or the API set themselves. */
const BUILT_IN_VARIABLES = ['last_response', 'accepted_offer', 'agreement_signed', 'account_manager', 'churn_reason', 'churn_type', ...CUSTOMER_FIELDS.map((f) => `customer.${f}`)];

function knownVariables(nodes: Map<string, Entry>): { exists(name: string): boolean } {
  const names = new Set<string>(BUILT_IN_VARIABLES);
  for (const entry of nodes.values()) {
    // Read the raw config, so a node whose config has a mistake does not hide its fields as well.
    for (const v of entry.kind?.writes?.(entry.node.config, { id: entry.node.id, name: entry.node.name || entry.node.id }) ?? NONE_WRITTEN) names.add(v.name);
  }
  return {
    exists(name) {
      if (names.has(name)) return true;
      if (name.startsWith('visits.') && nodes.has(name.slice('visits.'.length))) return true;
      return name.startsWith('responses.') && /^[a-z_]+$/.test(name.slice('responses.'.length));
    },
  };
}

const NONE_WRITTEN: { name: string }[] = [];

function unknownVariable(name: string, path: PathSegment[], nodeId: string): Problem {
  return {
    code: 'unknown_variable',
    message: `"${name}" is not a variable a run can have: use customer.<field>, a start variable, a task form field, <node>.outcome, <offer>.tier, visits.<node>, last_response, responses.<kind>…`,
    path,
    nodeId,
  };
}

/** Longest path by each step's maximum duration; null when a loop makes the run unbounded. */
function worstCase(nodes: Record<string, PlanNode>, start: string): number | null {
  const memo = new Map<string, number>();
  const visiting = new Set<string>();
  const order: string[] = [];
  const finished = new Set<string>();
  // Iterative post-order so a long chain of 1,000 nodes does not exhaust the stack.
  const stack: { id: string; done: boolean }[] = [{ id: start, done: false }];
  while (stack.length) {
    const top = stack.pop()!;
    if (top.done) {
      visiting.delete(top.id);
      order.push(top.id);
      finished.add(top.id);
      continue;
    }
    if (finished.has(top.id)) continue;
    if (visiting.has(top.id)) return null;
    visiting.add(top.id);
    stack.push({ id: top.id, done: true });
    for (const n of Object.values(nodes[top.id].next)) {
      if (visiting.has(n)) return null;
      if (!finished.has(n)) stack.push({ id: n, done: false });
    }
  }
  for (const id of order) {
    const node = nodes[id];
    const kind = findNodeKind(node.kind)!;
    const own = kind.maxDurationMs?.(node.config as never) ?? 0;
    const after = Math.max(0, ...Object.values(node.next).map((n) => memo.get(n) ?? 0));
    memo.set(id, own + after);
  }
  return memo.get(start) ?? 0;
}
