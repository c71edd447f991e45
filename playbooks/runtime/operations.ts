import { canonicalJson } from '../canonical';
import type { CompiledPlan } from '../plan';
import { nodeStep as nodeKind } from '../nodes/runtime';
import { startVariableProblems } from '../nodes/runtime/start';
import { systemNameProblem } from '../names';
import { activeNodeIds, enterNode, nextTimer, releaseStep, settle, stepApi } from './machine';
import type { ActiveStep, Actor, Command, Json, RunState } from './types';

/**
 * What an operator may do to a sleeping attempt (Camunda Operate's repairs), as pure functions of
 * (plan, state): the workflow's Update validator asks whether an operation is possible, the driver
 * applies it, and the API's dry run predicts it on the state a replay of the recorded history gave.
 * All three run this same code, so what the dry run shows is what the attempt does.
 */
export type Operation =
  | { type: 'cancel_attempt'; outcome: string }
  | { type: 'move_step'; fromStepId: string; toNodeId: string }
  | { type: 'set_variable'; name: string; value: Json }
  | { type: 'migrate'; toPlan: CompiledPlan; toVersion: number; mapping: Record<string, string> };

export type OperationType = Operation['type'];

export interface OperationContext {
  /** Also the key of the audit row and of the command that records it: a retried Update records once. */
  operationId: string;
  actor: Actor;
  reason: string;
  at: number;
}

export interface OperationProblem {
  code: string;
  message: string;
  stepId?: string;
  nodeId?: string;
}

/** How one active step fares in a migration: kept as it is, or left and entered again under the new plan. */
export interface StepMigration {
  stepId: string;
  fromNodeId: string;
  fromName: string;
  toNodeId: string | null;
  toName: string | null;
  action: 'kept' | 're_entered' | 'refused';
  why: string;
}

/** What an operation does, in the words an operator reads before confirming it. */
export interface OperationEffects {
  tasksCancelled: { taskKey: string; title: string }[];
  tasksCreated: { taskKey: string; title: string; role: string; userId: string | null; dueAt: number | null }[];
  timersCancelled: { timerKey: string; purpose: string }[];
  timersStarted: { timerKey: string; purpose: string; firesAt: number }[];
  messagesSent: { messageKey: string; channel: string; template: string; recipient: string }[];
  stepsLeft: { nodeId: string; name: string }[];
  stepsEntered: { nodeId: string; name: string }[];
  /** Where the attempt is afterwards. */
  after: {
    status: RunState['status'];
    activeSteps: { nodeId: string; name: string; kind: string }[];
    nextTimer: { purpose: string; firesAt: number } | null;
    outcome: string | null;
  };
}

export type OperationVerdict =
  | { ok: true; plan: CompiledPlan; state: RunState; commands: Command[]; effects: OperationEffects; steps: StepMigration[] }
  | { ok: false; code: string; reason: string; problems: OperationProblem[]; steps: StepMigration[] };

const MAX_STEPS = 10_000;

const refuse = (code: string, reason: string, problems: OperationProblem[] = [], steps: StepMigration[] = []): OperationVerdict => ({
  ok: false,
  code,
  reason,
  problems: problems.length ? problems : [{ code, message: reason }],
  steps,
});

const nameOf = (plan: CompiledPlan, nodeId: string) => plan.nodes[nodeId]?.name || nodeId;

/** Steps in the order they were entered (s1, s2, … s10), so every caller walks them alike. */
function stepsInOrder(state: RunState): ActiveStep[] {
  return Object.values(state.steps).sort((a, b) => Number(a.stepId.slice(1)) - Number(b.stepId.slice(1)));
}

/**
 * Applies an operator's operation to a copy of the state, or says why it cannot be done. Never
 * changes `prior`; a refusal carries every problem found, not only the first.
 */
