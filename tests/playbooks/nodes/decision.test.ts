import { compilePlaybook } from '../../../playbooks/compile';
import type { PlaybookGraph } from '../../../playbooks/graph';
import { applyEvent, startRun } from '../../../playbooks/runtime';
import { at, completeOnly, graphOf, planOf, taskConfig } from './helpers';

/** Bugs the property and fuzz tests found in decision.readVar: `visits.<id>` with dots in the id, inherited object members read as variables. */
describe('regressions found by property tests and fuzzing', () => {
  it('visits.<node> never resolves when the node id contains a dot, so a loop bound on it never triggers', () => {
    // Identifiers allow ".", but decision.readVar splits "visits.call.1" into visits → call → 1.
    const graph: PlaybookGraph = {
      nodes: [
        { id: 's', kind: 'start', position: at, config: {} },
        { id: 'call.1', kind: 'task', position: at, config: taskConfig(['no_answer']) },
        { id: 'guard', kind: 'decision', position: at, config: { rules: [{ handle: 'give_up', when: { var: 'visits.call.1', op: 'gte', value: 3 } }] } },
        { id: 'e', kind: 'end', position: at, config: { outcome: 'closed' } },
      ],
      edges: [
        { id: 'e1', source: 's', sourceHandle: 'next', target: 'call.1' },
        { id: 'e2', source: 'call.1', sourceHandle: 'no_answer', target: 'guard' },
        { id: 'e3', source: 'guard', sourceHandle: 'give_up', target: 'e' },
        { id: 'e4', source: 'guard', sourceHandle: 'default', target: 'call.1' },
      ],
    };
    const compiled = compilePlaybook(graph);
    if (!compiled.plan) return; // fixed by refusing the graph
    let state = startRun(compiled.plan, {}, 0).state;
    for (let i = 1; i <= 3 && state.status === 'running'; i++) state = applyEvent(compiled.plan, state, completeOnly(state, 'no_answer', i)).state;
    // Third "no answer": visits of call.1 is 3, the guard gives up.
    expect({ status: state.status, visits: state.visits['call.1'] }).toEqual({ status: 'completed', visits: 3 });
  });

  it('a decision reads inherited object members: "constructor" exists before anyone filled it in', () => {
    // decision.readVar tests `name in vars`, which is true for Object.prototype members such as
    // constructor / toString / hasOwnProperty; any form field may be called that.
    const graph: PlaybookGraph = {
      nodes: [
        { id: 's', kind: 'start', position: at, config: {} },
        { id: 'd', kind: 'decision', position: at, config: { rules: [{ handle: 'answered', when: { var: 'constructor', op: 'exists' } }] } },
        { id: 'ask', kind: 'task', position: at, config: taskConfig(['done'], ['constructor']) },
        { id: 'early', kind: 'end', position: at, config: { outcome: 'retained' } },
        { id: 'late', kind: 'end', position: at, config: { outcome: 'lost' } },
      ],
      edges: [
        { id: 'e1', source: 's', sourceHandle: 'next', target: 'd' },
        { id: 'e2', source: 'd', sourceHandle: 'answered', target: 'early' },
        { id: 'e3', source: 'd', sourceHandle: 'default', target: 'ask' },
        { id: 'e4', source: 'ask', sourceHandle: 'done', target: 'late' },
      ],
    };
    const compiled = compilePlaybook(graph);
    if (!compiled.plan) return; // fixed by refusing the graph
    const started = startRun(compiled.plan, {}, 0);
    // Nothing was answered yet, so the run must wait at the task, not end at "early".
    expect(started.state.status).toBe('running');
  });
});

describe('decisions on an experiment’s arm', () => {
  const armGraph = (value: string) =>
    graphOf(
      [
        ['s', 'start', {}],
        [
          'split',
          'experiment',
          {
            arms: [
              { key: 'new_line', weight: 1 },
              { key: 'record_only', weight: 1 },
            ],
            holdout: 1,
          },
        ],
        ['arm', 'decision', { rules: [{ handle: 'offer', when: { var: 'split.arm', op: 'eq', value } }] }],
        ['e', 'end', { outcome: 'closed' }],
        ['o', 'end', { outcome: 'won_back' }],
      ],
      ['s.next → split', 'split.new_line → arm', 'split.record_only → arm', 'split.holdout → arm', 'arm.offer → o', 'arm.default → e'],
    );

  it('branches on the arm the experiment assigned (<node>.arm)', () => {
    const plan = planOf(armGraph('new_line'));
    const outcomes = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const { state } = startRun(plan, { customer: { id: `C-${i}`, department: 'after_sales' } }, 0);
      expect(state.outcome?.outcome).toBe(state.vars['split.arm'] === 'new_line' ? 'won_back' : 'closed');
      outcomes.add(state.outcome!.outcome);
    }
    expect([...outcomes].sort()).toEqual(['closed', 'won_back']);
  });

  it('an arm the experiment does not have never matches, and the compiler says which it has', () => {
    expect(compilePlaybook(armGraph('holdout')).problems).toEqual([]);
    expect(compilePlaybook(armGraph('new_lnie')).problems.map((p) => [p.code, p.path.join('.'), p.message])).toEqual([
      ['operand_value', 'nodes.2.config.rules.0.when.value', 'split.arm is one of new_line, record_only, holdout; "new_lnie" never matches'],
    ]);
  });
});
