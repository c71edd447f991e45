import type { PlaybookGraph } from '../graph';
import type { Problem } from '../problems';
import type { NodeEntries } from './nodes';

/**
 * Node id → (handle → target node id), for the edges that passed the checks. Maps, not plain objects,
 * so a handle or node called "constructor" or "__proto__" is just a name.
 */
export type Next = Map<string, Map<string, string>>;

/** The graph the checks walk: who follows and who precedes each node, by its connected edges. */
export interface Wiring {
  next: Next;
  successors(id: string): string[];
  predecessors(id: string): string[];
}

/**
 * Edges: unique ids, known endpoints, nothing into the start, a handle the source node has and at
 * most one edge per handle. Only edges that pass are wired into `next`.
 */
export function checkEdges(graph: PlaybookGraph, nodes: NodeEntries): { next: Next; problems: Problem[] } {
  const problems: Problem[] = [];
  const next: Next = new Map();
  const edgeIds = new Set<string>();
  graph.edges.forEach((edge, index) => {
    const path = ['edges', index];
    if (edgeIds.has(edge.id))
      problems.push({ code: 'duplicate_edge_id', message: `edge id "${edge.id}" is used twice`, path: [...path, 'id'], edgeId: edge.id });
    edgeIds.add(edge.id);
    const source = nodes.get(edge.source);
    const target = nodes.get(edge.target);
    if (!source) problems.push({ code: 'unknown_source', message: `edge starts at unknown node "${edge.source}"`, path: [...path, 'source'], edgeId: edge.id });
    if (!target) problems.push({ code: 'unknown_target', message: `edge ends at unknown node "${edge.target}"`, path: [...path, 'target'], edgeId: edge.id });
    if (target?.node.kind === 'start')
      problems.push({ code: 'edge_into_start', message: 'nothing may lead back into the start node', path: [...path, 'target'], edgeId: edge.id });
    // A source whose config is broken has no known handles: its edges are not judged (its config problem says enough).
    if (!source || source.config === null) return;
    if (!source.handles.includes(edge.sourceHandle)) {
      problems.push({
        code: 'unknown_handle',
        message: `node "${edge.source}" has no handle "${edge.sourceHandle}"`,
        path: [...path, 'sourceHandle'],
        edgeId: edge.id,
        nodeId: edge.source,
      });
      return;
    }
    let out = next.get(edge.source);
    if (!out) next.set(edge.source, (out = new Map()));
    if (out.has(edge.sourceHandle)) {
      problems.push({
        code: 'handle_multiple_edges',
        message: `handle "${edge.sourceHandle}" of node "${edge.source}" has more than one edge`,
        path: [...path, 'sourceHandle'],
        edgeId: edge.id,
        nodeId: edge.source,
      });
      return;
    }
    if (target) out.set(edge.sourceHandle, edge.target);
  });
  return { next, problems };
}

/** Every handle of a node with a valid config has its edge: a run must always know where to go on. */
export function checkHandlesConnected(nodes: NodeEntries, next: Next): Problem[] {
  const problems: Problem[] = [];
  for (const [id, entry] of nodes) {
    if (entry.config === null) continue;
    const out = next.get(id);
    for (const handle of entry.handles) {
      if (!out?.has(handle)) {
        problems.push({ code: 'handle_unconnected', message: `handle "${handle}" of node "${id}" leads nowhere`, path: ['nodes', entry.index], nodeId: id });
      }
    }
  }
  return problems;
}

const NONE: string[] = [];

/** Successor and predecessor lists of the wired edges, in edge order, built once for every walk. */
export function wiringOf(next: Next): Wiring {
  const successorLists = new Map<string, string[]>();
  const predecessorLists = new Map<string, string[]>();
  for (const [source, out] of next) {
    const targets = [...out.values()];
    successorLists.set(source, targets);
    for (const target of targets) {
      const list = predecessorLists.get(target);
      if (list) list.push(source);
      else predecessorLists.set(target, [source]);
    }
  }
  return {
    next,
    successors: (id) => successorLists.get(id) ?? NONE,
    predecessors: (id) => predecessorLists.get(id) ?? NONE,
  };
}
