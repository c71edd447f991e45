import { useEffect, useRef, useState } from 'react';
import {
  Background,
  Controls,
  MarkerType,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  useEdgesState,
  useNodesInitialized,
  useNodesState,
  useReactFlow,
  type Edge,
  type NodeChange,
  type NodeTypes,
} from '@xyflow/react';
import type { PlaybookGraph, Problem } from '../types';
import { toFlow, type PlaybookFlowNode } from './convert';
import { kindStyle } from './nodeKinds';
import { heatColour, type BadgeNodeData, type CanvasOverlay, type EdgeHeat, type HeatNodeData, type NodeBadge } from './overlay';
import { PlaybookNode } from './PlaybookNode';

export type CanvasSelection = { type: 'node'; id: string } | { type: 'edge'; id: string } | null;

interface Props {
  graph: PlaybookGraph;
  /** Problems to flag on nodes and edges; only meaningful for the graph they were computed for. */
  problems?: readonly Problem[];
  selection: CanvasSelection;
  onSelect: (selection: CanvasSelection) => void;
  /** Changing this number pans and zooms to the current selection (e.g. after a problem is clicked). */
  focusSeq?: number;
  /** Figures drawn over the graph (the heatmap); absent, the canvas looks as it always did. */
  overlay?: CanvasOverlay;
  /** Count badges per node id (running attempts, incidents); absent, no badges. */
  badges?: Record<string, NodeBadge>;
  /** The minimap hides most of a small canvas (the migration page's side-by-side graphs); shown unless false. */
  miniMap?: boolean;
}

// Defined once at module level: React Flow re-mounts every node when nodeTypes changes identity.
const nodeTypes: NodeTypes = { playbook: PlaybookNode };

/**
 * The graph, read-only. The parent should key this by which graph it shows, so switching
 * versions starts a fresh viewport that fits the new graph.
 */
export function PlaybookCanvas(props: Props) {
  return (
    <ReactFlowProvider>
      <CanvasInner {...props} />
    </ReactFlowProvider>
  );
}

function CanvasInner({ graph, problems = [], selection, onSelect, focusSeq = 0, overlay, badges, miniMap = true }: Props) {
  // Only the first value matters: the canvas is re-keyed when the graph changes.
  const [initial] = useState(() => decorate(graph, problems));

  const [nodes, setNodes, onNodesChange] = useNodesState<PlaybookFlowNode>(initial.nodes);
  const [edges, setEdges, onEdgesChange] = useEdgesState<Edge>(initial.edges);

  // Selection is owned by the parent (it drives the side panel), so mirror it into React Flow
  // rather than letting React Flow's own select changes diverge from it.
  useEffect(() => {
    const nodeId = selection?.type === 'node' ? selection.id : null;
    const edgeId = selection?.type === 'edge' ? selection.id : null;
    setNodes((ns) => ns.map((n) => ((n.id === nodeId) === !!n.selected ? n : { ...n, selected: n.id === nodeId })));
    setEdges((es) => es.map((e) => ((e.id === edgeId) === !!e.selected ? e : { ...e, selected: e.id === edgeId })));
  }, [selection, setNodes, setEdges]);

  useOverlay(overlay, initial.edges, setNodes, setEdges);
  useBadges(badges, setNodes);

  const applyNodeChanges = (changes: NodeChange<PlaybookFlowNode>[]) => onNodesChange(changes.filter((c) => c.type !== 'select'));

  useFocus(selection, focusSeq, edges);

  return (
    <ReactFlow<PlaybookFlowNode, Edge>
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      onNodesChange={applyNodeChanges}
      onEdgesChange={(changes) => onEdgesChange(changes.filter((c) => c.type !== 'select'))}
      onNodeClick={(_e, node) => onSelect({ type: 'node', id: node.id })}
      onEdgeClick={(_e, edge) => onSelect({ type: 'edge', id: edge.id })}
      onPaneClick={() => onSelect(null)}
      nodesDraggable={false}
      nodesConnectable={false}
      elementsSelectable
      edgesFocusable={false}
      deleteKeyCode={null}
      fitView
      fitViewOptions={{ padding: 0.2, maxZoom: 1.25 }}
      minZoom={0.2}
      maxZoom={2}
    >
      <Background gap={20} size={1} />
      <Controls showInteractive={false} />
      {miniMap && <MiniMap<PlaybookFlowNode> pannable zoomable nodeColor={(n) => kindStyle(n.data.node.kind).color} nodeStrokeWidth={2} />}
    </ReactFlow>
  );
}

