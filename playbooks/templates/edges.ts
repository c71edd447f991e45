import type { GraphEdge } from '../graph';

/**
 * Edges of a template, written as [source, handle, target] triples. Each edge's id is derived from
 * its source and handle (unique, since a handle carries exactly one edge), so the ids stay stable
 * when a template is reordered.
 */
export function edges(triples: readonly (readonly [source: string, handle: string, target: string])[]): GraphEdge[] {
  return triples.map(([source, sourceHandle, target]) => ({ id: `${source}.${sourceHandle}`, source, sourceHandle, target }));
}
