import { applyEvent, startRun } from '../../../playbooks/runtime';
import { customer, graphOf, planOf, rep, taskConfig } from './helpers';

const plan = planOf(
  graphOf(
    [
      ['s', 'start', {}],
      ['call', 'task', taskConfig(['done'], ['churn_code'])],
      [
        'update',
        'update_customer',
        { status: 'churned', addTags: ['lost_to_rival'], removeTags: ['vip'], churnType: 'competitive', churnReasonFrom: 'churn_code' },
      ],
      ['e', 'end', { outcome: 'lost' }],
    ],
    ['s.next → call', 'call.done → update', 'update.next → e'],
  ),
);
const updated = (churnCode: string) => {
  const { state } = startRun(plan, customer, 0);
  const [taskKey] = Object.keys(state.tasks);
  const done = applyEvent(plan, state, { type: 'task_completed', at: 1, taskKey, outcome: 'done', form: { churn_code: churnCode }, actor: rep });
  expect(done.state.status).toBe('completed'); // an update never waits
  return done.commands.filter((c) => c.type === 'update_customer');
};

describe('update_customer node kind', () => {
  it("sets the customer's status, tags, churn type, and the churn reason a task's form recorded", () => {
    expect(updated('B')).toEqual([
      { type: 'update_customer', status: 'churned', addTags: ['lost_to_rival'], removeTags: ['vip'], churnType: 'competitive', churnReason: 'B' },
    ]);
  });

  it('records no churn reason when the form field holds anything but A–D', () => {
    expect(updated('maybe')[0]).toMatchObject({ churnReason: null });
  });
});
