import { z } from 'zod';

/**
 * The graph an ops manager draws. It mirrors React Flow's shape (nodes with positions, edges from
 * a named source handle) so the editor saves what it shows, and the compiler reads the same thing.
 */
export const Identifier = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'use letters, digits, and _ . : - only')
  // Ids become object keys in run state: names JavaScript objects already have are refused.
  .refine((v) => !['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf'].includes(v), 'this name is reserved');

export const GraphNode = z.object({
  id: Identifier,
  kind: z.string().min(1),
  name: z.string().max(200).optional(),
  position: z.object({ x: z.number().finite(), y: z.number().finite() }).default({ x: 0, y: 0 }),
  config: z.record(z.string(), z.unknown()).default({}),
});
export type GraphNode = z.infer<typeof GraphNode>;

export const GraphEdge = z.object({
  id: Identifier,
  source: Identifier,
  sourceHandle: z.string().min(1),
  target: Identifier,
});
export type GraphEdge = z.infer<typeof GraphEdge>;

export const PlaybookGraph = z.object({
  nodes: z.array(GraphNode).max(5000),
  edges: z.array(GraphEdge).max(10000),
});
export type PlaybookGraph = z.infer<typeof PlaybookGraph>;
