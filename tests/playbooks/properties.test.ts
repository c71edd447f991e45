import fc from 'fast-check';
import { compilePlaybook } from '../../playbooks/compile';
import type { FormData } from '../../playbooks/form';
import type { PlaybookGraph } from '../../playbooks/graph';
import { RESPONSE_KINDS } from '../../playbooks/nodes/waitResponse';
import type { CompiledPlan } from '../../playbooks/plan';
import { applyEvent, nextTimer, startRun, type Actor, type Json, type RunEvent, type RunState, type TaskSpec } from '../../playbooks/runtime';
import { customerArb, validGraphArb } from '../support/validGraphs';

/**
 * Properties of the pure core (compiler + runtime) over generated valid playbooks; see
 * tests/support/validGraphs.ts for how the graphs are built.
 */

const NUM_RUNS = Number(process.env.PROPERTY_RUNS ?? 200);
/** A fixed seed keeps CI repeatable; PROPERTY_SEED explores other corners (e.g. PROPERTY_SEED=$RANDOM). */
const SEED = Number(process.env.PROPERTY_SEED ?? 20261123);
const MAX_EVENTS = 500;
const T0 = Date.UTC(2025, 0, 6, 9);
const actor: Actor = { userId: 'u-hana', role: 'department_head', department: 'after_sales' };

const compiled = (graph: PlaybookGraph): CompiledPlan => {
  const result = compilePlaybook(graph);
  if (!result.plan) throw new Error(`generated graph does not compile: ${JSON.stringify(result.problems.slice(0, 5))}`);
  return result.plan;
};

/** A form filled in the way the API would accept it. */
function fillForm(task: TaskSpec, pickChoice: (options: string[]) => string): FormData {
  const form: FormData = {};
  for (const field of task.form) {
    if (field.type === 'choice') form[field.key] = pickChoice((field.options ?? []).map((o) => o.value));
    else if (field.type === 'number' || field.type === 'money') form[field.key] = 42;
    else if (field.type === 'boolean') form[field.key] = true;
    else if (field.type === 'date') form[field.key] = '2025-02-01';
    else form[field.key] = 'noted';
  }
  return form;
}

interface DriveResult {
  state: RunState;
  events: number;
}

/**
 * Drive a run with someone who always answers: complete an open task with one of its outcomes, let
 * the earliest timer fire (the clock jumps to it), or record a customer answer. The choices come
 * from fast-check, so a failure shrinks to the shortest sequence of answers.
 */
function drive(plan: CompiledPlan, vars: Record<string, Json>, g: fc.GeneratorValue, check: (state: RunState, step: string) => void): DriveResult {
  let now = T0;
  let { state } = startRun(plan, vars, now);
  check(state, 'start');
  let events = 0;
  while (state.status === 'running' && events < MAX_EVENTS) {
    const tasks = Object.values(state.tasks);
    const timer = nextTimer(state);
    const choices: ('task' | 'timer' | 'respond')[] = [
      ...(tasks.length ? (['task', 'task'] as const) : []),
      ...(timer ? (['timer', 'timer'] as const) : []),
      'respond',
    ];
    const choice = g(fc.constantFrom, ...choices);
    let event: RunEvent;
    if (choice === 'task') {
      const task = tasks[g(fc.nat, tasks.length - 1)];
      // Often the first outcome (the main line), so runs get deep; any outcome otherwise.
      const outcome = g(() => fc.oneof(fc.constant(task.outcomes[0].key), fc.constantFrom(...task.outcomes.map((o) => o.key))));
      now += 60_000;
      event = { type: 'task_completed', at: now, taskKey: task.taskKey, outcome, form: fillForm(task, (options) => g(fc.constantFrom, ...options)), actor };
    } else if (choice === 'timer' && timer) {
      now = Math.max(now, timer.firesAt);
      event = { type: 'timer_fired', at: now, timerKey: timer.timerKey };
    } else {
      now += 60_000;
      event = { type: 'customer_responded', at: now, kind: g(fc.constantFrom, ...RESPONSE_KINDS), channel: 'phone', note: null, actor: null };
    }
    const before = JSON.stringify(state);
    const next = applyEvent(plan, state, event);
    // (d) The runtime never mutates the state it was given.
    expect(JSON.stringify(state)).toBe(before);
    state = next.state;
    events += 1;
    check(state, `${event.type} #${events}`);
  }
  return { state, events };
}

