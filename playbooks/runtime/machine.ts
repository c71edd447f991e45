import type { CompiledPlan } from '../plan';
import { nodeStep as nodeKind } from '../nodes/runtime';
import type { StepApi } from '../nodes/runtime/types';
import { answerStatus } from './answers';
import { joinUpstream } from './joinUpstream';
import { RuntimeError } from './errors';
import { checkedTime, checkedWait } from './time';
import type { ActiveStep, Command, Json, RunEvent, RunState, Transition } from './types';

/**
 * The pure step machine: (plan, state, event) → (state, commands). No I/O and no clock: time comes
 * in with each event, so the workflow, the simulator and the tests all drive the very same rules.
 */

/** A cycle without a wait is refused by the compiler; this bounds a plan that slipped past it. */
const MAX_STEPS_PER_EVENT = 10_000;

export function initialState(vars: Record<string, Json>): RunState {
  return { status: 'running', seq: 0, steps: {}, tasks: {}, timers: {}, vars: { ...vars }, visits: {}, outcome: null };
}

export function startRun(plan: CompiledPlan, vars: Record<string, Json>, now: number): Transition {
  const state = initialState(vars);
  const commands: Command[] = [];
  const budget = { left: MAX_STEPS_PER_EVENT };
  enterNode(plan, state, plan.startNodeId, now, commands, budget);
  return { state, commands };
}

/** Which step an event is for, or null when nothing waits for it (a late timer, a closed task). */
export function targetStep(state: RunState, event: RunEvent): string | null {
  switch (event.type) {
    case 'task_completed':
      return state.tasks[event.taskKey]?.stepId ?? null;
    case 'timer_fired':
      return state.timers[event.timerKey]?.stepId ?? null;
    case 'customer_responded':
    case 'task_reassigned':
      return null;
  }
}

export function applyEvent(plan: CompiledPlan, prior: RunState, event: RunEvent): Transition {
  // JSON round trip, not structuredClone: the workflow sandbox has no structuredClone, and state is JSON.
  const state: RunState = JSON.parse(JSON.stringify(prior)) as RunState;
  const commands: Command[] = [];
  if (state.status !== 'running') return { state: prior, commands };
  const budget = { left: MAX_STEPS_PER_EVENT };

  if (event.type === 'customer_responded') {
    // An answer from a link is for one offer tier or agreement: once that is no longer open (declined
    // by phone, expired, replaced by the next tier, the step left), it changes nothing at all.
    const target = event.answers ? answerStatus(state, event.answers) : null;
    if (target && !target.open) return { state: prior, commands };
    // Every answer is remembered, even when no step is waiting for one, so decisions can read it.
    state.vars = { ...state.vars, last_response: event.kind, [`responses.${event.kind}`]: Number(state.vars[`responses.${event.kind}`] ?? 0) + 1 };
    // Keyed without touching seq: seq names tasks and timers, and recorded histories depend on those names.
    commands.push({
      type: 'record_response',
      responseKey: `response-${state.seq}-${event.kind}-${String(state.vars[`responses.${event.kind}`])}`,
      kind: event.kind,
      channel: event.channel,
      note: event.note,
      actor: event.actor,
    });
    const waiting = target?.open ? [state.steps[target.answer.stepId]] : Object.values(state.steps);
    for (const step of waiting) {
      if (state.status !== 'running') break;
      if (!state.steps[step.stepId]) continue;
      dispatch(plan, state, step, event, commands, budget);
    }
    settle(plan, state, event.at, commands, budget);
    return { state, commands };
  }

  if (event.type === 'task_reassigned') {
    // Who does the work changes; where the run is does not: no node is involved.
    const task = state.tasks[event.taskKey];
    if (!task) return { state: prior, commands: [] };
    task.assignee = { ...task.assignee, userId: event.userId };
    commands.push({ type: 'reassign_task', taskKey: event.taskKey, userId: event.userId, actor: event.actor, reason: event.reason });
    return { state, commands };
  }

  if (event.type === 'timer_fired') {
    const timer = state.timers[event.timerKey];
    if (!timer) return { state: prior, commands: [] };
    delete state.timers[event.timerKey];
  }
  const stepId = targetStep(prior, event);
  const step = stepId ? state.steps[stepId] : undefined;
  if (!step) return { state: prior, commands: [] };
  dispatch(plan, state, step, event, commands, budget);
  settle(plan, state, event.at, commands, budget);
  return { state, commands };
}

