import { applyEvent, startRun } from '../../../playbooks/runtime';
import { completeOnly, customer, graphOf, planOf, taskConfig } from './helpers';

const plan = planOf(
  graphOf(
    [
      ['s', 'start', {}],
      [
        'p',
        'parallel',
        {
          branches: [
            { key: 'a', label: 'Call' },
            { key: 'b', label: 'Write' },
          ],
        },
      ],
      ['call', 'task', taskConfig(['done'])],
      ['write', 'notify', { channel: 'email', to: { kind: 'customer' }, template: 'reminder' }],
      ['j', 'join', {}],
      ['e', 'end', { outcome: 'retained' }],
    ],
    ['s.next → p', 'p.a → call', 'p.b → write', 'call.done → j', 'write.next → j', 'j.next → e'],
  ),
);

describe('parallel node kind', () => {
  it('runs every branch together: the call is opened and the message sent at once', () => {
    const started = startRun(plan, customer, 0);
    expect(started.commands.find((c) => c.type === 'step_left' && c.nodeId === 'p')).toMatchObject({ handle: 'a,b' });
    expect(started.commands.map((c) => c.type)).toEqual(expect.arrayContaining(['create_task', 'send_message']));
    // Branch b already waits at the join; branch a waits for its task.
    expect(started.state.status).toBe('running');
    expect(
      Object.values(started.state.steps)
        .map((s) => s.nodeId)
        .sort(),
    ).toEqual(['call', 'j']);

    const done = applyEvent(plan, started.state, completeOnly(started.state, 'done', 1));
    expect(done.state.outcome).toMatchObject({ outcome: 'retained', at: 1 });
  });
});
