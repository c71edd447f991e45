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

export interface Point {
  x: number;
  y: number;
}

export interface LaidOut {
  positions: Map<string, Point>;
  /** Each edge's route from elk (start, bends, end), so lines run between the steps, not across them. */
  routes: Map<string, Point[]>;
}

/** Where PlaybookNode draws its handles: outgoing ones in rows at the bottom of the right edge, the incoming one mid-left. */
const OUT_ROW_PX = 19;
const OUTS_PADDING_PX = 4;

/**
 * Layered layout (elkjs), left to right or top to bottom. Each handle is a port at the place the
 * node draws it (outgoing rows on the east side, in the node's order; the input mid-west), so
 * branches leave in that order, edges do not cross inside a node, and elk's orthogonal routes
 * start and end at the handles.
 */
export async function autoLayout(
  graph: PlaybookGraph,
  sizes: ReadonlyMap<string, { width: number; height: number }>,
  direction: LayoutDirection = 'RIGHT',
): Promise<LaidOut> {
  const handles = new Map(graph.nodes.map((n) => [n.id, handlesOf(n, graph.edges)]));
  const root: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': direction,
      // Room between layers for the branch labels on the edges.
      'elk.layered.spacing.nodeNodeBetweenLayers': direction === 'RIGHT' ? '110' : '70',
      'elk.spacing.nodeNode': direction === 'RIGHT' ? '40' : '60',
      'elk.layered.spacing.edgeNodeBetweenLayers': '24',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.layered.crossingMinimization.semiInteractive': 'true',
      'elk.edgeRouting': 'ORTHOGONAL',
    },
    children: graph.nodes.map((n) => {
      const size = sizes.get(n.id) ?? { width: 200, height: 100 };
      const outs = handles.get(n.id) ?? [];
      return {
        id: n.id,
        width: size.width,
        height: size.height,
        layoutOptions: { 'elk.portConstraints': 'FIXED_POS' },
        ports: [
          { id: `${n.id}::in`, x: 0, y: size.height / 2, width: 1, height: 1, layoutOptions: { 'elk.port.side': 'WEST' } },
          ...outs.map((h, i) => ({
            id: `${n.id}::out::${h}`,
            x: size.width - 1,
            y: size.height - OUTS_PADDING_PX - (outs.length - i - 0.5) * OUT_ROW_PX,
            width: 1,
            height: 1,
            layoutOptions: { 'elk.port.side': 'EAST', 'elk.port.index': String(i) },
          })),
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
  const positions = new Map((laid.children ?? []).map((c) => [c.id, { x: Math.round(c.x ?? 0), y: Math.round(c.y ?? 0) }]));
  const routes = new Map<string, Point[]>();
  for (const e of laid.edges ?? []) {
    const section = (e as { sections?: { startPoint: Point; endPoint: Point; bendPoints?: Point[] }[] }).sections?.[0];
    if (section)
      routes.set(
        e.id,
        [section.startPoint, ...(section.bendPoints ?? []), section.endPoint].map((p) => ({ x: Math.round(p.x), y: Math.round(p.y) })),
      );
  }
  return { positions, routes };
}
