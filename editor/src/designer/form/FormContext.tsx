import { createContext, useContext } from 'react';
import type { PlaybookGraph } from '../../types';

/** What every field of a node form may need besides its own value: the graph (for variable lists) and compile problems by path. */
export interface NodeFormContext {
  graph: PlaybookGraph;
  /** Compiler problems (not zod errors: checks such as "ladder not ascending") by dotted config path. */
  problemsByPath: ReadonlyMap<string, string[]>;
  /** The organisation's departments (useDepartments), for department selects; empty until loaded. */
  departments: readonly { id: string; name: string }[];
}

export const FormCtx = createContext<NodeFormContext>({ graph: { nodes: [], edges: [] }, problemsByPath: new Map(), departments: [] });

export const useNodeForm = () => useContext(FormCtx);

/** A DOM id for the input at a form path, so labels are real <label for> and tests find them by name. */
export function fieldId(path: string): string {
  return `cfg-${path.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}
