import type { StepReport } from '../../../contract/analytics';
import type { CanvasOverlay } from '../canvas/overlay';
import type { PlaybookGraph } from '../types';
import { pct, stepTime } from './numbers';

export type HeatMode = 'volume' | 'time';

/** Five steps from pale to dark; 0 is "something, but little", -1 is "nothing at all". */
export const HEAT_LEVELS = 5;

function level(value: number, max: number): number {
  if (value <= 0 || max <= 0) return -1;
  return Math.min(HEAT_LEVELS - 1, Math.floor((value / max) * HEAT_LEVELS));
}

/** "−11 % … +12 %": how close the bucketed times are to the exact percentiles. */
const within = (report: StepReport) => `−${Math.round(report.timeError.below * 100)} % … +${Math.round(report.timeError.above * 100)} %`;

/**
 * The step report as an overlay on the graph shown: each node coloured by how many steps entered it
 * (volume) or by its median time (time), with its figures in words; each connection by how often it
 * was taken. Connections match by source node and handle, so a graph whose edge ids differ from the
 * counted version's still lines up.
 */
export function heatOverlay(report: StepReport, graph: PlaybookGraph, mode: HeatMode): CanvasOverlay {
  const stats = new Map(report.nodes.map((n) => [n.nodeId, n]));
  const maxEntered = Math.max(0, ...report.nodes.map((n) => n.entered));
  const maxMedian = Math.max(0, ...report.nodes.map((n) => n.medianSeconds ?? 0));
  const taken = new Map(report.edges.map((e) => [`${e.source}\u0000${e.handle}`, e.count]));
  const maxTaken = Math.max(0, ...report.edges.map((e) => e.count));
  const overlay: CanvasOverlay = { nodes: {}, edges: {} };
  for (const node of graph.nodes) {
    const s = stats.get(node.id);
    if (!s) continue;
    // Times come from duration buckets (report.timeError says how close), so they read "≈".
    const text = mode === 'volume' ? `${s.entered} entered` : `median ≈ ${stepTime(s.medianSeconds)}`;
    const parts = [
      `${s.entered} entered`,
      `${s.left} left`,
      s.open ? `${s.open} still there` : null,
      s.dropOffRate !== null ? `drop-off ${pct(s.dropOffRate)}` : null,
      `median ≈ ${stepTime(s.medianSeconds)}`,
      `p90 ≈ ${stepTime(s.p90Seconds)}`,
      `times within ${within(report)}`,
    ].filter(Boolean);
    overlay.nodes[node.id] = {
      level: mode === 'volume' ? level(s.entered, maxEntered) : level(s.medianSeconds ?? 0, maxMedian),
      text,
      title: parts.join(' · '),
    };
  }
  for (const edge of graph.edges) {
    const count = taken.get(`${edge.source}\u0000${edge.sourceHandle}`) ?? 0;
    overlay.edges[edge.id] = { level: level(count, maxTaken), text: `${count}×` };
  }
  return overlay;
}