/** Give waiting steps (joins) a chance to move once an event changed where the other branches are. */
export function settle(plan: CompiledPlan, state: RunState, now: number, commands: Command[], budget: { left: number }): void {
  for (let changed = true; changed && state.status === 'running';) {
    changed = false;
    for (const step of Object.values(state.steps)) {
      if (!state.steps[step.stepId]) continue;
      const node = plan.nodes[step.nodeId];
      const kind = nodeKind(node.kind);
      if (!kind.settle) continue;
      const before = state.seq;
      kind.settle(stepApi(plan, state, step, now, commands, budget), node.config);
      if (state.seq !== before || !state.steps[step.stepId]) changed = true;
      if (changed) break;
    }
  }
}

function dispatch(plan: CompiledPlan, state: RunState, step: ActiveStep, event: RunEvent, commands: Command[], budget: { left: number }): void {
  const node = plan.nodes[step.nodeId];
  const kind = nodeKind(node.kind);
  if (!kind.on) return;
  const api = stepApi(plan, state, step, event.at, commands, budget);
  kind.on(api, node.config, event);
}

export function enterNode(
  plan: CompiledPlan,
  state: RunState,
  nodeId: string,
  now: number,
  commands: Command[],
  budget: { left: number },
  forks: string[] | undefined = undefined,
): void {
  if (--budget.left < 0) throw new RuntimeError('runaway_loop', `more than ${MAX_STEPS_PER_EVENT} steps without waiting`);
  const node = plan.nodes[nodeId];
  if (!node) throw new RuntimeError('unknown_node', `node ${nodeId} is not in the plan`);
  state.seq += 1;
  const step: ActiveStep = { stepId: `s${state.seq}`, nodeId, enteredAt: now, data: {}, ...(forks?.length ? { forks } : {}) };
  state.steps[step.stepId] = step;
  state.visits[nodeId] = (state.visits[nodeId] ?? 0) + 1;
  commands.push({ type: 'step_entered', stepId: step.stepId, nodeId, kind: node.kind });
  nodeKind(node.kind).enter(stepApi(plan, state, step, now, commands, budget), node.config);
}

/** A join's step leaves the innermost fork it was in (its branches met there). */
function leaveFork(step: ActiveStep): void {
  if (!step.forks?.length) return;
  const rest = step.forks.slice(0, -1);
  if (rest.length) step.forks = rest;
  else delete step.forks;
}

/** Close everything a step still holds: its open tasks are cancelled, its timers stopped. */
export function releaseStep(state: RunState, stepId: string, commands: Command[]): void {
  for (const [taskKey, task] of Object.entries(state.tasks)) {
    if (task.stepId !== stepId) continue;
    delete state.tasks[taskKey];
    commands.push({ type: 'close_task', taskKey, status: 'cancelled', outcome: null, form: null, actor: null });
  }
  for (const [timerKey, timer] of Object.entries(state.timers)) {
    if (timer.stepId !== stepId) continue;
    delete state.timers[timerKey];
    commands.push({ type: 'cancel_timer', timerKey });
  }
  delete state.steps[stepId];
}

