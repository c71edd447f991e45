import { applyEvent, startRun } from '../../../playbooks/runtime';
import { customer, graphOf, planOf } from './helpers';

const DAY = 86_400_000;
const plan = planOf(
  graphOf(
    [
      ['s', 'start', {}],
      ['esc', 'escalate', { reason: 'customer asked for a manager', priority: 'urgent', sla: 'P1D' }],
      ['kept', 'end', { outcome: 'retained' }],
      ['lost', 'end', { outcome: 'lost' }],
    ],
    ['s.next → esc', 'esc.resolved → kept', 'esc.not_resolved → lost'],
  ),
);
const head = { userId: 'u-hana', role: 'department_head', department: 'after_sales' };

describe('escalate node kind', () => {
  it("hands the case to the head of the customer's department with its priority and reason, and tells them", () => {
    const started = startRun(plan, customer, 0);
    expect(started.commands.find((c) => c.type === 'create_task')).toMatchObject({
      task: {
        nodeId: 'esc',
        title: 'Escalation: customer asked for a manager',
        assignee: { role: 'department_head', department: 'after_sales', userId: null },
        priority: 'urgent',
        dueAt: DAY,
      },
    });
    expect(started.commands.find((c) => c.type === 'send_message')).toMatchObject({
      channel: 'email',
      recipient: { kind: 'role', role: 'department_head', department: 'after_sales' },
      template: 'escalation_notice',
      vars: { reason: 'customer asked for a manager', priority: 'urgent' },
    });
  });

  it('leaves through the outcome the head records, keeping their decision note', () => {
    const started = startRun(plan, customer, 0);
    const [taskKey] = Object.keys(started.state.tasks);
    const done = applyEvent(plan, started.state, {
      type: 'task_completed',
      at: 10,
      taskKey,
      outcome: 'not_resolved',
      form: { decision_note: 'customer left anyway' },
      actor: head,
    });
    expect(done.state.outcome).toMatchObject({ outcome: 'lost', at: 10 });
    expect(done.state.vars.decision_note).toBe('customer left anyway');
  });
});
