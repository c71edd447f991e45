import { z } from 'zod';
import { durationProblem } from '../duration';
import { str } from './runtime/helpers';

/** Shared building blocks of node kinds, so each kind's module holds only what is its own. */
/** An ISO 8601 duration within range (longer than zero, at most ten years); the problem says which. */
export const Duration = z
  .string()
  .max(40)
  .superRefine((v, ctx) => {
    const problem = durationProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

// The runtime's share lives in ./runtime/helpers (no zod there, for the workflow bundle); re-exported for the descriptions.
export {
  cancelTimer,
  closeCompletedTask,
  customerDepartment,
  headOfCustomerDepartment,
  ms,
  openTask,
  sendToCustomer,
  startTimer,
  str,
} from './runtime/helpers';

export const ChannelSchema = z.enum(['email', 'sms', 'messaging', 'phone_reminder']);

/* ---- Reading a config as drawn (a draft may be invalid: every field is optional) ---- */

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
