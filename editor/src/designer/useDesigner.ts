import { useMemo, useReducer } from 'react';
import type { PlaybookGraph } from '../types';
import { checkpoint, commit, createHistory, dropUnchangedCheckpoint, redo, replace, undo, type History } from './history';

export interface Selection {
  nodes: ReadonlySet<string>;
  edges: ReadonlySet<string>;
}

export const NO_SELECTION: Selection = { nodes: new Set(), edges: new Set() };

export interface DesignerState {
  history: History<PlaybookGraph>;
  selection: Selection;
  /**
   * Bumped whenever the graph changes other than through the open settings form (undo, redo,
   * import, reload): the form is keyed by it, so it re-reads the node instead of showing stale values.
   */
  epoch: number;
}

/** A new graph, or how to make it from the current one (events can outrun renders during a drag). */
export type GraphUpdate = PlaybookGraph | ((current: PlaybookGraph) => PlaybookGraph);
export type SelectionUpdate = Selection | ((current: Selection) => Selection);

const apply = <T>(update: T | ((current: T) => T), current: T): T => (typeof update === 'function' ? (update as (c: T) => T)(current) : update);

type Action =
  | { type: 'commit'; graph: GraphUpdate; key?: string; select?: Selection; external?: boolean }
  | { type: 'replace'; graph: GraphUpdate }
  | { type: 'checkpoint' }
  | { type: 'settle' }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'reset'; graph: PlaybookGraph }
  | { type: 'select'; selection: SelectionUpdate };

function reducer(state: DesignerState, action: Action): DesignerState {
  switch (action.type) {
    case 'commit': {
      const history = commit(state.history, apply(action.graph, state.history.present), { key: action.key });
      return { history, selection: action.select ?? state.selection, epoch: action.external ? state.epoch + 1 : state.epoch };
    }
    case 'replace':
      return { ...state, history: replace(state.history, apply(action.graph, state.history.present)) };
    case 'checkpoint':
      return { ...state, history: checkpoint(state.history) };
    case 'settle':
      return { ...state, history: dropUnchangedCheckpoint(state.history) };
    case 'undo':
    case 'redo': {
      const history = action.type === 'undo' ? undo(state.history) : redo(state.history);
      return history === state.history ? state : { ...state, history, epoch: state.epoch + 1 };
    }
    case 'reset':
      return { history: createHistory(action.graph), selection: NO_SELECTION, epoch: state.epoch + 1 };
    case 'select':
      return { ...state, selection: apply(action.selection, state.selection) };
  }
}

export function useDesigner(initial: PlaybookGraph) {
  const [state, dispatch] = useReducer(reducer, initial, (graph) => ({ history: createHistory(graph), selection: NO_SELECTION, epoch: 0 }));
  const actions = useMemo(
    () => ({
      commit: (graph: GraphUpdate, opts: { key?: string; select?: Selection; external?: boolean } = {}) => dispatch({ type: 'commit', graph, ...opts }),
      replace: (graph: GraphUpdate) => dispatch({ type: 'replace', graph }),
      checkpoint: () => dispatch({ type: 'checkpoint' }),
      settle: () => dispatch({ type: 'settle' }),
      undo: () => dispatch({ type: 'undo' }),
      redo: () => dispatch({ type: 'redo' }),
      reset: (graph: PlaybookGraph) => dispatch({ type: 'reset', graph }),
      select: (selection: SelectionUpdate) => dispatch({ type: 'select', selection }),
    }),
    [],
  );
  return { state, graph: state.history.present, ...actions };
}

export type DesignerActions = ReturnType<typeof useDesigner>;
