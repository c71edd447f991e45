import { z } from 'zod';
import { PlaybookGraph } from '../playbooks/graph';
import { Problem, Timestamp } from './common';

/** Playbooks, their drafts and published versions (server/routes/playbooks.ts). */

export { PlaybookGraph };
export type GraphNode = PlaybookGraph['nodes'][number];
export type GraphEdge = PlaybookGraph['edges'][number];

export const PlaybookSummary = z.object({
  key: z.string(),
  name: z.string(),
  description: z.string(),
  draftRevision: z.number().int(),
  updatedAt: Timestamp,
  latestVersion: z.number().int().nullable(),
});
export type PlaybookSummary = z.infer<typeof PlaybookSummary>;
export const PlaybookList = z.object({ playbooks: z.array(PlaybookSummary) });

export const VersionSummary = z.object({
  version: z.number().int(),
  hash: z.string(),
  publishedBy: z.string().nullable(),
  /** The publisher's name, for screens (null when the user is gone or unknown). */
  publishedByName: z.string().nullable(),
  publishedAt: Timestamp,
});
export type VersionSummary = z.infer<typeof VersionSummary>;

export const PlaybookDetail = z.object({
  key: z.string(),
  name: z.string(),
  description: z.string(),
  draft: z.object({ graph: PlaybookGraph, revision: z.number().int(), updatedAt: Timestamp, updatedBy: z.string().nullable() }),
  problems: z.array(Problem),
  /** Not blocking: e.g. a message placeholder that some path leaves unset. */
  warnings: z.array(Problem),
  worstCaseDurationMs: z.number().nullable(),
  versions: z.array(VersionSummary),
});
export type PlaybookDetail = z.infer<typeof PlaybookDetail>;

export const DraftSaved = z.object({ key: z.string(), revision: z.number().int(), problems: z.array(Problem), warnings: z.array(Problem) });
export type DraftSaved = z.infer<typeof DraftSaved>;

/** The compiled plan is the runtime's; clients treat it as opaque. */
export const CompileResult = z.object({
  ok: z.boolean(),
  problems: z.array(Problem),
  warnings: z.array(Problem),
  hash: z.string().nullable().optional(),
  worstCaseDurationMs: z.number().nullable().optional(),
  plan: z.unknown(),
});
export type CompileResult = z.infer<typeof CompileResult>;

export const Published = z.object({
  key: z.string(),
  version: z.number().int(),
  hash: z.string(),
  worstCaseDurationMs: z.number().nullable().optional(),
  unchanged: z.boolean(),
});
export type Published = z.infer<typeof Published>;

export const PlaybookVersion = z.object({
  key: z.string(),
  name: z.string(),
  version: z.number().int(),
  graph: PlaybookGraph,
  /** The compiled plan; the editor only shows the graph, so its shape stays opaque here. */
  plan: z.unknown(),
  hash: z.string(),
  publishedBy: z.string().nullable(),
  publishedByName: z.string().nullable(),
  publishedAt: Timestamp,
});
export type PlaybookVersion = z.infer<typeof PlaybookVersion>;
