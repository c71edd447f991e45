import { useCallback, useRef, useState } from 'react';
import { errorMessage } from '../api';
import type { DiffStatus } from '../canvas/convert';
import type { PlaybookGraph } from '../types';
import { versionGraph } from './designerApi';
import { diffGraphs, mergedGraph, type GraphDiff } from './diff';
import type { CompareSide } from './VersionsPanel';

export interface Comparison {
  from: number;
  to: CompareSide;
  diff: GraphDiff;
  /** Both sides in one graph, removed steps included, for the canvas. */
  merged: PlaybookGraph;
  nodeDiff: ReadonlyMap<string, DiffStatus>;
  edgeDiff: ReadonlyMap<string, DiffStatus>;
}

/** Loads two versions (or a version and the draft) and diffs them for the canvas and the side panel. */
export function useCompare(playbookKey: string, draft: PlaybookGraph) {
  const [comparison, setComparison] = useState<Comparison | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const draftRef = useRef(draft);
  draftRef.current = draft;

  const open = useCallback(
    async (from: number, to: CompareSide) => {
      setLoading(true);
      setError(null);
      try {
        const [before, after] = await Promise.all([
          versionGraph(playbookKey, from),
          to === 'draft' ? Promise.resolve(draftRef.current) : versionGraph(playbookKey, to),
        ]);
        const diff = diffGraphs(before, after);
        const nodeDiff = new Map<string, DiffStatus>();
        for (const n of diff.nodes) if (n.status !== 'same') nodeDiff.set(n.id, n.status);
        const edgeDiff = new Map<string, DiffStatus>();
        for (const e of diff.edges) if (e.status !== 'same') edgeDiff.set(e.status === 'removed' ? `removed:${e.edge.id}` : e.edge.id, e.status);
        setComparison({ from, to, diff, merged: mergedGraph(diff), nodeDiff, edgeDiff });
        return true;
      } catch (e) {
        setError(errorMessage(e));
        return false;
      } finally {
        setLoading(false);
      }
    },
    [playbookKey],
  );

  const close = useCallback(() => setComparison(null), []);
  return { comparison, loading, error, open, close };
}
