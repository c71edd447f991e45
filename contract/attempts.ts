import { z } from 'zod';
import { Assignee, JsonValue, Timestamp } from './common';

/**
 * Recovery attempts: starting one, finding them, reading one, recording a customer's answer
 * (server/routes/runs.ts). An attempt is the business object (a row of `recovery_attempts`); a
 * "run" is one Temporal workflow execution, and an attempt spans several after continue-as-new.
 */

export const AttemptStatus = z.enum(['running', 'completed', 'failed', 'terminated']);
export type AttemptStatus = z.infer<typeof AttemptStatus>;

/** One recovery attempt as the search lists it. */
export const Attempt = z.object({
  id: z.uuid(),
  workflowId: z.string(),
  customerId: z.string(),
  playbookKey: z.string(),
  playbookVersion: z.number().int(),
  status: AttemptStatus,
  outcome: z.string().nullable(),
  outcomeReason: z.string().nullable(),
  currentNodeIds: z.array(z.string()).nullable(),
  startedBy: z.string().nullable(),
  startedAt: Timestamp,
  endedAt: Timestamp.nullable(),
});
export type Attempt = z.infer<typeof Attempt>;
export const AttemptList = z.object({ runs: z.array(Attempt) });

export const AttemptTask = z.object({
  id: z.uuid(),
  taskKey: z.string(),
  nodeId: z.string(),
  title: z.string(),
  assigneeRole: z.string().nullable(),
  department: z.string().nullable(),
  status: z.string(),
  outcome: z.string().nullable(),
  completedBy: z.string().nullable(),
  createdAt: Timestamp,
  closedAt: Timestamp.nullable(),
});
export type AttemptTask = z.infer<typeof AttemptTask>;

/** What the workflow says about itself right now (its runView Query); times are epoch milliseconds. */
export const LiveView = z.object({
  status: z.string(),
  activeSteps: z.array(z.object({ stepId: z.string(), nodeId: z.string(), name: z.string(), kind: z.string(), enteredAt: z.number() })),
  openTasks: z.array(z.object({ taskKey: z.string(), title: z.string(), assignee: Assignee.partial() }).loose()),
  variables: z.record(z.string(), JsonValue),
  nextTimer: z.object({ timerKey: z.string(), firesAt: z.number(), purpose: z.string() }).nullable(),
  visits: z.record(z.string(), z.number()),
  outcome: z.object({ outcome: z.string(), reason: z.string().nullable() }).loose().nullable(),
});

/** `GET /api/attempts/:id`: the stored attempt plus Temporal's view of it (null when Temporal is away). */
export const AttemptDetail = Attempt.extend({
  temporalStatus: z.string().nullable(),
  live: LiveView.nullable(),
  tasks: z.array(AttemptTask),
  /** The attempt's workflow in Temporal's web UI; null when no UI is configured (TEMPORAL_UI_URL, or the embedded one). */
  temporalUrl: z.string().nullable(),
});
export type AttemptDetail = z.infer<typeof AttemptDetail>;

export const StartedAttempt = z.object({
  id: z.uuid(),
  workflowId: z.string(),
  /** The first Temporal run of the attempt. */
  runId: z.string().nullable(),
  playbookKey: z.string(),
  version: z.number().int(),
  customerId: z.string(),
});
export type StartedAttempt = z.infer<typeof StartedAttempt>;

export const TriggerResult = z.object({
  key: z.string(),
  started: z.array(StartedAttempt),
  skipped: z.array(z.object({ playbookKey: z.string(), reason: z.string() })),
});

export const ResponseAccepted = z.object({ accepted: z.literal(true), responseId: z.string() });
