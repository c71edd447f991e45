import { compilePlaybook } from '../../../playbooks/compile';
import type { PlaybookGraph } from '../../../playbooks/graph';
import { nodeKind } from '../../../playbooks/nodes';
import { applyEvent, openAnswers, startRun, type Command } from '../../../playbooks/runtime';
import { at, completeOnly, customer, graphOf, planOf, rep, taskConfig } from './helpers';

/** A join goes on once every branch that can still arrive has arrived (bugs the property and fuzz tests found, kept as regression tests). */
describe('regressions found by property tests and fuzzing', () => {
  it('a join counts edges, not branches: two outcomes of one branch wired into the join leave the run stuck forever', () => {
    // parallel ─a→ task(yes|no) ─yes→ join, ─no→ join;  parallel ─b→ notify → join;  join → end.
    // plan.nodes.j.inputs is 3 (edges) but only 2 branches ever arrive: after "yes" both wait at the
    // join with no task and no timer left, so nothing can ever move the run on.
    const graph: PlaybookGraph = {
      nodes: [
        { id: 's', kind: 'start', position: at, config: {} },
        {
          id: 'p',
          kind: 'parallel',
          position: at,
          config: {
            branches: [
              { key: 'a', label: 'A' },
              { key: 'b', label: 'B' },
            ],
          },
        },
        { id: 't', kind: 'task', position: at, config: taskConfig(['yes', 'no']) },
        { id: 'n', kind: 'notify', position: at, config: { channel: 'email', to: { kind: 'customer' }, template: 'reminder' } },
        { id: 'j', kind: 'join', position: at, config: {} },
        { id: 'e', kind: 'end', position: at, config: { outcome: 'retained' } },
      ],
      edges: [
        { id: 'e1', source: 's', sourceHandle: 'next', target: 'p' },
        { id: 'e2', source: 'p', sourceHandle: 'a', target: 't' },
        { id: 'e3', source: 'p', sourceHandle: 'b', target: 'n' },
        { id: 'e4', source: 't', sourceHandle: 'yes', target: 'j' },
        { id: 'e5', source: 't', sourceHandle: 'no', target: 'j' },
        { id: 'e6', source: 'n', sourceHandle: 'next', target: 'j' },
        { id: 'e7', source: 'j', sourceHandle: 'next', target: 'e' },
      ],
    };
    const compiled = compilePlaybook(graph);
    if (!compiled.plan) return; // fixed by refusing the graph
    const started = startRun(compiled.plan, {}, 0);
    const done = applyEvent(compiled.plan, started.state, completeOnly(started.state, 'yes', 1));
    expect(done.state.status).toBe('completed');
  });
});

