import { z } from 'zod';
import { durationProblem, parseDuration } from '../duration';
import type { Assignee, Json, RunEvent, TaskSpec } from '../runtime/types';
import type { StepApi } from './types';

/** Shared building blocks of node kinds, so each kind's module holds only what is its own. */
/** An ISO 8601 duration within range (longer than zero, at most ten years); the problem says which. */
export const Duration = z
  .string()
  .max(40)
  .superRefine((v, ctx) => {
    const problem = durationProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

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

export const ChannelSchema = z.enum(['email', 'sms', 'messaging', 'phone_reminder']);

/* ---- Reading a config as drawn (a draft may be invalid: every field is optional) ---- */

export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

export function count(v: unknown, noun: string): string | undefined {
  if (!Array.isArray(v)) return undefined;
  return `${v.length} ${noun}${v.length === 1 ? '' : 's'}`;
}

/** Parts of a summary line joined by " · ", or undefined when none is there. */
export function joinParts(...parts: (string | undefined | false)[]): string | undefined {
  const kept = parts.filter(Boolean);
  return kept.length ? kept.join(' · ') : undefined;
}

/** "P14D" → "14 days": ops managers read durations, not ISO 8601. */
export function readableDuration(iso: unknown): string | undefined {
  const m = typeof iso === 'string' ? /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(iso) : null;
  if (!m) return str(iso);
  const parts = [
    [m[1], 'week'],
    [m[2], 'day'],
    [m[3], 'hour'],
    [m[4], 'minute'],
  ]
    .filter(([n]) => n !== undefined && Number(n) > 0)
    .map(([n, unit]) => `${Number(n)} ${unit}${Number(n) === 1 ? '' : 's'}`);
  return parts.join(' ') || str(iso);
}

/** The `key` of each item of a list in a config as drawn (start variables, form fields). */
export function keysOf(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item: unknown) => {
    const key = item && typeof item === 'object' ? (item as { key?: unknown }).key : undefined;
    return typeof key === 'string' ? [key] : [];
  });
}

/** What completing a task this step opened sets: `<node>.outcome` (offered in the picker) and `<node>.completedBy`. */
export function taskResults(node: { id: string; name: string }): { name: string; group?: string; label?: string }[] {
  return [{ name: `${node.id}.outcome`, group: 'Step results', label: `${node.id}.outcome (${node.name})` }, { name: `${node.id}.completedBy` }];
}

export const answered = (nodeId: string): string[] => [`${nodeId}.outcome`, `${nodeId}.completedBy`];

/** Names a reminder message always fills itself. */
export const REMINDER_PROVIDES = ['reminder_text'];
