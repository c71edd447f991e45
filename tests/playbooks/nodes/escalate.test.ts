import { compilePlaybook } from '../../../playbooks/compile';
import { nodeKind } from '../../../playbooks/nodes';
import { applyEvent, startRun, type Command } from '../../../playbooks/runtime';
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

describe('escalation to a person, the account manager, or along a chain', () => {
  const chainPlan = planOf(
    graphOf(
      [
        ['s', 'start', {}],
        [
          'esc',
          'escalate',
          {
            reason: 'complaint not resolved',
            to: { type: 'account_manager' },
            sla: 'P1D',
            chain: [{ to: { type: 'role', role: 'department_head' }, sla: 'P2D' }, { to: { type: 'person', userId: 'u-olga', role: 'ops_manager' } }],
          },
        ],
        ['kept', 'end', { outcome: 'retained' }],
        ['lost', 'end', { outcome: 'lost' }],
      ],
      ['s.next → esc', 'esc.resolved → kept', 'esc.not_resolved → lost'],
    ),
  );
  const withManager = { ...customer, account_manager: 'u-rita' };
  const fire = (state: ReturnType<typeof startRun>['state'], at: number) => {
    const [timerKey] = Object.keys(state.timers);
    return applyEvent(chainPlan, state, { type: 'timer_fired', at, timerKey });
  };

  it('goes to the account manager first, then up the chain at each missed SLA: rep → head → a named director', () => {
    const started = startRun(chainPlan, withManager, 0);
    expect(Object.values(started.state.tasks).map((t) => [t.assignee, t.dueAt])).toEqual([[{ role: 'rep', department: 'after_sales', userId: 'u-rita' }, DAY]]);
    expect(started.commands.find((c) => c.type === 'send_message')).toMatchObject({ recipient: { kind: 'user', userId: 'u-rita' } });

    const toHead = fire(started.state, DAY);
    const firstTask = Object.keys(started.state.tasks)[0];
    expect(toHead.commands).toEqual(
      expect.arrayContaining([
        { type: 'close_task', taskKey: firstTask, status: 'cancelled', outcome: null, form: null, actor: null },
        expect.objectContaining({ type: 'record', kind: 'escalate', name: 'level', data: expect.objectContaining({ level: 2, to: 'department head' }) }),
      ]),
    );
    expect(Object.values(toHead.state.tasks).map((t) => [t.assignee, t.dueAt, t.priority])).toEqual([
      [{ role: 'department_head', department: 'after_sales', userId: null }, 3 * DAY, 'urgent'],
    ]);

    const toDirector = fire(toHead.state, 3 * DAY);
    expect(Object.values(toDirector.state.tasks).map((t) => t.assignee)).toEqual([{ role: 'ops_manager', department: null, userId: 'u-olga' }]);
    // The last level has no SLA: nothing more is timed, and the director's answer decides.
    expect(toDirector.state.timers).toEqual({});
    const [taskKey] = Object.keys(toDirector.state.tasks);
    const done = applyEvent(chainPlan, toDirector.state, {
      type: 'task_completed',
      at: 4 * DAY,
      taskKey,
      outcome: 'resolved',
      form: {},
      actor: { userId: 'u-olga', role: 'ops_manager', department: null },
    });
    expect(done.state.outcome).toMatchObject({ outcome: 'retained' });
  });

  it('reads in a timeline as a move up the chain', () => {
    const toHead = fire(startRun(chainPlan, withManager, 0).state, DAY);
    const record = toHead.commands.find((c) => c.type === 'record') as Extract<Command, { type: 'record' }>;
    expect(nodeKind('escalate').describe?.(record)).toEqual({
      kind: 'escalated_up',
      text: 'Escalated up the chain to level 2: department head (the level before missed its SLA)',
    });
  });

  it('without an account manager, the account manager level falls to its role’s queue', () => {
    const started = startRun(chainPlan, customer, 0);
    expect(Object.values(started.state.tasks)[0].assignee).toEqual({ role: 'rep', department: 'after_sales', userId: null });
  });

  it('a level that hands on needs an SLA, and every role must exist', () => {
    const compiled = compilePlaybook(
      graphOf(
        [
          ['s', 'start', {}],
          [
            'esc',
            'escalate',
            { reason: 'x', to: { type: 'person', userId: 'u-olga', role: 'director' }, chain: [{ to: { type: 'role', role: 'department_head' } }] },
          ],
          ['e', 'end', { outcome: 'closed' }],
        ],
        ['s.next → esc', 'esc.resolved → e', 'esc.not_resolved → e'],
      ),
    );
    expect(compiled.problems.map((p) => [p.code, p.path.join('.')])).toEqual([
      ['unknown_role', 'nodes.1.config.to.role'],
      ['escalation_without_sla', 'nodes.1.config.sla'],
    ]);
  });
});
