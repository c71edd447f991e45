import { compilePlaybook } from '../../../playbooks/compile';
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

describe('values from run variables', () => {
  const typed = { variables: [{ key: 'churn_type', type: 'string', required: true, values: ['natural', 'malicious', 'competitive', 'fault'] }] };
  const recording = planOf(
    graphOf(
      [
        ['s', 'start', typed],
        ['record', 'update_customer', { churnType: { from: 'var', name: 'churn_type' }, status: 'at_risk' }],
        ['e', 'end', { outcome: 'closed' }],
      ],
      ['s.next → record', 'record.next → e'],
    ),
  );

  it('one node records the churn type that was decided', () => {
    for (const type of ['malicious', 'fault']) {
      const { commands } = startRun(recording, { ...customer, churn_type: type }, 0);
      expect(commands.find((c) => c.type === 'update_customer')).toMatchObject({ churnType: type, status: 'at_risk' });
    }
  });

  it('a value the customer file does not accept leaves the field as it was', () => {
    const { commands } = startRun(recording, { ...customer, churn_type: 'bogus' }, 0);
    expect(commands.find((c) => c.type === 'update_customer')).toMatchObject({ churnType: null });
  });

  it('the compiler refuses a variable that does not exist or that some path leaves unset', () => {
    const compiled = compilePlaybook(
      graphOf(
        [
          ['s', 'start', { variables: [{ key: 'maybe', type: 'string' }] }],
          ['call', 'task', taskConfig(['a', 'b'], ['decided'])],
          ['other', 'task', taskConfig(['done'])],
          ['record', 'update_customer', { churnType: { from: 'var', name: 'decided' }, status: { from: 'var', name: 'nowhere' } }],
          ['record2', 'update_customer', { churnType: { from: 'var', name: 'maybe' } }],
          ['e', 'end', { outcome: 'closed' }],
        ],
        ['s.next → call', 'call.a → record', 'call.b → other', 'other.done → record', 'record.next → record2', 'record2.next → e'],
      ),
    );
    expect(compiled.problems.map((p) => [p.code, p.path.join('.')])).toEqual([
      ['unknown_variable', 'nodes.3.config.status.name'],
      ['variable_may_be_unset', 'nodes.3.config.churnType.name'],
      ['variable_may_be_unset', 'nodes.4.config.churnType.name'],
    ]);
  });

  it('a required form field on every path, or a customer field, is set', () => {
    const compiled = compilePlaybook(
      graphOf(
        [
          ['s', 'start', {}],
          ['call', 'task', { ...taskConfig(['done']), form: [{ key: 'decided', label: 'Type', type: 'text', required: true }] }],
          ['record', 'update_customer', { churnType: { from: 'var', name: 'decided' }, status: { from: 'var', name: 'customer.status' } }],
          ['e', 'end', { outcome: 'closed' }],
        ],
        ['s.next → call', 'call.done → record', 'record.next → e'],
      ),
    );
    expect(compiled.problems).toEqual([]);
  });
});
