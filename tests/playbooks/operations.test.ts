import { compilePlaybook } from '../../playbooks/compile';
import type { PlaybookGraph } from '../../playbooks/graph';
import type { CompiledPlan } from '../../playbooks/plan';
import { applyEvent, operate, startRun, waitsOf, type Operation, type RunState } from '../../playbooks/runtime';

const DAY = 86_400_000;
const at = { x: 0, y: 0 };
const olga = { userId: 'u-olga', role: 'ops_manager', department: null };
const rita = { userId: 'u-rita', role: 'rep', department: 'after_sales' };
const ctx = (when: number, id = 'op-1') => ({ operationId: id, actor: olga, reason: 'test', at: when });

const task = (title: string, outcome = 'done') => ({ title, assignee: { type: 'role', role: 'rep' }, outcomes: [{ key: outcome, label: title }] });

/** Version 1: call the customer, wait 30 days, end. */
const v1: PlaybookGraph = {
  nodes: [
    { id: 'start', kind: 'start', position: at, config: {} },
    { id: 'call', kind: 'task', position: at, config: task('Call') },
    { id: 'wait', kind: 'delay', position: at, config: { duration: 'P30D' } },
    { id: 'end', kind: 'end', position: at, config: { outcome: 'retained' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'call' },
    { id: 'e2', source: 'call', sourceHandle: 'done', target: 'wait' },
    { id: 'e3', source: 'wait', sourceHandle: 'next', target: 'end' },
  ],
};

/** Version 2: the call before the wait is gone, a follow-up after it is new. */
const v2: PlaybookGraph = {
  nodes: [
    { id: 'start', kind: 'start', position: at, config: {} },
    { id: 'wait', kind: 'delay', position: at, config: { duration: 'P30D' } },
    { id: 'follow', kind: 'task', position: at, config: task('Follow up', 'reached') },
    { id: 'end', kind: 'end', position: at, config: { outcome: 'retained' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'wait' },
    { id: 'e2', source: 'wait', sourceHandle: 'next', target: 'follow' },
    { id: 'e3', source: 'follow', sourceHandle: 'reached', target: 'end' },
  ],
};

const compiled = (graph: PlaybookGraph): CompiledPlan => {
  const result = compilePlaybook(graph);
  if (!result.plan) throw new Error(JSON.stringify(result.problems));
  return result.plan;
};
const plan1 = compiled(v1);
const plan2 = compiled(v2);
const migrate = (toPlan: CompiledPlan, mapping: Record<string, string> = {}): Operation => ({ type: 'migrate', toPlan, toVersion: 2, mapping });

/** A v1 attempt asleep in its 30-day wait since day 1. */
function asleepInWait(): RunState {
  const started = startRun(plan1, {}, 0);
  const [callTask] = Object.keys(started.state.tasks);
  return applyEvent(plan1, started.state, { type: 'task_completed', at: DAY, taskKey: callTask, outcome: 'done', form: {}, actor: rita }).state;
}

describe('operating an attempt through the pure runtime', () => {
  it('migrates an attempt asleep in a wait to a version that removed a step before it and inserted one after: it finishes on the new path', () => {
    const state = asleepInWait();
    const timerBefore = Object.values(state.timers)[0];
    const verdict = operate(plan1, state, migrate(plan2), ctx(10 * DAY));
    if (!verdict.ok) throw new Error(verdict.reason);
    expect(verdict.steps).toEqual([expect.objectContaining({ fromNodeId: 'wait', toNodeId: 'wait', action: 'kept' })]);
    // The unchanged wait keeps its timer: it still fires 30 days after it began, not 30 days after the move.
    expect(Object.values(verdict.state.timers)[0]).toEqual(timerBefore);
    expect(verdict.effects.timersCancelled).toEqual([]);
    expect(verdict.commands.at(-1)).toMatchObject({ type: 'record_operation', operation: 'migrate', details: { toVersion: 2, fromPlanHash: plan1.hash } });

    const [timerKey] = Object.keys(verdict.state.timers);
    const woke = applyEvent(verdict.plan, verdict.state, { type: 'timer_fired', at: 31 * DAY, timerKey });
    const follow = Object.values(woke.state.tasks).find((t) => t.nodeId === 'follow')!;
    expect(follow.title).toBe('Follow up');
    const done = applyEvent(verdict.plan, woke.state, {
      type: 'task_completed',
      at: 32 * DAY,
      taskKey: follow.taskKey,
      outcome: 'reached',
      form: {},
      actor: rita,
    });
    expect(done.state.outcome?.outcome).toBe('retained');
    expect(done.state.visits).toMatchObject({ follow: 1, end: 1 });
  });

  it('refuses a migration that leaves a step with nowhere to go, with its reason, and changes nothing', () => {
    const state = startRun(plan1, {}, 0).state; // waiting in the call, which version 2 removed
    const copy = JSON.parse(JSON.stringify(state)) as RunState;
    const verdict = operate(plan1, state, migrate(plan2), ctx(DAY));
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.code).toBe('migration_refused');
    expect(verdict.problems).toEqual([expect.objectContaining({ code: 'step_removed', nodeId: 'call' })]);
    expect(verdict.reason).toContain('"call" is not in version 2: map it to one of its steps');
    expect(state).toEqual(copy);
  });

  it('a mapped step is entered again under the new version: its old task is cancelled and the new one created', () => {
    const state = startRun(plan1, {}, 0).state;
    const verdict = operate(plan1, state, migrate(plan2, { call: 'follow' }), ctx(DAY));
    if (!verdict.ok) throw new Error(verdict.reason);
    expect(verdict.steps[0]).toMatchObject({ fromNodeId: 'call', toNodeId: 'follow', action: 're_entered' });
    expect(verdict.effects.tasksCancelled.map((t) => t.title)).toEqual(['Call']);
    expect(verdict.effects.tasksCreated.map((t) => t.title)).toEqual(['Follow up']);
    expect(Object.values(verdict.state.tasks).map((t) => t.nodeId)).toEqual(['follow']);
  });

  it('a wait whose length changed counts from when it began: 30 → 20 days, 10 days in, fires in 10 days', () => {
    const shorter = compiled({ ...v1, nodes: v1.nodes.map((n) => (n.id === 'wait' ? { ...n, config: { duration: 'P20D' } } : n)) });
    const state = asleepInWait(); // the wait began on day 1
    const verdict = operate(plan1, state, migrate(shorter), ctx(11 * DAY));
    if (!verdict.ok) throw new Error(verdict.reason);
    expect(verdict.steps[0]).toMatchObject({ fromNodeId: 'wait', toNodeId: 'wait', action: 're_entered' });
    expect(verdict.effects.timersStarted).toEqual([expect.objectContaining({ firesAt: 21 * DAY })]);
    const started = verdict.commands.find((c) => c.type === 'start_timer');
    expect(started).toMatchObject({ durationMs: 10 * DAY });
  });

  it('refuses a mapping that names steps neither version has', () => {
    const verdict = operate(plan1, asleepInWait(), migrate(plan2, { nowhere: 'wait', wait: 'gone' }), ctx(DAY));
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.problems.map((p) => p.code)).toEqual(['bad_mapping', 'bad_mapping', 'step_removed']);
  });

  it('moves an attempt from a stuck step to another: the task is cancelled and the target entered', () => {
    const state = startRun(plan1, {}, 0).state;
    const [step] = Object.values(state.steps);
    const verdict = operate(plan1, state, { type: 'move_step', fromStepId: step.stepId, toNodeId: 'wait' }, ctx(DAY));
    if (!verdict.ok) throw new Error(verdict.reason);
    expect(verdict.effects.tasksCancelled.map((t) => t.title)).toEqual(['Call']);
    expect(verdict.effects.after.activeSteps).toEqual([{ nodeId: 'wait', name: 'wait', kind: 'delay' }]);
    expect(waitsOf(plan1, verdict.state)).toEqual([expect.objectContaining({ nodeId: 'wait', timers: [expect.objectContaining({ firesAt: 31 * DAY })] })]);
  });

  it('refuses impossible moves with the reason', () => {
    const state = startRun(plan1, {}, 0).state;
    const [step] = Object.values(state.steps);
    const refusal = (op: Operation) => {
      const verdict = operate(plan1, state, op, ctx(DAY));
      return verdict.ok ? 'applied' : verdict.code;
    };
    expect(refusal({ type: 'move_step', fromStepId: 's99', toNodeId: 'wait' })).toBe('step_not_active');
    expect(refusal({ type: 'move_step', fromStepId: step.stepId, toNodeId: 'nowhere' })).toBe('unknown_step');
    expect(refusal({ type: 'set_variable', name: 'customer.value', value: 1 })).toBe('system_variable');
  });

  it('refuses to move a step inside parallel branches, and any operation on an ended attempt', () => {
    const forked = compiled({
      nodes: [
        { id: 'start', kind: 'start', position: at, config: {} },
        {
          id: 'fork',
          kind: 'parallel',
          position: at,
          config: {
            branches: [
              { key: 'a', label: 'A' },
              { key: 'b', label: 'B' },
            ],
          },
        },
        { id: 'ta', kind: 'task', position: at, config: task('A') },
        { id: 'tb', kind: 'task', position: at, config: task('B') },
        { id: 'join', kind: 'join', position: at, config: {} },
        { id: 'end', kind: 'end', position: at, config: { outcome: 'retained' } },
      ],
      edges: [
        { id: 'e1', source: 'start', sourceHandle: 'next', target: 'fork' },
        { id: 'e2', source: 'fork', sourceHandle: 'a', target: 'ta' },
        { id: 'e3', source: 'fork', sourceHandle: 'b', target: 'tb' },
        { id: 'e4', source: 'ta', sourceHandle: 'done', target: 'join' },
        { id: 'e5', source: 'tb', sourceHandle: 'done', target: 'join' },
        { id: 'e6', source: 'join', sourceHandle: 'next', target: 'end' },
      ],
    });
    const state = startRun(forked, {}, 0).state;
    const branch = Object.values(state.steps)[0];
    const moved = operate(forked, state, { type: 'move_step', fromStepId: branch.stepId, toNodeId: 'end' }, ctx(DAY));
    expect(moved.ok ? 'applied' : moved.code).toBe('in_parallel_branch');
    const cancelled = operate(forked, state, { type: 'cancel_attempt', outcome: 'cancelled' }, ctx(DAY));
    if (!cancelled.ok) throw new Error(cancelled.reason);
    expect(cancelled.effects.tasksCancelled.map((t) => t.title).sort()).toEqual(['A', 'B']);
    expect(cancelled.state.outcome).toMatchObject({ outcome: 'cancelled', reason: 'test' });
    const again = operate(forked, cancelled.state, { type: 'cancel_attempt', outcome: 'cancelled' }, ctx(DAY));
    expect(again.ok ? 'applied' : again.code).toBe('attempt_not_running');
  });

  it('sets a run variable, checked against the start node’s declared type', () => {
    const typed = compiled({
      ...v1,
      nodes: v1.nodes.map((n) => (n.id === 'start' ? { ...n, config: { variables: [{ key: 'channel', type: 'string', values: ['phone', 'sms'] }] } } : n)),
    });
    const state = startRun(typed, { channel: 'phone' }, 0).state;
    const ok = operate(typed, state, { type: 'set_variable', name: 'channel', value: 'sms' }, ctx(DAY));
    if (!ok.ok) throw new Error(ok.reason);
    expect(ok.state.vars.channel).toBe('sms');
    const wrong = operate(typed, state, { type: 'set_variable', name: 'channel', value: 'fax' }, ctx(DAY));
    expect(wrong.ok).toBe(false);
  });
});
