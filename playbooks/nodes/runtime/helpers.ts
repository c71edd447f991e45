import { parseDuration } from '../../duration';
import type { Assignee, Json, RunEvent, TaskSpec } from '../../runtime/types';
import type { StepApi } from './types';

/** What steps of several kinds do alike (timers, tasks, messages), so each kind's step holds only what is its own. */

export const ms = (duration: string): number => parseDuration(duration) ?? 0;

export function customerDepartment(step: StepApi): string | null {
  const customer = step.state.vars.customer;
  if (customer && typeof customer === 'object' && !Array.isArray(customer)) {
    const dep = customer.department;
    return typeof dep === 'string' ? dep : null;
  }
  return null;
}

export function startTimer(step: StepApi, durationMs: number, purpose: string): string {
  const timerKey = step.nextKey('timer');
  step.state.timers[timerKey] = { stepId: step.stepId, firesAt: step.now + durationMs, purpose };
  step.emit({ type: 'start_timer', timerKey, durationMs, purpose });
  return timerKey;
}

export function cancelTimer(step: StepApi, timerKey: unknown): void {
  if (typeof timerKey !== 'string' || !step.state.timers[timerKey]) return;
  delete step.state.timers[timerKey];
  step.emit({ type: 'cancel_timer', timerKey });
}

export function openTask(step: StepApi, fields: Omit<TaskSpec, 'taskKey' | 'stepId' | 'nodeId'>): string {
  const taskKey = step.nextKey('task');
  const task: TaskSpec = { taskKey, stepId: step.stepId, nodeId: step.nodeId, ...fields };
  step.state.tasks[taskKey] = task;
  step.emit({ type: 'create_task', task });
  return taskKey;
}

/** Close a task of this step as completed (the event's actor did it) and remember its answer. */
export function closeCompletedTask(step: StepApi, event: Extract<RunEvent, { type: 'task_completed' }>, answersTheStep = true): void {
  delete step.state.tasks[event.taskKey];
  step.emit({ type: 'close_task', taskKey: event.taskKey, status: 'completed', outcome: event.outcome, form: event.form, actor: event.actor });
  // A side task (an escalation) must not overwrite the step's own outcome.
  if (!answersTheStep) return;
  step.state.vars = { ...step.state.vars, ...event.form, [`${step.nodeId}.outcome`]: event.outcome, [`${step.nodeId}.completedBy`]: event.actor.userId };
}

export function headOfCustomerDepartment(step: StepApi): Assignee {
  return { role: 'department_head', department: customerDepartment(step), userId: null };
}

export function sendToCustomer(
  step: StepApi,
  channel: 'email' | 'sms' | 'messaging' | 'phone_reminder',
  template: string,
  vars: Record<string, Json>,
  link: { purpose: 'offer' | 'commitment'; ref: string; expiresAt: number } | null = null,
): void {
  step.emit({ type: 'send_message', messageKey: step.nextKey('msg'), channel, recipient: { kind: 'customer' }, template, vars, link });
}

/** A non-empty text of a config as drawn, else undefined (summaries and timeline lines read drafts too). */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}
