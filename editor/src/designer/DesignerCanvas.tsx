import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import {
  Background,
  ConnectionLineType,
  Controls,
  ReactFlow,
  SelectionMode,
  useReactFlow,
  useStore,
  type Connection,
  type EdgeChange,
  type EdgeTypes,
  type IsValidConnection,
  type NodeChange,
  type NodeTypes,
} from '@xyflow/react';
import type { PlaybookFlowEdge, PlaybookFlowNode } from '../canvas/convert';
import { createFlowCache, type Decorations, type Measured } from '../canvas/flowCache';
import { PlaybookNode } from '../canvas/PlaybookNode';
import type { PlaybookGraph } from '../types';
import { connect, moveNodes } from './graphOps';
import { BranchEdge } from './EdgeLabel';
import { OverviewMap } from './OverviewMap';
import { RoutedEdge } from './RoutedEdge';
import { readableViewport } from './viewport';
import type { GraphUpdate, Selection, SelectionUpdate } from './useDesigner';

export const KIND_MIME = 'application/x-playbook-kind';

// Module level: React Flow re-mounts every node when nodeTypes changes identity.
const nodeTypes: NodeTypes = { playbook: PlaybookNode };
// Smooth-step edges are drawn by BranchEdge, whose label needs no measuring (see EdgeLabel.tsx).
const edgeTypes: EdgeTypes = { routed: RoutedEdge, smoothstep: BranchEdge };
const MULTI_KEYS = ['Shift', 'Meta', 'Control'];
/** Above this many nodes, only what is on screen is rendered (pans stay smooth on big playbooks). */
const VIRTUALIZE_ABOVE = 120;

interface Props {
  graph: PlaybookGraph;
  selection: Selection;
  deco: Decorations;
  readOnly: boolean;
  onSelect: (selection: SelectionUpdate) => void;
  onCommit: (graph: GraphUpdate, key?: string) => void;
  onReplace: (graph: GraphUpdate) => void;
  onCheckpoint: () => void;
  onSettle: () => void;
  onDropKind: (kind: string, position: { x: number; y: number }) => void;
  /** A double-click on a step opens its settings, whatever the side panel shows. */
  onOpenNode: (nodeId: string) => void;
  focus: { nodeId: string; seq: number } | null;
  /** Show the overview map (bottom right, small, so it does not cover the steps' handles). */
  minimap: boolean;
  /** The pane's expected size before it is measured, so the first frame already shows the opening view. */
  expectedSize: { width: number; height: number };
}

