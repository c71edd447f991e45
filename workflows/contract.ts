import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CompiledPlan } from '../playbooks/plan';
import type { FormData } from '../playbooks/form';
import type { Actor, AnswerStatus, AnswerTarget, Json, OpenAnswer, RunState, TaskSpec } from '../playbooks/runtime/types';

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