export function operate(plan: CompiledPlan, prior: RunState, op: Operation, ctx: OperationContext): OperationVerdict {
  if (prior.status !== 'running') return refuse('attempt_not_running', 'the attempt has already ended');
  const state = JSON.parse(JSON.stringify(prior)) as RunState;
  const commands: Command[] = [];
  const budget = { left: MAX_STEPS };
  let target = plan;
  let steps: StepMigration[] = [];
  try {
    switch (op.type) {
      case 'cancel_attempt': {
        for (const step of stepsInOrder(state)) leave(plan, state, step, ctx.at, commands, budget);
        state.status = 'completed';
        state.outcome = { outcome: op.outcome, reason: ctx.reason, at: ctx.at };
        commands.push({ type: 'complete_run', outcome: op.outcome, reason: ctx.reason });
        break;
      }
      case 'move_step': {
        const problem = moveProblem(plan, state, op);
        if (problem) return refuse(problem.code, problem.message, [problem]);
        leave(plan, state, state.steps[op.fromStepId], ctx.at, commands, budget);
        enterNode(plan, state, op.toNodeId, ctx.at, commands, budget);
        settle(plan, state, ctx.at, commands, budget);
        break;
      }
      case 'set_variable': {
        const problem = variableProblem(plan, op.name, op.value);
        if (problem) return refuse(problem.code, problem.message, [problem]);
        state.vars = { ...state.vars, [op.name]: op.value };
        break;
      }
      case 'migrate': {
        const planned = planMigration(plan, op.toPlan, state, op.mapping, op.toVersion);
        steps = planned.steps;
        if (planned.problems.length) {
          return refuse('migration_refused', planned.problems.map((p) => p.message).join('; '), planned.problems, steps);
        }
        target = op.toPlan;
        for (const s of steps) {
          if (s.action !== 're_entered') continue;
          const step = state.steps[s.stepId];
          leave(plan, state, step, ctx.at, commands, budget);
          const firstNew = state.seq + 1;
          enterNode(target, state, s.toNodeId!, ctx.at, commands, budget, step.forks);
          rebaseWaits(state, commands, `s${firstNew}`, ctx.at - step.enteredAt, ctx.at);
        }
        settle(target, state, ctx.at, commands, budget);
        break;
      }
    }
  } catch (err) {
    // A plan the runtime cannot follow from there (e.g. a time out of range): refused, nothing applied.
    return refuse('runtime_error', `the runtime cannot carry this out: ${(err as Error).message}`, [], steps);
  }
  commands.push({
    type: 'record_operation',
    operationKey: ctx.operationId,
    operation: op.type,
    actor: ctx.actor,
    reason: ctx.reason,
    details: operationDetails(plan, op, steps),
  });
  return { ok: true, plan: target, state, commands, effects: effectsOf(plan, target, prior, state, commands), steps };
}

/** The step leaves without taking a way out: what only its kind knows is closed, then its tasks and timers. */
function leave(plan: CompiledPlan, state: RunState, step: ActiveStep, now: number, commands: Command[], budget: { left: number }): void {
  const node = plan.nodes[step.nodeId];
  if (node) nodeKind(node.kind).cancel?.(stepApi(plan, state, step, now, commands, budget), node.config);
  releaseStep(state, step.stepId, commands);
  commands.push({ type: 'step_left', stepId: step.stepId, nodeId: step.nodeId, handle: null });
}

function moveProblem(plan: CompiledPlan, state: RunState, op: Extract<Operation, { type: 'move_step' }>): OperationProblem | null {
  const step = state.steps[op.fromStepId];
  if (!step)
    return {
      code: 'step_not_active',
      message: `the attempt is no longer at that step (${op.fromStepId}): it has moved on since you looked; look again`,
      stepId: op.fromStepId,
    };
  const to = plan.nodes[op.toNodeId];
  if (!to) return { code: 'unknown_step', message: `this version has no step "${op.toNodeId}"`, nodeId: op.toNodeId };
  if (to.kind === 'join') {
    return { code: 'join_target', message: `"${nameOf(plan, op.toNodeId)}" joins parallel branches; move to the step after it instead`, nodeId: op.toNodeId };
  }
  if (step.forks?.length) {
    // Which branch a moved step would belong to is not something an operator can say on a picture.
    return {
      code: 'in_parallel_branch',
      message: `"${nameOf(plan, step.nodeId)}" runs inside parallel branches; cancel the attempt or migrate it instead`,
      stepId: step.stepId,
    };
  }
  return null;
}

