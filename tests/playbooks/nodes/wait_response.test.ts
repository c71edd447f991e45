import { applyEvent, startRun, type RunState } from '../../../playbooks/runtime';
import { customer, graphOf, planOf } from './helpers';

const DAY = 86_400_000;
const plan = planOf(
  graphOf(
    [
      ['s', 'start', {}],
      ['wait', 'wait_response', { kinds: ['accepted', 'declined'], timeout: 'P7D', reminders: [{ after: 'P3D', template: 'reminder', channel: 'sms' }] }],
      ['won', 'end', { outcome: 'won_back' }],
      ['lost', 'end', { outcome: 'lost' }],
      ['silent', 'end', { outcome: 'closed' }],
    ],
    ['s.next → wait', 'wait.accepted → won', 'wait.declined → lost', 'wait.no_response → silent'],
  ),
);
const answer = (state: RunState, kind: string) =>
  applyEvent(plan, state, { type: 'customer_responded', at: DAY, kind, channel: 'phone', note: null, actor: null });
const timer = (state: RunState, purpose: string) => {
  const [timerKey, t] = Object.entries(state.timers).find(([, t]) => t.purpose === purpose)!;
  return { type: 'timer_fired' as const, at: t.firesAt, timerKey };
};

describe('wait_response node kind', () => {
  it('leaves through the handle of the answer it waits for; other answers change nothing', () => {
    const { state } = startRun(plan, customer, 0);
    expect(state.status).toBe('running');
    expect(answer(state, 'complaint').state.status).toBe('running');
    expect(answer(state, 'accepted').state.outcome).toMatchObject({ outcome: 'won_back' });
    expect(answer(state, 'declined').state.outcome).toMatchObject({ outcome: 'lost' });
  });

  it('reminds the customer while waiting, then leaves through "no_response" at the timeout', () => {
    const { state, commands } = startRun(plan, customer, 0);
    expect(commands.filter((c) => c.type === 'start_timer').map((c) => c.type === 'start_timer' && [c.purpose, c.durationMs])).toEqual([
      ['response_timeout', 7 * DAY],
      ['reminder', 3 * DAY],
    ]);
    const reminded = applyEvent(plan, state, timer(state, 'reminder'));
    expect(reminded.state.status).toBe('running');
    expect(reminded.commands).toContainEqual(
      expect.objectContaining({
        type: 'send_message',
        channel: 'sms',
        recipient: { kind: 'customer' },
        template: 'reminder',
        vars: { reminder_text: 'we are still waiting for your answer' },
      }),
    );
    const silent = applyEvent(plan, reminded.state, timer(reminded.state, 'response_timeout'));
    expect(silent.state.outcome).toMatchObject({ outcome: 'closed', at: 7 * DAY });
  });
});
