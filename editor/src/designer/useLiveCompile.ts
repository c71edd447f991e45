import { useEffect, useState } from 'react';
import { compilePlaybook } from '../../../playbooks/compile';
import type { Problem } from '../../../playbooks/problems';
import type { PlaybookGraph } from '../types';

/** What the designer shows of a compile: the problems, pinned to nodes, and the worst-case duration. */
export interface CompileSummary {
  problems: Problem[];
  worstCaseDurationMs: number | null;
}

export interface LiveCompile {
  result: CompileSummary;
  /** The graph the result is for: problems point at its nodes. */
  graph: PlaybookGraph;
  pending: boolean;
}

/**
 * The server's compiler, run in the browser on every edit (debounced), so problems show while
 * drawing rather than after a save. The loaded draft's result is the one the server sent with it
 * (the same compiler, with the organisation's directory): compiling it again on opening cost a
 * 500-step playbook a few hundred milliseconds (its plan and content hash) before it could be used.
 */
export function useLiveCompile(graph: PlaybookGraph, opened: CompileSummary, delayMs = 200): LiveCompile {
  const [state, setState] = useState(() => ({ result: opened, graph }));
  useEffect(() => {
    if (graph === state.graph) return;
    const timer = setTimeout(() => setState({ result: compilePlaybook(graph), graph }), delayMs);
    return () => clearTimeout(timer);
  }, [graph, state.graph, delayMs]);
  return { ...state, pending: graph !== state.graph };
}