function variableProblem(plan: CompiledPlan, name: string, value: Json): OperationProblem | null {
  const system = systemNameProblem(name);
  if (system) return { code: 'system_variable', message: system };
  const start = plan.nodes[plan.startNodeId];
  const problems = startVariableProblems(start?.config, { [name]: value }).filter((p) => p.path[1] === name && p.code !== 'variable_missing');
  return problems[0] ? { code: problems[0].code, message: problems[0].message } : null;
}

/**
 * Where each active step goes in the new plan. A step whose node is the same there (same id, kind
 * and settings) keeps its tasks, timers and open answers; any other is left and entered again under
 * the new plan, so nothing of the old settings is silently kept. A step with nowhere to go refuses
 * the whole migration: an attempt is moved entirely or not at all.
 */
export function planMigration(
  from: CompiledPlan,
  to: CompiledPlan,
  state: RunState,
  mapping: Record<string, string>,
  toVersion: number,
): { steps: StepMigration[]; problems: OperationProblem[] } {
  const problems: OperationProblem[] = [];
  for (const [fromId, toId] of Object.entries(mapping)) {
    if (!from.nodes[fromId])
      problems.push({ code: 'bad_mapping', message: `the mapping names "${fromId}", which this attempt's version does not have`, nodeId: fromId });
    if (!to.nodes[toId])
      problems.push({ code: 'bad_mapping', message: `the mapping sends "${fromId}" to "${toId}", which version ${toVersion} does not have`, nodeId: fromId });
  }
  const steps = stepsInOrder(state).map((step): StepMigration => {
    const fromNode = from.nodes[step.nodeId];
    const toId = mapping[step.nodeId] ?? (to.nodes[step.nodeId] ? step.nodeId : null);
    const base = { stepId: step.stepId, fromNodeId: step.nodeId, fromName: nameOf(from, step.nodeId), toNodeId: toId, toName: toId ? nameOf(to, toId) : null };
    if (!toId || !to.nodes[toId]) {
      const message = `"${base.fromName}" is not in version ${toVersion}: map it to one of its steps`;
      problems.push({ code: 'step_removed', message, stepId: step.stepId, nodeId: step.nodeId });
      return { ...base, toNodeId: null, toName: null, action: 'refused', why: message };
    }
    const toNode = to.nodes[toId];
    if (toNode.kind === 'join' && fromNode?.kind !== 'join') {
      const message = `"${base.fromName}" cannot become "${toNode.name || toId}", which joins parallel branches`;
      problems.push({ code: 'join_target', message, stepId: step.stepId, nodeId: step.nodeId });
      return { ...base, action: 'refused', why: message };
    }
    const same = toId === step.nodeId && fromNode?.kind === toNode.kind && canonicalJson(fromNode.config) === canonicalJson(toNode.config);
    if (same) return { ...base, action: 'kept', why: 'the same step with the same settings: its tasks, timers and answers stay as they are' };
    const why =
      toId !== step.nodeId
        ? `mapped to "${base.toName}": entered there under version ${toVersion}`
        : fromNode?.kind !== toNode.kind
          ? `the step is now a ${toNode.kind}: entered again under version ${toVersion}`
          : `its settings changed: entered again under version ${toVersion}, waits counted from when it was first entered`;
    return { ...base, action: 're_entered', why };
  });
  return { steps, problems };
}

/**
 * A step entered again keeps the time it has already waited: a 30-day wait changed to 20 days, 10
 * days in, fires in 10 days (one already due fires at once). Its tasks' due dates move the same way.
 */
