import type { ReadVariable, WrittenVariable } from '../nodes/types';
import type { NodeEntries } from './nodes';

/** A variable a node's config reads, with the node it belongs to. */
export type NodeRead = ReadVariable & { nodeId: string };

/**
 * What the nodes read and write, asked of each kind once per compile. The variable checks, the
 * compared-values check and the set-on-every-path check all need them; each asked every node
 * again (reads three times, writes three times), a tenth of a 1,000-node compile.
 */
export interface NodeFacts {
  /** Every read of every node with a valid config, in document order, then the kind's order. */
  reads: NodeRead[];
  /** Node id → its reads (only nodes that read something). */
  readsByNode: Map<string, NodeRead[]>;
  /** Every variable some node writes, in document order; read from the raw config, so a config mistake hides none. */
  writes: WrittenVariable[];
}

export function nodeFactsOf(nodes: NodeEntries): NodeFacts {
  const reads: NodeRead[] = [];
  const readsByNode = new Map<string, NodeRead[]>();
  const writes: WrittenVariable[] = [];
  for (const [nodeId, entry] of nodes) {
    const kind = entry.kind;
    if (!kind) continue;
    if (kind.writes) for (const v of kind.writes(entry.node.config, { id: entry.node.id, name: entry.node.name || entry.node.id })) writes.push(v);
    if (entry.config === null || !kind.reads) continue;
    const own = kind.reads(entry.config, ['nodes', entry.index, 'config']).map((r): NodeRead => ({ ...r, nodeId }));
    if (own.length) readsByNode.set(nodeId, own);
    for (const r of own) reads.push(r);
  }
  return { reads, readsByNode, writes };
}
