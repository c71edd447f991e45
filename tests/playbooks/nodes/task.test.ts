import { compilePlaybook } from '../../../playbooks/compile';
import { applyEvent, startRun } from '../../../playbooks/runtime';
import { callBackGraph } from '../../../playbooks/templates/callBack';
import { customer, graphOf, planOf, taskConfig } from './helpers';

const plan = compilePlaybook(callBackGraph).plan!;
const rep = { userId: 'u-rita', role: 'rep', department: 'after_sales' };

describe('pure runtime', () => {
  it('opens the call-back task for the customer department and ends on its outcome', () => {
    const started = startRun(plan, { customer: { id: 'C1', department: 'after_sales' } }, 1000);
    const create = started.commands.find((c) => c.type === 'create_task');
    expect(create).toMatchObject({ task: { nodeId: 'call_back', assignee: { role: 'rep', department: 'after_sales', userId: null } } });
    const taskKey = Object.keys(started.state.tasks)[0];

    const done = applyEvent(plan, started.state, {
      type: 'task_completed',
      at: 2000,
      taskKey,
      outcome: 'unreachable',
      form: { notes: 'no answer' },
      actor: rep,
    });
    expect(done.state.status).toBe('completed');
    expect(done.state.outcome).toEqual({ outcome: 'closed', reason: 'customer could not be reached', at: 2000 });
    expect(done.state.vars.notes).toBe('no answer');
    expect(done.commands.map((c) => c.type)).toEqual(['close_task', 'step_left', 'step_entered', 'step_left', 'complete_run']);
    // The input state is never mutated: the same state can be replayed or inspected at time T.
    expect(started.state.status).toBe('running');
  });
});

describe('SLA escalation to a named person or the account manager', () => {
  it('each missed SLA opens an escalation for the level’s target: the account manager, then a named director', () => {
    const chained = planOf(
      graphOf(
        [
          ['s', 'start', {}],
          [
            't',
            'task',
            {
              ...taskConfig(['done']),
              sla: 'P1D',
              escalation: [
                { role: 'rep', to: { type: 'account_manager' } },
                { role: 'department_head', to: { type: 'person', userId: 'u-olga', role: 'ops_manager' }, after: 'P2D' },
              ],
            },
          ],
          ['e', 'end', { outcome: 'closed' }],
        ],
        ['s.next → t', 't.done → e'],
      ),
    );
    let state = startRun(chained, { ...customer, account_manager: 'u-kim' }, 0).state;
    const fire = () => {
      const [timerKey, timer] = Object.entries(state.timers)[0];
      state = applyEvent(chained, state, { type: 'timer_fired', at: timer.firesAt, timerKey }).state;
    };
    fire();
    fire();
    expect(
      Object.values(state.tasks)
        .filter((t) => t.escalation)
        .map((t) => [t.escalation!.level, t.assignee]),
    ).toEqual([
      [1, { role: 'rep', department: 'after_sales', userId: 'u-kim' }],
      [2, { role: 'ops_manager', department: null, userId: 'u-olga' }],
    ]);
  });
});