/** (b) While a run is running, something is always open that an answer or the clock can move on. */
function neverStuck(state: RunState, step: string): void {
  if (state.status !== 'running') return;
  const waitingOn = Object.keys(state.tasks).length + Object.keys(state.timers).length;
  if (waitingOn === 0)
    throw new Error(
      `stuck after ${step}: running, with no open task and no timer; steps at ${Object.values(state.steps)
        .map((s) => s.nodeId)
        .join(', ')}`,
    );
}

describe('properties of generated valid playbooks', () => {
  it('(a) every generated graph compiles, to a hash that depends on content only', () => {
    fc.assert(
      fc.property(validGraphArb, fc.gen(), ({ graph, hasLoop }, g) => {
        const first = compilePlaybook(graph);
        expect(first.problems).toEqual([]);
        expect(first.ok).toBe(true);
        const again = compilePlaybook(JSON.parse(JSON.stringify(graph)));
        expect(again.plan!.hash).toBe(first.plan!.hash);
        // Node and edge order and positions are layout, not content: the hash stays.
        const shuffle = <T>(items: T[]): T[] => {
          const out = [...items];
          for (let i = out.length - 1; i > 0; i--) {
            const j = g(fc.nat, i);
            [out[i], out[j]] = [out[j], out[i]];
          }
          return out;
        };
        const relaid = { nodes: shuffle(graph.nodes).map((n) => ({ ...n, position: { x: n.position.x + 17, y: -3 } })), edges: shuffle(graph.edges) };
        expect(compilePlaybook(relaid).plan!.hash).toBe(first.plan!.hash);
        // Without a loop the worst case is a finite sum of waits; with one it is unknown.
        if (hasLoop) expect(first.worstCaseDurationMs).toBeNull();
        else expect(first.worstCaseDurationMs).toEqual(expect.any(Number));
      }),
      { numRuns: NUM_RUNS, seed: SEED, includeErrorInReport: true },
    );
  });

  it('(b, c, d) an answered run is never stuck, completes within a bounded number of events, and never mutates its input', () => {
    let longest = 0;
    fc.assert(
      fc.property(validGraphArb, customerArb, fc.option(fc.constantFrom('north', 'south')), fc.gen(), ({ graph }, customer, segment, g) => {
        const plan = compiled(graph);
        const planBefore = JSON.stringify(plan);
        const vars: Record<string, Json> = {
          customer,
          ...(segment ? { segment, score: 12 } : {}),
          ...(customer.accountManager ? { account_manager: customer.accountManager } : {}),
        };
        const varsBefore = JSON.stringify(vars);
        const { state, events } = drive(plan, vars, g, neverStuck);
        longest = Math.max(longest, events);
        expect({ status: state.status, events: events <= MAX_EVENTS }).toEqual({ status: 'completed', events: true });
        // A finished run holds nothing open.
        expect({ tasks: state.tasks, timers: state.timers, steps: state.steps }).toEqual({ tasks: {}, timers: {}, steps: {} });
        expect(state.outcome).not.toBeNull();
        expect(JSON.stringify(plan)).toBe(planBefore);
        expect(JSON.stringify(vars)).toBe(varsBefore);
      }),
      { numRuns: NUM_RUNS, seed: SEED, includeErrorInReport: true },
    );
    expect(longest).toBeGreaterThan(0);
  });

  it('the driver notices a stuck run (the property can fail)', () => {
    // Hand-made, not compiled: a plan from before joins knew their upstream (the old rule, one
    // arrival per edge), with a join that waits for two branches when only one can ever come.
    const node = (id: string, kind: string, config: unknown, next: Record<string, string>, inputs: number) => ({ id, kind, name: id, config, next, inputs });
    const plan: CompiledPlan = {
      format: 1,
      startNodeId: 's',
      hash: 'hand-made',
      worstCaseDurationMs: null,
      nodes: {
        s: node('s', 'start', { trigger: 'manual', variables: [] }, { next: 'w' }, 0),
        w: node('w', 'delay', { duration: 'P1D' }, { next: 'j' }, 1),
        j: node('j', 'join', {}, { next: 'e' }, 2),
        e: node('e', 'end', { outcome: 'lost' }, {}, 1),
      },
    };
    expect(() =>
      fc.assert(
        fc.property(fc.gen(), (g) => void drive(plan, {}, g, neverStuck)),
        { numRuns: 5, seed: 1, includeErrorInReport: true },
      ),
    ).toThrow(/stuck after timer_fired #1/);
  });
});
