import type { Edge, Node } from '@xyflow/react';
import { findNodeKind } from '../../../playbooks/nodes';
import { handleLabel } from './nodeKinds';
import type { GraphEdge, GraphNode, PlaybookGraph } from '../types';

export type DiffStatus = 'added' | 'removed' | 'changed';

export type PlaybookNodeData = {
  node: GraphNode;
  /** Outgoing handles the node's kind defines for its current config, in display order. */
  handles: string[];
  /**
   * Handles that edges leave from but the kind does not define (e.g. an outcome was renamed in a
   * draft). Rendering them keeps those edges visible so the problem they cause can be seen.
   */
  strayHandles: string[];
  hasProblem?: boolean;
  /** Problem messages for the node's tooltip. */
  problemText?: string;
  /** Simulation: how often the run entered this node, and whether it waits here now. */
  visits?: number;
  active?: boolean;
  diff?: DiffStatus;
};

export type PlaybookFlowNode = Node<PlaybookNodeData, 'playbook'>;
export type PlaybookFlowEdge = Edge;

/** Edge markers by name, not MarkerType, so this module loads without React Flow (unit tests). */
export const ARROW = { type: 'arrowclosed', width: 18, height: 18 } as const;

function distinct(values: string[]): string[] {
  return [...new Set(values)];
}

const handleCache = new WeakMap<object, string[] | null>();

/**
 * The handles of a kind whose `handles` reads nothing of its config (delay, notify, offer, …),
 * found once per kind by handing it a config that notes any read; null when it reads the config.
 * Those kinds need no parse of each node's config to know its handles: a 500-step playbook parsed
 * every config on opening, tens of milliseconds before its first frame.
 */
const fixedHandles = new Map<string, string[] | null>();
function handlesWithoutConfig(kind: NonNullable<ReturnType<typeof findNodeKind>>, name: string): string[] | null {
  if (fixedHandles.has(name)) return fixedHandles.get(name) ?? null;
  let read = false;
  const probe = new Proxy(
    {},
    {
      get: () => ((read = true), undefined),
      has: () => ((read = true), false),
      ownKeys: () => ((read = true), []),
      getOwnPropertyDescriptor: () => ((read = true), undefined),
    },
  );
  let result: string[] | null = null;
  try {
    const raw = kind.handles(probe as never);
    if (!read && Array.isArray(raw)) result = distinct(raw.filter((h): h is string => typeof h === 'string' && h.length > 0));
  } catch {
    result = null;
  }
  fixedHandles.set(name, result);
  return result;
}

/**
 * Handles from the node's current config through its kind's `handles(config)`, like the compiler.
 * A config that does not parse yet (a half-typed form) is still asked, best effort, so the
 * branches stay drawn while the ops manager types; kinds the editor does not know return null.
 */
function configHandles(node: GraphNode): string[] | null {
  if (handleCache.has(node.config)) return handleCache.get(node.config) ?? null;
  const kind = findNodeKind(node.kind);
  let result: string[] | null = null;
  const fixed = kind ? handlesWithoutConfig(kind, node.kind) : null;
  if (fixed) result = fixed;
  else if (kind) {
    const parsed = kind.config.safeParse(node.config);
    try {
      const raw = kind.handles((parsed.success ? parsed.data : node.config) as never);
      result = Array.isArray(raw) ? distinct(raw.filter((h): h is string => typeof h === 'string' && h.length > 0)) : null;
    } catch {
      result = null;
    }
  }
  handleCache.set(node.config, result);
  return result;
}

/** The node's outgoing handle names; when the config says nothing usable, whatever its edges use. */
export function handlesOf(node: GraphNode, edges: readonly GraphEdge[]): string[] {
  return configHandles(node) ?? distinct(edges.filter((e) => e.source === node.id).map((e) => e.sourceHandle));
}

export function flowNode(node: GraphNode, edges: readonly GraphEdge[]): PlaybookFlowNode {
  const handles = handlesOf(node, edges);
  const used = edges.filter((e) => e.source === node.id).map((e) => e.sourceHandle);
  return {
    id: node.id,
    type: 'playbook',
    position: { x: node.position.x, y: node.position.y },
    data: { node, handles, strayHandles: distinct(used.filter((h) => !handles.includes(h))) },
  };
}

/**
 * An edge says which branch it is ("accepted", "no answer", "Arm A", the outcome's label), from the
 * step it leaves; a plain "next", or a step's only way out, needs no words. Shared by the designer
 * and the read-only canvas.
 */
export function edgeLabel(edge: GraphEdge, source: GraphNode | undefined): string | undefined {
  if (edge.sourceHandle === 'next') return undefined;
  // A step with one way out labels it on the step itself; only branches need words on the line.
  const own = source ? configHandles(source) : null;
  if (own && own.length < 2 && own.includes(edge.sourceHandle)) return undefined;
  return source ? handleLabel(source, edge.sourceHandle) : edge.sourceHandle.replace(/_/g, ' ');
}

export function flowEdge(edge: GraphEdge, source?: GraphNode): PlaybookFlowEdge {
  return {
    id: edge.id,
    source: edge.source,
    sourceHandle: edge.sourceHandle,
    target: edge.target,
    label: edgeLabel(edge, source),
    type: 'smoothstep',
    markerEnd: ARROW,
    labelBgPadding: [6, 3] as [number, number],
    labelBgBorderRadius: 4,
    labelStyle: { fontSize: 12, fontWeight: 500 },
  };
}

export function toFlow(graph: PlaybookGraph): { nodes: PlaybookFlowNode[]; edges: PlaybookFlowEdge[] } {
  const bySource = new Map<string, GraphEdge[]>();
  for (const e of graph.edges) bySource.set(e.source, [...(bySource.get(e.source) ?? []), e]);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  return { nodes: graph.nodes.map((n) => flowNode(n, bySource.get(n.id) ?? [])), edges: graph.edges.map((e) => flowEdge(e, byId.get(e.source))) };
}

/** Back to the saved shape: the graph node as it was, at the position React Flow has it now. */
export function fromFlow(nodes: readonly PlaybookFlowNode[], edges: readonly PlaybookFlowEdge[]): PlaybookGraph {
  return {
    nodes: nodes.map((n) => ({ ...n.data.node, position: { x: n.position.x, y: n.position.y } })),
    edges: edges.map((e) => ({ id: e.id, source: e.source, sourceHandle: e.sourceHandle ?? '', target: e.target })),
  };
}
