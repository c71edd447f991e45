import { compilePlaybook } from '../../../playbooks/compile';
import type { PlaybookGraph } from '../../../playbooks/graph';
import { applyEvent, startRun } from '../../../playbooks/runtime';
import { at, completeOnly, taskConfig } from './helpers';

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