export function stepApi(plan: CompiledPlan, state: RunState, step: ActiveStep, now: number, commands: Command[], budget: { left: number }): StepApi {
  let left = false;
  const guard = () => {
    if (left) throw new RuntimeError('step_already_left', `step ${step.stepId} (${step.nodeId}) left twice`);
    left = true;
  };
  return {
    stepId: step.stepId,
    nodeId: step.nodeId,
    state,
    now,
    planRevision: plan.revision ?? 1,
    data: step.data,
    nextKey(prefix) {
      state.seq += 1;
      return `${prefix}-${state.seq}`;
    },
    emit(command) {
      commands.push(checkTimes(command, now, `${step.nodeId} (${plan.nodes[step.nodeId]?.kind ?? 'step'})`));
    },
    go(handle) {
      guard();
      const target = plan.nodes[step.nodeId].next[handle];
      if (!target) throw new RuntimeError('unknown_handle', `node ${step.nodeId} has no edge from handle "${handle}"`);
      releaseStep(state, step.stepId, commands);
      commands.push({ type: 'step_left', stepId: step.stepId, nodeId: step.nodeId, handle });
      enterNode(plan, state, target, now, commands, budget, step.forks);
    },
    fork(handles) {
      guard();
      const targets = handles.map((handle) => {
        const target = plan.nodes[step.nodeId].next[handle];
        if (!target) throw new RuntimeError('unknown_handle', `node ${step.nodeId} has no edge from handle "${handle}"`);
        return target;
      });
      releaseStep(state, step.stepId, commands);
      commands.push({ type: 'step_left', stepId: step.stepId, nodeId: step.nodeId, handle: handles.join(',') });
      const forks = [...(step.forks ?? []), step.stepId];
      for (const target of targets) {
        if (state.status !== 'running') break;
        enterNode(plan, state, target, now, commands, budget, forks);
      }
    },
    othersCanArrive() {
      const node = plan.nodes[step.nodeId];
      const here = Object.values(state.steps).filter((s) => s.nodeId === step.nodeId).length;
      // Plans compiled before joins knew their upstream keep the old rule (one arrival per edge), so
      // runs already sleeping on them behave as they did when they started.
      const upstream = joinUpstream(plan, step.nodeId);
      if (!upstream) return here < (node?.inputs ?? 0);
      // Branches parked at other joins do not count: they move only when their own join fires, and
      // counting them lets two joins in a loop wait for each other forever. Anything that could
      // still reach such a join is itself upstream of this one, so nothing arrives late.
      return Object.values(state.steps).some((s) => s.nodeId !== step.nodeId && upstream.has(s.nodeId) && plan.nodes[s.nodeId]?.kind !== 'join');
    },
    siblings() {
      return Object.values(state.steps)
        .filter((s) => s.nodeId === step.nodeId && s.stepId !== step.stepId)
        .map((s) => s.stepId);
    },
    absorbSiblings() {
      for (const s of Object.values(state.steps)) {
        if (s.nodeId !== step.nodeId || s.stepId === step.stepId) continue;
        releaseStep(state, s.stepId, commands);
        commands.push({ type: 'step_left', stepId: s.stepId, nodeId: s.nodeId, handle: null });
      }
      // The branches are one again: what follows belongs to the enclosing fork.
      leaveFork(step);
    },
    cancelBranches() {
      const upstream = joinUpstream(plan, step.nodeId);
      const ended: { nodeId: string; name: string }[] = [];
      // Only the other branches of this step's own fork race it; those of an enclosing fork carry on.
      const fork = step.forks?.[step.forks.length - 1];
      for (const s of Object.values(state.steps)) {
        if (s.stepId === step.stepId || fork === undefined || !s.forks?.includes(fork)) continue;
        if (!(s.nodeId === step.nodeId || upstream?.has(s.nodeId))) continue;
        // The kind closes what only it knows about (an offer tier on the table) before its tasks and timers go.
        const node = plan.nodes[s.nodeId];
        nodeKind(node.kind).cancel?.(stepApi(plan, state, s, now, commands, budget), node.config);
        releaseStep(state, s.stepId, commands);
        commands.push({ type: 'step_left', stepId: s.stepId, nodeId: s.nodeId, handle: null });
        ended.push({ nodeId: s.nodeId, name: node.name || s.nodeId });
      }
      leaveFork(step);
      return ended;
    },
    finish(outcome, reason) {
      guard();
      // The run ends here: every other branch still open is cancelled with it.
      for (const other of Object.keys(state.steps)) releaseStep(state, other, commands);
      commands.push({ type: 'step_left', stepId: step.stepId, nodeId: step.nodeId, handle: null });
      state.status = 'completed';
      state.outcome = { outcome, reason: reason ?? null, at: now };
      commands.push({ type: 'complete_run', outcome, reason: reason ?? null });
    },
  };
}

/** Refuse a command that carries a time nobody could store or sleep on (see ./time). */
function checkTimes(command: Command, now: number, where: string): Command {
  switch (command.type) {
    case 'start_timer':
      checkedWait(now, command.durationMs, `${where}: timer "${command.purpose}"`);
      break;
    case 'create_task':
      if (command.task.dueAt !== null) checkedTime(command.task.dueAt, `${where}: due date of task "${command.task.title}"`);
      break;
    case 'record_offer':
      if (command.validUntil !== null) checkedTime(command.validUntil, `${where}: offer valid until`);
      break;
    case 'send_message':
      if (command.link) checkedTime(command.link.expiresAt, `${where}: answer link expiry`);
      break;
  }
  return command;
}

/** The step ids waiting right now, for queries and the CurrentStep search attribute. */
export function activeNodeIds(state: RunState): string[] {
  return Object.values(state.steps).map((s) => s.nodeId);
}

/** When the next timer fires, if any: the auditor's "next timer" and the simulator's clock. */
export function nextTimer(state: RunState): { timerKey: string; firesAt: number; purpose: string } | null {
  let best: { timerKey: string; firesAt: number; purpose: string } | null = null;
  for (const [timerKey, t] of Object.entries(state.timers)) {
    if (!best || t.firesAt < best.firesAt) best = { timerKey, firesAt: t.firesAt, purpose: t.purpose };
  }
  return best;
}
