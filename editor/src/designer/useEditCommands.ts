import { useMemo, useRef, type RefObject } from 'react';
import { useReactFlow } from '@xyflow/react';
import type { PlaybookFlowEdge, PlaybookFlowNode } from '../canvas/convert';
import type { Problem } from '../types';
import { addNode, copySelection, moveNodes, paste, removeElements, type Clip } from './graphOps';
import { download, exportFile, parseImport } from './importExport';
import { autoLayout } from './layout';
import { NO_SELECTION, type DesignerActions } from './useDesigner';

/** Shared across designers, so steps copied in one playbook paste into another. */
let clipboard: Clip | null = null;

interface Options {
  designer: DesignerActions;
  canvas: RefObject<HTMLDivElement | null>;
  playbookKey: string;
  name: string;
  editable: boolean;
  onAdded(nodeId: string): void;
  onImportProblems(problems: Problem[]): void;
}

/** The designer's edit commands, shared by the toolbar, the palette, the side panel and the keyboard. */
export function useEditCommands(o: Options) {
  const rf = useReactFlow<PlaybookFlowNode, PlaybookFlowEdge>();
  const ref = useRef(o);
  ref.current = o;
  const pastes = useRef(0);

  return useMemo(() => {
    const fitSoon = () => setTimeout(() => void rf.fitView({ padding: 0.15, maxZoom: 1.1, duration: 300 }), 50);
    const current = () => ref.current.designer;

    const addAt = (kind: string, position: { x: number; y: number }) => {
      if (!ref.current.editable) return;
      const added = addNode(current().graph, kind, position);
      current().commit(added.graph, { select: { nodes: new Set([added.id]), edges: new Set() } });
      ref.current.onAdded(added.id);
    };

    return {
      dropKind: addAt,
      /** A palette click: the middle of the visible canvas, nudged so repeated clicks do not stack. */
      add(kind: string) {
        const box = ref.current.canvas.current?.getBoundingClientRect();
        const centre = box ? rf.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 2 }) : { x: 0, y: 0 };
        const n = current().graph.nodes.length % 6;
        addAt(kind, { x: centre.x - 100 + n * 24, y: centre.y - 40 + n * 24 });
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
        const sizes = new Map(
          rf
            .getNodes()
            .flatMap((n) => (n.measured?.width && n.measured.height ? [[n.id, { width: n.measured.width, height: n.measured.height }] as const] : [])),
        );
        const positions = await autoLayout(current().graph, sizes);
        current().commit((g) => moveNodes(g, positions));
        fitSoon();
      },
      importText(text: string) {
        const parsed = parseImport(text);
        if (!parsed.ok) return ref.current.onImportProblems(parsed.problems);
        current().commit(parsed.graph, { select: NO_SELECTION, external: true });
        fitSoon();
      },
      exportGraph() {
        download(`${ref.current.playbookKey}.playbook.json`, exportFile(ref.current.name, current().graph));
      },
    };
  }, [rf]);
}
