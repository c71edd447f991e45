import { useMemo, useRef, type RefObject } from 'react';
import { getViewportForBounds, useReactFlow, useStoreApi } from '@xyflow/react';
import type { PlaybookFlowEdge, PlaybookFlowNode } from '../canvas/convert';
import type { Problem } from '../types';
import { addNode, copySelection, freeSpot, moveNodes, paste, removeElements, type Clip } from './graphOps';
import { download, exportFile, parseImport } from './importExport';
import { autoLayout, type LaidOut, type LayoutDirection } from './layout';
import { NO_SELECTION, type DesignerActions } from './useDesigner';
import { DEFAULT_NODE_SIZE, readableViewport } from './viewport';

/** Shared across designers, so steps copied in one playbook paste into another. */
let clipboard: Clip | null = null;

interface Options {
  designer: DesignerActions;
  canvas: RefObject<HTMLDivElement | null>;
  playbookKey: string;
  name: string;
  editable: boolean;
  direction: LayoutDirection;
  /** A step was added: `reveal` when it was placed by the designer (palette click or Enter), not dropped by hand. */
  onAdded(nodeId: string, reveal: boolean): void;
  /** An auto-layout finished: its positions and elk's edge routes. */
  onLaidOut(laidOut: LaidOut): void;
  onImportProblems(problems: Problem[]): void;
}

/** The designer's edit commands, shared by the toolbar, the palette, the side panel and the keyboard. */
export function useEditCommands(o: Options) {
  const rf = useReactFlow<PlaybookFlowNode, PlaybookFlowEdge>();
  const store = useStoreApi<PlaybookFlowNode, PlaybookFlowEdge>();
  const ref = useRef(o);
  ref.current = o;
  const pastes = useRef(0);

  return useMemo(() => {
    // Fitted from the nodes' sizes, measured or estimated (canvas/nodeGeometry.ts): React Flow's own
    // fitView waits until every node has been measured, and the steps of a big playbook that were
    // never on screen never are.
    const fitSoon = () =>
      setTimeout(() => {
        const nodes = rf.getNodes();
        const { width, height, minZoom } = store.getState();
        if (nodes.length === 0 || width <= 0 || height <= 0) return;
        void rf.setViewport(getViewportForBounds(rf.getNodesBounds(nodes), width, height, minZoom, 1.1, 0.15), { duration: 300 });
      }, 50);
    const current = () => ref.current.designer;
    // Measured where React Flow has rendered the step, else its estimate (off screen on a big playbook).
    const sizes = () =>
      new Map(
        rf.getNodes().flatMap((n) => {
          const width = n.measured?.width ?? n.initialWidth;
          const height = n.measured?.height ?? n.initialHeight;
          return width && height ? [[n.id, { width, height }] as const] : [];
        }),
      );
    /** After a layout or an import: the readable view (everything if it stays legible, else the start at zoom 1). */
    const readableSoon = () =>
      setTimeout(() => {
        const box = ref.current.canvas.current?.getBoundingClientRect();
        const view = box && readableViewport(current().graph, box.width, box.height, sizes());
        if (view) void rf.setViewport(view, { duration: 300 });
      }, 50);

    const addAt = (kind: string, position: { x: number; y: number }, reveal = false) => {
      if (!ref.current.editable) return;
      const added = addNode(current().graph, kind, position);
      current().commit(added.graph, { select: { nodes: new Set([added.id]), edges: new Set() } });
      ref.current.onAdded(added.id, reveal);
    };

    return {
      dropKind: addAt,
      /**
       * A palette click or Enter: beside the one selected step (after it in the layout direction),
       * else in the middle of the visible canvas; moved along until it covers no other step.
       */
      add(kind: string) {
        const { graph, state } = current();
        const measured = sizes();
        const selected = state.selection.nodes.size === 1 ? graph.nodes.find((n) => state.selection.nodes.has(n.id)) : undefined;
        const down = ref.current.direction === 'DOWN';
        let at: { x: number; y: number };
        if (selected) {
          const size = measured.get(selected.id) ?? DEFAULT_NODE_SIZE;
          at = down
            ? { x: selected.position.x, y: selected.position.y + size.height + 70 }
            : { x: selected.position.x + size.width + 110, y: selected.position.y };
        } else {
          const box = ref.current.canvas.current?.getBoundingClientRect();
          const centre = box ? rf.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 2 }) : { x: 0, y: 0 };
          at = { x: centre.x - DEFAULT_NODE_SIZE.width / 2, y: centre.y - DEFAULT_NODE_SIZE.height / 2 };
        }
        addAt(kind, freeSpot(graph, measured, at, down), true);
      },
      copy() {
        const { graph, state } = current();
        clipboard = copySelection(graph, state.selection.nodes) ?? clipboard;
        pastes.current = 0;
      },
      paste() {
        if (!clipboard || !ref.current.editable) return;
        const clip = clipboard;
        pastes.current += 1;
        const offset = { x: 40 * pastes.current, y: 40 * pastes.current };
        const result = paste(current().graph, clip, offset);
        current().commit(result.graph, { select: { nodes: new Set(result.nodeIds), edges: new Set(result.edgeIds) } });
      },
      remove() {
        const { state } = current();
        if (!ref.current.editable || (state.selection.nodes.size === 0 && state.selection.edges.size === 0)) return;
        current().commit((g) => removeElements(g, state.selection.nodes, state.selection.edges), { select: NO_SELECTION });
      },
      selectAll() {
        const { graph } = current();
        current().select({ nodes: new Set(graph.nodes.map((n) => n.id)), edges: new Set(graph.edges.map((e) => e.id)) });
      },
      clear: () => current().select(NO_SELECTION),
      fit: fitSoon,
      async layout() {
        if (!ref.current.editable) return;
        const laidOut = await autoLayout(current().graph, sizes(), ref.current.direction);
        current().commit((g) => moveNodes(g, laidOut.positions));
        ref.current.onLaidOut(laidOut);
        readableSoon();
      },
      importText(text: string) {
        const parsed = parseImport(text);
        if (!parsed.ok) return ref.current.onImportProblems(parsed.problems);
        current().commit(parsed.graph, { select: NO_SELECTION, external: true });
        readableSoon();
      },
      exportGraph() {
        download(`${ref.current.playbookKey}.playbook.json`, exportFile(ref.current.name, current().graph));
      },
    };
  }, [rf]);
}