function decorate(graph: PlaybookGraph, problems: readonly Problem[]) {
  const flow = toFlow(graph);
  const badNodes = new Set(problems.flatMap((p) => (p.nodeId ? [p.nodeId] : [])));
  const badEdges = new Set(problems.flatMap((p) => (p.edgeId ? [p.edgeId] : [])));
  return {
    nodes: flow.nodes.map((n) => (badNodes.has(n.id) ? { ...n, data: { ...n.data, hasProblem: true } } : n)),
    edges: flow.edges.map((e) => (badEdges.has(e.id) ? { ...e, className: 'has-problem' } : e)),
  };
}

/** Puts the overlay's figures on the nodes' data and the edges' labels and strokes, and takes them off again. */
function useOverlay(
  overlay: CanvasOverlay | undefined,
  baseEdges: readonly Edge[],
  setNodes: (update: (ns: PlaybookFlowNode[]) => PlaybookFlowNode[]) => void,
  setEdges: (update: (es: Edge[]) => Edge[]) => void,
) {
  useEffect(() => {
    setNodes((ns) =>
      ns.map((n) => {
        const heat = overlay?.nodes[n.id];
        return (n.data as HeatNodeData).heat === heat ? n : { ...n, data: { ...n.data, heat } };
      }),
    );
    const base = new Map(baseEdges.map((e) => [e.id, e]));
    setEdges((es) => es.map((e) => withHeat(base.get(e.id) ?? e, overlay?.edges[e.id], e.selected)));
  }, [overlay, baseEdges, setNodes, setEdges]);
}

/** Puts the count badges on the nodes' data (kept apart from the heatmap's, so both can show). */
function useBadges(badges: Record<string, NodeBadge> | undefined, setNodes: (update: (ns: PlaybookFlowNode[]) => PlaybookFlowNode[]) => void) {
  useEffect(() => {
    setNodes((ns) =>
      ns.map((n) => {
        const badge = badges?.[n.id];
        return (n.data as BadgeNodeData).badge === badge ? n : { ...n, data: { ...n.data, badge } };
      }),
    );
  }, [badges, setNodes]);
}

function withHeat(edge: Edge, heat: EdgeHeat | undefined, selected: boolean | undefined): Edge {
  if (!heat) return { ...edge, selected };
  const stroke = heat.level < 0 ? '#cbd5e1' : heatColour(heat.level).fill;
  return {
    ...edge,
    selected,
    label: edge.label ? `${String(edge.label)} · ${heat.text}` : heat.text,
    style: { ...edge.style, stroke, strokeWidth: heat.level < 0 ? 1 : 2 + heat.level },
    // Sized in pixels, not stroke widths, so a thick edge keeps an ordinary arrowhead.
    markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16, color: stroke, markerUnits: 'userSpaceOnUse' },
    labelStyle: { ...edge.labelStyle, fontWeight: 600 },
  };
}

/** Pans to the selection each time `focusSeq` changes, once the nodes have been measured. */
function useFocus(selection: CanvasSelection, focusSeq: number, edges: readonly Edge[]) {
  const { fitView } = useReactFlow();
  const initialized = useNodesInitialized();
  const done = useRef(0);

  useEffect(() => {
    if (!initialized || focusSeq === 0 || done.current === focusSeq || !selection) return;
    done.current = focusSeq;
    let ids: string[] = [];
    if (selection.type === 'node') ids = [selection.id];
    else {
      const edge = edges.find((e) => e.id === selection.id);
      if (edge) ids = [edge.source, edge.target];
    }
    if (ids.length > 0) void fitView({ nodes: ids.map((id) => ({ id })), duration: 400, maxZoom: 1.25, padding: 0.5 });
  }, [initialized, focusSeq, selection, edges, fitView]);
}