export function DesignerCanvas({
  graph,
  selection,
  deco,
  readOnly,
  onSelect,
  onCommit,
  onReplace,
  onCheckpoint,
  onSettle,
  onDropKind,
  onOpenNode,
  focus,
  minimap,
  expectedSize,
}: Props) {
  const { screenToFlowPosition, setCenter, getZoom, setViewport } = useReactFlow();
  const [measured, setMeasured] = useState<ReadonlyMap<string, Measured>>(new Map());
  const cache = useMemo(() => createFlowCache(), []);
  const dragging = useRef(false);
  // The camera opens readable: the whole graph only if its step names stay legible, else zoom 1 on
  // the start step (see viewport.ts). The first frame uses the pane's expected size, so a big
  // playbook renders its opening view once instead of twice; once the pane is measured the view is
  // corrected if the estimate was off. An empty canvas stays at zoom 1, so the first dropped step
  // lands where it was dropped.
  const [initialView] = useState(() => readableViewport(graph, expectedSize.width, expectedSize.height));
  const paneWidth = useStore((s) => s.width);
  const paneHeight = useStore((s) => s.height);
  const opened = useRef(false);
  useEffect(() => {
    if (opened.current || paneWidth <= 0 || paneHeight <= 0) return;
    opened.current = true;
    const view = readableViewport(graph, paneWidth, paneHeight);
    const off =
      !initialView || (view && (Math.abs(view.zoom - initialView.zoom) > 0.01 || Math.abs(view.x - initialView.x) + Math.abs(view.y - initialView.y) > 40));
    if (view && off) void setViewport(view);
  }, [paneWidth, paneHeight]);

  const nodes = useMemo(() => cache.nodes(graph, selection.nodes, measured, deco), [cache, graph, selection.nodes, measured, deco]);
  const edges = useMemo(() => cache.edges(graph, selection.edges, deco), [cache, graph, selection.edges, deco]);

  const onNodesChange = useCallback(
    (changes: NodeChange<PlaybookFlowNode>[]) => {
      const positions = new Map<string, { x: number; y: number }>();
      const sizes: [string, Measured][] = [];
      const picks: [string, boolean][] = [];
      for (const c of changes) {
        if (c.type === 'dimensions' && c.dimensions) sizes.push([c.id, { width: c.dimensions.width, height: c.dimensions.height }]);
        else if (c.type === 'position' && c.position) positions.set(c.id, { x: Math.round(c.position.x), y: Math.round(c.position.y) });
        else if (c.type === 'select') picks.push([c.id, c.selected]);
      }
      if (sizes.length) setMeasured((m) => new Map([...m, ...sizes]));
      if (positions.size && !readOnly) {
        const move = (g: PlaybookGraph) => moveNodes(g, positions);
        // Drag frames replace the present (one undo step per drag); keyboard nudges coalesce.
        if (dragging.current) onReplace(move);
        else onCommit(move, 'nudge');
      }
      if (picks.length) onSelect((s) => ({ ...s, nodes: toggled(s.nodes, picks) }));
    },
    [readOnly, onReplace, onCommit, onSelect],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange<PlaybookFlowEdge>[]) => {
      const picks: [string, boolean][] = changes.flatMap((c) => (c.type === 'select' ? [[c.id, c.selected] as [string, boolean]] : []));
      if (picks.length) onSelect((s) => ({ ...s, edges: toggled(s.edges, picks) }));
    },
    [onSelect],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      if (!c.sourceHandle) return;
      const handle = c.sourceHandle;
      onCommit((g) => connect(g, c.source, handle, c.target));
    },
    [onCommit],
  );

  const isValidConnection: IsValidConnection = useCallback((c) => c.source !== c.target && !!c.sourceHandle, []);

  const dragStart = useCallback(() => {
    dragging.current = true;
    onCheckpoint();
  }, [onCheckpoint]);
  const dragStop = useCallback(() => {
    dragging.current = false;
    onSettle();
  }, [onSettle]);

  const onDragOver = useCallback((e: DragEvent) => {
    if (!e.dataTransfer.types.includes(KIND_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      const kind = e.dataTransfer.getData(KIND_MIME);
      if (!kind || readOnly) return;
      e.preventDefault();
      const p = screenToFlowPosition({ x: e.clientX, y: e.clientY });
      // Drop the node centred under the pointer rather than hanging from its corner.
      onDropKind(kind, { x: p.x - 100, y: p.y - 30 });
    },
    [screenToFlowPosition, onDropKind, readOnly],
  );

  useEffect(() => {
    if (!focus) return;
    const node = graph.nodes.find((n) => n.id === focus.nodeId);
    if (!node) return;
    const size = measured.get(node.id) ?? { width: 200, height: 90 };
    void setCenter(node.position.x + size.width / 2, node.position.y + size.height / 2, { zoom: Math.max(getZoom(), 1), duration: 300 });
    // Only a new focus request moves the viewport, not every graph edit.
  }, [focus?.seq]);

  return (
    <ReactFlow<PlaybookFlowNode, PlaybookFlowEdge>
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      edgeTypes={edgeTypes}
      onNodesChange={onNodesChange}
      onEdgesChange={onEdgesChange}
      onConnect={onConnect}
      isValidConnection={isValidConnection}
      onNodeDragStart={dragStart}
      onNodeDragStop={dragStop}
      onSelectionDragStart={dragStart}
      onSelectionDragStop={dragStop}
      onNodeDoubleClick={(_e, node) => onOpenNode(node.id)}
      onDragOver={onDragOver}
      onDrop={onDrop}
      nodesDraggable={!readOnly}
      nodesConnectable={!readOnly}
      deleteKeyCode={null}
      selectionKeyCode="Shift"
      multiSelectionKeyCode={MULTI_KEYS}
      selectionMode={SelectionMode.Partial}
      onlyRenderVisibleElements={graph.nodes.length > VIRTUALIZE_ABOVE}
      connectionLineType={ConnectionLineType.SmoothStep}
      snapToGrid
      snapGrid={[10, 10]}
      zoomOnDoubleClick={false}
      defaultViewport={initialView ?? undefined}
      minZoom={0.05}
      maxZoom={2}
    >
      <Background gap={20} size={1} />
      {/* No fit button here: React Flow's fitView waits for every node to be measured, which the off-screen
          steps of a big playbook never are; the toolbar's "Fit" (and F) fits from their estimated sizes. */}
      <Controls showInteractive={false} showFitView={false} />
      {minimap && <OverviewMap nodes={nodes} ariaLabel="Overview map" />}
    </ReactFlow>
  );
}

function toggled(set: ReadonlySet<string>, picks: [string, boolean][]): ReadonlySet<string> {
  const next = new Set(set);
  for (const [id, on] of picks) {
    if (on) next.add(id);
    else next.delete(id);
  }
  return next;
}
