import { applyEvent, startRun } from '../../../playbooks/runtime';
import { completeOnly, customer, graphOf, planOf, taskConfig } from './helpers';

const notifying = (to: unknown) =>
  planOf(
    graphOf(
      [
        ['s', 'start', {}],
        ['n', 'notify', { channel: 'sms', to, template: 'reminder', vars: { reminder_text: 'call us back' } }],
        ['e', 'end', { outcome: 'closed' }],
      ],
      ['s.next → n', 'n.next → e'],
    ),
  );
const sent = (to: unknown, vars: Record<string, string> = {}) => {
  const started = startRun(notifying(to), { ...customer, ...vars }, 0);
  expect(started.state.status).toBe('completed'); // a message never waits
  return started.commands.filter((c) => c.type === 'send_message');
};

describe('notify node kind', () => {
  it('sends one message from its template to the customer, then goes on', () => {
    expect(sent({ kind: 'customer' })).toEqual([
      {
        type: 'send_message',
        messageKey: expect.any(String),
        channel: 'sms',
        recipient: { kind: 'customer' },
        template: 'reminder',
        vars: { reminder_text: 'call us back' },
        link: null,
      },
    ]);
  });

  it("sends to a role in the customer's department, or to the account manager (the department's reps when there is none)", () => {
    expect(sent({ kind: 'role', role: 'department_head' })[0].recipient).toEqual({ kind: 'role', role: 'department_head', department: 'after_sales' });
    expect(sent({ kind: 'account_manager' }, { account_manager: 'u-kim' })[0].recipient).toEqual({ kind: 'user', userId: 'u-kim' });
    expect(sent({ kind: 'account_manager' })[0].recipient).toEqual({ kind: 'role', role: 'rep', department: 'after_sales' });
  });
});

describe('a recipient from a run variable', () => {
  const plan = planOf(
    graphOf(
      [
        ['s', 'start', {}],
        ['call', 'task', taskConfig(['done'])],
        [
          'n',
          'notify',
          { channel: 'email', to: { kind: 'user', userId: { from: 'var', name: 'call.completedBy' } }, template: 'reminder', vars: { reminder_text: 'x' } },
        ],
        ['e', 'end', { outcome: 'closed' }],
      ],
      ['s.next → call', 'call.done → n', 'n.next → e'],
    ),
  );

  it('sends to the person the variable names: here whoever completed the call', () => {
    const started = startRun(plan, customer, 0);
    const done = applyEvent(plan, started.state, completeOnly(started.state, 'done', 1));
    expect(done.commands.find((c) => c.type === 'send_message')).toMatchObject({ recipient: { kind: 'user', userId: 'u-rita' } });
  });

  it('to a named person as a literal, and to the fallback role when the variable names nobody', () => {
    const named = startRun(notifying({ kind: 'user', userId: 'u-hana' }), customer, 0);
    expect(named.commands.find((c) => c.type === 'send_message')).toMatchObject({ recipient: { kind: 'user', userId: 'u-hana' } });
    const fallback = startRun(
      notifying({ kind: 'user', userId: { from: 'var', name: 'customer.accountManager' }, fallbackRole: 'department_head' }),
      customer,
      0,
    );
    expect(fallback.commands.find((c) => c.type === 'send_message')).toMatchObject({
      recipient: { kind: 'role', role: 'department_head', department: 'after_sales' },
    });
  });
});
