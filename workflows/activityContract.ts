import { z } from 'zod';
import type { Command, Json } from '../playbooks/runtime/types';

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
});

export interface Activities {
  /** One transition's rows in one transaction; idempotent, so Temporal may retry it freely. */
  persistTransition(input: PersistTransitionInput): Promise<void>;
}