describe('joins inside loops', () => {
  it('two joins on a loop never wait for each other (found by the property test, seed -1623329868)', () => {
    const graph = {
      nodes: [
        {
          id: 'start_1',
          kind: 'start',
          config: {
            trigger: 'manual',
            variables: [
              { key: 'segment', type: 'string' },
              { key: 'score', type: 'number' },
            ],
          },
        },
        { id: 'end_2', kind: 'end', config: { outcome: 'retained', reason: 'made it through' } },
        {
          id: 'parallel_3',
          kind: 'parallel',
          config: {
            branches: [
              { key: 'b0', label: 'Branch 1' },
              { key: 'b1', label: 'Branch 2' },
            ],
          },
        },
        { id: 'join_4', kind: 'join', config: {} },
        { id: 'update_customer_5', kind: 'update_customer', config: { addTags: ['branch_0'] } },
        { id: 'update_customer_6', kind: 'update_customer', config: { addTags: ['branch_1'] } },
        {
          id: 'decision_7',
          kind: 'decision',
          config: { rules: [{ handle: 'again', label: 'try again', when: { var: 'visits.escalate_16', op: 'lt', value: 2 } }] },
        },
        {
          id: 'parallel_8',
          kind: 'parallel',
          config: {
            branches: [
              { key: 'b0', label: 'Branch 1' },
              { key: 'b1', label: 'Branch 2' },
            ],
          },
        },
        { id: 'join_9', kind: 'join', config: {} },
        { id: 'update_customer_10', kind: 'update_customer', config: { addTags: ['branch_0'] } },
        { id: 'update_customer_11', kind: 'update_customer', config: { addTags: ['branch_1'] } },
        {
          id: 'parallel_12',
          kind: 'parallel',
          config: {
            branches: [
              { key: 'b0', label: 'Branch 1' },
              { key: 'b1', label: 'Branch 2' },
            ],
          },
        },
        { id: 'join_13', kind: 'join', config: {} },
        { id: 'update_customer_14', kind: 'update_customer', config: { addTags: ['branch_0'] } },
        { id: 'update_customer_15', kind: 'update_customer', config: { addTags: ['branch_1'] } },
        { id: 'escalate_16', kind: 'escalate', config: { reason: 'customer asked for a manager' } },
      ],
      edges: [
        { id: 'e1', source: 'join_4', sourceHandle: 'next', target: 'end_2' },
        { id: 'e2', source: 'update_customer_5', sourceHandle: 'next', target: 'join_4' },
        { id: 'e3', source: 'parallel_3', sourceHandle: 'b0', target: 'update_customer_5' },
        { id: 'e4', source: 'update_customer_6', sourceHandle: 'next', target: 'join_4' },
        { id: 'e5', source: 'parallel_3', sourceHandle: 'b1', target: 'update_customer_6' },
        { id: 'e6', source: 'decision_7', sourceHandle: 'default', target: 'parallel_3' },
        { id: 'e7', source: 'join_9', sourceHandle: 'next', target: 'decision_7' },
        { id: 'e8', source: 'update_customer_10', sourceHandle: 'next', target: 'join_9' },
        { id: 'e9', source: 'parallel_8', sourceHandle: 'b0', target: 'update_customer_10' },
        { id: 'e10', source: 'update_customer_11', sourceHandle: 'next', target: 'join_9' },
        { id: 'e11', source: 'parallel_8', sourceHandle: 'b1', target: 'update_customer_11' },
        { id: 'e12', source: 'join_13', sourceHandle: 'next', target: 'parallel_8' },
        { id: 'e13', source: 'update_customer_14', sourceHandle: 'next', target: 'join_13' },
        { id: 'e14', source: 'parallel_12', sourceHandle: 'b0', target: 'update_customer_14' },
        { id: 'e15', source: 'update_customer_15', sourceHandle: 'next', target: 'join_13' },
        { id: 'e16', source: 'parallel_12', sourceHandle: 'b1', target: 'update_customer_15' },
        { id: 'e17', source: 'escalate_16', sourceHandle: 'resolved', target: 'parallel_12' },
        { id: 'e18', source: 'escalate_16', sourceHandle: 'not_resolved', target: 'parallel_12' },
        { id: 'e19', source: 'decision_7', sourceHandle: 'again', target: 'escalate_16' },
        { id: 'e20', source: 'start_1', sourceHandle: 'next', target: 'escalate_16' },
      ],
    };
    const compiled = compilePlaybook(graph);
    expect(compiled.problems).toEqual([]);
    const plan = compiled.plan!;
    let { state } = startRun(plan, { customer: { id: 'C-1', department: 'after_sales' } }, 0);
    const rita = { userId: 'u-hana', role: 'department_head', department: 'after_sales' };
    for (let i = 0; i < 10 && state.status === 'running'; i++) {
      const task = Object.values(state.tasks)[0];
      expect(task).toBeDefined(); // never running with nothing to wait for
      ({ state } = applyEvent(plan, state, { type: 'task_completed', at: i + 1, taskKey: task.taskKey, outcome: 'resolved', form: {}, actor: rita }));
    }
    expect(state.status).toBe('completed');
    expect(state.outcome?.outcome).toBe('retained');
  });
});

