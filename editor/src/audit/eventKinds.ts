import { humanize } from '../format';
import { AUDIT_READERS, inGroup } from '../../../contract/roles';

interface KindInfo {
  icon: string;
  label: string;
  /** Groups colour the icon: what the workflow did, what a person did, what the customer did. */
  tone: 'run' | 'step' | 'task' | 'customer' | 'warning' | 'outcome' | 'note';
}

// Plain symbols rather than emoji: they render in every font an office desktop has.
const KINDS: Record<string, KindInfo> = {
  run_started: { icon: '▶', label: 'Run started', tone: 'run' },
  run_continued: { icon: '↻', label: 'Run continued', tone: 'run' },
  run_handed_over: { icon: '⇢', label: 'Handed to a fresh run', tone: 'run' },
  run_completed: { icon: '■', label: 'Run closed', tone: 'outcome' },
  run_failed: { icon: '⚠', label: 'Run failed', tone: 'warning' },
  outcome: { icon: '⚑', label: 'Outcome', tone: 'outcome' },
  step_entered: { icon: '→', label: 'Step entered', tone: 'step' },
  step_left: { icon: '↗', label: 'Step left', tone: 'step' },
  variables_changed: { icon: '≔', label: 'Variables changed', tone: 'step' },
  timer_fired: { icon: '◷', label: 'Wait ran out', tone: 'step' },
  task_created: { icon: '☐', label: 'Task created', tone: 'task' },
  task_completed: { icon: '✔', label: 'Task completed', tone: 'task' },
  task_cancelled: { icon: '✖', label: 'Task closed by the run', tone: 'task' },
  task_reassigned: { icon: '⇄', label: 'Task reassigned', tone: 'task' },
  task_claimed: { icon: '☛', label: 'Task claimed', tone: 'task' },
  task_unclaimed: { icon: '↩', label: 'Task unclaimed', tone: 'task' },
  task_note_added: { icon: '✎', label: 'Note added', tone: 'note' },
  task_snoozed: { icon: '☾', label: 'Task snoozed', tone: 'task' },
  sla_missed: { icon: '⚠', label: 'SLA missed', tone: 'warning' },
  customer_answered: { icon: '❝', label: 'Customer answered', tone: 'customer' },
  customer_answered_by_link: { icon: '↪', label: 'Customer answered by link', tone: 'customer' },
  message_sent: { icon: '✉', label: 'Message sent', tone: 'customer' },
  customer_updated: { icon: '☺', label: 'Customer file updated', tone: 'note' },
  contact_recorded: { icon: '☎', label: 'Contact recorded', tone: 'note' },
  experiment_arm: { icon: '⚗', label: 'Experiment arm', tone: 'step' },
  join_first_arrived: { icon: '⋈', label: 'First branch won', tone: 'step' },
  escalated_up: { icon: '⚑', label: 'Escalated up the chain', tone: 'warning' },
  credit_checked: { icon: '₵', label: 'Credit checked', tone: 'task' },
  credit_file_updated: { icon: '₵', label: 'Credit file updated', tone: 'note' },
};

export function eventKind(kind: string): KindInfo {
  const known = KINDS[kind];
  if (known) return known;
  if (kind.startsWith('offer_')) return { icon: '★', label: `Offer ${humanize(kind.slice(6)).toLowerCase()}`, tone: 'customer' };
  if (kind.startsWith('agreement_')) return { icon: '✍', label: `Agreement ${humanize(kind.slice(10)).toLowerCase()}`, tone: 'customer' };
  return { icon: '•', label: humanize(kind), tone: 'note' };
}

/** Roles that may use the audit views (search, chain check, replay, export). */
export const AUDIT_ROLES: readonly string[] = AUDIT_READERS;
export const canAudit = (role: string) => inGroup(AUDIT_READERS, role);

export const STATUS_LABELS: Record<string, string> = { running: 'Running', completed: 'Completed', failed: 'Failed', terminated: 'Terminated' };
export const statusLabel = (s: string) => STATUS_LABELS[s] ?? humanize(s);
