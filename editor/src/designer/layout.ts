import type { ELK as ElkApi, ElkNode } from 'elkjs/lib/elk-api';
import { handlesOf } from '../canvas/convert';
import type { PlaybookGraph } from '../types';

let elk: Promise<ElkApi> | null = null;

/** elkjs is about 1.5 MB: loaded on the first auto-layout, not with the editor. */
function loadElk(): Promise<ElkApi> {
  elk ??= import('elkjs/lib/elk.bundled.js').then((m) => new m.default());
  return elk;
}

/** Layers run left to right (steps side by side) or top to bottom (steps stacked, for long playbooks). */
export type LayoutDirection = 'RIGHT' | 'DOWN';

/**
 * Layered layout (elkjs), left to right or top to bottom. Each outgoing handle is a fixed-order
 * port on the east side, where the node draws it, so branches leave in the order the node lists
 * them and edges do not cross inside a node.
 */
export async function autoLayout(
  graph: PlaybookGraph,
  sizes: ReadonlyMap<string, { width: number; height: number }>,
  direction: LayoutDirection = 'RIGHT',
): Promise<Map<string, { x: number; y: number }>> {
  const handles = new Map(graph.nodes.map((n) => [n.id, handlesOf(n, graph.edges)]));
  const root: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': direction,
      // Room between layers for the branch labels on the edges.
      'elk.layered.spacing.nodeNodeBetweenLayers': direction === 'RIGHT' ? '110' : '70',
      'elk.spacing.nodeNode': direction === 'RIGHT' ? '40' : '60',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.layered.crossingMinimization.semiInteractive': 'true',
      'elk.edgeRouting': 'ORTHOGONAL',
    },
    children: graph.nodes.map((n) => {
      const size = sizes.get(n.id) ?? { width: 200, height: 100 };
      return {
        id: n.id,
        width: size.width,
        height: size.height,
        layoutOptions: { 'elk.portConstraints': 'FIXED_ORDER' },
        ports: [
          { id: `${n.id}::in`, layoutOptions: { 'elk.port.side': 'WEST' } },
          ...(handles.get(n.id) ?? []).map((h, i) => ({ id: `${n.id}::out::${h}`, layoutOptions: { 'elk.port.side': 'EAST', 'elk.port.index': String(i) } })),
        ],
      };
    }),
    edges: graph.edges
      .filter((e) => handles.has(e.source) && handles.has(e.target))
      .map((e) => ({
        id: e.id,
        sources: [handles.get(e.source)?.includes(e.sourceHandle) ? `${e.source}::out::${e.sourceHandle}` : e.source],
        targets: [`${e.target}::in`],
      })),
  };
  const laid = await (await loadElk()).layout(root);
  return new Map((laid.children ?? []).map((c) => [c.id, { x: Math.round(c.x ?? 0), y: Math.round(c.y ?? 0) }]));
}
