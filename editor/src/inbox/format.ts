import { humanize } from '../format';
import type { Assignee, DirectoryUser } from './types';

export const TIER_LABELS: Record<string, string> = {
  core: 'Core',
  high_potential: 'High potential',
  ordinary: 'Ordinary',
  churn_signs: 'Churn signs',
};

/** The after-sales call-back reasons (A–D) from the domain notes. */
export const CHURN_REASON_LABELS: Record<string, string> = {
  A: 'A · Dissatisfied with service',
  B: 'B · Inconvenient location',
  C: 'C · Price-sensitive',
  D: 'D · Needs reminding',
};

export const PRIORITY_LABELS: Record<string, string> = { low: 'Low', normal: 'Normal', high: 'High', urgent: 'Urgent' };

export const tierLabel = (grade: string | null | undefined) => (grade ? (TIER_LABELS[grade] ?? humanize(grade)) : '—');
export const churnReasonLabel = (r: string | null | undefined) => (r ? (CHURN_REASON_LABELS[r] ?? r) : '—');

const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "in 3 hours", "2 days ago", "now". */
export function relativeTime(iso: string, now = Date.now()): string {
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return iso;
  const diff = t - now;
  for (const [unit, size] of UNITS) {
    if (Math.abs(diff) >= size) return rtf.format(Math.round(diff / size), unit);
  }
  return 'now';
}

/** A row's due label: "Due in 3 hours", "Overdue 2 days ago". */
export function dueLabel(dueAt: string | null, overdue: boolean): string {
  if (!dueAt) return 'No due date';
  return `${overdue ? 'Overdue' : 'Due'} ${relativeTime(dueAt)}`;
}

const money = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
export const formatValue = (v: number | null | undefined) => (v == null ? '—' : money.format(v));

export function userName(users: ReadonlyMap<string, DirectoryUser>, id: string | null | undefined): string {
  if (!id) return '—';
  return users.get(id)?.displayName ?? id;
}

/** "Rita Rep · After-sales service", "Rep queue · Key accounts": `departmentName` from useDepartments. */
export function assigneeLabel(a: Assignee, users: ReadonlyMap<string, DirectoryUser>, departmentName: (id: string) => string = humanize): string {
  const who = a.userId ? userName(users, a.userId) : `${humanize(a.role)} queue`;
  return a.department ? `${who} · ${departmentName(a.department)}` : who;
}

/** A `datetime-local` value ("2025-03-01T09:30") as an ISO date-time with this browser's offset. */
export function localInputToIso(value: string): string | null {
  const d = new Date(value);
  if (!value || Number.isNaN(d.getTime())) return null;
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const pad = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, '0');
  const local = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:00`;
  return `${local}${sign}${pad(offset / 60)}:${pad(offset % 60)}`;
}

/** A Date as a `datetime-local` input value. */
export function toLocalInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
