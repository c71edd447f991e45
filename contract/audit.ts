import { z } from 'zod';
import { ActorRef, Assignee, JsonValue, Timestamp } from './common';
import { PlaybookGraph } from './playbooks';

/** An attempt's story, verified replay, evidence export, the audit log and its chain (server/routes/audit.ts, server/audit/*). */

export const TimelineEvent = z.object({
  at: z.string(),
  kind: z.string(),
  summary: z.string(),
  /** A person, or the customer answering for themselves (role `customer`, with `name`). */
  actor: ActorRef.extend({ name: z.string().optional() }).nullable(),
  nodeId: z.string().optional(),
  details: z.record(z.string(), JsonValue).optional(),
  source: z.enum(['temporal', 'audit']),
});
export type TimelineEvent = z.infer<typeof TimelineEvent>;

export const OpenTask = z.object({ taskKey: z.string(), title: z.string(), assignee: Assignee });
export type OpenTask = z.infer<typeof OpenTask>;

/** The attempt right after one transition: what the scrubber steps through. */
export const Snapshot = z.object({
  at: z.string(),
  transition: z.number().int(),
  activeNodeIds: z.array(z.string()),
  openTasks: z.array(OpenTask),
  variables: z.record(z.string(), JsonValue),
  nextTimerAt: z.string().nullable(),
});
export type Snapshot = z.infer<typeof Snapshot>;

/** How often each node was entered and each `<source>:<handle>` connection taken. */
export const PathCounts = z.object({ nodes: z.record(z.string(), z.number()), edges: z.record(z.string(), z.number()) });
export type PathCounts = z.infer<typeof PathCounts>;

export const AttemptStory = z.object({
  attemptId: z.string(),
  graph: PlaybookGraph.nullable(),
  timeline: z.array(TimelineEvent),
  path: PathCounts,
  snapshots: z.array(Snapshot),
  /** Temporal run ids, oldest first (more than one after continue-as-new). */
  runs: z.array(z.string()),
});
export type AttemptStory = z.infer<typeof AttemptStory>;

export const ReplayVerdict = z.discriminatedUnion('result', [
  z.object({ result: z.literal('matches'), runs: z.number().int(), events: z.number().int() }),
  z.object({ result: z.literal('diverged'), runId: z.string().nullable(), message: z.string() }),
  z.object({ result: z.literal('unreadable'), message: z.string() }),
]);
export type ReplayVerdict = z.infer<typeof ReplayVerdict>;

/** A row of the audit log as stored (snake_case: it is evidence, shown as written). */
export const AuditRow = z.object({
  id: z.string(),
  at: Timestamp,
  actor_id: z.string().nullable(),
  action: z.string(),
  attempt_id: z.string().nullable().optional(),
  subject: z.string().nullable(),
  details: JsonValue,
  prev_hash: z.string().nullable().optional(),
  hash: z.string().nullable().optional(),
});
export const AuditRows = z.object({ rows: z.array(AuditRow) });

/** Everything about one attempt as evidence; the history is Temporal's JSON, kept as it came. */
export const AttemptExport = z.object({
  exportedAt: Timestamp,
  attempt: z.record(z.string(), JsonValue),
  graph: PlaybookGraph.nullable(),
  plan: z.unknown(),
  histories: z.array(z.object({ runId: z.string(), history: z.object({ events: z.array(z.unknown()) }).loose() })),
  timeline: z.array(TimelineEvent),
  path: PathCounts,
  audit: z.array(AuditRow.partial({ attempt_id: true, prev_hash: true, hash: true })),
});

export const ChainVerdict = z.object({
  ok: z.boolean(),
  rows: z.number().int(),
  firstBroken: z
    .object({ id: z.string(), reason: z.enum(['content_changed', 'link_broken', 'rewritten', 'rows_deleted']), checkpointId: z.string().optional() })
    .nullable(),
  missingTail: z.object({ afterId: z.string().nullable(), throughId: z.string(), anchoredAt: z.string() }).nullable(),
  anchor: z
    .object({
      file: z.string(),
      checkpoints: z.number().int(),
      latest: z.object({ id: z.string(), at: z.string() }).nullable(),
      forgedLines: z.array(z.number()),
    })
    .nullable(),
});
export type ChainVerdict = z.infer<typeof ChainVerdict>;
