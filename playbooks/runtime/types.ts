import type { FormData, FormField } from '../form';

/** Who did something: identities travel with every Update and Signal so the history says who. */
export interface Actor {
  userId: string;
  role: string;
  department: string | null;
}

export interface Assignee {
  role: string;
  department: string | null;
  userId: string | null;
}

export interface TaskSpec {
  taskKey: string;
  stepId: string;
  nodeId: string;
  title: string;
  instructions: string;
  assignee: Assignee;
  outcomes: { key: string; label: string }[];
  form: FormField[];
  dueAt: number | null;
  priority: 'low' | 'normal' | 'high' | 'urgent';
  /** Set on escalation tasks: whose SLA was missed, at which level, and when. */
  escalation?: { ofTaskKey: string; level: number; slaMissedAt: number; assignee: Assignee };
}

export interface ActiveStep {
  stepId: string;
  nodeId: string;
  enteredAt: number;
  data: Record<string, unknown>;
  /**
   * The `parallel` steps this step's branch was forked from, outermost first (absent outside any
   * fork). A first-arrival join ends only the branches of its own fork, never those of an outer one.
   */
  forks?: string[];
}

export interface TimerState {
  stepId: string;
  firesAt: number;
  purpose: string;
}

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** Everything the pure runtime knows about one recovery attempt; plain JSON, carried by the workflow. */
export interface RunState {
  status: 'running' | 'completed';
  seq: number;
  steps: Record<string, ActiveStep>;
  tasks: Record<string, TaskSpec>;
  timers: Record<string, TimerState>;
  vars: Record<string, Json>;
  /** How often each node was entered: the auditor's path with loop counts. */
  visits: Record<string, number>;
  outcome: { outcome: string; reason: string | null; at: number } | null;
}

export type RunEvent =
  | { type: 'task_completed'; at: number; taskKey: string; outcome: string; form: FormData; actor: Actor }
  | { type: 'timer_fired'; at: number; timerKey: string }
  /** `answers` is set when the answer came from a link: it answers that offer tier or agreement only. */
  | { type: 'customer_responded'; at: number; kind: string; channel: string; note: string | null; actor: Actor | null; answers?: AnswerTarget }
  /** A manager moves a task to another person (or back to its queue with userId null). */
  | { type: 'task_reassigned'; at: number; taskKey: string; userId: string | null; actor: Actor; reason: string };

export type Channel = 'email' | 'sms' | 'messaging' | 'phone_reminder';

export type Recipient = { kind: 'customer' } | { kind: 'role'; role: string; department: string | null } | { kind: 'user'; userId: string };

/** A signed one-time link the customer opens to answer (accept or decline an offer, sign or not). */
export interface AnswerLink {
  purpose: 'offer' | 'commitment';
  /** The offer tier's or agreement's key: unique within the run, so a link answers that one only. */
  ref: string;
  expiresAt: number;
  /** The step that sent it, its tier (offers) and what the customer is offered, in their words. */
  nodeId?: string;
  stepId?: string;
  tier?: number | null;
  text?: string;
}

/** What an answer from a link is for; a step answers it only while it waits for exactly that. */
export interface AnswerTarget {
  purpose: 'offer' | 'commitment';
  ref: string;
  /** Absent for links issued before links were bound to their step. */
  nodeId?: string | null;
}

/** An answer a step is waiting for right now (kept by the node kind in its step data as `awaiting`). */
export interface OpenAnswer {
  purpose: 'offer' | 'commitment';
  ref: string;
  nodeId: string;
  stepId: string;
  tier: number | null;
  text: string;
}

/** Whether a link's answer would apply now: the open one, or why not (and what replaced it). */
export type AnswerStatus = { open: true; answer: OpenAnswer } | { open: false; reason: 'replaced'; current: OpenAnswer } | { open: false; reason: 'closed' };

export interface Incentive {
  type: 'percent' | 'amount' | 'service';
  value: number;
  description: string;
}

export type Command =
  | { type: 'send_message'; messageKey: string; channel: Channel; recipient: Recipient; template: string; vars: Record<string, Json>; link: AnswerLink | null }
  | { type: 'update_customer'; status: string | null; addTags: string[]; removeTags: string[]; churnType: string | null; churnReason: string | null }
  | {
      type: 'record_offer';
      offerKey: string;
      nodeId: string;
      tier: number;
      label: string;
      incentive: Incentive;
      status: 'pending_approval' | 'made' | 'accepted' | 'declined' | 'expired' | 'rejected';
      validUntil: number | null;
    }
  | {
      type: 'record_agreement';
      agreementKey: string;
      nodeId: string;
      termMonths: number;
      discountPercent: number;
      obligations: { firm: string[]; customer: string[] };
      breachTerms: string;
      status: 'proposed' | 'signed' | 'declined' | 'expired' | 'breached' | 'fulfilled';
    }
  | { type: 'create_task'; task: TaskSpec }
  | { type: 'close_task'; taskKey: string; status: 'completed' | 'cancelled'; outcome: string | null; form: FormData | null; actor: Actor | null }
  | { type: 'start_timer'; timerKey: string; durationMs: number; purpose: string }
  | { type: 'cancel_timer'; timerKey: string }
  | { type: 'step_entered'; stepId: string; nodeId: string; kind: string }
  | { type: 'step_left'; stepId: string; nodeId: string; handle: string | null }
  | { type: 'complete_run'; outcome: string; reason: string | null }
  | { type: 'reassign_task'; taskKey: string; userId: string | null; actor: Actor; reason: string }
  | { type: 'record_response'; responseKey: string; kind: string; channel: string; note: string | null; actor: Actor | null }
  /** A credit check's result for the customer's credit file (malicious churn): keyed, so it is written once. */
  | {
      type: 'record_credit_check';
      checkKey: string;
      nodeId: string;
      rating: string;
      outstandingBalance: number;
      notes: string | null;
      checkedBy: string;
      checkedAt: number;
    }
  /** An operator's repair or migration of the attempt (runtime/operations.ts), with who and why: written once per operation id. */
  | {
      type: 'record_operation';
      operationKey: string;
      operation: 'cancel_attempt' | 'move_step' | 'set_variable' | 'migrate';
      actor: Actor;
      reason: string;
      details: Record<string, Json>;
    }
  /** A fact a node kind records for the timeline and analytics (an experiment's arm); its kind says how it reads. */
  | { type: 'record'; recordKey: string; stepId: string; nodeId: string; kind: string; name: string; data: Record<string, Json> };

export interface Transition {
  state: RunState;
  commands: Command[];
}
