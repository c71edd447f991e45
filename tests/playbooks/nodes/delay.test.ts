import { applyEvent, startRun } from '../../../playbooks/runtime';
import { graphOf, planOf } from './helpers';

const DAY = 86_400_000;
const plan = planOf(
  graphOf(
    [
      ['s', 'start', {}],
      ['pause', 'delay', { duration: 'P2D' }],
      ['e', 'end', { outcome: 'retained' }],
    ],
    ['s.next → pause', 'pause.next → e'],
  ),
);

describe('delay node kind', () => {
  it('waits its fixed duration on a timer, then goes on through "next"', () => {
    const started = startRun(plan, {}, 1000);
    expect(started.state.status).toBe('running');
    expect(started.commands).toContainEqual({ type: 'start_timer', timerKey: expect.any(String), durationMs: 2 * DAY, purpose: 'delay' });
    const [timerKey, timer] = Object.entries(started.state.timers)[0];
    expect(timer.firesAt).toBe(1000 + 2 * DAY);

    // Another timer changes nothing; its own one moves the run on.
    expect(applyEvent(plan, started.state, { type: 'timer_fired', at: 2000, timerKey: 'timer-999' }).state).toBe(started.state);
    const done = applyEvent(plan, started.state, { type: 'timer_fired', at: timer.firesAt, timerKey });
    expect(done.state.outcome).toEqual({ outcome: 'retained', reason: null, at: 1000 + 2 * DAY });
    expect(done.state.timers).toEqual({});
  });
});
