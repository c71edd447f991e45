import { findNodeKind } from '../../playbooks/nodes';
import type { CompiledPlan } from '../../playbooks/plan';
import type { Actor, Command, Json } from '../../playbooks/runtime/types';
import type { PersistTransitionInput } from '../../workflows/activityContract';
import type { PlaybookRunInput } from '../../workflows/contract';
import { attributesOf, durationMs, eventType, firstPayload, type HistoryJson } from './history';

/**
 * The transition an event stored, if it is a store: a persistTransition activity's input (histories
 * recorded before transitions were stored locally), or what the storeTransition local activity
 * handed back, which its marker records (a local activity's input is not in the history).
 */
function storedTransition(type: string, attrs: Record<string, unknown>): PersistTransitionInput | null {
  if (type === 'ACTIVITY_TASK_SCHEDULED') return firstPayload(attrs.input) as PersistTransitionInput | null;
  if (attrs.markerName !== 'core_local_activity') return null;
  const details = (attrs.details ?? {}) as Record<string, unknown>;
  const data = firstPayload(details.data) as { activity_type?: unknown } | null;
  return data?.activity_type === 'storeTransition' ? (firstPayload(details.result) as PersistTransitionInput | null) : null;
}

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

/** Who did it: a person (user id, and their name when the directory knows it), or the customer answering for themselves (role "customer"). */
export type TimelineActor = { userId: string; role?: string; name?: string };

/** People's and departments' names to tell the story with; an id the directory lacks is told as it is. */
export interface NameDirectory {
  users: ReadonlyMap<string, string>;
  departments: ReadonlyMap<string, string>;
}
export const NO_NAMES: NameDirectory = { users: new Map(), departments: new Map() };

/** How a line names people and departments: resolved once the directory is loaded (see collectStory). */
interface Words {
  person(userId: string): string;
  department(id: string): string;
  /** A moment inside a line (a due date): in the reader's time zone when the caller knows it, else ISO. */
  moment(iso: string): string;
}
/** A line's text, or how to write it once names are known (lines that mention a person or a department). */
type Summary = string | ((w: Words) => string);
type DraftEvent = Omit<TimelineEvent, 'summary'> & { summary: Summary };

/** The story before names: what collectStory gives, with the people and departments it mentions. */
export interface StoryDraft extends Omit<RunStory, 'timeline'> {
  timeline: DraftEvent[];
  people: Set<string>;
  departments: Set<string>;
}

/** An outcome key as words: `won_back` → "won back" (the step's own label wins where it has one). */
export const outcomeWords = (key: string) => key.replace(/_/g, ' ');
/** A way out of a step as its step labels it ("No answer"), else its handle in words ("no response"); forks list several. */
function handleWords(plan: CompiledPlan | null, nodeId: string, handle: string): string {
  const outcomes = (plan?.nodes[nodeId]?.config as { outcomes?: unknown } | undefined)?.outcomes;
  const labels = new Map(Array.isArray(outcomes) ? (outcomes as { key?: unknown; label?: unknown }[]).map((o) => [o.key, o.label]) : []);
  return handle
    .split(',')
    .map((h) => {
      const label = labels.get(h);
      return typeof label === 'string' && label ? label : outcomeWords(h);
    })
    .join(', ');
}
const roleWords = (role: string) => role.replace(/_/g, ' ');
/** "rep (After-sales service)", "Rita Wong": whom a task is for. */
const assigneeWords = (a: { role: string; department: string | null; userId: string | null }, w: Words) =>
  a.userId ? w.person(a.userId) : `${roleWords(a.role)}${a.department ? ` (${w.department(a.department)})` : ''}`;
const actorOf = (a: Actor | null | undefined): TimelineActor | null => (a ? { userId: a.userId, role: a.role } : null);

/** Audit rows of what the history already tells (from the run's own commands): shown once, from there. */
const TOLD_BY_HISTORY = new Set(['run_started', 'task_completed', 'customer_response_recorded', 'customer_answered_by_link', 'task_reassigned']);

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
 * version; each stored transition (storedTransition) lists what the runtime decided; signals carry who
 * answered. Audit rows add what people did outside the workflow (claims, notes, snoozes).
 */
export function buildStory(history: HistoryJson, plan: CompiledPlan | null, auditRows: AuditRow[] = [], names: NameDirectory = NO_NAMES): RunStory {
  return tellStory(collectStory(history, plan, auditRows), names);
}

