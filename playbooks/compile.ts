import { contentHash } from './canonical';
import { DEFAULT_DIRECTORY, type Directory } from './directory';
import { PlaybookGraph, type GraphNode } from './graph';
import { findNodeKind } from './nodes';
import type { CompiledPlan, PlanNode } from './plan';
import { problemsFromZod, type Problem } from './problems';

export interface CompileResult {
  ok: boolean;
  problems: Problem[];
  plan: CompiledPlan | null;
  worstCaseDurationMs: number | null;
}

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
  const nodes = new Map<string, { node: GraphNode; index: number; config: unknown; handles: string[] }>();
  graph.nodes.forEach((node, index) => {
    const path = ['nodes', index];
    if (nodes.has(node.id)) {
      problems.push({ code: 'duplicate_node_id', message: `node id "${node.id}" is used twice`, path: [...path, 'id'], nodeId: node.id });
      return;
    }
    const kind = findNodeKind(node.kind);
    if (!kind) {
      problems.push({ code: 'unknown_node_kind', message: `"${node.kind}" is not a node kind`, path: [...path, 'kind'], nodeId: node.id });
      nodes.set(node.id, { node, index, config: null, handles: [] });
      return;
    }
    const config = kind.config.safeParse(node.config);
    if (!config.success) {
      problems.push(...problemsFromZod(config.error.issues, [...path, 'config']).map((p) => ({ ...p, nodeId: node.id })));
      nodes.set(node.id, { node, index, config: null, handles: [] });
      return;
    }
    problems.push(...(kind.check?.(config.data, { directory, nodeId: node.id, path: [...path, 'config'] }) ?? []));
    nodes.set(node.id, { node, index, config: config.data, handles: kind.handles(config.data) });
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

  // Edges: known endpoints and handles, exactly one edge per handle.
  const next = new Map<string, Record<string, string>>();
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
    const out = next.get(edge.source) ?? {};
    if (out[edge.sourceHandle] !== undefined) {
      problems.push({ code: 'handle_multiple_edges', message: `handle "${edge.sourceHandle}" of node "${edge.source}" has more than one edge`, path: [...path, 'sourceHandle'], edgeId: edge.id, nodeId: edge.source });
      return;
    }
    if (target) out[edge.sourceHandle] = edge.target;
    next.set(edge.source, out);
  });
  for (const [id, entry] of nodes) {
    if (entry.config === null) continue;
    const out = next.get(id) ?? {};
    for (const handle of entry.handles) {
      if (out[handle] === undefined) {
        problems.push({ code: 'handle_unconnected', message: `handle "${handle}" of node "${id}" leads nowhere`, path: ['nodes', entry.index], nodeId: id });
      }
    }
  }

  // Shape: everything reachable from the start, every node able to reach an end, no wait-free cycles.
  const successors = (id: string) => Object.values(next.get(id) ?? {});
  const start = starts.length === 1 ? starts[0].id : null;
  if (start) {
    const reached = walk([start], successors);
    for (const [id, entry] of nodes) {
      if (!reached.has(id)) problems.push({ code: 'unreachable', message: `node "${id}" cannot be reached from the start`, path: ['nodes', entry.index], nodeId: id });
    }
  }
  const predecessors = new Map<string, string[]>();
  for (const [source, out] of next) for (const target of Object.values(out)) predecessors.set(target, [...(predecessors.get(target) ?? []), source]);
  const ends = [...nodes.values()].filter((e) => e.node.kind === 'end').map((e) => e.node.id);
  const canEnd = walk(ends, (id) => predecessors.get(id) ?? []);
  for (const [id, entry] of nodes) {
    if (entry.config !== null && !canEnd.has(id)) problems.push({ code: 'no_path_to_end', message: `no path from node "${id}" reaches an end`, path: ['nodes', entry.index], nodeId: id });
  }
  for (const cycle of waitFreeCycles(nodes, successors)) {
    const entry = nodes.get(cycle[0])!;
    problems.push({ code: 'cycle_without_wait', message: `the loop ${cycle.join(' → ')} never waits for time, a person or the customer`, path: ['nodes', entry.index], nodeId: cycle[0] });
  }

  if (problems.length > 0 || !start) return fail(problems);

  const planNodes: Record<string, PlanNode> = {};
  for (const [id, entry] of nodes) {
    planNodes[id] = { id, kind: entry.node.kind, name: entry.node.name ?? id, config: entry.config, next: next.get(id) ?? {}, inputs: predecessors.get(id)?.length ?? 0 };
  }
  const worstCaseDurationMs = worstCase(planNodes, start);
  const body = { format: 1 as const, startNodeId: start, nodes: planNodes, worstCaseDurationMs };
  const plan: CompiledPlan = { ...body, hash: contentHash(body) };
  return { ok: true, problems: [], plan, worstCaseDurationMs };
}

function fail(problems: Problem[]): CompileResult {
  return { ok: false, problems, plan: null, worstCaseDurationMs: null };
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

/** Strongly connected parts of the graph of nodes that never wait (Tarjan, iterative). */
function waitFreeCycles(nodes: Map<string, { node: GraphNode; config: unknown }>, successors: (id: string) => string[]): string[][] {
  const instant = (id: string) => {
    const entry = nodes.get(id);
    const kind = entry ? findNodeKind(entry.node.kind) : undefined;
    return !!kind && !kind.waits;
  };
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let counter = 0;
  for (const root of nodes.keys()) {
    if (!instant(root) || index.has(root)) continue;
    const work: { id: string; next: string[]; i: number }[] = [];
    const open = (id: string) => {
      index.set(id, counter);
      low.set(id, counter++);
      stack.push(id);
      onStack.add(id);
      work.push({ id, next: successors(id).filter(instant), i: 0 });
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
        if (part.length > 1 || successors(frame.id).includes(frame.id)) cycles.push(part.reverse());
      }
    }
  }
  return cycles;
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
