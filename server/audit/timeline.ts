import { findNodeKind } from '../../playbooks/nodes';
import type { CompiledPlan } from '../../playbooks/plan';
import type { Actor, Command, Json } from '../../playbooks/runtime/types';
import type { PersistTransitionInput } from '../../workflows/activityContract';
import type { PlaybookRunInput } from '../../workflows/contract';
import { attributesOf, durationMs, eventType, firstPayload, type HistoryJson } from './history';

/** One line of an attempt's story, in business terms. */
export interface TimelineEvent {
  at: string;
  kind: string;
  summary: string;
  actor: TimelineActor | null;
  nodeId?: string;
  details?: Record<string, unknown>;
  source: 'temporal' | 'audit';
}

/** What the run looked like right after one transition: the scrubber steps through these. */
export interface Snapshot {
  at: string;
  transition: number;
  activeNodeIds: string[];
  openTasks: { taskKey: string; title: string; assignee: { role: string; department: string | null; userId: string | null } }[];
  variables: Record<string, Json>;
  nextTimerAt: string | null;
}

export interface RunStory {
  timeline: TimelineEvent[];
  snapshots: Snapshot[];
  /** How often each node was entered and each edge (source + handle) was taken. */
  path: { nodes: Record<string, number>; edges: Record<string, number> };
}

export interface AuditRow {
  at: Date | string;
  actor_id: string | null;
  action: string;
  subject: string | null;
  details: Record<string, unknown>;
}

/** Who did it: a person (user id), or the customer answering for themselves (role "customer", with their name). */
export type TimelineActor = { userId: string; role?: string; name?: string };
const actorOf = (a: Actor | null | undefined): TimelineActor | null => (a ? { userId: a.userId, role: a.role } : null);

/** Audit rows of what the history already tells (from the run's own commands): shown once, from there. */
const TOLD_BY_HISTORY = new Set(['run_started', 'task_completed', 'customer_response_recorded', 'customer_answered_by_link']);

/**
 * A moment as ISO text, or null when it is no moment a Date can hold (a history recorded from a
 * plan with an absurd duration, a malformed upload): the story is told without it, never a 500.
 */
