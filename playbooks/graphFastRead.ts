import { MAX_CONFIG_KEY, MAX_CONFIG_TEXT, type GraphEdge, type GraphNode, type PlaybookGraph } from './graph';
import { IDENTIFIER_MAX, IDENTIFIER_PATTERN, RESERVED_IDENTIFIERS } from './names';

/**
 * The graph schema's answer for a graph that is plainly well formed, without zod. Reading a
 * 1,000-step graph through `PlaybookGraph` took about a sixth of a compile (zod builds every
 * node, edge and position anew and checks each id by regex and refine); almost every graph the
 * editor sends is well formed. This reader accepts only what the schema accepts, in the shape the
 * schema returns (unknown members dropped, position and config defaulted), and gives up (null) on
 * anything unusual, so the caller then asks zod, which also words every problem.
 * tests/playbooks/graphFastRead.test.ts holds the two to the same answers on generated input.
 */
export function readWellFormedGraph(input: unknown): PlaybookGraph | null {
  if (!isRecord(input)) return null;
  const { nodes, edges } = input;
  if (!Array.isArray(nodes) || nodes.length > 5000 || !Array.isArray(edges) || edges.length > 10000) return null;
  const outNodes: GraphNode[] = new Array(nodes.length);
  for (let i = 0; i < nodes.length; i++) {
    if (!(i in nodes)) return null;
    const node = readNode(nodes[i]);
    if (!node) return null;
    outNodes[i] = node;
  }
  const outEdges: GraphEdge[] = new Array(edges.length);
  for (let i = 0; i < edges.length; i++) {
    if (!(i in edges)) return null;
    const edge = edges[i];
    if (!isRecord(edge) || !isIdentifier(edge.id) || !isIdentifier(edge.source) || !isIdentifier(edge.target)) return null;
    if (!isText(edge.sourceHandle, 1, 64)) return null;
    outEdges[i] = { id: edge.id, source: edge.source, sourceHandle: edge.sourceHandle, target: edge.target };
  }
  return { nodes: outNodes, edges: outEdges };
}

function readNode(node: unknown): GraphNode | null {
  if (!isRecord(node) || !isIdentifier(node.id) || !isText(node.kind, 1, 64)) return null;
  // An absent name stays absent; a name present as undefined is the schema's business.
  const hasName = 'name' in node;
  if (hasName && !isText(node.name, 0, 200)) return null;
  let position: GraphNode['position'];
  if (node.position === undefined) position = { x: 0, y: 0 };
  else {
    if (!isRecord(node.position)) return null;
    const { x, y } = node.position;
    if (typeof x !== 'number' || !Number.isFinite(x) || typeof y !== 'number' || !Number.isFinite(y)) return null;
    position = { x, y };
  }
  let config: Record<string, unknown>;
  if (node.config === undefined) config = {};
  else {
    if (!isRecord(node.config) || !withinConfigBounds(node.config)) return null;
    config = { ...node.config };
  }
  // Members in the schema's order, as zod returns them (the parsed graph is serialized in places).
  return hasName ? { id: node.id, kind: node.kind, name: node.name as string, position, config } : { id: node.id, kind: node.kind, position, config };
}

/** A plain JSON object: what z.object and z.record accept, minus the odd cases left to zod. */
function isRecord(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  // JSON.parse makes "__proto__" an own member; copying it is where zod and a spread part ways.
  return (proto === Object.prototype || proto === null) && !Object.prototype.hasOwnProperty.call(value, '__proto__');
}

function isText(value: unknown, min: number, max: number): value is string {
  return typeof value === 'string' && value.length >= min && value.length <= max;
}

function isIdentifier(value: unknown): value is string {
  return isText(value, 1, IDENTIFIER_MAX) && IDENTIFIER_PATTERN.test(value) && !RESERVED_IDENTIFIERS.includes(value);
}

/**
 * The graph schema's bounds on a config (no text over MAX_CONFIG_TEXT, no key over MAX_CONFIG_KEY),
 * walked to the same depth. False also for values JSON cannot hold, so zod sees those.
 */
const WALK_DEPTH = 80;
function withinConfigBounds(config: Record<string, unknown>): boolean {
  const values: unknown[] = [config];
  const depths: number[] = [0];
  while (values.length) {
    const value = values.pop();
    const depth = depths.pop()!;
    if (typeof value === 'string') {
      if (value.length > MAX_CONFIG_TEXT) return false;
      continue;
    }
    if (value === null || typeof value !== 'object') {
      if (typeof value === 'bigint' || typeof value === 'symbol' || typeof value === 'function') return false;
      continue;
    }
    if (depth > WALK_DEPTH) continue;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        values.push(value[i]);
        depths.push(depth + 1);
      }
      continue;
    }
    for (const k in value) {
      if (!Object.prototype.hasOwnProperty.call(value, k)) continue;
      if (k.length > MAX_CONFIG_KEY) return false;
      values.push((value as Record<string, unknown>)[k]);
      depths.push(depth + 1);
    }
  }
  return true;
}
