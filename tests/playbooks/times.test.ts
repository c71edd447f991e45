import { compilePlaybook } from '../../playbooks/compile';
import type { CompiledPlan } from '../../playbooks/plan';
import { callThenPause } from '../support/graphs';
import { applyEvent, checkedTime, checkedWait, LATEST_TIME, RuntimeError, startRun } from '../../playbooks/runtime';

/** The runtime refuses to hand out a time nobody can store or sleep on, whatever the plan says. */
const T0 = Date.UTC(2025, 0, 6, 9);
const rep = { userId: 'u-rita', role: 'rep', department: 'after_sales' };

/** A plan as one published before durations were bounded could carry it. */
function planWith(mutate: (plan: CompiledPlan) => void): CompiledPlan {
  const plan = JSON.parse(JSON.stringify(compilePlaybook(callThenPause).plan)) as CompiledPlan;
  mutate(plan);
  return plan;
}
const refusal = (fn: () => unknown): RuntimeError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof RuntimeError) return err;
    throw err;
  }
  throw new Error('expected the runtime to refuse');
};

describe('the runtime never produces an invalid date', () => {
  it('refuses NaN, infinite, negative and out-of-range times and waits', () => {
    for (const bad of [NaN, Infinity, -Infinity, -1, LATEST_TIME + 1, 9_007_199_254_740_993_000])
      expect(refusal(() => checkedTime(bad, 'due date')).code).toBe('invalid_time');
    for (const bad of [NaN, Infinity, -5, 2 ** 53, null as unknown as number])
      expect(refusal(() => checkedWait(T0, bad, 'timer')).code).toBe('invalid_duration');
    expect(refusal(() => checkedWait(LATEST_TIME - 10, 1000, 'timer')).code).toBe('invalid_time');
    expect(checkedWait(T0, 3_600_000, 'timer')).toBe(3_600_000);
    expect(checkedTime(T0, 'due date')).toBe(T0);
  });

  it.each(['P99999999999999999999W', 'PT9007199254740993S', 'P100000W', 'not a duration'])(
    'a delay of %s in a plan is refused with a clear error, and the state is left as it was',
    (duration) => {
      const plan = planWith((p) => {
        (p.nodes.pause.config as { duration: string }).duration = duration;
      });
      const { state } = startRun(plan, {}, T0);
      const taskKey = Object.keys(state.tasks)[0];
      const before = JSON.stringify(state);
      const err = refusal(() => applyEvent(plan, state, { type: 'task_completed', at: T0 + 1000, taskKey, outcome: 'done', form: {}, actor: rep }));
      expect(err.code).toBe('invalid_duration');
      expect(err.message).toContain('pause (delay)');
      expect(err.message).toContain('not a valid duration');
      expect(JSON.stringify(state)).toBe(before);
    },
  );

  it('refuses at the start when the first step would wait for an invalid time', () => {
    const plan = planWith((p) => {
      p.nodes.start.next = { next: 'pause' };
      (p.nodes.pause.config as { duration: string }).duration = 'P99999999999999999999W';
    });
    expect(refusal(() => startRun(plan, {}, T0)).code).toBe('invalid_duration');
  });
});
