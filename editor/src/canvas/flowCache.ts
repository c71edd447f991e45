import type { GraphEdge, GraphNode, PlaybookGraph } from '../types';
import { edgeLabel, flowEdge, flowNode, type DiffStatus, type PlaybookFlowEdge, type PlaybookFlowNode } from './convert';
import { estimateGeometry } from './nodeGeometry';

/** What the designer paints over the graph: problems, the simulated path, a version diff. */
export interface Decorations {
  problemsByNode?: ReadonlyMap<string, string[]>;
  problemEdges?: ReadonlySet<string>;
  visits?: Readonly<Record<string, number>>;
  active?: ReadonlySet<string>;
  /** Connections taken in the simulation, by `<source>.<handle>`. */
  taken?: Readonly<Record<string, number>>;
  nodeDiff?: ReadonlyMap<string, DiffStatus>;
  edgeDiff?: ReadonlyMap<string, DiffStatus>;
  /** Edge routes from the last auto-layout (start, bends, end), for edges whose steps have not moved since. */
  routes?: ReadonlyMap<string, readonly { x: number; y: number }[]>;
}

export interface Measured {
  width: number;
  height: number;
}

interface NodeEntry {
  node: GraphNode;
  used: string;
  selected: boolean;
  measured: Measured | undefined;
  problemText: string | undefined;
  visits: number | undefined;
  active: boolean;
  diff: DiffStatus | undefined;
  flow: PlaybookFlowNode;
}

interface EdgeEntry {
  edge: GraphEdge;
  label: string | undefined;
  route: readonly { x: number; y: number }[] | undefined;
  selected: boolean;
  className: string;
  flow: PlaybookFlowEdge;
}

const sameDecoration = (a: Omit<NodeEntry, 'flow'>, b: Omit<NodeEntry, 'flow'>) =>
  a.problemText === b.problemText && a.visits === b.visits && a.active === b.active && a.diff === b.diff;

/**
 * Graph → React Flow nodes and edges, reusing the previous object for every node whose inputs did
 * not change. React Flow and the memoised node component skip unchanged nodes by identity, so a
 * drag or a keystroke re-renders one node, not all 500.
 */
export function createFlowCache() {
  let nodeEntries = new Map<string, NodeEntry>();
  let edgeEntries = new Map<string, EdgeEntry>();
  let edgesRef: readonly GraphEdge[] | null = null;
  let bySource = new Map<string, GraphEdge[]>();

  function sourcesOf(edges: readonly GraphEdge[]) {
    if (edges === edgesRef) return bySource;
    edgesRef = edges;
    bySource = new Map();
    for (const e of edges) {
      const list = bySource.get(e.source);
      if (list) list.push(e);
      else bySource.set(e.source, [e]);
    }
    return bySource;
  }

  function nodes(graph: PlaybookGraph, selected: ReadonlySet<string>, measured: ReadonlyMap<string, Measured>, deco: Decorations): PlaybookFlowNode[] {
    const sources = sourcesOf(graph.edges);
    const next = new Map<string, NodeEntry>();
    const out = graph.nodes.map((node) => {
      const outgoing = sources.get(node.id) ?? [];
      const problems = deco.problemsByNode?.get(node.id);
      const entry: Omit<NodeEntry, 'flow'> = {
        node,
        used: outgoing.map((e) => e.sourceHandle).join('\n'),
        selected: selected.has(node.id),
        measured: measured.get(node.id),
        problemText: problems ? problems.join('\n') : undefined,
        visits: deco.visits?.[node.id],
        active: deco.active?.has(node.id) ?? false,
        diff: deco.nodeDiff?.get(node.id),
      };
      const old = nodeEntries.get(node.id);
      const same = old && (Object.keys(entry) as (keyof typeof entry)[]).every((k) => old[k] === entry[k]);
      const flow: PlaybookFlowNode = same
        ? old.flow
        : (() => {
            const reuse = old && old.node === node && old.used === entry.used;
            const { handles: _h, initialWidth: _w, initialHeight: _ht, ...base } = reuse ? old.flow : flowNode(node, outgoing);
            // Until React Flow has measured a node it renders it (to measure it) wherever it is: an
            // estimate lets it render only what is on screen (see nodeGeometry.ts).
            const estimate = entry.measured ? null : estimateGeometry(node, [...base.data.handles, ...base.data.strayHandles]);
            return {
              ...base,
              selected: entry.selected,
              ...(entry.measured ? { measured: entry.measured } : {}),
              ...(estimate ? { initialWidth: estimate.width, initialHeight: estimate.height, handles: estimate.handles } : {}),
              // The same data object when only the selection or the measured size changed, so the memoised
              // node does not re-render: "Fit" on a 500-step playbook measures ~490 nodes at once.
              data:
                reuse && sameDecoration(old, entry)
                  ? old.flow.data
                  : { ...base.data, hasProblem: !!problems, problemText: entry.problemText, visits: entry.visits, active: entry.active, diff: entry.diff },
            };
          })();
      next.set(node.id, { ...entry, flow });
      return flow;
    });
    nodeEntries = next;
    return out;
  }

  function edges(graph: PlaybookGraph, selected: ReadonlySet<string>, deco: Decorations): PlaybookFlowEdge[] {
    const next = new Map<string, EdgeEntry>();
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    const out = graph.edges.map((edge) => {
      const diff = deco.edgeDiff?.get(edge.id);
      const className = [
        deco.problemEdges?.has(edge.id) && 'has-problem',
        deco.taken?.[`${edge.source}.${edge.sourceHandle}`] && 'is-taken',
        diff && `diff-${diff}`,
      ]
        .filter(Boolean)
        .join(' ');
      const isSelected = selected.has(edge.id);
      const source = byId.get(edge.source);
      // The branch's words come from the step it leaves (an outcome renamed there relabels its edge).
      const label = edgeLabel(edge, source);
      const route = deco.routes?.get(edge.id);
      const old = edgeEntries.get(edge.id);
      const flow =
        old && old.edge === edge && old.label === label && old.route === route && old.selected === isSelected && old.className === className
          ? old.flow
          : {
              ...flowEdge(edge, source),
              ...(route ? { type: 'routed', data: { points: route } } : {}),
              selected: isSelected,
              className,
              animated: className.includes('is-taken'),
            };
      next.set(edge.id, { edge, label, route, selected: isSelected, className, flow });
      return flow;
    });
    edgeEntries = next;
    return out;
  }

  return { nodes, edges };
}
