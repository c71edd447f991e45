import { compilePlaybook } from '../../../../playbooks/compile';
import { findNodeKind } from '../../../../playbooks/nodes';
import { startVariableProblems, type StartConfig } from '../../../../playbooks/nodes/start';
import type { FormData } from '../../../../playbooks/form';
import type { CompiledPlan } from '../../../../playbooks/plan';
import type { Problem } from '../../../../playbooks/problems';
import { applyEvent, nextTimer, startRun } from '../../../../playbooks/runtime/machine';
import type { Actor, Command, Json, RunEvent, RunState, TaskSpec } from '../../../../playbooks/runtime/types';
import type { PlaybookGraph } from '../../types';
import { describeCommands } from './describe';

/**
 * The simulator's driver: the very runtime the workflow uses, fed by a virtual clock and scripted
 * answers instead of Temporal. Pure values in, pure values out, so it is tested without a browser.
 */

export const DAY_MS = 86_400_000;
/** A fixed Monday morning, so "day 3" reads the same on every run and in every test. */
export const SIM_EPOCH = Date.UTC(2025, 0, 6, 9, 0, 0);
const SIMULATOR: Actor = { userId: 'simulator', role: 'admin', department: null };

export interface SimCustomer {
  id: string;
  name: string;
  department: string;
  grade: 'core' | 'high_potential' | 'ordinary' | 'churn_signs';
  value: number;
  accountManager: string | null;
}

export const DEFAULT_CUSTOMER: SimCustomer = {
  id: 'SIM-1',
  name: 'Simulated customer',
  department: 'after_sales',
  grade: 'ordinary',
  value: 12_000,
  accountManager: null,
};

export interface TimelineEntry {
  at: number;
  /** Whole days since the run started: the ops manager's unit for a playbook. */
  day: number;
  kind: 'action' | 'move' | 'task' | 'message' | 'offer' | 'customer' | 'end' | 'error';
  text: string;
  nodeId?: string;
}

export interface Simulation {
  plan: CompiledPlan;
  state: RunState;
  startedAt: number;
  now: number;
  timeline: TimelineEntry[];
  /** How often each connection (`<source>.<handle>`) was taken. */
  taken: Record<string, number>;
  actions: number;
}

export type SimAction = { type: 'complete'; taskKey: string; outcome: string; form?: FormData } | { type: 'respond'; kind: string } | { type: 'advance' };

export type SimStart = { ok: true; sim: Simulation } | { ok: false; problems: Problem[] };

export function startSimulation(graph: PlaybookGraph, opts: { customer?: SimCustomer; vars?: Record<string, Json>; now?: number } = {}): SimStart {
  const compiled = compilePlaybook(graph);
  if (!compiled.plan) return { ok: false, problems: compiled.problems };
  // As the API does: a start whose variables are missing, mistyped, off their list or out of range is refused.
  const refused = startVariableProblems(compiled.plan.nodes[compiled.plan.startNodeId]?.config, opts.vars ?? {});
  if (refused.length) return { ok: false, problems: refused };
  const now = opts.now ?? SIM_EPOCH;
  const customer = opts.customer ?? DEFAULT_CUSTOMER;
  const vars: Record<string, Json> = {
    customer: { ...customer },
    ...(customer.accountManager ? { account_manager: customer.accountManager } : {}),
    ...(opts.vars ?? {}),
  };
  const first = startRun(compiled.plan, vars, now);
  const base: Simulation = { plan: compiled.plan, state: first.state, startedAt: now, now, timeline: [], taken: {}, actions: 0 };
  const intro = `Run started for ${customer.name} (${customer.grade.replace(/_/g, ' ')}, value ${customer.value})`;
  return { ok: true, sim: record(base, first.commands, [{ kind: 'action', text: intro }]) };
}

function record(sim: Simulation, commands: Command[], before: Omit<TimelineEntry, 'at' | 'day'>[], openBefore: RunState['tasks'] = {}): Simulation {
  const day = Math.floor((sim.now - sim.startedAt) / DAY_MS);
  const described = describeCommands(sim.plan, commands, openBefore);
  const taken = { ...sim.taken };
  for (const t of described.taken) taken[t] = (taken[t] ?? 0) + 1;
  const entries = [...before, ...described.entries].map((e) => ({ ...e, at: sim.now, day }));
  return { ...sim, taken, timeline: [...sim.timeline, ...entries] };
}

