import type { Directory } from '../directory';
import type { GraphNode, PlaybookGraph } from '../graph';
import { findNodeKind, type AnyNodeKind } from '../nodes';
import { problemsFromZod, type Problem } from '../problems';

/** A node as the later checks see it: where it sits in the document, its kind, its parsed config. */
export interface NodeEntry {
  node: GraphNode;
  index: number;
  kind: AnyNodeKind | undefined;
  /** The parsed config, or null when the kind is unknown or the config is not valid. */
  config: unknown;
  handles: string[];
}

/** Node id → entry, in document order (problems found later are reported in that order). */
export type NodeEntries = Map<string, NodeEntry>;

/**
 * How deeply a node's config may nest (objects and arrays). Real configs stay below 10; a decision
 * condition nested thousands of levels deep would otherwise overflow the stack of every recursive
 * reader (schema, checks, hashing, the runtime's evaluation) instead of being reported.
 */
export const MAX_CONFIG_DEPTH = 64;

/**
 * Unique ids, known kinds, valid configs (and each kind's own checks). A node with a duplicate id is
 * left out; one whose kind or config is wrong stays in with a null config, so edges to it are not
 * reported as well but nothing later reads its config.
 */
export function checkNodes(graph: PlaybookGraph, directory: Directory): { nodes: NodeEntries; problems: Problem[] } {
  const problems: Problem[] = [];
  const nodes: NodeEntries = new Map();
  graph.nodes.forEach((node, index) => {
    const path = ['nodes', index];
    if (nodes.has(node.id)) {
      problems.push({ code: 'duplicate_node_id', message: `node id "${node.id}" is used twice`, path: [...path, 'id'], nodeId: node.id });
      return;
    }
    const kind = findNodeKind(node.kind);
    if (!kind) {
      problems.push({ code: 'unknown_node_kind', message: `"${node.kind}" is not a node kind`, path: [...path, 'kind'], nodeId: node.id });
      nodes.set(node.id, { node, index, kind, config: null, handles: [] });
      return;
    }
    if (tooDeep(node.config, MAX_CONFIG_DEPTH)) {
      problems.push({
        code: 'config_too_deep',
        message: `the config nests more than ${MAX_CONFIG_DEPTH} levels deep`,
        path: [...path, 'config'],
        nodeId: node.id,
      });
      nodes.set(node.id, { node, index, kind, config: null, handles: [] });
      return;
    }
    const config = kind.config.safeParse(node.config);
    if (!config.success) {
      problems.push(...problemsFromZod(config.error.issues, [...path, 'config']).map((p) => ({ ...p, nodeId: node.id })));
      nodes.set(node.id, { node, index, kind, config: null, handles: [] });
      return;
    }
    problems.push(...(kind.check?.(config.data, { directory, nodeId: node.id, path: [...path, 'config'] }) ?? []));
    nodes.set(node.id, { node, index, kind, config: config.data, handles: kind.handles(config.data) });
  });
  return { nodes, problems };
}

/**
 * Exactly one start and at least one end. Counted over the submitted nodes, duplicates included, so
 * two start nodes sharing an id are still two starts. `start` is null unless there is exactly one.
 */
export function checkStartAndEnd(graph: PlaybookGraph): { start: string | null; problems: Problem[] } {
  const problems: Problem[] = [];
  const starts = graph.nodes.filter((n) => n.kind === 'start');
  if (starts.length !== 1) {
    problems.push({
      code: starts.length === 0 ? 'no_start' : 'multiple_starts',
      message: starts.length === 0 ? 'a playbook needs exactly one start node' : `a playbook needs exactly one start node, found ${starts.length}`,
      path: ['nodes'],
      ...(starts[1] ? { nodeId: starts[1].id } : {}),
    });
  }
  if (!graph.nodes.some((n) => n.kind === 'end')) {
    problems.push({ code: 'no_end', message: 'a playbook needs at least one end node', path: ['nodes'] });
  }
  return { start: starts.length === 1 ? starts[0].id : null, problems };
}

/**
 * True when a JSON value nests deeper than `limit` objects/arrays (iterative: no stack to overflow).
 * Values and depths go on two parallel stacks rather than one of {value, depth} pairs: every
 * nested value of every config passes through here, and those pairs were garbage to collect.
 */
function tooDeep(value: unknown, limit: number): boolean {
  const values: unknown[] = [value];
  const depths: number[] = [1];
  while (values.length) {
    const v = values.pop();
    const depth = depths.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > limit) return true;
    const children = Array.isArray(v) ? v : Object.values(v);
    for (const child of children) {
      if (child !== null && typeof child === 'object') {
        values.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}