/** "12 Mar 2025, 14:05" in the time zone given: how the lines and the report show moments. */
export function momentFormat(timeZone: string): (iso: string) => string {
  const f = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone });
  return (iso) => {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? iso : f.format(d);
  };
}

/** Whether a time zone name is one this runtime knows (an IANA name such as Europe/Berlin, or UTC). */
export function knownTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The story with names in: each person by their display name, each department by its name, moments in `timeZone`. */
export function tellStory(draft: StoryDraft, names: NameDirectory, timeZone?: string): RunStory {
  const words: Words = {
    person: (id) => names.users.get(id) ?? id,
    department: (id) => names.departments.get(id) ?? id,
    moment: timeZone ? momentFormat(timeZone) : (iso) => iso,
  };
  const timeline = draft.timeline.map((e) => ({
    ...e,
    summary: typeof e.summary === 'string' ? e.summary : e.summary(words),
    actor: e.actor && e.actor.name === undefined && names.users.has(e.actor.userId) ? { ...e.actor, name: names.users.get(e.actor.userId) } : e.actor,
  }));
  return { timeline, snapshots: draft.snapshots, path: draft.path };
}

/**
 * The story in one pass over the history, with the ids it mentions, so the caller loads just
 * those names (one query) before telling it.
 */
export function collectStory(history: HistoryJson, plan: CompiledPlan | null, auditRows: AuditRow[] = []): StoryDraft {
  const timeline: DraftEvent[] = [];
  const snapshots: Snapshot[] = [];
  const nodes: Record<string, number> = {};
  const edges: Record<string, number> = {};
  const openTasks = new Map<string, Snapshot['openTasks'][number]>();
  const timers = new Map<string, number>(); // timerId → fires at (ms)
  let variables: Record<string, Json> = {};
  // The customer, as the actor of answers nobody recorded for them (a link they pressed).
  let customer: TimelineActor | null = null;
  const name = (nodeId: string) => plan?.nodes[nodeId]?.name ?? nodeId;
  // Each task's outcomes by key, so a completion reads as the step labels it ("Reached", not `reached`).
  const outcomeLabels = new Map<string, Map<string, string>>();
  const push: Push = (at, kind, summary, extra = {}) => timeline.push({ at, kind, summary, actor: null, source: 'temporal', ...extra });

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
      case 'ACTIVITY_TASK_SCHEDULED':
      case 'MARKER_RECORDED': {
        const input = storedTransition(type, attrs);
        if (!input || !Array.isArray(input.commands)) break;
        for (const cmd of input.commands) describeCommand(cmd, at, push, { name, nodes, edges, plan, openTasks, outcomeLabels, customer });
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
        if (result) push(at, 'run_completed', `Run closed: ${outcomeWords(result.outcome)}${result.reason ? ` (${result.reason})` : ''}`, { details: result });
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
  // The ids the lines mention: a dry run of each line's text with words that note what they are asked.
  const people = new Set<string>();
  const departments = new Set<string>();
  const noting: Words = { person: (id) => (people.add(id), id), department: (id) => (departments.add(id), id), moment: (iso) => iso };
  for (const e of timeline) {
    if (typeof e.summary !== 'string') e.summary(noting);
    if (e.actor && e.actor.role !== 'customer') people.add(e.actor.userId);
  }
  return { timeline, snapshots, path: { nodes, edges }, people, departments };
}

type Push = (at: string, kind: string, summary: Summary, extra?: Partial<DraftEvent>) => void;

/** What describeCommand reads and keeps as the history goes by. */
interface StoryState {
  name: (nodeId: string) => string;
  nodes: Record<string, number>;
  edges: Record<string, number>;
  plan: CompiledPlan | null;
  openTasks: Map<string, Snapshot['openTasks'][number]>;
  outcomeLabels: Map<string, Map<string, string>>;
  customer: TimelineActor | null;
}

function describeCommand(cmd: Command, at: string, push: Push, state: StoryState): void {
  const { name, nodes, edges, plan, openTasks, outcomeLabels, customer } = state;
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
      push(at, 'step_left', `Left "${name(cmd.nodeId)}"${cmd.handle ? ` via ${handleWords(plan, cmd.nodeId, cmd.handle)}` : ''}`, {
        nodeId: cmd.nodeId,
        details: { handle: cmd.handle },
      });
      return;
    case 'create_task': {
      const t = cmd.task;
      openTasks.set(t.taskKey, { taskKey: t.taskKey, title: t.title, assignee: t.assignee });
      if (Array.isArray(t.outcomes)) outcomeLabels.set(t.taskKey, new Map(t.outcomes.map((o) => [o.key, o.label])));
      const level = t.escalation?.level;
      if (t.escalation)
        push(at, 'sla_missed', (w) => `SLA missed on "${name(t.nodeId)}" (level ${level}); escalated to ${assigneeWords(t.assignee, w)}`, {
          nodeId: t.nodeId,
          details: { escalation: t.escalation },
        });
      const due = t.dueAt ? isoOrNull(t.dueAt) : null;
      push(
        at,
        'task_created',
        (w) => `Task "${t.title}" for ${assigneeWords(t.assignee, w)}${due ? `, due ${w.moment(due)}` : t.dueAt ? ', with a due date out of range' : ''}`,
        {
          nodeId: t.nodeId,
          details: { taskKey: t.taskKey, assignee: t.assignee, priority: t.priority },
        },
      );
      return;
    }
    case 'close_task': {
      openTasks.delete(cmd.taskKey);
      const label = cmd.outcome === null ? '' : (outcomeLabels.get(cmd.taskKey)?.get(cmd.outcome) ?? outcomeWords(cmd.outcome));
      outcomeLabels.delete(cmd.taskKey);
      if (cmd.status === 'completed')
        push(at, 'task_completed', `Task completed: ${label}`, {
          actor: actorOf(cmd.actor),
          details: { taskKey: cmd.taskKey, outcome: cmd.outcome, form: cmd.form },
        });
      else push(at, 'task_cancelled', 'Task closed because the run moved on', { details: { taskKey: cmd.taskKey } });
      return;
    }
    case 'reassign_task': {
      const task = openTasks.get(cmd.taskKey);
      if (task) task.assignee = { ...task.assignee, userId: cmd.userId };
      const to = cmd.userId;
      push(at, 'task_reassigned', (w) => `Task reassigned to ${to ? w.person(to) : 'its queue'}: ${cmd.reason}`, {
        actor: actorOf(cmd.actor),
        details: { taskKey: cmd.taskKey, userId: cmd.userId },
      });
      return;
    }
    case 'send_message': {
      const r = cmd.recipient;
      const to = (w: Words) => (r.kind === 'customer' ? 'the customer' : r.kind === 'role' ? roleWords(r.role) : w.person(r.userId));
      push(at, 'message_sent', (w) => `Message "${cmd.template}" by ${cmd.channel} to ${to(w)}${cmd.link ? ' with an answer link' : ''}`, {
        details: { template: cmd.template, channel: cmd.channel },
      });
      return;
    }
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
        `Customer file updated${cmd.status ? `: status ${outcomeWords(cmd.status)}` : ''}${cmd.churnReason ? `, churn reason ${cmd.churnReason}` : ''}${cmd.addTags.length ? `, tags +${cmd.addTags.join(',')}` : ''}`,
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
      push(at, 'outcome', `Outcome: ${outcomeWords(cmd.outcome)}${cmd.reason ? ` (${cmd.reason})` : ''}`, {
        details: { outcome: cmd.outcome, reason: cmd.reason },
      });
      return;
    default:
      return;
  }
}

function auditSummary(row: AuditRow): Summary {
  const d = row.details ?? {};
  switch (row.action) {
    case 'task_claimed':
      return 'Task claimed';
    case 'task_unclaimed':
      return 'Task given back to its queue';
    case 'task_note_added':
      return 'Note added to a task';
    case 'task_snoozed':
      return (w) => `Task snoozed until ${typeof d.until === 'string' ? w.moment(d.until) : ''}`;
    case 'task_reassigned': {
      const to = typeof d.to === 'string' && d.to ? d.to : null;
      return (w) => `Task reassigned to ${to ? w.person(to) : 'its queue'}: ${String(d.reason ?? '')}`;
    }
    case 'customer_answered_by_link':
      return `Customer answered "${String(d.answer ?? '')}" through their link`;
    default:
      return row.action.replace(/_/g, ' ');
  }
}