describe('first-arrival joins', () => {
  // parallel ─a→ offer ladder ─accepted→ join(first); ─b→ head's visit (task) ─won→ join(first); join → end.
  const graph = graphOf(
    [
      ['s', 'start', {}],
      [
        'p',
        'parallel',
        {
          branches: [
            { key: 'a', label: 'Offer' },
            { key: 'b', label: 'Visit' },
          ],
        },
      ],
      ['offer', 'offer', { tiers: [{ label: '5%', incentive: { type: 'percent', value: 5, description: '5% off' }, validity: 'P14D' }] }],
      ['visit', 'task', { ...taskConfig(['won', 'lost']), sla: 'P3D', escalation: [{ role: 'department_head' }] }],
      ['j', 'join', { mode: 'first' }],
      ['lost_j', 'join', {}],
      ['won', 'end', { outcome: 'won_back' }],
      ['lost', 'end', { outcome: 'lost' }],
    ],
    [
      's.next → p',
      'p.a → offer',
      'p.b → visit',
      'offer.accepted → j',
      'visit.won → j',
      'offer.exhausted → lost_j',
      'visit.lost → lost_j',
      'j.next → won',
      'lost_j.next → lost',
    ],
  );
  const plan = planOf(graph);

  it('the first branch to arrive goes on; the other is ended: its task cancelled, its timers stopped, recorded in the timeline', () => {
    const started = startRun(plan, customer, 0);
    expect(Object.values(started.state.tasks).map((t) => t.nodeId)).toEqual(['visit']);
    const accepted = applyEvent(plan, started.state, { type: 'customer_responded', at: 5, kind: 'accepted', channel: 'phone', note: null, actor: null });
    expect(accepted.state.outcome).toMatchObject({ outcome: 'won_back' });
    const visitTask = Object.keys(started.state.tasks)[0];
    expect(accepted.commands).toEqual(
      expect.arrayContaining([
        { type: 'close_task', taskKey: visitTask, status: 'cancelled', outcome: null, form: null, actor: null },
        expect.objectContaining({ type: 'cancel_timer' }),
        expect.objectContaining({ type: 'record', kind: 'join', name: 'first_arrived', data: { cancelled: ['visit'], names: ['visit'] } }),
      ]),
    );
    const line = nodeKind('join').describe?.(accepted.commands.find((c) => c.type === 'record') as Extract<Command, { type: 'record' }>);
    expect(line).toEqual({ kind: 'join_first_arrived', text: 'First branch arrived; the others were cancelled (visit)' });
  });

  it('the head’s visit winning closes the offer on the table: expired, its link answers nothing, its validity timer stopped', () => {
    const started = startRun(plan, customer, 0);
    const won = applyEvent(plan, started.state, completeOnly(started.state, 'won', 10));
    expect(won.state.outcome).toMatchObject({ outcome: 'won_back' });
    expect(won.commands).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'record_offer', nodeId: 'offer', status: 'expired' })]));
    expect(openAnswers(won.state)).toEqual([]);
    expect(won.state.timers).toEqual({});
  });

  it('when neither wins, the wait-for-all join gathers both failures', () => {
    const started = startRun(plan, customer, 0);
    const declined = applyEvent(plan, started.state, { type: 'customer_responded', at: 5, kind: 'declined', channel: 'phone', note: null, actor: null });
    expect(declined.state.status).toBe('running');
    const lost = applyEvent(plan, declined.state, completeOnly(declined.state, 'lost', 6));
    expect(lost.state.outcome).toMatchObject({ outcome: 'lost' });
  });

  it('under the rules of an older plan revision, a first-arrival join still waits for all (older plans never change meaning)', () => {
    const old = { ...plan, revision: 3 };
    const started = startRun(old, customer, 0);
    const accepted = applyEvent(old, started.state, { type: 'customer_responded', at: 5, kind: 'accepted', channel: 'phone', note: null, actor: null });
    expect(accepted.state.status).toBe('running');
    expect(Object.values(accepted.state.tasks).map((t) => t.nodeId)).toEqual(['visit']);
  });
});

describe('first-arrival joins inside an outer fork', () => {
  // outer: parallel ─x→ inner race (parallel ─a→ task A, ─b→ task B, both → join(first)) → join(all)
  //                  ─y→ task C → join(all);  join(all) → end.
  const two = (a: string, b: string) => ({
    branches: [
      { key: a, label: a },
      { key: b, label: b },
    ],
  });
  const plan = planOf(
    graphOf(
      [
        ['s', 'start', {}],
        ['outer', 'parallel', two('x', 'y')],
        ['inner', 'parallel', two('a', 'b')],
        ['ta', 'task', taskConfig(['done'])],
        ['tb', 'task', taskConfig(['done'])],
        ['tc', 'task', taskConfig(['done'])],
        ['race', 'join', { mode: 'first' }],
        ['all', 'join', {}],
        ['e', 'end', { outcome: 'closed' }],
      ],
      [
        's.next → outer',
        'outer.x → inner',
        'outer.y → tc',
        'inner.a → ta',
        'inner.b → tb',
        'ta.done → race',
        'tb.done → race',
        'race.next → all',
        'tc.done → all',
        'all.next → e',
      ],
    ),
  );

  it('ends only the other branch of its own race; the outer branch carries on and the outer join still waits for it', () => {
    const started = startRun(plan, customer, 0);
    const taskAt = (state: typeof started.state, nodeId: string) => Object.values(state.tasks).find((t) => t.nodeId === nodeId)!.taskKey;
    const a = applyEvent(plan, started.state, { type: 'task_completed', at: 1, taskKey: taskAt(started.state, 'ta'), outcome: 'done', form: {}, actor: rep });
    expect(Object.values(a.state.tasks).map((t) => t.nodeId)).toEqual(['tc']);
    expect(a.state.status).toBe('running');
    const c = applyEvent(plan, a.state, { type: 'task_completed', at: 2, taskKey: taskAt(a.state, 'tc'), outcome: 'done', form: {}, actor: rep });
    expect(c.state.outcome).toMatchObject({ outcome: 'closed' });
  });
});
