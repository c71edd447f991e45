import type { GraphEdge, GraphNode, PlaybookGraph } from '../types';

/**
 * What changed between two versions of a playbook, node by node and connection by connection.
 * Positions are ignored: moving a node around is not a change an ops manager needs to review.
 */
export type ChangeStatus = 'added' | 'removed' | 'changed' | 'same';

export interface SettingChange {
  path: string;
  before: unknown;
  after: unknown;
}

export interface NodeDiff {
  id: string;
  status: ChangeStatus;
  /** The node as it is after the change (or as it was, when removed). */
  node: GraphNode;
  changes: SettingChange[];
}

export interface EdgeDiff {
  /** The source node and handle: each handle carries one connection, so this names it across versions. */
  key: string;
  status: ChangeStatus;
  edge: GraphEdge;
  /** The old target when the connection now leads somewhere else. */
  beforeTarget?: string;
}

export interface GraphDiff {
  nodes: NodeDiff[];
  edges: EdgeDiff[];
  counts: Record<Exclude<ChangeStatus, 'same'>, number>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPrimitiveList = (v: unknown): boolean => Array.isArray(v) && v.every((x) => !isObject(x) && !Array.isArray(x));

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function childPath(path: string, key: string | number): string {
  return typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;
}

/** Leaf-level changes; lists of plain values (tags, answer kinds) count as one setting. */
export function settingChanges(before: unknown, after: unknown, path = ''): SettingChange[] {
  if (same(before, after)) return [];
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => settingChanges(before[k], after[k], childPath(path, k)));
  }
  if (Array.isArray(before) && Array.isArray(after) && !(isPrimitiveList(before) && isPrimitiveList(after))) {
    const n = Math.max(before.length, after.length);
    return Array.from({ length: n }, (_, i) => settingChanges(before[i], after[i], childPath(path, i))).flat();
  }
  return [{ path: path || '(value)', before, after }];
}

const edgeKey = (e: GraphEdge) => `${e.source}.${e.sourceHandle}`;

export function diffGraphs(before: PlaybookGraph, after: PlaybookGraph): GraphDiff {
  const oldNodes = new Map(before.nodes.map((n) => [n.id, n]));
  const newIds = new Set(after.nodes.map((n) => n.id));
  const nodes: NodeDiff[] = after.nodes.map((node) => {
    const old = oldNodes.get(node.id);
    if (!old) return { id: node.id, status: 'added', node, changes: [] };
    const changes = [
      ...(old.kind !== node.kind ? [{ path: 'kind', before: old.kind, after: node.kind }] : []),
      ...((old.name ?? '') !== (node.name ?? '') ? [{ path: 'name', before: old.name, after: node.name }] : []),
      ...settingChanges(old.config, node.config),
    ];
    return { id: node.id, status: changes.length ? 'changed' : 'same', node, changes };
  });
  for (const old of before.nodes) if (!newIds.has(old.id)) nodes.push({ id: old.id, status: 'removed', node: old, changes: [] });

  const oldEdges = new Map(before.edges.map((e) => [edgeKey(e), e]));
  const newKeys = new Set(after.edges.map(edgeKey));
  const edges: EdgeDiff[] = after.edges.map((edge) => {
    const old = oldEdges.get(edgeKey(edge));
    if (!old) return { key: edgeKey(edge), status: 'added', edge };
    return old.target === edge.target
      ? { key: edgeKey(edge), status: 'same', edge }
      : { key: edgeKey(edge), status: 'changed', edge, beforeTarget: old.target };
  });
  for (const old of before.edges) if (!newKeys.has(edgeKey(old))) edges.push({ key: edgeKey(old), status: 'removed', edge: old });

  const counts = { added: 0, removed: 0, changed: 0 };
  for (const d of [...nodes, ...edges]) if (d.status !== 'same') counts[d.status] += 1;
  return { nodes, edges, counts };
}

/** One graph holding both sides, for drawing: removed nodes and connections stay, to be shown ghosted. */
export function mergedGraph(diff: GraphDiff): PlaybookGraph {
  return {
    nodes: diff.nodes.map((d) => d.node),
    edges: diff.edges.map((d) => (d.status === 'removed' ? { ...d.edge, id: `removed:${d.edge.id}` } : d.edge)),
  };
}

export function formatValue(v: unknown): string {
  if (v === undefined) return '—';
  if (typeof v === 'string') return v === '' ? '""' : v;
  const text = JSON.stringify(v);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
