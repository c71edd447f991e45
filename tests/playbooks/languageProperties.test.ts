import fc from 'fast-check';
import { compilePlaybook } from '../../playbooks/compile';
import type { FormData } from '../../playbooks/form';
import type { PlaybookGraph } from '../../playbooks/graph';
import { RESPONSE_KINDS } from '../../playbooks/nodes/waitResponse';
import type { CompiledPlan } from '../../playbooks/plan';
import { applyEvent, nextTimer, openAnswers, startRun, type Actor, type RunEvent, type RunState, type TaskSpec } from '../../playbooks/runtime';
import { customerArb, validGraphArb } from '../support/validGraphs';

/**
 * The language of issue 17 over generated valid playbooks (tests/support/validGraphs.ts), rewritten
 * to use it: joins that take the first branch to arrive, escalations that climb a chain to a named
 * person, updates that take their values from the run, a credit check before every decision. Each
 * rewritten graph must still compile, and a run driven by someone who always answers must never be
 * stuck, never keep a task, timer or pending answer of a step that is gone, and end.
 */
const NUM_RUNS = Number(process.env.PROPERTY_RUNS ?? 150);
const SEED = Number(process.env.PROPERTY_SEED ?? 20261201);
const MAX_EVENTS = 500;
const T0 = Date.UTC(2025, 0, 6, 9);
const actor: Actor = { userId: 'u-hana', role: 'department_head', department: 'after_sales' };

/** Rewrites a generated graph to use the new language, choice by choice. */
function rewrite(graph: PlaybookGraph, g: fc.GeneratorValue): PlaybookGraph {
  const nodes = graph.nodes.map((node) => {
    const config = node.config as Record<string, unknown>;
    if (node.kind === 'join' && g(fc.boolean)) return { ...node, config: { mode: 'first' } };
    if (node.kind === 'escalate' && g(fc.boolean))
      return {
        ...node,
        config: {
          ...config,
          to: { type: 'account_manager' },
          sla: 'P1D',
          chain: [{ to: { type: 'role', role: 'department_head' }, sla: 'P2D' }, { to: { type: 'person', userId: 'u-olga', role: 'ops_manager' } }],
        },
      };
    if (node.kind === 'update_customer' && g(fc.boolean)) return { ...node, config: { ...config, status: { from: 'var', name: 'customer.status' } } };
    return node;
  });
  // A credit check in front of the start's successor: every later decision may read credit.rating.
  const startEdge = graph.edges.find((e) => e.source === nodes.find((n) => n.kind === 'start')?.id);
  if (!startEdge || !g(fc.boolean)) return { nodes, edges: graph.edges };
  const check = { id: 'credit_gen', kind: 'credit_check', name: 'Credit check', position: { x: 0, y: 0 }, config: { sla: 'P1D' } };
  return {
    nodes: [...nodes, check],
    edges: [
      ...graph.edges.filter((e) => e !== startEdge),
      { ...startEdge, target: check.id },
      { id: 'credit_gen.checked', source: check.id, sourceHandle: 'checked', target: startEdge.target },
    ],
  };
}

function fillForm(task: TaskSpec, pick: (options: string[]) => string): FormData {
  const form: FormData = {};
  for (const field of task.form) {
    if (field.type === 'choice') form[field.key] = pick((field.options ?? []).map((o) => o.value));
    else if (field.type === 'number' || field.type === 'money') form[field.key] = 42;
    else if (field.type === 'boolean') form[field.key] = true;
    else if (field.type === 'date') form[field.key] = '2025-02-01';
    else form[field.key] = 'noted';
  }
  return form;
}

/** Nothing is left over from a step that is gone: every task, timer and pending answer belongs to an active step. */
function nothingOrphaned(state: RunState, step: string): void {
  const active = new Set(Object.keys(state.steps));
  const orphans = [
    ...Object.values(state.tasks)
      .filter((t) => !active.has(t.stepId))
      .map((t) => `task ${t.taskKey} of ${t.nodeId}`),
    ...Object.entries(state.timers)
      .filter(([, t]) => !active.has(t.stepId))
      .map(([k]) => `timer ${k}`),
    ...openAnswers(state)
      .filter((a) => !active.has(a.stepId))
      .map((a) => `answer ${a.ref}`),
  ];
  if (orphans.length) throw new Error(`after ${step}: ${orphans.join(', ')} outlived their step`);
  if (state.status !== 'running') {
    if (Object.keys(state.tasks).length || Object.keys(state.timers).length) throw new Error(`after ${step}: the run ended with work still open`);
    return;
  }
  if (Object.keys(state.tasks).length + Object.keys(state.timers).length === 0) throw new Error(`stuck after ${step}: running with no task and no timer`);
}

function drive(plan: CompiledPlan, vars: Record<string, unknown>, g: fc.GeneratorValue): RunState {
  let now = T0;
  let { state } = startRun(plan, vars as never, now);
  nothingOrphaned(state, 'start');
  for (let events = 1; state.status === 'running' && events <= MAX_EVENTS; events++) {
    const tasks = Object.values(state.tasks);
    const timer = nextTimer(state);
    const choice = g(fc.constantFrom, ...(tasks.length ? (['task', 'task'] as const) : []), ...(timer ? (['timer'] as const) : []), 'respond' as const);
    let event: RunEvent;
    if (choice === 'task') {
      const task = tasks[g(fc.nat, tasks.length - 1)];
      now += 60_000;
      event = {
        type: 'task_completed',
        at: now,
        taskKey: task.taskKey,
        outcome: g(fc.constantFrom, ...task.outcomes.map((o) => o.key)),
        form: fillForm(task, (o) => g(fc.constantFrom, ...o)),
        actor,
      };
    } else if (choice === 'timer' && timer) {
      now = Math.max(now, timer.firesAt);
      event = { type: 'timer_fired', at: now, timerKey: timer.timerKey };
    } else {
      now += 60_000;
      event = { type: 'customer_responded', at: now, kind: g(fc.constantFrom, ...RESPONSE_KINDS), channel: 'phone', note: null, actor: null };
    }
    state = applyEvent(plan, state, event).state;
    nothingOrphaned(state, `${event.type} #${events}`);
  }
  return state;
}

describe('properties of the playbook language (first-arrival joins, escalation chains, values from variables, credit checks)', () => {
  it('every rewritten graph compiles; an answered run is never stuck, leaves nothing behind a step that is gone, and ends', () => {
    fc.assert(
      fc.property(validGraphArb, customerArb, fc.gen(), ({ graph, hasLoop }, customer, g) => {
        const compiled = compilePlaybook(rewrite(graph, g));
        expect(compiled.problems).toEqual([]);
        const state = drive(compiled.plan!, { customer, account_manager: 'u-rita' }, g);
        // A loop may be driven round for ever by someone who keeps choosing "again"; without one the run ends.
        if (!hasLoop) expect(state.status).toBe('completed');
      }),
      { numRuns: NUM_RUNS, seed: SEED, includeErrorInReport: true },
    );
  });
});
