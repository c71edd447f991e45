import { compilePlaybook } from '../../playbooks/compile';
import type { PlaybookGraph } from '../../playbooks/graph';
import { readVar } from '../../playbooks/nodes/decision';
import { applyEvent, startRun } from '../../playbooks/runtime';
import type { Json, RunState } from '../../playbooks/runtime/types';

/**
 * Run variables and form fields cannot shadow what the system knows: customer.*, visits.*,
 * responses.*, offer.* resolve from the system, and the compiler refuses such names where people
 * choose them. Decisions read the customer file's own fields.
 */
const at = { x: 0, y: 0 };
const rep = { userId: 'u-rita', role: 'rep', department: 'after_sales' };
const problemsAt = (g: unknown) => compilePlaybook(g).problems.map((p) => `${p.path.join('.')}`);

describe('system names', () => {
  it('customer.* and visits.* resolve from the system, not from a flat run variable of the same name', () => {
    const vars: Record<string, Json> = { 'customer.value': 999999, customer: { value: 10, grade: 'ordinary' }, 'visits.call': 99, visits: { call: 1 } };
    expect(readVar(vars, 'customer.value')).toBe(10);
    expect(readVar(vars, 'visits.call')).toBe(1);
    // Not on the file: absent, not the impostor.
    expect(readVar({ 'customer.churnType': 'fault', customer: {} }, 'customer.churnType')).toBeUndefined();
    // responses.<kind> is the runtime's own flat counter; no object stands in for it.
    expect(readVar({ 'responses.accepted': 2 }, 'responses.accepted')).toBe(2);
    expect(readVar({ responses: { accepted: 5 } }, 'responses.accepted')).toBeUndefined();
  });

  it('a run started with {"customer.value": 999999} does not take the VIP branch', () => {
    const graph: PlaybookGraph = {
      nodes: [
        { id: 's', kind: 'start', position: at, config: {} },
        { id: 'd', kind: 'decision', position: at, config: { rules: [{ handle: 'vip', when: { var: 'customer.value', op: 'gte', value: 100000 } }] } },
        { id: 'vip', kind: 'end', position: at, config: { outcome: 'won_back' } },
        { id: 'plain', kind: 'end', position: at, config: { outcome: 'closed' } },
      ],
      edges: [
        { id: 'e1', source: 's', sourceHandle: 'next', target: 'd' },
        { id: 'e2', source: 'd', sourceHandle: 'vip', target: 'vip' },
        { id: 'e3', source: 'd', sourceHandle: 'default', target: 'plain' },
      ],
    };
    const plan = compilePlaybook(graph).plan!;
    const run = startRun(plan, { 'customer.value': 999999, customer: { id: 'C', value: 1000, department: 'after_sales' } }, 0);
    expect(run.state.outcome?.outcome).toBe('closed');
    // An attempt of a plan compiled before revision 3 replays as it was recorded: the rule is pinned to the plan.
    const old = startRun({ ...plan, revision: 2 }, { 'customer.value': 999999, customer: { id: 'C', value: 1000, department: 'after_sales' } }, 0);
    expect(old.state.outcome?.outcome).toBe('won_back');
  });

  it('a run started with {"visits.call": 99} does not skip its retry loop', () => {
    const graph: PlaybookGraph = {
      nodes: [
        { id: 's', kind: 'start', position: at, config: {} },
        {
          id: 'call',
          kind: 'task',
          position: at,
          config: { title: 'Call', assignee: { type: 'role', role: 'rep' }, outcomes: [{ key: 'no_answer', label: 'No answer' }] },
        },
        { id: 'guard', kind: 'decision', position: at, config: { rules: [{ handle: 'give_up', when: { var: 'visits.call', op: 'gte', value: 3 } }] } },
        { id: 'e', kind: 'end', position: at, config: { outcome: 'lost' } },
      ],
      edges: [
        { id: 'e1', source: 's', sourceHandle: 'next', target: 'call' },
        { id: 'e2', source: 'call', sourceHandle: 'no_answer', target: 'guard' },
        { id: 'e3', source: 'guard', sourceHandle: 'give_up', target: 'e' },
        { id: 'e4', source: 'guard', sourceHandle: 'default', target: 'call' },
      ],
    };
    const plan = compilePlaybook(graph).plan!;
    let state: RunState = startRun(plan, { 'visits.call': 99, customer: { id: 'C', department: 'after_sales' } }, 0).state;
    const taskKey = () => Object.keys(state.tasks)[0];
    state = applyEvent(plan, state, { type: 'task_completed', taskKey: taskKey(), outcome: 'no_answer', form: {}, actor: rep, at: 1 }).state;
    // One call made: the guard goes round again instead of giving up.
    expect({ status: state.status, open: Object.keys(state.tasks).length }).toEqual({ status: 'running', open: 1 });
  });

  it('refuses system names as start variables and form fields, with the path', () => {
    for (const key of ['customer.value', 'customer', 'visits.call', 'responses.accepted', 'offer.tier', 'last_response', 'call.outcome', 'account_manager']) {
      const graph = {
        nodes: [
          { id: 's', kind: 'start', config: { variables: [{ key, type: 'number' }] } },
          {
            id: 't',
            kind: 'task',
            config: {
              title: 'T',
              assignee: { type: 'role', role: 'rep' },
              outcomes: [{ key: 'done', label: 'Done' }],
              form: [{ key, label: 'F', type: 'number' }],
            },
          },
          { id: 'e', kind: 'end', config: { outcome: 'closed' } },
        ],
        edges: [
          { id: 'e1', source: 's', sourceHandle: 'next', target: 't' },
          { id: 'e2', source: 't', sourceHandle: 'done', target: 'e' },
        ],
      };
      expect({ key, paths: problemsAt(graph) }).toEqual({
        key,
        paths: expect.arrayContaining(['nodes.0.config.variables.0.key', 'nodes.1.config.form.0.key']),
      });
    }
  });

  it("decisions read the customer file's own fields, with their known values", () => {
    const decide = (when: unknown) => ({
      nodes: [
        { id: 's', kind: 'start', config: {} },
        { id: 'd', kind: 'decision', config: { rules: [{ handle: 'x', when }] } },
        { id: 'e', kind: 'end', config: { outcome: 'closed' } },
      ],
      edges: [
        { id: 'e1', source: 's', sourceHandle: 'next', target: 'd' },
        { id: 'e2', source: 'd', sourceHandle: 'x', target: 'e' },
        { id: 'e3', source: 'd', sourceHandle: 'default', target: 'e' },
      ],
    });
    expect(
      compilePlaybook(
        decide({
          all: [
            { var: 'customer.status', op: 'eq', value: 'pre_churn' },
            { var: 'customer.churnType', op: 'in', value: ['fault', 'competitive'] },
            { var: 'customer.churnReason', op: 'eq', value: 'C' },
          ],
        }),
      ).problems,
    ).toEqual([]);
    const wrong = compilePlaybook(
      decide({
        any: [
          { var: 'customer.churnReason', op: 'eq', value: 'Z' },
          { var: 'customer.status', op: 'eq', value: 'sleepy' },
          { var: 'customer.churnType', op: 'gt', value: 1 },
        ],
      }),
    ).problems.map((p) => `${p.code}@${p.path.join('.')}`);
    expect(wrong).toEqual(
      expect.arrayContaining([
        'operand_value@nodes.1.config.rules.0.when.any.0.value',
        'operand_value@nodes.1.config.rules.0.when.any.1.value',
        'operand_type@nodes.1.config.rules.0.when.any.2.var',
      ]),
    );
  });
});
