import { humanize, roleLabel } from '../format';
import type { OperateAttempt, StepWait } from './types';

/**
 * The operator's list says in words what each step waits for, as Operate and Temporal's UI do:
 * who holds the task and when it is due, when a timer fires, which answer is awaited.
 */

const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['week', 7 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "in 2 days", "3 weeks ago", "now": one unit, the largest that fits. */
export function relative(ms: number, now = Date.now()): string {
  const diff = ms - now;
  const abs = Math.abs(diff);
  for (const [unit, size] of UNITS) {
    if (abs >= size) return rtf.format(Math.round(diff / size), unit);
  }
  return 'now';
}

export const relativeIso = (iso: string | null, now = Date.now()) => (iso ? relative(new Date(iso).getTime(), now) : '—');

const moment = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
/** "6 May 14:00" */
export const shortMoment = (ms: number) => moment.format(new Date(ms));
const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
export const fullMoment = (ms: number) => full.format(new Date(ms));

type WaitTask = StepWait['tasks'][number];

/** A department's name for its id (useDepartments().name); its id when no directory is given. */
type DepartmentName = (id: string) => string;

export function taskWords(t: WaitTask, now = Date.now(), department: DepartmentName = (id) => id): string {
  const holder = t.userName ?? t.userId ?? `any ${roleLabel(t.role)}${t.department ? ` in ${department(t.department)}` : ''}`;
  const due = t.dueAt === null ? '' : t.dueAt < now ? `, overdue since ${relative(t.dueAt, now).replace(/ ago$/, '')}` : `, due ${relative(t.dueAt, now)}`;
  return `Task: ${t.title} — ${holder}${due}`;
}

export function timerWords(t: StepWait['timers'][number], now = Date.now()): string {
  return `Timer: ${humanize(t.purpose).toLowerCase()} fires ${shortMoment(t.firesAt)} (${relative(t.firesAt, now)})`;
}

export function answerWords(a: NonNullable<StepWait['answer']>): string {
  if (a.purpose === 'offer') return a.tier === null ? "Customer's answer to the offer" : `Customer's answer to tier ${a.tier} offer`;
  return "Customer's answer to the commitment";
}

/** Every line one step waits for; a step with none (about to move on) says so. */
export function waitLines(w: StepWait, department?: DepartmentName, now = Date.now()): string[] {
  const lines = [
    ...w.tasks.map((t) => taskWords(t, now, department)),
    ...(w.answer ? [answerWords(w.answer)] : []),
    ...w.timers.map((t) => timerWords(t, now)),
  ];
  return lines.length > 0 ? lines : ['Nothing: moves on at its next turn'];
}

export const stepName = (w: Pick<StepWait, 'name' | 'nodeId'>) => w.name || w.nodeId;

export const STATUS_LABEL: Record<OperateAttempt['status'], string> = {
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  terminated: 'Terminated',
};

export const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;
