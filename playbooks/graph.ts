import { z } from 'zod';
import { IDENTIFIER_MAX, IDENTIFIER_PATTERN, IDENTIFIER_PATTERN_MESSAGE, RESERVED_IDENTIFIERS } from './names';

/**
 * The graph an ops manager draws. It mirrors React Flow's shape (nodes with positions, edges from
 * a named source handle) so the editor saves what it shows, and the compiler reads the same thing.
 */
export const Identifier = z
  .string()
  .min(1)
  .max(IDENTIFIER_MAX)
  .regex(IDENTIFIER_PATTERN, IDENTIFIER_PATTERN_MESSAGE)
  // Ids become object keys in run state: names JavaScript objects already have are refused.
  .refine((v) => !RESERVED_IDENTIFIERS.includes(v), 'this name is reserved');

/** The longest text a node's config may hold anywhere (task instructions are the longest, 4,000). */
export const MAX_CONFIG_TEXT = 4000;
/** The longest key a node's config may have: configs are small vocabularies of names. */
export const MAX_CONFIG_KEY = 100;

/**
 * A node's config is stored as drawn, so it is bounded as stored: no text longer than
 * MAX_CONFIG_TEXT and no key longer than MAX_CONFIG_KEY anywhere inside, whatever the node kind's
 * own schema says (a 5 MB template key was stored and echoed). Iterative, and no deeper than the
 * compiler allows configs to nest (it reports deeper ones itself).
 */
const WALK_DEPTH = 80;
function configTextProblems(config: Record<string, unknown>, ctx: z.RefinementCtx): void {
  // Each entry keeps its parent instead of a copy of the path: a path is only spelled out for a
  // problem, and a 1,000-step graph walks tens of thousands of values that have none.
  interface Entry {
    value: unknown;
    key: string | number | null;
    parent: Entry | null;
    depth: number;
  }
  const pathOf = (e: Entry, last?: string): (string | number)[] => {
    const path: (string | number)[] = last === undefined ? [] : [last];
    for (let at: Entry | null = e; at && at.key !== null; at = at.parent) path.unshift(at.key);
    return path;
  };
  const stack: Entry[] = [{ value: config, key: null, parent: null, depth: 0 }];
  let reported = 0;
  while (stack.length && reported < 20) {
    const entry = stack.pop()!;
    const { value } = entry;
    if (typeof value === 'string') {
      if (value.length > MAX_CONFIG_TEXT) {
        ctx.addIssue({ code: 'custom', message: `text may be at most ${MAX_CONFIG_TEXT} characters`, path: pathOf(entry) });
        reported++;
      }
      continue;
    }
    if (!value || typeof value !== 'object' || entry.depth > WALK_DEPTH) continue;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) stack.push({ value: value[i], key: i, parent: entry, depth: entry.depth + 1 });
      continue;
    }
    for (const k in value) {
      if (!Object.prototype.hasOwnProperty.call(value, k)) continue;
      if (k.length > MAX_CONFIG_KEY) {
        ctx.addIssue({ code: 'custom', message: `a key may be at most ${MAX_CONFIG_KEY} characters`, path: pathOf(entry, k.slice(0, 40)) });
        reported++;
      }
      stack.push({ value: (value as Record<string, unknown>)[k], key: k, parent: entry, depth: entry.depth + 1 });
    }
  }
}

export const GraphNode = z.object({
  id: Identifier,
  kind: z.string().min(1).max(64),
  name: z.string().max(200).optional(),
  position: z.object({ x: z.number().finite(), y: z.number().finite() }).default({ x: 0, y: 0 }),
  config: z.record(z.string(), z.unknown()).default({}).superRefine(configTextProblems),
});
export type GraphNode = z.infer<typeof GraphNode>;

export const GraphEdge = z.object({
  id: Identifier,
  source: Identifier,
  sourceHandle: z.string().min(1).max(64),
  target: Identifier,
});
export type GraphEdge = z.infer<typeof GraphEdge>;

export const PlaybookGraph = z.object({
  nodes: z.array(GraphNode).max(5000),
  edges: z.array(GraphEdge).max(10000),
});
export type PlaybookGraph = z.infer<typeof PlaybookGraph>;
