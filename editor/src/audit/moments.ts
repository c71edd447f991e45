import type { PathCounts, Snapshot, TimelineEvent } from './types';

export const timeOf = (iso: string) => Date.parse(iso);

/**
 * The path as it stood at `until` (ms), rebuilt from the timeline's step events the same way the
 * server counts the whole path: each entry of a step, each (source, handle) a step left through.
 */
export function pathUntil(timeline: readonly TimelineEvent[], until: number): PathCounts {
  const nodes: Record<string, number> = {};
  const edges: Record<string, number> = {};
  for (const e of timeline) {
    if (!e.nodeId || timeOf(e.at) > until) continue;
    if (e.kind === 'step_entered') nodes[e.nodeId] = (nodes[e.nodeId] ?? 0) + 1;
    const handle = e.details?.handle;
    if (e.kind === 'step_left' && typeof handle === 'string' && handle) {
      for (const h of handle.split(',')) edges[`${e.nodeId}:${h}`] = (edges[`${e.nodeId}:${h}`] ?? 0) + 1;
    }
  }
  return { nodes, edges };
}

export type EventPhase = 'past' | 'now' | 'future';

/** Where an event sits relative to the selected moment: before it, part of it, or still to come. */
export function phaseOf(event: TimelineEvent, snapshots: readonly Snapshot[], index: number): EventPhase {
  const current = snapshots[index];
  if (!current) return 'now';
  const t = timeOf(event.at);
  if (t > timeOf(current.at)) return 'future';
  const previous = snapshots[index - 1];
  return previous && t <= timeOf(previous.at) ? 'past' : 'now';
}

/** The moment an event belongs to: the first snapshot taken at or after it (the last one for anything later). */
export function momentOf(event: TimelineEvent, snapshots: readonly Snapshot[]): number {
  const t = timeOf(event.at);
  const i = snapshots.findIndex((s) => timeOf(s.at) >= t);
  return i === -1 ? snapshots.length - 1 : i;
}