/** The run variables the draft's start node declares, for the simulator's start form (typed: lists and ranges). */
export function startVariables(graph: PlaybookGraph): StartConfig['variables'] {
  const start = graph.nodes.find((n) => n.kind === 'start');
  const declared = (start?.config as { variables?: unknown } | undefined)?.variables;
  return Array.isArray(declared) ? (declared as StartConfig['variables']).filter((v) => v && typeof v.key === 'string') : [];
}

export const isFinished = (sim: Simulation): boolean => sim.state.status !== 'running';

export function openTasks(sim: Simulation): TaskSpec[] {
  return Object.values(sim.state.tasks);
}

/** The answers some waiting step reacts to right now (others are recorded but change nothing). */
export function expectedResponses(sim: Simulation): string[] {
  const kinds = new Set<string>();
  for (const step of Object.values(sim.state.steps)) {
    const node = sim.plan.nodes[step.nodeId];
    for (const k of findNodeKind(node.kind)?.answers?.(node.config, step.data) ?? []) kinds.add(k);
  }
  return [...kinds];
}

export function upcomingTimer(sim: Simulation): { firesAt: number; purpose: string; day: number } | null {
  const t = nextTimer(sim.state);
  return t ? { firesAt: t.firesAt, purpose: t.purpose, day: Math.floor((t.firesAt - sim.startedAt) / DAY_MS) } : null;
}

export function activeNodeIds(sim: Simulation): string[] {
  return Object.values(sim.state.steps).map((s) => s.nodeId);
}

export function simulate(sim: Simulation, action: SimAction): Simulation {
  if (isFinished(sim)) return sim;
  let now = sim.now;
  let event: RunEvent;
  let note: string;
  if (action.type === 'advance') {
    const timer = nextTimer(sim.state);
    if (!timer) return record(sim, [], [{ kind: 'error', text: 'Nothing is waiting for time: answer a task or the customer instead' }]);
    now = Math.max(now, timer.firesAt);
    event = { type: 'timer_fired', at: now, timerKey: timer.timerKey };
    note = `Time passes: ${timer.purpose.replace(/_/g, ' ')}`;
  } else if (action.type === 'respond') {
    event = { type: 'customer_responded', at: now, kind: action.kind, channel: 'simulator', note: null, actor: null };
    note = `Customer answers: ${action.kind.replace(/_/g, ' ')}`;
  } else {
    const task = sim.state.tasks[action.taskKey];
    if (!task) return record(sim, [], [{ kind: 'error', text: `Task ${action.taskKey} is not open` }]);
    event = { type: 'task_completed', at: now, taskKey: action.taskKey, outcome: action.outcome, form: action.form ?? {}, actor: SIMULATOR };
    const label = task.outcomes.find((o) => o.key === action.outcome)?.label ?? action.outcome;
    note = `"${task.title}" done: ${label}`;
  }
  const moved = { ...sim, now, actions: sim.actions + 1 };
  try {
    const transition = applyEvent(sim.plan, sim.state, event);
    return record(
      { ...moved, state: transition.state },
      transition.commands,
      [{ kind: action.type === 'respond' ? 'customer' : 'action', text: note }],
      sim.state.tasks,
    );
  } catch (e) {
    return record(moved, [], [{ kind: 'error', text: `The runtime refused this: ${e instanceof Error ? e.message : String(e)}` }]);
  }
}

/**
 * The "auto" script: every open task takes its first outcome, and the customer stays silent, so
 * the clock runs to the next timer. Stops at the end of the run or after `maxActions`.
 */
export function autoPlay(sim: Simulation, maxActions = 500): Simulation {
  let current = sim;
  for (let i = 0; i < maxActions && !isFinished(current); i++) {
    const task = openTasks(current)[0];
    const before = current;
    if (task) current = simulate(current, { type: 'complete', taskKey: task.taskKey, outcome: task.outcomes[0].key });
    else if (nextTimer(current.state)) current = simulate(current, { type: 'advance' });
    else break;
    if (current.state === before.state) break;
  }
  return current;
}