function rebaseWaits(state: RunState, commands: Command[], stepId: string, elapsed: number, now: number): void {
  if (elapsed <= 0 || !state.steps[stepId]) return;
  for (const [timerKey, timer] of Object.entries(state.timers)) {
    if (timer.stepId !== stepId) continue;
    timer.firesAt = Math.max(now + 1, timer.firesAt - elapsed);
    for (const cmd of commands) if (cmd.type === 'start_timer' && cmd.timerKey === timerKey) cmd.durationMs = timer.firesAt - now;
  }
  for (const task of Object.values(state.tasks)) {
    if (task.stepId !== stepId || task.dueAt === null) continue;
    task.dueAt -= elapsed;
    for (const cmd of commands) if (cmd.type === 'create_task' && cmd.task.taskKey === task.taskKey) cmd.task = { ...cmd.task, dueAt: task.dueAt };
  }
}

function operationDetails(plan: CompiledPlan, op: Operation, steps: StepMigration[]): Record<string, Json> {
  switch (op.type) {
    case 'cancel_attempt':
      return { outcome: op.outcome };
    case 'move_step':
      return { fromStepId: op.fromStepId, toNodeId: op.toNodeId, toName: nameOf(plan, op.toNodeId) };
    case 'set_variable':
      return { name: op.name, value: op.value };
    case 'migrate':
      return {
        fromPlanHash: plan.hash,
        toPlanHash: op.toPlan.hash,
        toVersion: op.toVersion,
        mapping: op.mapping,
        steps: steps.map((s) => ({ stepId: s.stepId, from: s.fromNodeId, to: s.toNodeId, action: s.action })),
      };
  }
}

function effectsOf(from: CompiledPlan, to: CompiledPlan, before: RunState, after: RunState, commands: Command[]): OperationEffects {
  const name = (nodeId: string) => to.nodes[nodeId]?.name || from.nodes[nodeId]?.name || nodeId;
  const effects: OperationEffects = {
    tasksCancelled: [],
    tasksCreated: [],
    timersCancelled: [],
    timersStarted: [],
    messagesSent: [],
    stepsLeft: [],
    stepsEntered: [],
    after: {
      status: after.status,
      activeSteps: activeNodeIds(after).map((nodeId) => ({ nodeId, name: name(nodeId), kind: to.nodes[nodeId]?.kind ?? '' })),
      nextTimer: (() => {
        const t = nextTimer(after);
        return t ? { purpose: t.purpose, firesAt: t.firesAt } : null;
      })(),
      outcome: after.outcome?.outcome ?? null,
    },
  };
  for (const cmd of commands) {
    if (cmd.type === 'close_task' && cmd.status === 'cancelled')
      effects.tasksCancelled.push({ taskKey: cmd.taskKey, title: before.tasks[cmd.taskKey]?.title ?? cmd.taskKey });
    if (cmd.type === 'create_task')
      effects.tasksCreated.push({
        taskKey: cmd.task.taskKey,
        title: cmd.task.title,
        role: cmd.task.assignee.role,
        userId: cmd.task.assignee.userId,
        dueAt: cmd.task.dueAt,
      });
    if (cmd.type === 'cancel_timer') effects.timersCancelled.push({ timerKey: cmd.timerKey, purpose: before.timers[cmd.timerKey]?.purpose ?? cmd.timerKey });
    if (cmd.type === 'start_timer')
      effects.timersStarted.push({ timerKey: cmd.timerKey, purpose: cmd.purpose, firesAt: after.timers[cmd.timerKey]?.firesAt ?? 0 });
    if (cmd.type === 'send_message')
      effects.messagesSent.push({ messageKey: cmd.messageKey, channel: cmd.channel, template: cmd.template, recipient: cmd.recipient.kind });
    if (cmd.type === 'step_left') effects.stepsLeft.push({ nodeId: cmd.nodeId, name: name(cmd.nodeId) });
    if (cmd.type === 'step_entered') effects.stepsEntered.push({ nodeId: cmd.nodeId, name: name(cmd.nodeId) });
  }
  return effects;
}
