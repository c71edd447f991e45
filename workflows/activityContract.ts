import { z } from 'zod';
import type { Actor, Command, Json } from '../playbooks/runtime/types';
import type { StepWait } from '../playbooks/runtime/waits';
import type { Incident, IncidentRequest } from './contract';

/**
 * The activity contract: what the workflow asks of the workers (workers/activities.ts implements it).
 * The workflow imports only its types, so zod stays out of the workflow bundle.
 */

/** The attempt a transition belongs to: the row every recovery attempt has, keyed by attemptId. */
export interface AttemptIdentity {
  attemptId: string;
  workflowId: string;
  customerId: string;
  playbookKey: string;
  playbookVersion: number;
  startedBy: string;
  /** Temporal's first run id of this attempt (continue-as-new makes more). */
  firstRunId?: string;
}

export interface PersistTransitionInput {
  attempt: AttemptIdentity;
  /** Monotonic per attempt: a retried or replayed transition never moves the row backwards. */
  transition: number;
  commands: Command[];
  currentNodeIds: string[];
  variables: Record<string, Json>;
  /** What each active step waits for (absent from workers older than the operator's list). */
  waits?: StepWait[];
}

export const PersistTransitionShape = z.object({
  attempt: z.object({
    attemptId: z.uuid(),
    workflowId: z.string(),
    customerId: z.string(),
    playbookKey: z.string(),
    playbookVersion: z.number().int(),
    startedBy: z.string(),
    firstRunId: z.string().optional(),
  }),
  transition: z.number().int().positive(),
  commands: z.array(z.object({ type: z.string() }).loose()),
  currentNodeIds: z.array(z.string()),
  variables: z.record(z.string(), z.unknown()),
  waits: z.array(z.object({ stepId: z.string(), nodeId: z.string(), since: z.number() }).loose()).optional(),
});

export const IncidentRecordShape = z.object({
  attempt: PersistTransitionShape.shape.attempt,
  incident: z.object({
    incidentId: z.string().min(1),
    code: z.string(),
    message: z.string(),
    nodeIds: z.array(z.string()),
    transition: z.number().int(),
    at: z.number(),
  }),
});

export const IncidentSettlementShape = z.object({
  attempt: PersistTransitionShape.shape.attempt,
  incidentId: z.string().min(1),
  action: z.enum(['retry', 'skip']),
  actor: z.object({ userId: z.string(), role: z.string(), department: z.string().nullable() }),
  reason: z.string(),
});

export interface IncidentRecord {
  attempt: AttemptIdentity;
  incident: Incident;
}

export interface IncidentSettlement {
  attempt: AttemptIdentity;
  incidentId: string;
  action: IncidentRequest['action'];
  actor: Actor;
  reason: string;
}

// Declared with the messages (zod-free), so the workflow bundle need not load this module's schemas.
export { INCIDENT_FAILURE } from './contract';

export interface Activities {
  /** One transition's rows in one transaction; idempotent, so Temporal may retry it freely. */
  persistTransition(input: PersistTransitionInput): Promise<void>;
  /**
   * The same store, run as a local activity in the worker that decided the transition (no round
   * trip through the server's activity queue), handing back what it stored: a local activity's
   * input is not in the history, its result is, and the audit story is told from it.
   */
  storeTransition(input: PersistTransitionInput): Promise<PersistTransitionInput>;
  /** Opens an incident row for the operator's list (idempotent by incident id). */
  recordIncident(input: IncidentRecord): Promise<void>;
  /** Closes it with the operator's choice, audited (idempotent). */
  settleIncident(input: IncidentSettlement): Promise<void>;
}
