import { defineQuery, defineSignal, defineUpdate, type Sinks } from '@temporalio/workflow';
import type { CompiledPlan } from '../playbooks/plan';
import type { FormData } from '../playbooks/form';
import type { Actor, AnswerStatus, AnswerTarget, Json, OpenAnswer, RunState, TaskSpec } from '../playbooks/runtime/types';
import type { OperationEffects, StepMigration } from '../playbooks/runtime/operations';

/** The messages a recovery attempt understands; shared by the API (client) and the workflow. */
export const TASK_QUEUE = 'playbooks';
export const WORKFLOW_TYPE = 'playbookRun';

export interface CustomerSnapshot {
  id: string;
  name: string;
  department: string | null;
  grade: string;
  value: number;
  accountManager: string | null;
  /** The customer file's own fields, readable by decisions as customer.<field> (absent in runs started before they existed). */
  status?: string;
  churnType?: string | null;
  churnReason?: string | null;
}

export interface PlaybookRunInput {
  attemptId: string;
  playbook: { key: string; version: number; name: string };
  plan: CompiledPlan;
  customer: CustomerSnapshot;
  startedBy: Actor;
  variables: Record<string, Json>;
  /** Tuning for tests and very chatty playbooks; defaults suit production. */
  limits?: { transitionsPerRun?: number };
  /** Set by continue-as-new: where the previous run of this attempt left off. */
  resume?: { state: RunState; seenResponseIds: string[]; transitions: number };
}

export interface RunOutcome {
  outcome: string;
  reason: string | null;
}

export interface CompleteTaskRequest {
  taskKey: string;
  outcome: string;
  form: FormData;
  actor: Actor;
}

export interface CompleteTaskResult {
  taskKey: string;
  outcome: string;
  status: RunState['status'];
  activeNodeIds: string[];
}

export interface CustomerResponse {
  responseId: string;
  kind: string;
  channel: string;
  note: string | null;
  actor: Actor | null;
}

/**
 * A customer's answer to one offer tier or agreement (from a signed link, or a rep who says which one).
 * Sent to the attempt's first run id, so another attempt under the same workflow id never gets it;
 * the validator refuses anything that is not open right now, so the caller learns at once.
 */
export interface CustomerAnswerRequest {
  /** Also the Update id: a retried delivery applies once. */
  responseId: string;
  attemptId: string;
  answers: AnswerTarget;
  kind: string;
  channel: string;
  note: string | null;
  actor: Actor | null;
}

export interface CustomerAnswerResult {
  answer: OpenAnswer;
  status: RunState['status'];
}

/** Refusals of customerAnswer carry this as the ApplicationFailure's type and the AnswerStatus as its first detail. */
export const ANSWER_NOT_OPEN = 'answer_not_open';

export interface AnswerStatusQuery {
  attemptId: string;
  answers: AnswerTarget;
}

export interface RunView {
  status: RunState['status'];
  activeSteps: { stepId: string; nodeId: string; name: string; kind: string; enteredAt: number }[];
  openTasks: TaskSpec[];
  variables: Record<string, Json>;
  nextTimer: { timerKey: string; firesAt: number; purpose: string } | null;
  visits: Record<string, number>;
  outcome: RunState['outcome'];
}

export const completeTaskUpdate = defineUpdate<CompleteTaskResult, [CompleteTaskRequest]>('completeTask');
export interface ReassignTaskRequest {
  taskKey: string;
  /** null: back to the role's queue. */
  userId: string | null;
  actor: Actor;
  reason: string;
}

export const reassignTaskUpdate = defineUpdate<{ taskKey: string; userId: string | null }, [ReassignTaskRequest]>('reassignTask');
export const customerResponseSignal = defineSignal<[CustomerResponse]>('customerResponse');
export const runViewQuery = defineQuery<RunView>('runView');
export const customerAnswerUpdate = defineUpdate<CustomerAnswerResult, [CustomerAnswerRequest]>('customerAnswer');
export const answerStatusQuery = defineQuery<AnswerStatus, [AnswerStatusQuery]>('answerStatus');

/**
 * Operating a sleeping attempt (ops managers and admins): one Update for every repair and for a
 * migration, validated by the pure runtime (playbooks/runtime/operations.ts) before it enters the
 * history, so an impossible move is refused with its reason and changes nothing.
 */
export type OperationInput =
  | { type: 'cancel_attempt'; outcome: string }
  | { type: 'move_step'; fromStepId: string; toNodeId: string }
  | { type: 'set_variable'; name: string; value: Json }
  | { type: 'migrate'; to: { playbook: { key: string; version: number; name: string }; plan: CompiledPlan }; mapping: Record<string, string> };

export interface OperationRequest {
  /** Also the Update id and the audit row's key: a retried request applies once. */
  operationId: string;
  actor: Actor;
  reason: string;
  operation: OperationInput;
  /** The transition the operator looked at (a dry run's): refused if the attempt has moved since. */
  expectedTransition?: number;
}

export interface OperationResult {
  operationId: string;
  status: RunState['status'];
  activeNodeIds: string[];
  playbookVersion: number;
  transition: number;
  /** What the operation did, in the runtime's words (the same shape a dry run predicts). */
  effects: OperationEffects;
  steps: StepMigration[];
}

/** The ApplicationFailure type a write refused by the database's rules carries: retrying it cannot help. */
export const INCIDENT_FAILURE = 'incident';

/** Refusals of `operate` carry this type, with the problems as the first detail. */
export const OPERATION_REFUSED = 'operation_refused';

/** A write the database keeps refusing: the attempt waits for an operator instead of retrying for ever. */
export interface Incident {
  incidentId: string;
  /** The database's error code (e.g. 23514) or "invalid_input". */
  code: string;
  message: string;
  nodeIds: string[];
  transition: number;
  at: number;
}

export interface IncidentRequest {
  operationId: string;
  incidentId: string;
  /** retry: write the transition again (after the cause was fixed); skip: go on without its rows. */
  action: 'retry' | 'skip';
  actor: Actor;
  reason: string;
}

/** Everything an operator's view and a migration's proof need about where the attempt is. */
export interface AttemptSnapshot {
  state: RunState;
  playbook: { key: string; version: number; name: string };
  planHash: string;
  transition: number;
  incident: Incident | null;
}

export const operateUpdate = defineUpdate<OperationResult, [OperationRequest]>('operate');
export const incidentUpdate = defineUpdate<{ incidentId: string; action: IncidentRequest['action'] }, [IncidentRequest]>('resolveIncident');
export const snapshotQuery = defineQuery<AttemptSnapshot>('attemptSnapshot');

/**
 * The run reports its snapshot after each transition through this sink. The live worker ignores it;
 * a migration's proof replays the recorded history with a sink that keeps the last report, so it
 * gets the state today's code rebuilds from the history, not only what the live run says.
 */
export interface AttemptStateSinks extends Sinks {
  attemptState: { reported(snapshot: AttemptSnapshot): void };
}
