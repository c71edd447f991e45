import type { PlaybookGraph } from '../../playbooks/graph';
import { escapeHtml } from '../html';
import type { RunStory } from './timeline';

/** A step's box on paper: the designer draws steps 200 px wide from their top-left position. */
const W = 200;
const H = 64;
const PAD = 24;
/** Labels longer than this are cut with an ellipsis (the full name is in the step list below the picture). */
const MAX_LABEL = 28;

type StepState = 'active' | 'visited' | 'unvisited';

const cut = (text: string) => (text.length > MAX_LABEL ? `${text.slice(0, MAX_LABEL - 1)}…` : text);
const n = (v: number) => String(Math.round(v * 10) / 10);

/**
 * The path picture: the published graph at its own positions, the steps this attempt entered
 * filled, the ones it is at now outlined, how often each ran (×2 on a loop) and each way out taken.
 * Plain SVG inside the HTML, so the page prints without scripts (the CSP allows none inline).
 */
export function pathPicture(graph: PlaybookGraph, path: RunStory['path'], active: ReadonlySet<string>, title: string): string {
  if (!graph.nodes.length) return '<p>The playbook version has no steps to draw.</p>';
  const xs = graph.nodes.map((node) => node.position.x);
  const ys = graph.nodes.map((node) => node.position.y);
  const minX = Math.min(...xs) - PAD;
  const minY = Math.min(...ys) - PAD;
  const width = Math.max(...xs) + W + PAD - minX;
  // Room below the lowest row for a connection that loops back along it (see route).
  const height = Math.max(...ys) + H + PAD + 40 - minY;
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  // A way out reads as its step labels it ("No answer"), else as its handle in words ("no response").
  const handleLabel = (nodeId: string, handle: string) => {
    const outcomes = byId.get(nodeId)?.config.outcomes;
    const labelled = Array.isArray(outcomes) ? (outcomes as { key?: unknown; label?: unknown }[]).find((o) => o.key === handle)?.label : undefined;
    return typeof labelled === 'string' && labelled ? labelled : handle.replace(/_/g, ' ');
  };
  const state = (id: string): StepState => (active.has(id) ? 'active' : (path.nodes[id] ?? 0) > 0 ? 'visited' : 'unvisited');

  // Untaken ways first, so the taken ones are drawn over them; labels after the steps, so no box hides one.
  const drawn = [...graph.edges]
    .map((e) => ({ e, taken: path.edges[`${e.source}:${e.sourceHandle}`] ?? 0 }))
    .sort((a, b) => Number(a.taken > 0) - Number(b.taken > 0))
    .map(({ e, taken }) => {
      const from = byId.get(e.source);
      const to = byId.get(e.target);
      if (!from || !to) return { line: '', label: '' };
      const { d, label } = route(from.position, to.position);
      const text = taken
        ? `<text class="edge-label" x="${n(label.x)}" y="${n(label.y)}" text-anchor="${label.anchor}">${escapeHtml(handleLabel(e.source, e.sourceHandle))} ×${taken}</text>`
        : '';
      return {
        line: `<path class="edge edge--${taken ? 'taken' : 'untaken'}" d="${d}" marker-end="url(#arrow-${taken ? 'taken' : 'untaken'})"/>`,
        label: text,
      };
    });
  const edges = drawn.map((x) => x.line).join('');
  const labels = drawn.map((x) => x.label).join('');

  const steps = graph.nodes
    .map((node) => {
      const s = state(node.id);
      const runs = path.nodes[node.id] ?? 0;
      const { x, y } = node.position;
      const badge =
        runs > 1
          ? `<g class="runs"><rect x="${n(x + W - 34)}" y="${n(y - 10)}" width="40" height="20" rx="10"/><text x="${n(x + W - 14)}" y="${n(y + 4)}" text-anchor="middle">×${runs}</text></g>`
          : '';
      return `<g class="step step--${s}" data-node-id="${escapeHtml(node.id)}" data-state="${s}" data-runs="${runs}">
<rect x="${n(x)}" y="${n(y)}" width="${W}" height="${H}" rx="8"/>
<text class="step-name" x="${n(x + 12)}" y="${n(y + 26)}">${escapeHtml(cut(node.name ?? node.id))}</text>
<text class="step-kind" x="${n(x + 12)}" y="${n(y + 46)}">${escapeHtml(node.kind.replace(/_/g, ' '))}${s === 'active' ? ' · now here' : ''}</text>${badge}</g>`;
    })
    .join('\n');

  const marker = (id: string) =>
    `<marker id="arrow-${id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path class="arrow--${id}" d="M0,0 L10,5 L0,10 z"/></marker>`;
  return `<svg class="path-picture" role="img" aria-labelledby="path-title" viewBox="${n(minX)} ${n(minY)} ${n(width)} ${n(height)}" width="${n(width)}" height="${n(height)}" xmlns="http://www.w3.org/2000/svg">
<title id="path-title">${escapeHtml(title)}</title>
<defs>${marker('taken')}${marker('untaken')}</defs>
${edges}
${steps}
${labels}
</svg>`;
}

