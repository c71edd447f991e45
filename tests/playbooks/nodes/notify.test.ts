import { startRun } from '../../../playbooks/runtime';
import { customer, graphOf, planOf } from './helpers';

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