export function isoOrNull(ms: unknown): string | null {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return null;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/**
 * Temporal's history is the source of truth: the run's input says who started it and on which
 * version; each persistTransition activity input lists what the runtime decided; signals carry who
 * answered. Audit rows add what people did outside the workflow (claims, notes, snoozes).
 */
export function buildStory(history: HistoryJson, plan: CompiledPlan | null, auditRows: AuditRow[] = []): RunStory {
  const timeline: TimelineEvent[] = [];
  const snapshots: Snapshot[] = [];
  const nodes: Record<string, number> = {};
  const edges: Record<string, number> = {};
  const openTasks = new Map<string, Snapshot['openTasks'][number]>();
  const timers = new Map<string, number>(); // timerId → fires at (ms)
  let variables: Record<string, Json> = {};
  // The customer, as the actor of answers nobody recorded for them (a link they pressed).
  let customer: TimelineActor | null = null;
  const name = (nodeId: string) => plan?.nodes[nodeId]?.name ?? nodeId;
  const push = (at: string, kind: string, summary: string, extra: Partial<TimelineEvent> = {}) =>
    timeline.push({ at, kind, summary, actor: null, source: 'temporal', ...extra });

  for (const event of history.events) {
    const type = eventType(event);
    const attrs = attributesOf(event);
    const at = event.eventTime;
    switch (type) {
      case 'WORKFLOW_EXECUTION_STARTED': {
        const input = firstPayload(attrs.input) as PlaybookRunInput | null;
        if (!input) break;
        plan ??= input.plan;
        customer ??= { userId: input.customer.id, role: 'customer', name: input.customer.name };
        if (input.resume) push(at, 'run_continued', `Continued as a fresh run after ${input.resume.transitions} transitions`);
        else
          push(at, 'run_started', `Started "${input.playbook.name}" v${input.playbook.version} for ${input.customer.name}`, {
            actor: actorOf(input.startedBy),
            details: { playbook: input.playbook, customerId: input.customer.id },
          });
        break;
      }
      case 'ACTIVITY_TASK_SCHEDULED': {
        const input = firstPayload(attrs.input) as PersistTransitionInput | null;
        if (!input || !Array.isArray(input.commands)) break;
        for (const cmd of input.commands) describeCommand(cmd, at, push, name, nodes, edges, plan, openTasks, customer);
        const changed = Object.keys(input.variables).filter((k) => k !== 'customer' && JSON.stringify(input.variables[k]) !== JSON.stringify(variables[k]));
        if (changed.length && snapshots.length)
          push(at, 'variables_changed', `Variables changed: ${changed.map((k) => `${k} = ${JSON.stringify(input.variables[k])}`).join(', ')}`, {
            details: Object.fromEntries(changed.map((k) => [k, input.variables[k]])),
          });
        variables = input.variables;
        const next = [...timers.values()].sort((a, b) => a - b)[0];
        snapshots.push({
          at,
          transition: input.transition,
          activeNodeIds: input.currentNodeIds,
          openTasks: [...openTasks.values()],
          variables,
          nextTimerAt: next ? isoOrNull(next) : null,
        });
        break;
      }
      case 'TIMER_STARTED': {
        const ms = durationMs(attrs.startToFireTimeout);
        const firesAt = ms === null ? NaN : Date.parse(at) + ms;
        if (isoOrNull(firesAt) !== null) timers.set(String(attrs.timerId), firesAt);
        break;
      }
      case 'TIMER_FIRED':
        timers.delete(String(attrs.timerId));
        push(at, 'timer_fired', 'A wait ran out');
        break;
      case 'TIMER_CANCELED':
        timers.delete(String(attrs.timerId));
        break;
      // Answers are told from the run's record_response command (below), not from the Signal or Update
      // that carried them: that is the one place every applied answer passes exactly once, whatever
      // carried it (a link, a rep on the phone), and a refused one (a stale tier) never does.
      case 'WORKFLOW_EXECUTION_COMPLETED': {
        const result = firstPayload(attrs.result) as { outcome: string; reason: string | null } | null;
        if (result) push(at, 'run_completed', `Run closed: ${result.outcome}${result.reason ? ` (${result.reason})` : ''}`, { details: result });
        break;
      }
      case 'WORKFLOW_EXECUTION_CONTINUED_AS_NEW':
        push(at, 'run_handed_over', 'History handed over to a fresh run (continue-as-new)');
        break;
      case 'WORKFLOW_EXECUTION_FAILED':
      case 'WORKFLOW_EXECUTION_TERMINATED':
      case 'WORKFLOW_EXECUTION_TIMED_OUT':
        push(at, 'run_failed', `Run ${type.replace('WORKFLOW_EXECUTION_', '').toLowerCase().replace('_', ' ')}`);
        break;
    }
  }

  for (const row of auditRows) {
    if (TOLD_BY_HISTORY.has(row.action)) continue;
    timeline.push({
      at: isoOrNull(new Date(row.at).getTime()) ?? String(row.at),
      kind: row.action,
      summary: auditSummary(row),
      actor: row.actor_id ? { userId: row.actor_id } : null,
      details: row.details,
      source: 'audit',
    });
  }
  timeline.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return { timeline, snapshots, path: { nodes, edges } };
}

function describeCommand(
  cmd: Command,
  at: string,
  push: (at: string, kind: string, summary: string, extra?: Partial<TimelineEvent>) => void,
  name: (nodeId: string) => string,
  nodes: Record<string, number>,
  edges: Record<string, number>,
  plan: CompiledPlan | null,
  openTasks: Map<string, Snapshot['openTasks'][number]>,
  customer: TimelineActor | null,
): void {
  switch (cmd.type) {
    case 'step_entered':
      nodes[cmd.nodeId] = (nodes[cmd.nodeId] ?? 0) + 1;
      push(at, 'step_entered', `Entered "${name(cmd.nodeId)}"`, { nodeId: cmd.nodeId });
      return;
    case 'step_left':
      if (cmd.handle) {
        for (const handle of cmd.handle.split(',')) {
          const edge = `${cmd.nodeId}:${handle}`;
          if (plan?.nodes[cmd.nodeId]?.next[handle]) edges[edge] = (edges[edge] ?? 0) + 1;
        }
      }
      push(at, 'step_left', `Left "${name(cmd.nodeId)}"${cmd.handle ? ` via ${cmd.handle}` : ''}`, { nodeId: cmd.nodeId, details: { handle: cmd.handle } });
      return;
    case 'create_task': {
      const t = cmd.task;
      openTasks.set(t.taskKey, { taskKey: t.taskKey, title: t.title, assignee: t.assignee });
      const who = t.assignee.userId ?? `${t.assignee.role}${t.assignee.department ? ` (${t.assignee.department})` : ''}`;
      if (t.escalation)
        push(at, 'sla_missed', `SLA missed on "${name(t.nodeId)}" (level ${t.escalation.level}); escalated to ${who}`, {
          nodeId: t.nodeId,
          details: { escalation: t.escalation },
        });
      const due = t.dueAt ? isoOrNull(t.dueAt) : null;
      push(at, 'task_created', `Task "${t.title}" for ${who}${due ? `, due ${due}` : t.dueAt ? ', with a due date out of range' : ''}`, {
        nodeId: t.nodeId,
        details: { taskKey: t.taskKey, assignee: t.assignee, priority: t.priority },
      });
      return;
    }
    case 'close_task':
      openTasks.delete(cmd.taskKey);
      if (cmd.status === 'completed')
        push(at, 'task_completed', `Task completed: ${cmd.outcome}`, {
          actor: actorOf(cmd.actor),
          details: { taskKey: cmd.taskKey, outcome: cmd.outcome, form: cmd.form },
        });
      else push(at, 'task_cancelled', 'Task closed because the run moved on', { details: { taskKey: cmd.taskKey } });
      return;
    case 'reassign_task': {
      const task = openTasks.get(cmd.taskKey);
      if (task) task.assignee = { ...task.assignee, userId: cmd.userId };
      push(at, 'task_reassigned', `Task reassigned to ${cmd.userId ?? 'its queue'}: ${cmd.reason}`, {
        actor: actorOf(cmd.actor),
        details: { taskKey: cmd.taskKey, userId: cmd.userId },
      });
      return;
    }
    case 'send_message':
      push(
        at,
        'message_sent',
        `Message "${cmd.template}" by ${cmd.channel} to ${cmd.recipient.kind === 'customer' ? 'the customer' : cmd.recipient.kind === 'role' ? cmd.recipient.role : cmd.recipient.userId}${cmd.link ? ' with an answer link' : ''}`,
        { details: { template: cmd.template, channel: cmd.channel } },
      );
      return;
    case 'record_offer':
      push(at, `offer_${cmd.status}`, `Offer tier ${cmd.tier} "${cmd.label}" (${cmd.incentive.description}): ${cmd.status.replace('_', ' ')}`, {
        nodeId: cmd.nodeId,
        details: { tier: cmd.tier, incentive: cmd.incentive, validUntil: cmd.validUntil },
      });
      return;
    case 'record_agreement':
      push(at, `agreement_${cmd.status}`, `Agreement (${cmd.termMonths} months, ${cmd.discountPercent}% off): ${cmd.status}`, { nodeId: cmd.nodeId });
      return;
    case 'update_customer':
      push(
        at,
        'customer_updated',
        `Customer file updated${cmd.status ? `: status ${cmd.status}` : ''}${cmd.churnReason ? `, churn reason ${cmd.churnReason}` : ''}${cmd.addTags.length ? `, tags +${cmd.addTags.join(',')}` : ''}`,
      );
      return;
    case 'record': {
      // A node kind's own record (an experiment's arm): its kind says how it reads, as in the simulator.
      const line = findNodeKind(cmd.kind)?.describe?.(cmd);
      if (line) push(at, line.kind, line.text, { nodeId: cmd.nodeId, details: { ...cmd.data, kind: cmd.kind, name: cmd.name } });
      return;
    }
    case 'record_response':
      push(
        at,
        'customer_answered',
        `Customer answered "${cmd.kind}" by ${cmd.channel}${cmd.note ? `: ${cmd.note}` : ''}${cmd.actor ? ' (recorded by staff)' : ''}`,
        // Recorded by a rep: they are the actor (they vouch for it); pressed by the customer: the customer is.
        { actor: cmd.actor ? actorOf(cmd.actor) : customer, details: { kind: cmd.kind, channel: cmd.channel, recordedBy: cmd.actor?.userId ?? null } },
      );
      return;
    case 'complete_run':
      push(at, 'outcome', `Outcome: ${cmd.outcome}${cmd.reason ? ` (${cmd.reason})` : ''}`, { details: { outcome: cmd.outcome, reason: cmd.reason } });
      return;
    default:
      return;
  }
}

function auditSummary(row: AuditRow): string {
  const d = row.details ?? {};
  switch (row.action) {
    case 'task_claimed':
      return 'Task claimed';
    case 'task_unclaimed':
      return 'Task given back to its queue';
    case 'task_note_added':
      return 'Note added to a task';
    case 'task_snoozed':
      return `Task snoozed until ${String(d.until ?? '')}`;
    case 'task_reassigned':
      return `Task reassigned to ${String(d.to ?? 'its queue')}: ${String(d.reason ?? '')}`;
    case 'customer_answered_by_link':
      return `Customer answered "${String(d.answer ?? '')}" through their link`;
    default:
      return row.action.replace(/_/g, ' ');
  }
}
