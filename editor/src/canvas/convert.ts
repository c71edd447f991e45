import { MarkerType, type Edge, type Node } from '@xyflow/react';
import type { GraphEdge, GraphNode, PlaybookGraph } from '../types';

export type PlaybookNodeData = {
  node: GraphNode;
  /** Outgoing handles the node's kind defines, in display order. */
  handles: string[];
  /**
   * Handles that edges leave from but the kind does not define (e.g. an outcome was renamed in a
   * draft). Rendering them keeps those edges visible so the problem they cause can be seen.
   */
  strayHandles: string[];
  hasProblem?: boolean;
};

export type PlaybookFlowNode = Node<PlaybookNodeData, 'playbook'>;
export type PlaybookFlowEdge = Edge;

function distinct(values: string[]): string[] {
  return [...new Set(values)];
}

/**
 * The node's outgoing handle names. Known kinds derive them from config, like the compiler does;
 * kinds this editor does not know yet fall back to whatever the graph's edges use, hence `edges`.
 */
export function handlesOf(node: GraphNode, edges: readonly GraphEdge[]): string[] {
  switch (node.kind) {
    case 'start':
    case 'delay':
      return ['next'];
    case 'end':
      return [];
    case 'task': {
      const outcomes = node.config.outcomes;
      if (!Array.isArray(outcomes)) return [];
      return distinct(
        outcomes
          .map((o: unknown) => (typeof o === 'object' && o !== null ? (o as Record<string, unknown>).key : undefined))
          .filter((k): k is string => typeof k === 'string' && k.length > 0),
      );
    }
    default:
      return distinct(edges.filter((e) => e.source === node.id).map((e) => e.sourceHandle));
  }
}

export function toFlow(graph: PlaybookGraph): { nodes: PlaybookFlowNode[]; edges: PlaybookFlowEdge[] } {
  const nodes: PlaybookFlowNode[] = graph.nodes.map((node) => {
    const handles = handlesOf(node, graph.edges);
    const used = graph.edges.filter((e) => e.source === node.id).map((e) => e.sourceHandle);
    const strayHandles = distinct(used.filter((h) => !handles.includes(h)));
    return {
      id: node.id,
      type: 'playbook',
      position: { x: node.position.x, y: node.position.y },
      data: { node, handles, strayHandles },
    };
  });

  const edges: PlaybookFlowEdge[] = graph.edges.map((edge) => ({
    id: edge.id,
    source: edge.source,
    sourceHandle: edge.sourceHandle,
    target: edge.target,
    label: edge.sourceHandle,
    type: 'smoothstep',
    markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18 },
    labelBgPadding: [6, 3] as [number, number],
    labelBgBorderRadius: 4,
  }));

  return { nodes, edges };
}
