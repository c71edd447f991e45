import { findNodeKind } from '../../../playbooks/nodes';
import type { GraphEdge, GraphNode, PlaybookGraph } from '../types';
import { starterConfig } from './starters';
import { DEFAULT_NODE_SIZE } from './viewport';

/**
 * Pure edits of a playbook graph. Every designer action goes through one of these so the history,
 * autosave and the tests all see plain graph → graph functions.
 */

export const EMPTY_GRAPH: PlaybookGraph = { nodes: [], edges: [] };

/** The first `<base>_<n>` (or `<base>` itself) not in `taken`; ids must match the Identifier rule. */
export function uniqueId(base: string, taken: ReadonlySet<string>): string {
  const clean = base.replace(/[^A-Za-z0-9_.:-]/g, '_').slice(0, 56) || 'node';
  if (!taken.has(clean)) return clean;
  for (let n = 2; ; n++) {
    const candidate = `${clean}_${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

export function addNode(graph: PlaybookGraph, kind: string, position: { x: number; y: number }): { graph: PlaybookGraph; id: string } {
  const id = uniqueId(kind, new Set(graph.nodes.map((n) => n.id)));
  const label = findNodeKind(kind)?.label ?? kind;
  const node: GraphNode = { id, kind, name: label, position: { x: Math.round(position.x), y: Math.round(position.y) }, config: starterConfig(kind) };
  return { graph: { ...graph, nodes: [...graph.nodes, node] }, id };
}

/** Edge ids follow the templates' `<source>.<handle>` convention, made unique if already taken. */
function edgeId(graph: PlaybookGraph, source: string, handle: string): string {
  return uniqueId(`${source}.${handle}`, new Set(graph.edges.map((e) => e.id)));
}

/** A handle carries exactly one edge, so connecting one that already has an edge replaces it. */
export function connect(graph: PlaybookGraph, source: string, sourceHandle: string, target: string): PlaybookGraph {
  const kept = graph.edges.filter((e) => !(e.source === source && e.sourceHandle === sourceHandle));
  const base = { ...graph, edges: kept };
  return { ...graph, edges: [...kept, { id: edgeId(base, source, sourceHandle), source, sourceHandle, target }] };
}

export function removeElements(graph: PlaybookGraph, nodeIds: ReadonlySet<string>, edgeIds: ReadonlySet<string>): PlaybookGraph {
  if (nodeIds.size === 0 && edgeIds.size === 0) return graph;
  return {
    nodes: graph.nodes.filter((n) => !nodeIds.has(n.id)),
    edges: graph.edges.filter((e) => !edgeIds.has(e.id) && !nodeIds.has(e.source) && !nodeIds.has(e.target)),
  };
}

export function updateNode(graph: PlaybookGraph, id: string, patch: Partial<Pick<GraphNode, 'name' | 'config' | 'position'>>): PlaybookGraph {
  return { ...graph, nodes: graph.nodes.map((n) => (n.id === id ? { ...n, ...patch } : n)) };
}

/** Several positions at once (a drag of a multi-selection, an auto-layout). */
export function moveNodes(graph: PlaybookGraph, positions: ReadonlyMap<string, { x: number; y: number }>): PlaybookGraph {
  if (positions.size === 0) return graph;
  return {
    ...graph,
    nodes: graph.nodes.map((n) => {
      const p = positions.get(n.id);
      return p && (p.x !== n.position.x || p.y !== n.position.y) ? { ...n, position: { x: p.x, y: p.y } } : n;
    }),
  };
}

export interface Clip {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** The selected nodes and only the edges that run between them. */
export function copySelection(graph: PlaybookGraph, nodeIds: ReadonlySet<string>): Clip | null {
  const nodes = graph.nodes.filter((n) => nodeIds.has(n.id));
  if (nodes.length === 0) return null;
  const edges = graph.edges.filter((e) => nodeIds.has(e.source) && nodeIds.has(e.target));
  return JSON.parse(JSON.stringify({ nodes, edges })) as Clip;
}

/** Pasted nodes get fresh ids (edges remapped to them) and sit offset from the originals. */
export function paste(graph: PlaybookGraph, clip: Clip, offset = { x: 40, y: 40 }): { graph: PlaybookGraph; nodeIds: string[]; edgeIds: string[] } {
  const taken = new Set(graph.nodes.map((n) => n.id));
  const rename = new Map<string, string>();
  const nodes = clip.nodes.map((n) => {
    const id = uniqueId(n.id.replace(/_\d+$/, ''), taken);
    taken.add(id);
    rename.set(n.id, id);
    return { ...n, id, position: { x: n.position.x + offset.x, y: n.position.y + offset.y } };
  });
  const edgeTaken = new Set(graph.edges.map((e) => e.id));
  const edges = clip.edges.map((e) => {
    const source = rename.get(e.source) ?? e.source;
    const id = uniqueId(`${source}.${e.sourceHandle}`, edgeTaken);
    edgeTaken.add(id);
    return { ...e, id, source, target: rename.get(e.target) ?? e.target };
  });
  return { graph: { nodes: [...graph.nodes, ...nodes], edges: [...graph.edges, ...edges] }, nodeIds: nodes.map((n) => n.id), edgeIds: edges.map((e) => e.id) };
}

const GAP = 30;

/**
 * The first place from `at` where a new step overlaps no other: stepping across the layout
 * direction (down beside a left-to-right flow, right beside a top-to-bottom one).
 */
export function freeSpot(
  graph: PlaybookGraph,
  sizes: ReadonlyMap<string, { width: number; height: number }>,
  at: { x: number; y: number },
  down: boolean,
): { x: number; y: number } {
  const w = DEFAULT_NODE_SIZE.width;
  const h = DEFAULT_NODE_SIZE.height;
  const overlaps = (p: { x: number; y: number }) =>
    graph.nodes.some((n) => {
      const s = sizes.get(n.id) ?? DEFAULT_NODE_SIZE;
      return p.x < n.position.x + s.width + GAP && n.position.x < p.x + w + GAP && p.y < n.position.y + s.height + GAP && n.position.y < p.y + h + GAP;
    });
  let p = { x: Math.round(at.x), y: Math.round(at.y) };
  for (let i = 0; i < 500 && overlaps(p); i++) p = down ? { x: p.x + w + GAP, y: p.y } : { x: p.x, y: p.y + h + GAP };
  return p;
}
