import { useEffect, useState } from 'react';
import { compilePlaybook, type CompileResult } from '../../../playbooks/compile';
import type { PlaybookGraph } from '../types';

export interface LiveCompile {
  result: CompileResult;
  /** The graph the result is for: problems point at its nodes. */
  graph: PlaybookGraph;
  pending: boolean;
}

/**
 * The server's compiler, run in the browser on every edit (debounced), so problems show while
 * drawing rather than after a save. The first result is computed at once for the loaded graph.
 */
export function useLiveCompile(graph: PlaybookGraph, delayMs = 200): LiveCompile {
  const [state, setState] = useState(() => ({ result: compilePlaybook(graph), graph }));
  useEffect(() => {
    if (graph === state.graph) return;
    const timer = setTimeout(() => setState({ result: compilePlaybook(graph), graph }), delayMs);
    return () => clearTimeout(timer);
  }, [graph, state.graph, delayMs]);
  return { ...state, pending: graph !== state.graph };
}