type Point = { x: number; y: number };

/**
 * How a connection is drawn between two step boxes: forward (target to the right) from the right
 * side to the left side; back along the same row as a U below; otherwise down or up between the boxes' bottom and top, downward ones on
 * the left third and upward ones on the right third, so a loop's two ways do not lie on each other.
 */
function route(from: Point, to: Point): { d: string; label: { x: number; y: number; anchor: 'start' | 'middle' | 'end' } } {
  if (to.x - from.x >= W / 2) {
    const [x1, y1, x2, y2] = [from.x + W, from.y + H / 2, to.x, to.y + H / 2];
    const bend = Math.max(40, Math.abs(x2 - x1) / 2);
    return {
      d: `M${n(x1)},${n(y1)} C${n(x1 + bend)},${n(y1)} ${n(x2 - bend)},${n(y2)} ${n(x2)},${n(y2)}`,
      label: { x: (x1 + x2) / 2, y: (y1 + y2) / 2 - 6, anchor: 'middle' },
    };
  }
  if (Math.abs(to.y - from.y) < H) {
    // Back along the same row: a U below both boxes.
    const [x1, x2, y1, y2] = [from.x + W / 2, to.x + W / 2, from.y + H, to.y + H];
    const low = Math.max(y1, y2) + 50;
    return {
      d: `M${n(x1)},${n(y1)} C${n(x1)},${n(low)} ${n(x2)},${n(low)} ${n(x2)},${n(y2)}`,
      label: { x: (x1 + x2) / 2, y: low - 8, anchor: 'middle' },
    };
  }
  const down = to.y >= from.y;
  const x1 = from.x + W * (down ? 0.35 : 0.65);
  const x2 = to.x + W * (down ? 0.35 : 0.65);
  const y1 = down ? from.y + H : from.y;
  const y2 = down ? to.y : to.y + H;
  const bend = Math.max(30, Math.abs(y2 - y1) / 2) * (down ? 1 : -1);
  return {
    d: `M${n(x1)},${n(y1)} C${n(x1)},${n(y1 + bend)} ${n(x2)},${n(y2 - bend)} ${n(x2)},${n(y2)}`,
    label: { x: (x1 + x2) / 2 + (down ? -6 : 6), y: (y1 + y2) / 2 + 4, anchor: down ? 'end' : 'start' },
  };
}

/** The picture's styles: print-safe colours (state is also told by outline and text, not colour alone). */
export const PATH_PICTURE_CSS = `.path-picture{max-width:100%;height:auto;border:1px solid #d1d5db;border-radius:6px;background:#fff}
.path-picture .edge{fill:none}.path-picture .edge--taken{stroke:#1d4ed8;stroke-width:3}.path-picture .edge--untaken{stroke:#9ca3af;stroke-width:1.5;stroke-dasharray:5 4}
.path-picture .arrow--taken{fill:#1d4ed8}.path-picture .arrow--untaken{fill:#9ca3af}
.path-picture .edge-label{font-size:12px;fill:#1e3a8a;font-weight:600;paint-order:stroke;stroke:#fff;stroke-width:4px}
.path-picture .step rect{stroke-width:1.5}.path-picture .step-name{font-size:14px;font-weight:600;fill:#111827}.path-picture .step-kind{font-size:12px;fill:#374151}
.path-picture .step--visited rect{fill:#dbeafe;stroke:#1d4ed8;stroke-width:2.5}.path-picture .step--active rect{fill:#fef3c7;stroke:#92400e;stroke-width:3.5}
.path-picture .step--unvisited rect{fill:#f9fafb;stroke:#9ca3af;stroke-dasharray:4 3}
.path-picture .runs rect{fill:#1e3a8a}.path-picture .runs text{fill:#fff;font-size:12px;font-weight:700}`;
